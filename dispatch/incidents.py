"""Incident information reports (突发事件信息报送): services, scope and selectors.

How an incident goes up (DOMAIN.md §4, seed 001):

- A first report (首报) is made in a unit by anyone with a role there (or above it). At once an
  ``IncidentTier`` row is written for the reporting unit and for every ancestor up to the county.
  The reporting unit's parent receives it immediately: its ``received_at`` and ``written_at`` are
  the time of the report, and an incident ``Document`` is delivered to it through
  ``delivery.services`` (inbox, e-mail, 签收).
- Each receiving tier confirms it (核实: the confirm also receipts the tier's incident deliveries)
  and forwards it: forwarding delivers it to the next tier up, whose written time is then.
  The time a tier was told by phone is recorded by that tier.
- **Decision (the order of tiers)**: the tiers above the parent do *not* receive the incident
  when it is first reported. The county receives it when the township forwards it, or — if the
  township has not forwarded it when the written deadline has passed — automatically from the
  periodic job ``incidents_flag_late`` (it then arrives without a written time and is flagged
  late, so a tier that sits on a report cannot hide it: 迟报/瞒报). People of the county can
  still *see* every incident in their subtree (their scope), with their own tier shown as "not yet
  reported to you" until it arrives.
- Deadlines come from ``ReportingDeadline`` for the incident's level, counted from the time it
  happened. A tier's phone (written) report is on time when it is at or before the deadline and
  late when after it; a tier with no time yet is late once the deadline has passed. The reporting
  unit itself has no deadline (it is the source). Flags are recomputed when the level changes.
- Follow-up reports (续报一、二…) by anyone who may report in the incident's unit update the
  figures (and the computed level); the final report (终报) by the officers of tiers 1–2 closes
  the chain: no follow-up after it.

Refusals: ``PermissionDenied`` (role, tier) and ``ValidationError`` (fields, state), with
Chinese messages through gettext.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import Delivery, Document
from delivery.services import delivery_receipt, send_documents
from dispatch.access import (  # who may see and do what: dispatch/access.py
    may_add_report,
    may_close,
    may_handle_tier,
    visible_incidents,
)
from dispatch.models import (
    AccidentThreshold,
    Incident,
    IncidentCategory,
    IncidentReport,
    IncidentTier,
    IncidentType,
    Level,
    ReportingDeadline,
)
from dispatch.permissions import DispatchAction
from grids import limits
from grids.models import GridUnit, User
from grids.scope import scope_for

FIGURE_FIELDS = ("deaths", "injured", "serious_injuries", "missing", "trapped", "direct_loss")
COUNT_FIELDS = ("deaths", "injured", "serious_injuries", "missing", "trapped")
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
MAX_LOSS = Decimal("9999999999.99")


# --- level ----------------------------------------------------------------------------------------


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


# --- deadlines and late flags -----------------------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    phone: datetime.datetime | None
    written: datetime.datetime | None


def deadlines_for(incident: Incident, rules: Mapping[int, ReportingDeadline] | None = None) -> Deadlines:
    """When the phone and the written report are due at every tier above the reporting unit."""
    rule = (rules if rules is not None else _deadline_rules()).get(incident.level)
    if rule is None:
        return Deadlines(None, None)
    return Deadlines(
        incident.occurred_at + datetime.timedelta(minutes=rule.phone_minutes),
        incident.occurred_at + datetime.timedelta(minutes=rule.written_minutes),
    )


def _deadline_rules() -> dict[int, ReportingDeadline]:
    return {rule.level: rule for rule in ReportingDeadline.objects.all()}


def _is_late(at: datetime.datetime | None, due: datetime.datetime | None, now: datetime.datetime) -> bool:
    """On time at or before the deadline (inclusive); late after it; late without a time once it passed."""
    if due is None:
        return False
    return at > due if at is not None else now > due


def _apply_flags(incident: Incident, tier: IncidentTier, due: Deadlines, now: datetime.datetime) -> bool:
    """Set the tier's late flags; True when they changed. The reporting unit has none."""
    if tier.unit_id == incident.unit_id:
        phone_late = written_late = False
    else:
        phone_late = _is_late(tier.phone_at, due.phone, now)
        written_late = _is_late(tier.written_at, due.written, now)
    changed = (phone_late, written_late) != (tier.phone_late, tier.written_late)
    tier.phone_late, tier.written_late = phone_late, written_late
    return changed


