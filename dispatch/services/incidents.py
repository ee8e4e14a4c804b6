"""Services of the incident information reports (突发事件信息报送).

How an incident goes up (DOMAIN.md §4, seed 001):

- A first report (首报) is made in a unit by anyone with a role there (or above it). At once an
  ``IncidentTier`` row is written for the reporting unit and for every ancestor up to the county.
  The reporting unit's parent receives it immediately: its ``received_at`` and ``written_at`` are
  the time of the report, and an incident ``Document`` is delivered to it through
  ``delivery.services`` (inbox, e-mail, 签收).
- Each receiving tier confirms it (核实: the confirm also receipts the tier's incident deliveries)
  and forwards it: forwarding delivers it to the next tier up, whose written time is then.
  The time a tier was told by phone is recorded by that tier (``dispatch.services.incident_tiers``).
- **Decision (the order of tiers)**: the tiers above the parent do *not* receive the incident
  when it is first reported. The county receives it when the township forwards it, or — if the
  township has not forwarded it when the written deadline has passed — automatically from the
  periodic job ``incidents_flag_late`` (it then arrives without a written time and is flagged
  late, so a tier that sits on a report cannot hide it: 迟报/瞒报). People of the county can
  still *see* every incident in their subtree (their scope), with their own tier shown as "not yet
  reported to you" until it arrives.
- Deadlines come from ``ReportingDeadline`` for the incident's level, counted from the time it
  happened, and are stored on the incident when it is reported and when its level changes
  (``dispatch.services.incident_deadlines``): editing the rule later does not rewrite the past.
- Follow-up reports (续报一、二…) by anyone who may report in the incident's unit update the
  figures (and the computed level); the final report (终报) by the officers of tiers 1–2 closes
  the chain: no follow-up after it.

Refusals: ``PermissionDenied`` (role, tier) and ``ValidationError`` (fields, state), with
Chinese messages through gettext. The figures are validated in ``dispatch.services.incident_figures``.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.texts import paragraphs, ref, text_of, texts_of
from delivery.models import Document
from delivery.services import send_documents
from dispatch.access import (  # who may see and do what: dispatch/access.py
    may_add_report,
    may_close,
)
from dispatch.identifiers import allocate_incident_number
from dispatch.models import (
    Incident,
    IncidentReport,
    IncidentTier,
    IncidentType,
)
from dispatch.permissions import DispatchAction
from dispatch.services.incident_deadlines import apply_flags, deadlines_for, refresh_all_flags, store_deadlines
from dispatch.services.incident_figures import (
    COUNT_FIELDS,
    FIGURE_FIELDS,
    check_level,
    check_serious,
    clean_figures,
    incident_level,
)
from dispatch.texts import incident_summary_ref
from grids import limits
from grids.models import GridUnit, User
from grids.scope import scope_for

logger = logging.getLogger(__name__)


def incident_url(incident: Incident) -> str:
    return reverse("dispatch:incident_detail", args=[incident.pk])


def _figures(incident: Incident) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(incident, name) for name in COUNT_FIELDS}
    data["direct_loss"] = str(incident.direct_loss)
    data["level"] = incident.level
    return data


def incident_summary(incident: Incident) -> dict:
    """The incident's figures in a sentence: a ref (dispatch/texts.py), stored in Chinese."""
    return incident_summary_ref(incident)


def incident_document(
    incident: Incident, *, sender: GridUnit, title: dict | str, body: dict | str, by: User | None
) -> Document:
    """An inbox document about ``incident``; ``title`` and ``body`` plain text or refs."""
    return Document(
        sender_unit=sender,
        kind=Document.Kind.INCIDENT,
        title=text_of(title)[:200],
        body=text_of(body),
        url=incident_url(incident),
        sent_by=by,
        texts=texts_of(title=title, body=body),
    )


