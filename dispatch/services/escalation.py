"""叫应: the escalation ladder of unanswered red and orange warnings and of missing 平安 reports.

``escalate(now=…)`` (the job ``dispatch.tasks.escalate_warnings``, every minute) walks the
``EscalationRule`` of each subject: a unit that has not answered ``officer_after_minutes`` after
its warning was delivered (or after the day's 平安 cut-off) gets a text to its officers, after
``leader_after_minutes`` a text to its leader, after ``call_after_minutes`` a voice call to its
officers and a row on the township dispatcher's call list (/dispatch/calls/). Each step is an
``Escalation`` row unique per (delivery, step) or (village, day, step), claimed under row locks
(``skip_locked``) and written with its texts, so a rerun or a second worker never sends twice; a
unit that acknowledged (or reported) is left out of every later step: only those who have not
answered are texted again. A constant number of queries per step, whatever the number of units.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Delivery, TextMessage
from delivery.texts import text_messages_queue
from dispatch.models import Escalation, EscalationRule, Warning
from dispatch.permissions import DispatchAction
from dispatch.selectors.safe_reports import missing_villages, past_cutoff
from grids.models import GridUnit, Membership, Role
from grids.scope import scope_for

OFFICER_ROLES = {Role.GRID_OFFICER, Role.INFORMATION_OFFICER, Role.GRID_MANAGER}
LEADER_ROLES = {Role.GRID_LEADER, Role.DEPUTY_LEADER}
LEVEL_SUBJECT = {1: EscalationRule.Subject.RED, 2: EscalationRule.Subject.ORANGE}
STEP_MINUTES = {
    Escalation.Step.OFFICER: "officer_after_minutes",
    Escalation.Step.LEADER: "leader_after_minutes",
    Escalation.Step.CALL: "call_after_minutes",
}


@dataclass
class EscalationRun:
    steps: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    texts: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"officer": self.steps[1], "leader": self.steps[2], "call": self.steps[3], "texts": self.texts}


def _phones(unit_ids: set[int], roles: set[Role]) -> dict[int, list[tuple[int, str]]]:
    """unit id -> [(person id, mobile)] of the active people holding ``roles`` there, with a mobile."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for unit_id, user_id, mobile in (
        Membership.objects.active()
        .filter(unit_id__in=unit_ids, role__in=roles, user__is_active=True)
        .exclude(user__mobile="")
        .values_list("unit_id", "user_id", "user__mobile")
        .order_by("unit_id", "user_id")
        .distinct()
    ):
        if (user_id, mobile) not in found[unit_id]:
            found[unit_id].append((user_id, mobile))
    return found


def _texts(step: int, units: dict[int, tuple[str, str]], key_of) -> list[TextMessage]:
    """The texts of one step: ``units`` maps unit id -> (subject key, message text)."""
    roles = LEADER_ROLES if step == Escalation.Step.LEADER else OFFICER_ROLES
    kind = TextMessage.Kind.CALL if step == Escalation.Step.CALL else TextMessage.Kind.SMS
    messages = []
    for unit_id, people in _phones(set(units), roles).items():
        delivery_id, text = units[unit_id]
        for user_id, mobile in people:
            messages.append(
                TextMessage(
                    key=f"{key_of(unit_id)}:{step}:{user_id}",
                    kind=kind,
                    delivery_id=delivery_id,
                    unit_id=unit_id,
                    person_id=user_id,
                    phone=mobile,
                    text=text[:500],
                )
            )
    return messages


def _warning_text(step: int, title: str, unit_name: str) -> str:
    if step == Escalation.Step.LEADER:
        return _("[Emergency grid] %(unit)s has not acknowledged the warning “%(title)s”. Please see that it does.") % {
            "unit": unit_name,
            "title": title,
        }
    return _("[Emergency grid] Warning “%(title)s” for %(unit)s: open the emergency grid and acknowledge it now.") % {
        "unit": unit_name,
        "title": title,
    }