def _refresh_all_flags(incident: Incident, now: datetime.datetime) -> None:
    """Recompute every tier's flags (after the level, hence the deadlines, changed)."""
    due = deadlines_for(incident)
    tiers = list(IncidentTier.objects.select_for_update().filter(incident=incident))
    changed = [tier for tier in tiers if _apply_flags(incident, tier, due, now)]
    if changed:
        IncidentTier.objects.bulk_update(changed, ["phone_late", "written_late"])


# --- scope ----------------------------------------------------------------------------------------


def _allocate_number(unit: GridUnit, year: int) -> str:
    """``<unit code>-<year>-SJ<seq>``: the unit's row is locked while the next number is taken."""
    GridUnit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True).first()
    prefix = f"{unit.code}-{year}-SJ"
    last = (
        Incident.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{sequence:04d}"


def incident_url(incident: Incident) -> str:
    return reverse("dispatch:incident_detail", args=[incident.pk])


def _figures(incident: Incident) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(incident, name) for name in COUNT_FIELDS}
    data["direct_loss"] = str(incident.direct_loss)
    data["level"] = incident.level
    return data


def _summary(incident: Incident) -> str:
    return _(
        "%(time)s at %(place)s (%(unit)s). Dead %(deaths)d, injured %(injured)d, missing %(missing)d, "
        "trapped %(trapped)d; direct loss %(loss)s ten-thousand yuan. %(level)s."
    ) % {
        "time": timezone.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M"),
        "place": incident.place,
        "unit": incident.unit.name,
        "deaths": incident.deaths,
        "injured": incident.injured,
        "missing": incident.missing,
        "trapped": incident.trapped,
        "loss": incident.direct_loss,
        "level": incident.get_level_display(),
    }


def _document(incident: Incident, *, sender: GridUnit, title: str, body: str, by: User | None) -> Document:
    return Document(
        sender_unit=sender,
        kind=Document.Kind.INCIDENT,
        title=title[:200],
        body=body,
        url=incident_url(incident),
        sent_by=by,
    )


# --- validation -------------------------------------------------------------------------------------