def located_place(unit: GridUnit, lng: float, lat: float) -> str:
    """The place of a first report given by GPS only: the unit's name and the point."""
    return _("%(unit)s, at %(lat).5f, %(lng).5f") % {"unit": unit.name, "lat": lat, "lng": lng}


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

    With a GPS point, ``place`` may be empty (it becomes the unit's name and the point) and
    ``description`` may be empty (the title line stands for it until a 续报).

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
    figures = clean_figures(
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
    check_serious(figures["injured"], figures["serious_injuries"], errors)
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
    elif occurred_at > now + settings.FUTURE_TOLERANCE:
        errors.setdefault("occurred_at", []).append(_("The time it happened cannot be in the future."))
    place, description = (place or "").strip(), (description or "").strip()
    if not place and lng is not None and lat is not None and not errors.keys() & {"lng", "lat"}:
        place = located_place(unit, lng, lat)
    description = description or (title or "").strip()  # one line is enough now; 续报 adds the rest
    for name, value in (
        ("title", title),
        ("place", place),
        ("reporter_phone", reporter_phone),
    ):
        if not (value or "").strip():
            errors.setdefault(name, []).append(_("This is needed in a first report."))
    for name, value in (("description", description), ("measures", measures)):
        try:
            limits.bound_text(name, (value or "").strip(), Incident)
        except ValidationError as exc:
            exc.update_error_dict(errors)
    if (lng is None) != (lat is None):
        lng = lat = None
    if type.production_safety:
        computed = True
    else:
        computed = False
        level = check_level(level, errors)
    if errors:
        raise ValidationError(errors)
    if computed:
        level = incident_level(
            deaths=figures["deaths"], serious_injuries=figures["serious_injuries"], direct_loss=figures["direct_loss"]
        )
    try:
        with transaction.atomic():
            incident = Incident(
                number=allocate_incident_number(unit, timezone.localtime(occurred_at).year),
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
            store_deadlines(incident)
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
                apply_flags(incident, tier, due, now)
            IncidentTier.objects.bulk_create(tiers)
            if parent:
                send_documents(
                    [
                        (
                            incident_document(
                                incident,
                                sender=unit,
                                by=by,
                                title=ref("dispatch.incident_first", title=incident.title),
                                body=incident_summary(incident),
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


def _author_unit(by: User, incident: Incident, tiers: list[IncidentTier]) -> GridUnit:
    """The tier a follow-up comes from: the lowest of the incident's tiers where the author holds a role."""
    own = scope_for(by).own_unit_ids()
    mine = [tier.unit for tier in tiers if tier.unit_id in own]
    return max(mine, key=lambda unit: unit.level) if mine else incident.unit


def _add_report(
    *,
    incident: Incident,
    by: User,
    kind: str,
    text: str,
    figures: Mapping[str, Any] | None,
    plan_problem: bool = False,
) -> IncidentReport:
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors.setdefault("text", []).append(_("Write the report."))
    else:
        try:
            limits.bound_text("text", text.strip(), IncidentReport)
        except ValidationError as exc:
            exc.update_error_dict(errors)
    figures = dict(figures or {})
    changes = clean_figures({k: v for k, v in figures.items() if k in FIGURE_FIELDS}, errors)
    new = {name: changes.get(name, getattr(incident, name)) for name in FIGURE_FIELDS}
    check_serious(new["injured"], new["serious_injuries"], errors)
    new_level = incident.level
    if incident.level_computed:
        new_level = incident_level(
            deaths=new["deaths"], serious_injuries=new["serious_injuries"], direct_loss=new["direct_loss"]
        )
    elif figures.get("level") not in (None, ""):
        checked = check_level(figures["level"], errors)
        new_level = checked if checked is not None else incident.level
    if errors:
        raise ValidationError(errors)
    old_level = incident.level
    for name, value in new.items():
        setattr(incident, name, value)
    incident.level = new_level
    update = [*FIGURE_FIELDS, "level"]
    if new_level != old_level:
        store_deadlines(incident)  # the new level's deadlines, from the rule in force now
        update += ["phone_due", "written_due"]
    sequence = 0
    if kind == IncidentReport.Kind.FOLLOW_UP:
        sequence = incident.reports.filter(kind=IncidentReport.Kind.FOLLOW_UP).count() + 1
    else:
        incident.is_final = True
        update.append("is_final")
    incident.save(update_fields=update)
    if new_level != old_level:
        refresh_all_flags(incident, timezone.now())
    tiers = list(incident.tiers.select_related("unit"))
    author_unit = _author_unit(by, incident, tiers)
    report = IncidentReport.objects.create(
        incident=incident,
        kind=kind,
        sequence=sequence,
        unit=author_unit,
        text=text.strip(),
        figures=_figures(incident),
        names_plan_problem=bool(plan_problem) and kind == IncidentReport.Kind.FINAL,
        by=by,
    )
    if kind == IncidentReport.Kind.FINAL:
        from dispatch.signals import final_report_made

        try:  # inside the transaction: plans' triggers commit with the report; a failing receiver does not stop it
            with transaction.atomic():
                final_report_made.send(
                    sender=IncidentReport,
                    incident_id=incident.pk,
                    report_id=report.pk,
                    plan_problem=report.names_plan_problem,
                )
        except Exception:
            logger.exception("a receiver of final_report_made failed for incident %s", incident.pk)
    above = [tier.unit for tier in tiers if tier.received_at is not None and tier.unit.level < author_unit.level]
    if above:
        if kind == IncidentReport.Kind.FOLLOW_UP:
            title = ref("dispatch.incident_follow_up", number=sequence, title=incident.title)
        else:
            title = ref("dispatch.incident_final", title=incident.title)
        send_documents(
            [
                (
                    incident_document(
                        incident,
                        sender=author_unit,
                        by=by,
                        title=title,
                        body=paragraphs(text.strip(), incident_summary(incident)),
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
    *,
    incident: Incident,
    by: User,
    text: str,
    figures: Mapping[str, Any] | None = None,
    plan_problem: bool = False,
) -> IncidentReport:
    """The final report (终报): summary, handling, present state; closes the chain. The officers
    of tiers 1–2 over the incident's unit; once only. ``plan_problem``: the report names a problem
    in the emergency plan (sent on with ``dispatch.signals.final_report_made`` after the commit)."""
    incident = Incident.objects.select_for_update(of=("self",)).select_related("unit").get(pk=incident.pk)
    if not may_close(by, incident):
        raise PermissionDenied(_("Only the township or county officers can make the final report."))
    if incident.is_final:
        raise ValidationError(_("The final report has already been made."))
    return _add_report(
        incident=incident, by=by, kind=IncidentReport.Kind.FINAL, text=text, figures=figures, plan_problem=plan_problem
    )


def incidents_flag_late(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Flag tiers whose phone or written deadline (stored on the incident) passed without a time
    (late before it arrives), and hand the incident to every tier it has not reached once the
    written deadline passed (received now, no written time, flagged late, in its inbox).
    Idempotent: each flag and each arrival is claimed by a conditional update. A fixed number of
    queries."""
    now = now or timezone.now()
    base = IncidentTier.objects.exclude(unit_id=F("incident__unit_id"))
    result = {
        "phone_late": base.filter(phone_at__isnull=True, phone_late=False, incident__phone_due__lt=now).update(
            phone_late=True
        ),
        "written_late": base.filter(written_at__isnull=True, written_late=False, incident__written_due__lt=now).update(
            written_late=True
        ),
        "delivered": _deliver_overdue(base.filter(received_at__isnull=True, incident__written_due__lt=now), now),
    }
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
            title = ref("dispatch.incident_late", title=incident.title)
            body = paragraphs(ref("dispatch.incident_late_note"), incident_summary(incident))
            items.append(
                (incident_document(incident, sender=incident.unit, title=title, body=body, by=None), [tier.unit], [])
            )
        send_documents(items)
    return len(tiers)
