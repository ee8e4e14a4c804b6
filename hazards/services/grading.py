"""Grading a hazard by the rule tables, proposing its unit from a point, and numbering it."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.sequences import next_value
from grids import limits
from grids.models import GridUnit, User
from grids.scope import scope_for
from hazards.models import (
    Hazard,
    HazardEvent,
    HazardSequence,
    Method,
    RiskBand,
    RiskFactorOption,
    RiskLevel,
)

Action = HazardEvent.Action


# --- grading ------------------------------------------------------------------------------------

FACTORS = {
    Method.LEC: (RiskFactorOption.Factor.LEC_L, RiskFactorOption.Factor.LEC_E, RiskFactorOption.Factor.LEC_C),
    Method.LS: (RiskFactorOption.Factor.LS_L, RiskFactorOption.Factor.LS_S),
}


def risk_grade(*, method: str, inputs: dict[str, Decimal | str | float]) -> tuple[int, Decimal]:
    """(risk level, score) for LEC (D = L×E×C) or the matrix (R = L×S), from the rule tables."""
    factors = FACTORS.get(method)
    if factors is None:
        raise ValidationError(_("Unknown grading method."))
    allowed = {}
    for factor, value in RiskFactorOption.objects.filter(factor__in=factors).values_list("factor", "value"):
        allowed.setdefault(factor, set()).add(value)
    score = Decimal(1)
    for factor in factors:
        try:
            value = Decimal(str(inputs[factor]))
            if not value.is_finite():
                raise ValueError(value)
        except (KeyError, ArithmeticError, ValueError, TypeError):
            raise ValidationError(
                {"risk_inputs": _("Choose a value for %(factor)s.") % {"factor": RiskFactorOption.Factor(factor).label}}
            )
        if value not in allowed.get(factor, set()):
            raise ValidationError(
                {
                    "risk_inputs": _("%(value)s is not a listed value of %(factor)s.")
                    % {"value": value, "factor": RiskFactorOption.Factor(factor).label}
                }
            )
        score *= value
    band = RiskBand.objects.filter(method=method, min_score__lte=score).order_by("-min_score").first()
    if band is None:
        raise ValidationError(
            _("No risk band covers the score %(score)s; check the risk bands in the admin.") % {"score": score}
        )
    return band.level, score.quantize(Decimal("0.01"))


def apply_grading(hazard: Hazard, *, method: str, level: int | None, inputs: dict | None, reason: str) -> None:
    if method in (Method.LEC, Method.LS):
        hazard.risk_level, hazard.risk_score = risk_grade(method=method, inputs=inputs or {})
        hazard.risk_inputs = {k: str(v) for k, v in (inputs or {}).items() if k in FACTORS[method]}
    elif method == Method.DIRECT:
        if isinstance(level, bool) or level not in RiskLevel.values:
            raise ValidationError({"risk_level": _("Choose a risk level.")})
        if not reason.strip():
            raise ValidationError(_("Say why this risk level was set directly."))
        hazard.risk_level, hazard.risk_score, hazard.risk_inputs = level, None, {}
    else:
        raise ValidationError(_("Unknown grading method."))
    hazard.risk_method = method
    hazard.risk_reason = reason


# --- places -------------------------------------------------------------------------------------


def propose_unit(*, user: User, lng: float | None, lat: float | None, default: GridUnit) -> GridUnit:
    """The tier-3 unit in the user's scope whose boundary contains the point, else ``default``."""
    if lng is None or lat is None:
        return default
    lng, lat = limits.bound_lng_lat(lng, lat)
    from shapely.geometry import Point, shape

    point = Point(lng, lat)
    candidates = scope_for(user).units().filter(level=2, is_active=True, boundary__isnull=False).only("id", "boundary")
    for unit in candidates.iterator(chunk_size=500):
        try:
            if shape(unit.boundary).covers(point):
                return GridUnit.objects.get(pk=unit.pk)
        except (ValueError, TypeError, AttributeError):
            continue
    return default


def owner_for(unit: GridUnit) -> GridUnit:
    """A danger found in a village or enterprise is reported to its township or park (seed 003 §6)."""
    return unit.parent if unit.tier == 3 and unit.parent_id else unit


def owner_id_for(unit: GridUnit) -> int:
    """``owner_for(unit).pk`` without reading the parent."""
    return unit.parent_id if unit.tier == 3 and unit.parent_id else unit.pk


# --- numbers ------------------------------------------------------------------------------------


def allocate_number(*, unit: GridUnit, year: int) -> str:
    """``<unit code>-<year>-<seq>``, unique under concurrent reports (row lock on the sequence).

    A number already taken (a code that another unit held before a move) is skipped."""
    with transaction.atomic(savepoint=False):  # inside the caller's: its rollback is ours
        while True:
            number = f"{unit.code}-{year}-{next_value(HazardSequence, unit=unit, year=year):04d}"
            if not Hazard.objects.filter(number=number).exists():
                return number
