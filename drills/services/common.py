"""Shared steps of the drill services: the row lock, the history reason, the refusals."""

from __future__ import annotations

from collections.abc import Iterable

from drills.models import Drill, Finding


class TransitionRefused(Exception):
    """A step the drill's or finding's state does not allow (or that someone else just took)."""


def locked_drill(drill: Drill | int) -> Drill:
    pk = drill.pk if isinstance(drill, Drill) else drill
    return Drill.objects.select_for_update(of=("self",)).select_related("unit", "organiser").get(pk=pk)


def locked_finding(finding: Finding | int) -> Finding:
    pk = finding.pk if isinstance(finding, Finding) else finding
    return Finding.objects.select_for_update(of=("self",)).select_related("drill", "owner_unit").get(pk=pk)


def save_step(obj, fields: list[str], reason: str, by=None) -> None:
    obj._change_reason = reason
    if by is not None:
        obj._history_user = by
    obj.save(update_fields=fields)


def require_state(state: str, allowed: Iterable[str], message: str) -> None:
    if state not in allowed:
        raise TransitionRefused(message)