def _escalate_warnings(now: datetime.datetime, rules: dict[str, EscalationRule], run: EscalationRun) -> None:
    base = Delivery.objects.filter(
        document__kind="warning",
        recipient_unit__isnull=False,
        state__in=[Delivery.State.DELIVERED, Delivery.State.READ],
    )
    current = Warning.objects.filter(state=Warning.State.ACTIVE, document__isnull=False, valid_to__gt=now)
    for step, attribute in STEP_MINUTES.items():
        for level, subject in LEVEL_SUBJECT.items():
            rule = rules.get(subject)
            if rule is None:
                continue
            cutoff = now - datetime.timedelta(minutes=getattr(rule, attribute))
            documents = current.filter(level=level).values("document_id")
            due = (
                base.filter(document_id__in=documents, document__sent_at__lte=cutoff)
                .exclude(pk__in=Escalation.objects.filter(step=step, delivery__isnull=False).values("delivery_id"))
                .select_for_update(skip_locked=True, of=("self",))
            )
            rows = list(due.values_list("pk", "recipient_unit_id", "document__title", "recipient_unit__name"))
            if not rows:
                continue
            Escalation.objects.bulk_create(
                [Escalation(step=step, unit_id=unit_id, delivery_id=pk, at=now) for pk, unit_id, _t, _n in rows]
            )
            run.steps[step] += len(rows)
            units = {unit_id: (pk, _warning_text(step, title, name)) for pk, unit_id, title, name in rows}
            by_unit = {unit_id: pk for pk, unit_id, _t, _n in rows}
            run.texts += len(text_messages_queue(_texts(step, units, lambda u, by_unit=by_unit: f"d{by_unit[u]}")))


def _safe_text(step: int, unit_name: str, day: datetime.date) -> str:
    if step == Escalation.Step.LEADER:
        return _("[Emergency grid] %(unit)s has not sent its daily safety report for %(day)s.") % {
            "unit": unit_name,
            "day": day.isoformat(),
        }
    return _("[Emergency grid] %(unit)s: send today's safety report (平安) in the emergency grid now.") % {
        "unit": unit_name
    }


def _escalate_safe_reports(now: datetime.datetime, rule: EscalationRule | None, run: EscalationRun) -> None:
    if rule is None:
        return
    day = timezone.localdate(now)
    cutoff = past_cutoff(now)
    if cutoff is None:
        return
    missing = missing_villages(day, now=now)
    for step, attribute in STEP_MINUTES.items():
        if now < cutoff + datetime.timedelta(minutes=getattr(rule, attribute)):
            continue
        due = (
            GridUnit.objects.filter(pk__in=missing.values("pk"))
            .exclude(pk__in=Escalation.objects.filter(step=step, day=day, delivery__isnull=True).values("unit_id"))
            .select_for_update(skip_locked=True)
        )
        rows = list(due.values_list("pk", "name"))
        if not rows:
            continue
        Escalation.objects.bulk_create([Escalation(step=step, unit_id=pk, day=day, at=now) for pk, _name in rows])
        run.steps[step] += len(rows)
        units = {pk: (None, _safe_text(step, name, day)) for pk, name in rows}
        run.texts += len(text_messages_queue(_texts(step, units, lambda u: f"s{u}:{day.isoformat()}")))


def escalate(*, now: datetime.datetime | None = None) -> EscalationRun:
    """Take every step of the ladder that has fallen due (see the module). Called by the job only."""
    now = now or timezone.now()
    run = EscalationRun()
    rules = {rule.subject: rule for rule in EscalationRule.objects.all()}
    with transaction.atomic():
        _escalate_warnings(now, rules, run)
        _escalate_safe_reports(now, rules.get(EscalationRule.Subject.SAFE_REPORT), run)
    return run


def escalation_record_call(*, escalation: Escalation, by, answer: str, note: str = "") -> Escalation:
    """Record how the dispatcher's call to a unit on the call list went. A person who may keep the
    township's call list (``callout.record``) only; a later record replaces an earlier one."""
    if answer not in Escalation.Answer.values:
        raise ValidationError(_("Choose how the call went."))
    with transaction.atomic():
        row = Escalation.objects.select_for_update(of=("self",)).select_related("unit").get(pk=escalation.pk)
        if row.step != Escalation.Step.CALL:
            raise ValidationError(_("Only a call on the call list is recorded."))
        if not scope_for(by).can(DispatchAction.RECORD_CALL, row.unit):
            raise PermissionDenied(_("You may not keep the call list of this unit."))
        row.answer, row.note, row.called_at, row.called_by = answer, note[:200], timezone.now(), by
        row.save(update_fields=["answer", "note", "called_at", "called_by"])
    return row