def _clean_figures(values: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
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


def _check_serious(injured: int, serious: int, errors: dict[str, list[str]]) -> None:
    if serious > injured:
        errors.setdefault("serious_injuries", []).append(
            _("The seriously injured are counted among the injured: there cannot be more of them.")
        )


def _check_level(level: Any, errors: dict[str, list[str]]) -> int | None:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = None
    if value not in Level.values:
        errors.setdefault("level", []).append(_("Choose the estimated level (I to IV)."))
        return None
    return value


# --- the first report -----------------------------------------------------------------------------


def incident_first_report(
    *,
    by: User,
    unit: GridUnit,
    type: IncidentType,  # the model's field name
    title: str,
    occurred_at: datetime.datetime,
    place: str,
    description: str,
    reporter_phone: str,
    level: int | None = None,
    lng: float | None = None,
    lat: float | None = None,
    deaths: int = 0,
    injured: int = 0,
    serious_injuries: int = 0,
    missing: int = 0,
    trapped: int = 0,
    direct_loss: Decimal | int | str = 0,
    measures: str = "",
    client_key: uuid.UUID | None = None,
) -> tuple[Incident, bool]:
    """First report (首报) of an incident in ``unit``: anyone with a role in the unit or above it.

    Writes the incident, its first report and one tier per unit from ``unit`` up to the county; the
    parent receives it at once (written time now, delivered to its inbox). A production-safety
    accident's level is computed from the figures; otherwise ``level`` is the reporter's estimate.
    Returns (incident, created): the same ``client_key`` again returns the incident already saved."""
    if client_key:
        existing = Incident.objects.filter(reporter=by, client_key=client_key).first()
        if existing:
            return existing, False
    if not scope_for(by).can(DispatchAction.REPORT_INCIDENT, unit):
        raise PermissionDenied(_("You may only report incidents in your own grid."))
    errors: dict[str, list[str]] = {}
    figures = _clean_figures(
        {
            "deaths": deaths,
            "injured": injured,
            "serious_injuries": serious_injuries,
            "missing": missing,
            "trapped": trapped,
            "direct_loss": direct_loss,
        },
        errors,
    )
    _check_serious(figures["injured"], figures["serious_injuries"], errors)
    now = timezone.now()
    try:
        occurred_at = limits.bound_moment("occurred_at", occurred_at, model=Incident)
    except ValidationError as exc:
        exc.update_error_dict(errors)
    try:
        lng, lat = limits.bound_lng_lat(lng, lat, model=Incident)
    except ValidationError as exc:
        exc.update_error_dict(errors)
    if "occurred_at" in errors:
        pass
    elif occurred_at is None:
        errors.setdefault("occurred_at", []).append(_("Give the time it happened."))
    elif occurred_at > now + FUTURE_TOLERANCE:
        errors.setdefault("occurred_at", []).append(_("The time it happened cannot be in the future."))
    for name, value in (
        ("title", title),
        ("place", place),
        ("description", description),
        ("reporter_phone", reporter_phone),
    ):
        if not (value or "").strip():
            errors.setdefault(name, []).append(_("This is needed in a first report."))
    if (lng is None) != (lat is None):
        lng = lat = None
    if type.production_safety:
        computed = True
    else:
        computed = False
        level = _check_level(level, errors)
    if errors:
        raise ValidationError(errors)
    if computed:
        level = incident_level(
            deaths=figures["deaths"], serious_injuries=figures["serious_injuries"], direct_loss=figures["direct_loss"]
        )
    try:
        with transaction.atomic():
            incident = Incident(
                number=_allocate_number(unit, timezone.localtime(occurred_at).year),
                type=type,
                category=type.category,
                title=title.strip()[:200],
                occurred_at=occurred_at,
                unit=unit,
                place=place.strip()[:200],
                lng=lng,
                lat=lat,
                level=level,
                level_computed=computed,
                description=description.strip(),
                measures=(measures or "").strip(),
                reporter=by,
                reporter_phone=reporter_phone.strip()[:20],
                client_key=client_key,
                **figures,
            )
            incident.save()
            IncidentReport.objects.create(
                incident=incident,
                kind=IncidentReport.Kind.FIRST,
                sequence=0,
                unit=unit,
                text=incident.description,
                figures=_figures(incident),
                by=by,
            )
            ancestors = list(unit.get_ancestors(ascending=True))  # parent first
            parent = ancestors[0] if ancestors else None
            tiers = [IncidentTier(incident=incident, unit=unit, received_at=now, forwarded_at=now if parent else None)]
            if parent:
                tiers.append(IncidentTier(incident=incident, unit=parent, received_at=now, written_at=now))
            tiers += [IncidentTier(incident=incident, unit=above) for above in ancestors[1:]]
            due = deadlines_for(incident)
            for tier in tiers:
                _apply_flags(incident, tier, due, now)
            IncidentTier.objects.bulk_create(tiers)
            if parent:
                send_documents(
                    [
                        (
                            _document(
                                incident,
                                sender=unit,
                                by=by,
                                title=_("First report: %(title)s") % {"title": incident.title},
                                body=_summary(incident),
                            ),
                            [parent],
                            [],
                        )
                    ]
                )
    except IntegrityError:
        if client_key:  # the same submission raced itself (double tap): return the winner
            existing = Incident.objects.filter(reporter=by, client_key=client_key).first()
            if existing:
                return existing, False
        raise
    return incident, True


# --- each tier: confirm, forward, phone -------------------------------------------------------------


def _locked_tier(incident: Incident, unit: GridUnit) -> IncidentTier:
    tier = (
        IncidentTier.objects.select_for_update(of=("self",))
        .select_related("unit", "incident")
        .filter(incident_id=incident.pk, unit_id=unit.pk)
        .first()
    )
    if tier is None:
        raise ValidationError(_("This incident was not reported to %(unit)s.") % {"unit": unit.name})
    return tier


def _require_handler(by: User, unit: GridUnit) -> None:
    if not may_handle_tier(by, unit):
        raise PermissionDenied(_("Only the officers of %(unit)s can act for that tier.") % {"unit": unit.name})


def _require_receiving_tier(incident: Incident, tier: IncidentTier) -> None:
    if tier.unit_id == incident.unit_id:
        raise ValidationError(_("Your unit made this report; the tiers above confirm it and record their times."))


def _receipt_deliveries(incident: Incident, unit: GridUnit, by: User) -> None:
    """Confirming at a tier receipts (签收) that unit's deliveries of this incident's reports."""
    pending = (
        Delivery.objects.filter(
            recipient_unit=unit,
            document__kind=Document.Kind.INCIDENT,
            document__url=incident_url(incident),
        )
        .exclude(state=Delivery.State.RECEIPTED)
        .select_related("recipient_unit")
    )
    for delivery in pending:
        delivery_receipt(delivery=delivery, by=by)


@transaction.atomic
def incident_confirm(*, incident: Incident, unit: GridUnit, by: User) -> IncidentTier:
    """A receiving tier confirms (核实) the incident; its deliveries of the incident are receipted.
    The unit's own officers (tiers 1–2). A second confirmation changes nothing."""
    _require_handler(by, unit)
    tier = _locked_tier(incident, unit)
    _require_receiving_tier(incident, tier)
    if tier.received_at is None:
        raise ValidationError(_("This incident has not reached %(unit)s yet.") % {"unit": unit.name})
    if tier.confirmed_at is None:
        tier.confirmed_at, tier.confirmed_by = timezone.now(), by
        tier.save(update_fields=["confirmed_at", "confirmed_by"])
    _receipt_deliveries(incident, unit, by)
    return tier


@transaction.atomic
def incident_forward(*, incident: Incident, unit: GridUnit, by: User) -> IncidentTier:
    """A tier forwards the incident to the next tier up (confirming it first if it had not): the
    parent receives it now, in writing, in its inbox. Returns the parent's tier."""
    _require_handler(by, unit)
    incident = Incident.objects.select_for_update(of=("self",)).select_related("unit").get(pk=incident.pk)
    tier = _locked_tier(incident, unit)
    if tier.received_at is None:
        raise ValidationError(_("This incident has not reached %(unit)s yet.") % {"unit": unit.name})
    if tier.forwarded_at is not None:
        raise ValidationError(
            _("%(unit)s already forwarded this incident at %(time)s.")
            % {"unit": unit.name, "time": timezone.localtime(tier.forwarded_at).strftime("%Y-%m-%d %H:%M")}
        )
    if unit.parent_id is None:
        raise ValidationError(
            _("%(unit)s is the top tier; there is no tier above to forward it to.") % {"unit": unit.name}
        )
    now = timezone.now()
    if tier.confirmed_at is None and tier.unit_id != incident.unit_id:
        tier.confirmed_at, tier.confirmed_by = now, by
    tier.forwarded_at = now
    tier.save(update_fields=["confirmed_at", "confirmed_by", "forwarded_at"])
    parent_tier, _created = IncidentTier.objects.select_for_update(of=("self",)).get_or_create(
        incident=incident, unit_id=unit.parent_id
    )
    if parent_tier.received_at is None:
        parent_tier.received_at = now
    if parent_tier.written_at is None:
        parent_tier.written_at = now
    _apply_flags(incident, parent_tier, deadlines_for(incident), now)
    parent_tier.save(update_fields=["received_at", "written_at", "phone_late", "written_late"])
    send_documents(
        [
            (
                _document(
                    incident,
                    sender=unit,
                    by=by,
                    title=_("Incident report from %(unit)s: %(title)s") % {"unit": unit.name, "title": incident.title},
                    body=_summary(incident),
                ),
                [GridUnit.objects.get(pk=unit.parent_id)],
                [],
            )
        ]
    )
    _receipt_deliveries(incident, unit, by)
    return parent_tier


@transaction.atomic
def incident_record_phone(*, incident: Incident, unit: GridUnit, by: User, at: datetime.datetime) -> IncidentTier:
    """Record when ``unit``'s tier was told by phone (it may be before the written report arrives;
    a second entry corrects the first). The unit's own officers; the late flag follows."""
    _require_handler(by, unit)
    incident = Incident.objects.select_related("unit").get(pk=incident.pk)
    tier = _locked_tier(incident, unit)
    _require_receiving_tier(incident, tier)
    now = timezone.now()
    if at is None:
        raise ValidationError({"at": _("Give the time of the phone call.")})
    at = limits.bound_moment("at", at)
    if at > now + FUTURE_TOLERANCE:
        raise ValidationError({"at": _("The time of the phone call cannot be in the future.")})
    if at < incident.occurred_at:
        raise ValidationError({"at": _("The phone call cannot be before the incident happened.")})
    tier.phone_at = at
    _apply_flags(incident, tier, deadlines_for(incident), now)
    tier.save(update_fields=["phone_at", "phone_late", "written_late"])
    return tier


# --- follow-up and final reports -------------------------------------------------------------------


def _author_unit(by: User, incident: Incident, tiers: list[IncidentTier]) -> GridUnit:
    """The tier a follow-up comes from: the lowest of the incident's tiers where the author holds a role."""
    own = scope_for(by).own_unit_ids()
    mine = [tier.unit for tier in tiers if tier.unit_id in own]
    return max(mine, key=lambda unit: unit.level) if mine else incident.unit


def _add_report(
    *, incident: Incident, by: User, kind: str, text: str, figures: Mapping[str, Any] | None
) -> IncidentReport:
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors.setdefault("text", []).append(_("Write the report."))
    figures = dict(figures or {})
    changes = _clean_figures({k: v for k, v in figures.items() if k in FIGURE_FIELDS}, errors)
    new = {name: changes.get(name, getattr(incident, name)) for name in FIGURE_FIELDS}
    _check_serious(new["injured"], new["serious_injuries"], errors)
    new_level = incident.level
    if incident.level_computed:
        new_level = incident_level(
            deaths=new["deaths"], serious_injuries=new["serious_injuries"], direct_loss=new["direct_loss"]
        )
    elif figures.get("level") not in (None, ""):
        checked = _check_level(figures["level"], errors)
        new_level = checked if checked is not None else incident.level
    if errors:
        raise ValidationError(errors)
    old_level = incident.level
    for name, value in new.items():
        setattr(incident, name, value)
    incident.level = new_level
    update = [*FIGURE_FIELDS, "level"]
    sequence = 0
    if kind == IncidentReport.Kind.FOLLOW_UP:
        sequence = incident.reports.filter(kind=IncidentReport.Kind.FOLLOW_UP).count() + 1
    else:
        incident.is_final = True
        update.append("is_final")
    incident.save(update_fields=update)
    if new_level != old_level:
        _refresh_all_flags(incident, timezone.now())
    tiers = list(incident.tiers.select_related("unit"))
    author_unit = _author_unit(by, incident, tiers)
    report = IncidentReport.objects.create(
        incident=incident,
        kind=kind,
        sequence=sequence,
        unit=author_unit,
        text=text.strip(),
        figures=_figures(incident),
        by=by,
    )
    above = [tier.unit for tier in tiers if tier.received_at is not None and tier.unit.level < author_unit.level]
    if above:
        if kind == IncidentReport.Kind.FOLLOW_UP:
            title = _("Follow-up report %(number)d: %(title)s") % {"number": sequence, "title": incident.title}
        else:
            title = _("Final report: %(title)s") % {"title": incident.title}
        send_documents(
            [
                (
                    _document(
                        incident,
                        sender=author_unit,
                        by=by,
                        title=title,
                        body=text.strip() + "\n\n" + _summary(incident),
                    ),
                    above,
                    [],
                )
            ]
        )
    return report


@transaction.atomic
def incident_follow_up(
    *, incident: Incident, by: User, text: str, figures: Mapping[str, Any] | None = None
) -> IncidentReport:
    """A follow-up report (续报 N): new facts and, in ``figures``, any changed casualty figures,
    loss or (when not computed) level. Anyone who may report in the incident's unit. The tiers
    above the author's that already have the incident receive it. Refused after the final report."""
    incident = Incident.objects.select_for_update(of=("self",)).select_related("unit").get(pk=incident.pk)
    if not may_add_report(by, incident):
        raise PermissionDenied(_("Only the people of the incident's grid and the tiers above it can add reports."))
    if incident.is_final:
        raise ValidationError(_("The final report has been made; no more follow-up reports can be added."))
    return _add_report(incident=incident, by=by, kind=IncidentReport.Kind.FOLLOW_UP, text=text, figures=figures)


@transaction.atomic
def incident_final(
    *, incident: Incident, by: User, text: str, figures: Mapping[str, Any] | None = None
) -> IncidentReport:
    """The final report (终报): summary, handling, present state; closes the chain. The officers
    of tiers 1–2 over the incident's unit; once only."""
    incident = Incident.objects.select_for_update(of=("self",)).select_related("unit").get(pk=incident.pk)
    if not may_close(by, incident):
        raise PermissionDenied(_("Only the township or county officers can make the final report."))
    if incident.is_final:
        raise ValidationError(_("The final report has already been made."))
    return _add_report(incident=incident, by=by, kind=IncidentReport.Kind.FINAL, text=text, figures=figures)


# --- the periodic job ---------------------------------------------------------------------------


def incidents_flag_late(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Flag tiers whose phone or written deadline passed without a time (late before it arrives),
    and hand the incident to every tier it has not reached once the written deadline passed
    (received now, no written time, flagged late, in its inbox). Idempotent: each flag and each
    arrival is claimed by a conditional update. A fixed number of queries per level."""
    now = now or timezone.now()
    result = {"phone_late": 0, "written_late": 0, "delivered": 0}
    for rule in ReportingDeadline.objects.all():
        base = IncidentTier.objects.filter(incident__level=rule.level).exclude(unit_id=F("incident__unit_id"))
        phone_due = now - datetime.timedelta(minutes=rule.phone_minutes)
        written_due = now - datetime.timedelta(minutes=rule.written_minutes)
        result["phone_late"] += base.filter(
            phone_at__isnull=True, phone_late=False, incident__occurred_at__lt=phone_due
        ).update(phone_late=True)
        result["written_late"] += base.filter(
            written_at__isnull=True, written_late=False, incident__occurred_at__lt=written_due
        ).update(written_late=True)
        result["delivered"] += _deliver_overdue(
            base.filter(received_at__isnull=True, incident__occurred_at__lt=written_due), now
        )
    return result


def _deliver_overdue(candidates: QuerySet[IncidentTier], now: datetime.datetime) -> int:
    with transaction.atomic():
        tiers = list(
            candidates.select_for_update(of=("self",), skip_locked=True).select_related(
                "unit", "incident", "incident__unit"
            )
        )
        if not tiers:
            return 0
        IncidentTier.objects.filter(pk__in=[t.pk for t in tiers], received_at__isnull=True).update(received_at=now)
        items = []
        for tier in tiers:
            incident = tier.incident
            title = _("Not forwarded in time: %(title)s") % {"title": incident.title}
            body = (
                _("The written deadline passed before the tier below forwarded this incident.")
                + "\n\n"
                + _summary(incident)
            )
            items.append((_document(incident, sender=incident.unit, title=title, body=body, by=None), [tier.unit], []))
        send_documents(items)
    return len(tiers)


# --- selectors: the list and the statistics ---------------------------------------------------------


def incident_list(user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Incident]:
    """Visible incidents, newest first, with type and unit joined and two flags per row: ``any_late``
    (some tier was late) and ``reached_me`` (it arrived at a tier where the person holds a role)."""
    filters = filters or {}
    queryset = visible_incidents(user)
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("level"):
        queryset = queryset.filter(level=int(filters["level"]))
    if filters.get("date_from"):
        queryset = queryset.filter(occurred_at__gte=_midnight(filters["date_from"]))
    if filters.get("date_to"):
        queryset = queryset.filter(occurred_at__lt=_midnight(filters["date_to"] + datetime.timedelta(days=1)))
    if filters.get("late"):
        queryset = queryset.filter(
            Exists(IncidentTier.objects.filter(Q(phone_late=True) | Q(written_late=True), incident=OuterRef("pk")))
        )
    late = IncidentTier.objects.filter(Q(phone_late=True) | Q(written_late=True), incident=OuterRef("pk"))
    own = scope_for(user).own_unit_ids()
    reached = IncidentTier.objects.filter(incident=OuterRef("pk"), unit_id__in=own or [0], received_at__isnull=False)
    return (
        queryset.select_related("type", "unit")
        .annotate(any_late=Exists(late), reached_me=Exists(reached))
        .order_by("-occurred_at", "-id")
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


PERIODS = ("month", "quarter", "year")
TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


@dataclass
class StatLine:
    """One row of the statistics: a period, a category or a level."""

    key: Any
    label: str
    count: int = 0
    deaths: int = 0
    injured: int = 0
    missing: int = 0
    loss: Decimal = Decimal("0.00")
    by_category: dict[str, int] = field(default_factory=dict)
    by_level: dict[int, int] = field(default_factory=dict)

    def add(self, row: Mapping[str, Any]) -> None:
        self.count += row["n"]
        self.deaths += row["deaths"] or 0
        self.injured += row["injured"] or 0
        self.missing += row["missing"] or 0
        self.loss += row["loss"] or Decimal(0)
        self.by_category[row["category"]] = self.by_category.get(row["category"], 0) + row["n"]
        self.by_level[row["level"]] = self.by_level.get(row["level"], 0) + row["n"]

    @property
    def category_counts(self) -> list[int]:
        """Counts per category in the order of ``IncidentCategory`` (for tables)."""
        return [self.by_category.get(value, 0) for value in IncidentCategory.values]

    @property
    def level_counts(self) -> list[int]:
        return [self.by_level.get(value, 0) for value in Level.values]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": str(self.key),
            "label": self.label,
            "count": self.count,
            "deaths": self.deaths,
            "injured": self.injured,
            "missing": self.missing,
            "direct_loss": str(self.loss),
            "by_category": self.by_category,
            "by_level": {str(k): v for k, v in self.by_level.items()},
        }


@dataclass
class IncidentStatistics:
    period: str
    year: int
    rows: list[StatLine]
    total: StatLine
    categories: list[StatLine]
    levels: list[StatLine]

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "year": self.year,
            "rows": [r.as_dict() for r in self.rows],
            "total": self.total.as_dict(),
            "categories": [c.as_dict() for c in self.categories],
            "levels": [lv.as_dict() for lv in self.levels],
        }


def _period_label(period: str, day: datetime.date) -> str:
    if period == "month":
        return _("%(year)d-%(month)02d") % {"year": day.year, "month": day.month}
    if period == "quarter":
        return _("%(year)d Q%(quarter)d") % {"year": day.year, "quarter": (day.month - 1) // 3 + 1}
    return str(day.year)


def incident_statistics(
    user: User, *, year: int, period: str = "month", filters: Mapping[str, Any] | None = None
) -> IncidentStatistics:
    """Incidents in the person's scope by month, quarter (of ``year``) or year (every year): count,
    dead, injured, missing and direct loss, by category and by level. One GROUP BY query."""
    if period not in PERIODS:
        raise ValidationError(_("Choose month, quarter or year."))
    filters = filters or {}
    queryset = visible_incidents(user)
    if period != "year":
        queryset = queryset.filter(
            occurred_at__gte=_midnight(datetime.date(year, 1, 1)),
            occurred_at__lt=_midnight(datetime.date(year + 1, 1, 1)),
        )
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("level"):
        queryset = queryset.filter(level=int(filters["level"]))
    rows = list(
        queryset.annotate(bucket=TRUNC[period]("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("bucket", "category", "level")
        .annotate(
            n=Count("id"), deaths=Sum("deaths"), injured=Sum("injured"), missing=Sum("missing"), loss=Sum("direct_loss")
        )
        .order_by()
    )
    lines: dict[datetime.date, StatLine] = {}
    if period == "month":
        for month in range(1, 13):
            day = datetime.date(year, month, 1)
            lines[day] = StatLine(day, _period_label(period, day))
    elif period == "quarter":
        for quarter in range(4):
            day = datetime.date(year, quarter * 3 + 1, 1)
            lines[day] = StatLine(day, _period_label(period, day))
    categories = {value: StatLine(value, str(label)) for value, label in IncidentCategory.choices}
    levels = {value: StatLine(value, str(label)) for value, label in Level.choices}
    total = StatLine("total", _("Total"))
    for row in rows:
        bucket = row["bucket"]
        day = timezone.localtime(bucket).date() if isinstance(bucket, datetime.datetime) else bucket
        if day not in lines:
            lines[day] = StatLine(day, _period_label(period, day))
        lines[day].add(row)
        categories[row["category"]].add(row)
        levels[row["level"]].add(row)
        total.add(row)
    ordered = [lines[key] for key in sorted(lines, reverse=(period == "year"))]
    return IncidentStatistics(
        period=period,
        year=year,
        rows=ordered,
        total=total,
        categories=list(categories.values()),
        levels=list(levels.values()),
    )


def group_types(types: Iterable[IncidentType]) -> list[tuple[str, str, list[IncidentType]]]:
    """Incident types under their four categories, in the rule table's order: (value, label, types)."""
    groups: dict[str, list[IncidentType]] = defaultdict(list)
    for item in types:
        groups[item.category].append(item)
    return [(value, str(label), groups[value]) for value, label in IncidentCategory.choices if groups[value]]
