"""The one validator of an incident's figures (dead, injured, seriously injured, missing, trapped,
direct loss) and level: the services call it, forms and serializers only parse types. The limits come
from the model fields (``grids.limits``). The level of a production-safety accident is computed from
the ``AccidentThreshold`` rows."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dispatch.models import (
    AccidentThreshold,
    Incident,
    Level,
)
from grids import limits

FIGURE_FIELDS = ("deaths", "injured", "serious_injuries", "missing", "trapped", "direct_loss")


COUNT_FIELDS = ("deaths", "injured", "serious_injuries", "missing", "trapped")


MAX_LOSS = Decimal("9999999999.99")


def incident_level(*, deaths: int, serious_injuries: int, direct_loss: Decimal | int | float | str) -> int:
    """The level of a production-safety accident from the ``AccidentThreshold`` rows (国务院令第493号
    Art 3): a level is reached when any one criterion reaches its threshold ("以上" includes the
    number); the highest level reached wins. Below every threshold the estimate is level IV."""
    loss = Decimal(str(direct_loss))
    for threshold in AccidentThreshold.objects.order_by("level"):
        if (
            deaths >= threshold.min_deaths
            or serious_injuries >= threshold.min_serious_injuries
            or loss >= threshold.min_direct_loss
        ):
            return threshold.level
    return Level.IV


def clean_figures(values: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name in COUNT_FIELDS:
        if name not in values:
            continue
        value = values[name]
        try:
            number = int(value if value not in (None, "") else 0)
        except (TypeError, ValueError, OverflowError):
            number = -1
        if number < 0:
            errors.setdefault(name, []).append(_("Give a whole number, 0 or more."))
        else:
            try:
                limits.check_int(number, Incident, name)
            except ValidationError as exc:
                errors.setdefault(name, []).extend(exc.messages)
                number = 0
        cleaned[name] = max(number, 0)
    if "direct_loss" in values:
        try:
            loss = Decimal(str(values["direct_loss"] if values["direct_loss"] not in (None, "") else 0))
            if not loss.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            loss = Decimal(-1)
        if loss < 0 or loss > MAX_LOSS:
            errors.setdefault("direct_loss", []).append(_("Give the direct loss in ten-thousand yuan, 0 or more."))
            loss = Decimal(0)
        cleaned["direct_loss"] = loss.quantize(Decimal("0.01"))
    return cleaned


def check_serious(injured: int, serious: int, errors: dict[str, list[str]]) -> None:
    if serious > injured:
        errors.setdefault("serious_injuries", []).append(
            _("The seriously injured are counted among the injured: there cannot be more of them.")
        )


def check_level(level: Any, errors: dict[str, list[str]]) -> int | None:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = None
    if value not in Level.values:
        errors.setdefault("level", []).append(_("Choose the estimated level (I to IV)."))
        return None
    return value
