"""Warnings (预警): draft, issue, update and lift a warning; its delivery to every unit of the target
area tier by tier; acknowledgement (签收); evacuation figures; the acknowledgement board; reminders.

Services (``warning_*``) each run in a transaction, lock the warning row, check the person's right
through ``grids.scope`` and refuse with a Chinese message: ``WarningRefused`` for a step the state
does not allow, ``PermissionDenied`` for a role that does not allow it, ``ValidationError`` for bad
input. Delivery uses the one mechanism of ``delivery.services`` (a Document with one Delivery per
recipient unit; acknowledging = ``delivery_receipt``).

Design: every message (Alert, Update, Cancel) is a new Document delivered to the same units, and
``Warning.document`` points to the latest one; the board and the reminders look at the latest
message's deliveries, so an update asks every unit to acknowledge again.
"""

from __future__ import annotations

import datetime
import statistics
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import enqueue_email
from delivery.models import Delivery, Document
from delivery.services import delivery_receipt, send_documents
from dispatch.access import (  # who may see and do what: dispatch/access.py
    issuer_units,
    visible_warnings,
)
from dispatch.models import (
    LEVEL_COLOURS,
    AcknowledgementRule,
    DutyLogEntry,
    EvacuationReport,
    Level,
    LocalInstruction,
    Warning,
    WarningMessage,
    WarningSequence,
    WarningType,
)
from dispatch.permissions import DispatchAction
from grids import limits
from grids.models import GridUnit, Membership, User, above_q, within_q
from grids.rules import TIER_LABELS
from grids.scope import scope_for

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")  # CAP identifiers and times of GB/T 35965.1 are Beijing time
EDITABLE = ("title", "content", "instructions", "level", "valid_from", "valid_to", "report_evacuation", "sender_name")
DRAFT_ONLY = ("type", "areas", "issuer_unit")
BOARD_PER_PAGE = 50


class WarningRefused(Exception):
    """A step the warning's state does not allow (or that someone else just took)."""


# --- settings of the CAP identifier (RULES.md §4.3) ----------------------------------------------


def _code_setting(name: str, default: str, digits: int) -> str:
    value = str(getattr(settings, name, default))
    if len(value) != digits or not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be {digits} digits, not {value!r}")
    return value


def identifier_prefix(issuer: GridUnit) -> str:
    """``ZZZZZZDDDUUUXX``: the issuer's county code (GB/T 2260), the organisation's sector code
    (GB/T 4657, setting WARNING_CAP_SECTOR_CODE, default 000), the sub-unit (WARNING_CAP_SUBUNIT_CODE,
    default 000) and the extension (WARNING_CAP_EXTENSION, default 00)."""
    county = issuer.code[:6]
    return (
        county
        + _code_setting("WARNING_CAP_SECTOR_CODE", "000", 3)
        + _code_setting("WARNING_CAP_SUBUNIT_CODE", "000", 3)
        + _code_setting("WARNING_CAP_EXTENSION", "00", 2)
    )


def cap_sender(issuer: GridUnit) -> str:
    """The CAP ``sender``: setting WARNING_CAP_SENDER, else the identifier prefix of the issuer."""
    return str(getattr(settings, "WARNING_CAP_SENDER", "") or identifier_prefix(issuer))


def allocate_identifier(*, issuer: GridUnit, at: datetime.datetime) -> tuple[str, datetime.datetime]:
    """A CAP identifier ``ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N`` and the (Beijing, whole-second) time in it.

    ``N`` (0–9) comes from ``WarningSequence`` under a row lock, so two messages of the same issuer
    in the same second differ; the eleventh in one second moves on to the next second."""
    prefix = identifier_prefix(issuer)
    moment = at.astimezone(BEIJING).replace(microsecond=0)
    with transaction.atomic():
        while True:
            key = f"{prefix}_{moment:%Y%m%d%H%M%S}"
            WarningSequence.objects.bulk_create([WarningSequence(key=key, last=0)], ignore_conflicts=True)
            row = WarningSequence.objects.select_for_update().get(key=key)
            if row.last <= 9:
                WarningSequence.objects.filter(pk=row.pk).update(last=row.last + 1)
                return f"{key}_{row.last}", moment
            moment += datetime.timedelta(seconds=1)


# --- visibility -----------------------------------------------------------------------------------


def warning_list(user) -> QuerySet[Warning]:
    """Visible warnings, those in force first, then drafts, then lifted; newest first in each."""
    from django.db.models import Case, IntegerField, Value, When

    order = Case(
        When(state=Warning.State.ACTIVE, then=Value(0)),
        When(state=Warning.State.DRAFT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        visible_warnings(user)
        .select_related("type", "issuer_unit")
        .annotate(state_order=order)
        .order_by("state_order", F("issued_at").desc(nulls_first=True), "-created_at", "-pk")
    )


def own_deliveries(user, warning: Warning) -> list[Delivery]:
    """The deliveries of the warning's latest message to units where the person holds a role."""
    if not warning.document_id:
        return []
    units = scope_for(user).own_unit_ids()
    return list(
        Delivery.objects.filter(document_id=warning.document_id, recipient_unit_id__in=units)
        .select_related("recipient_unit", "receipted_by")
        .order_by("-recipient_unit__level", "recipient_unit__code")
    )


def local_instructions_for(user, warning: Warning, units: Iterable[GridUnit] = ()) -> list[LocalInstruction]:
    """Local instructions a person sees: those added above their own units (their township's for a
    village) and those added inside their scope."""
    scope = scope_for(user)
    condition = Q(pk__in=[])
    for unit in units:
        condition |= above_q(unit, "unit__")
    condition |= scope.unit_q("unit__", grants_only=True)
    return list(warning.local_instructions.filter(condition).select_related("unit", "by").order_by("at", "pk"))


# --- drafting -------------------------------------------------------------------------------------


def _subtree_q(units: Iterable[GridUnit], prefix: str = "") -> Q:
    return reduce(
        or_,
        (within_q(u, prefix) for u in units),
        Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []}),
    )


def _check_fields(*, type: WarningType, level: int, valid_from, valid_to) -> tuple:
    """Refuse a level the type does not allow or a validity out of range; the validity in the
    current time zone (an offset PostgreSQL cannot store, such as +23:59, is converted)."""
    errors: dict[str, list[str]] = {}
    try:
        valid_from = limits.bound_moment("valid_from", valid_from, model=Warning)
    except ValidationError as exc:
        exc.update_error_dict(errors)
    try:
        valid_to = limits.bound_moment("valid_to", valid_to, model=Warning)
    except ValidationError as exc:
        exc.update_error_dict(errors)
    if isinstance(level, bool) or level not in Level.values:
        errors["level"] = [_("Choose a warning level.")]
    elif level not in (type.levels or []):
        allowed = "、".join(str(Level(value).label) for value in sorted(type.levels or []))
        errors["level"] = [
            _("A %(type)s warning cannot be %(level)s; this type allows: %(allowed)s.")
            % {"type": type.name, "level": Level(level).label, "allowed": allowed or "—"}
        ]
    if valid_from and valid_to and not errors.keys() & {"valid_from", "valid_to"} and valid_to <= valid_from:
        errors["valid_to"] = [_("The end of validity must be after its start.")]
    if errors:
        raise ValidationError(errors)
    return valid_from, valid_to


def unknown_codes_message(codes: Iterable[str]) -> str:
    """The one answer for a code that names no unit the person can see: it never tells whether the
    unit exists elsewhere (another county), nor its name."""
    return _("Code %(codes)s does not exist or is not within your jurisdiction.") % {"codes": "、".join(codes)}


def _check_areas(*, by: User, issuer: GridUnit, areas: list[GridUnit]) -> None:
    """The target area lies in the issuer's grid and is active. Units the person cannot see are
    named only by the code they gave (``unknown_codes_message``)."""
    if not areas:
        raise ValidationError({"areas": [_("Choose at least one target unit.")]})
    scope = scope_for(by)
    outside = [a for a in areas if not issuer.contains(a)]
    inactive = [a for a in areas if a.is_active is False and a not in outside]
    hidden = [a.code for a in outside + inactive if not scope.can_see(a)]
    if hidden:
        raise ValidationError({"areas": [unknown_codes_message(hidden)]})
    if outside:
        raise ValidationError(
            {
                "areas": [
                    _("%(units)s is outside the grid of %(issuer)s.")
                    % {"units": "、".join(a.name for a in outside), "issuer": issuer.name}
                ]
            }
        )
    if inactive:
        raise ValidationError(
            {"areas": [_("%(units)s is no longer active.") % {"units": "、".join(a.name for a in inactive)}]}
        )


def warning_draft(
    *,
    by: User,
    type: WarningType,
    level: int,
    title: str,
    content: str,
    valid_from: datetime.datetime,
    valid_to: datetime.datetime,
    areas: Iterable[GridUnit],
    instructions: str = "",
    issuer_unit: GridUnit | None = None,
    report_evacuation: bool = False,
    sender_name: str = "",
    source_identifier: str = "",
) -> Warning:
    """Save a draft warning. The issuing unit is one where ``by`` may issue warnings (the first of
    them when not given); the level must be one the type allows; the areas must lie in the issuing
    unit's grid. Who: county command (``DispatchAction.ISSUE_WARNING``)."""
    if issuer_unit is None:
        issuer_unit = issuer_units(by).first()
        if issuer_unit is None:
            raise PermissionDenied(_("You may not issue warnings."))
    if not scope_for(by).can(DispatchAction.ISSUE_WARNING, issuer_unit):
        raise PermissionDenied(_("You may not issue warnings for %(unit)s.") % {"unit": issuer_unit.name})
    areas = list(areas)
    valid_from, valid_to = _check_fields(type=type, level=level, valid_from=valid_from, valid_to=valid_to)
    _check_areas(by=by, issuer=issuer_unit, areas=areas)
    if not title.strip():
        title = default_headline(sender=sender_name or issuer_unit.name, type_name=type.name, level=level)
    if not content.strip():
        raise ValidationError({"content": [_("Write what the warning says.")]})
    with transaction.atomic():
        warning = Warning.objects.create(
            type=type,
            level=level,
            title=title.strip()[:200],
            content=content.strip(),
            instructions=instructions.strip(),
            valid_from=valid_from,
            valid_to=valid_to,
            issuer_unit=issuer_unit,
            sender_name=sender_name.strip(),
            source_identifier=source_identifier[:200],
            report_evacuation=report_evacuation,
            created_by=by,
        )
        warning.areas.set(areas)
    return warning


COLOUR_WORDS = {1: "红色", 2: "橙色", 3: "黄色", 4: "蓝色"}  # GB/T 35965.1 headline words, not interface text


def default_headline(*, sender: str, type_name: str, level: int, lifted: bool = False) -> str:
    """``<sender>发布<type><colour>预警`` (``解除`` for a lift), the headline pattern of RULES.md §4.3."""
    verb = "解除" if lifted else "发布"
    return f"{sender}{verb}{type_name}{COLOUR_WORDS.get(level, '')}预警"


# --- messages and delivery ------------------------------------------------------------------------


def warning_url(warning: Warning) -> str:
    return reverse("dispatch:warning_detail", args=[warning.pk])


def _snapshot(warning: Warning, areas: list[GridUnit], *, sender: str) -> dict:
    return {
        "type_code": warning.type.code,
        "type_name": warning.type.name,
        "cap_category": warning.type.cap_category,
        "feed_code": warning.type.feed_code,
        "level": warning.level,
        "colour": LEVEL_COLOURS[warning.level],
        "title": warning.title,
        "content": warning.content,
        "instructions": warning.instructions,
        "valid_from": warning.valid_from.isoformat(),
        "valid_to": warning.valid_to.isoformat(),
        "areas": [{"code": a.code, "name": a.name} for a in areas],
        "sender": sender,
        "sender_name": warning.sender_name or warning.issuer_unit.name,
        "issuer_code": warning.issuer_unit.code,
        "version": warning.version,
    }


def _message(warning: Warning, *, msg_type: str, by: User, now: datetime.datetime) -> WarningMessage:
    identifier, sent = allocate_identifier(issuer=warning.issuer_unit, at=now)
    areas = sorted(warning.areas.all(), key=lambda unit: (unit.level, unit.code))
    snapshot = _snapshot(warning, areas, sender=cap_sender(warning.issuer_unit))
    return WarningMessage.objects.create(
        warning=warning, msg_type=msg_type, identifier=identifier, sent_at=sent, sent_by=by, snapshot=snapshot
    )


def _document_text(warning: Warning, msg_type: str) -> tuple[str, str]:
    if msg_type == WarningMessage.MsgType.CANCEL:
        title = _("Lifted: %(title)s") % {"title": warning.title}
    elif msg_type == WarningMessage.MsgType.UPDATE:
        title = _("Updated: %(title)s") % {"title": warning.title}
    else:
        title = warning.title
    body = "\n\n".join(part for part in (warning.content, warning.instructions) if part)
    return title[:200], body


def _deliver(
    warning: Warning, *, msg_type: str, by: User, units: QuerySet[GridUnit], now: datetime.datetime
) -> Document:
    """One Document for this message, delivered to ``units`` in a constant number of queries, and
    one duty-log line per township or park that passes it on to the units below it."""
    title, body = _document_text(warning, msg_type)
    document = Document(
        kind=Document.Kind.WARNING,
        sender_unit=warning.issuer_unit,
        title=title,
        body=body,
        url=warning_url(warning),
        sent_by=by,
    )
    recipients = list(units.only("id", "level", "lft", "rght"))
    send_documents([(document, recipients, [])])
    passing = [unit for unit in recipients if unit.level == 1 and unit.rght - unit.lft > 1]
    summary = (_("Passed on to the units below: %(title)s") % {"title": title})[:200]
    DutyLogEntry.objects.bulk_create(
        [
            DutyLogEntry(
                unit_id=unit.pk,
                at=now,
                kind=DutyLogEntry.Kind.WARNING,
                summary=summary,
                warning=warning,
                by=by,
                details=_("Passed on automatically when the warning was delivered."),
            )
            for unit in passing
        ]
    )
    return document


def _recipients(warning: Warning) -> QuerySet[GridUnit]:
    """Every active unit in the subtrees of the warning's areas: one query over tree ranges."""
    return GridUnit.objects.filter(_subtree_q(list(warning.areas.all())), is_active=True)


def _same_recipients(warning: Warning) -> QuerySet[GridUnit]:
    """The units the latest message went to (an update or lift reaches the same units)."""
    return GridUnit.objects.filter(
        pk__in=Delivery.objects.filter(document_id=warning.document_id, recipient_unit__isnull=False).values(
            "recipient_unit_id"
        )
    )


def _lock(warning: Warning) -> Warning:
    return Warning.objects.select_for_update(of=("self",)).select_related("type", "issuer_unit").get(pk=warning.pk)


def warning_issue(*, warning: Warning, by: User, now: datetime.datetime | None = None) -> Warning:
    """Issue a draft: state active, the CAP identifier allocated, an Alert message, and a Document
    delivered to every active unit of the target area (each township passes it on to its villages,
    recorded in its duty log). Who: the issuing unit's command."""
    now = now or timezone.now()
    with transaction.atomic():
        warning = _lock(warning)
        if not scope_for(by).can(DispatchAction.ISSUE_WARNING, warning.issuer_unit):
            raise PermissionDenied(_("Only the command of the issuing unit may issue this warning."))
        if warning.state != Warning.State.DRAFT:
            raise WarningRefused(_("This warning has already been issued."))
        if warning.valid_to <= now:
            raise WarningRefused(_("The warning's validity has already ended; change the end time first."))
        _check_fields(type=warning.type, level=warning.level, valid_from=warning.valid_from, valid_to=warning.valid_to)
        areas = list(warning.areas.all())
        _check_areas(by=by, issuer=warning.issuer_unit, areas=areas)
        message = _message(warning, msg_type=WarningMessage.MsgType.ALERT, by=by, now=now)
        document = _deliver(warning, msg_type=message.msg_type, by=by, units=_recipients(warning), now=now)
        warning.state = Warning.State.ACTIVE
        warning.identifier = message.identifier
        warning.issued_at = now
        warning.issued_by = by
        warning.version = 1
        warning.document = document
        warning.save(update_fields=["state", "identifier", "issued_at", "issued_by", "version", "document"])
    return warning


def warning_update(*, warning: Warning, by: User, changes: dict, now: datetime.datetime | None = None) -> Warning:
    """Change a warning. A draft just changes (its type, areas and issuing unit too). A warning in
    force changes its text, level or validity: version + 1, an Update message referencing the
    first Alert, and a new Document to the same units (each acknowledges again). Who: the issuing
    unit's command."""
    now = now or timezone.now()
    unknown = set(changes) - set(EDITABLE) - set(DRAFT_ONLY)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        warning = _lock(warning)
        if not scope_for(by).can(DispatchAction.ISSUE_WARNING, warning.issuer_unit):
            raise PermissionDenied(_("Only the command of the issuing unit may change this warning."))
        if warning.state == Warning.State.LIFTED:
            raise WarningRefused(_("A lifted warning cannot be changed."))
        active = warning.state == Warning.State.ACTIVE
        if active and set(changes) & set(DRAFT_ONLY):
            raise WarningRefused(
                _("The type and target area of a warning in force cannot change; lift it and issue a new one.")
            )
        areas = list(changes.pop("areas")) if "areas" in changes else None
        if "issuer_unit" in changes and not scope_for(by).can(DispatchAction.ISSUE_WARNING, changes["issuer_unit"]):
            raise PermissionDenied(
                _("You may not issue warnings for %(unit)s.") % {"unit": changes["issuer_unit"].name}
            )
        changes = {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}
        changed = [name for name, value in changes.items() if getattr(warning, name) != value]
        for name in changed:
            setattr(warning, name, changes[name])
        warning.valid_from, warning.valid_to = _check_fields(
            type=warning.type, level=warning.level, valid_from=warning.valid_from, valid_to=warning.valid_to
        )
        if not (warning.title and warning.content):
            raise ValidationError({"title" if not warning.title else "content": [_("This field cannot be empty.")]})
        if areas is not None:
            _check_areas(by=by, issuer=warning.issuer_unit, areas=areas)
        elif "issuer_unit" in changed:
            _check_areas(by=by, issuer=warning.issuer_unit, areas=list(warning.areas.all()))
        if not active:
            if changed:
                warning.save(update_fields=changed)
            if areas is not None:
                warning.areas.set(areas)
            return warning
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        if warning.valid_to <= now:
            raise ValidationError({"valid_to": [_("The end of validity must be in the future.")]})
        warning.version += 1
        message = _message(warning, msg_type=WarningMessage.MsgType.UPDATE, by=by, now=now)
        document = _deliver(warning, msg_type=message.msg_type, by=by, units=_same_recipients(warning), now=now)
        warning.document = document
        warning.save(update_fields=[*changed, "version", "document"])
    return warning


def warning_lift(*, warning: Warning, by: User, now: datetime.datetime | None = None) -> Warning:
    """Lift (解除) a warning in force: a Cancel message delivered to the same units; state lifted.
    Who: the issuing unit's command."""
    now = now or timezone.now()
    with transaction.atomic():
        warning = _lock(warning)
        if not scope_for(by).can(DispatchAction.ISSUE_WARNING, warning.issuer_unit):
            raise PermissionDenied(_("Only the command of the issuing unit may lift this warning."))
        if warning.state != Warning.State.ACTIVE:
            raise WarningRefused(_("Only a warning in force can be lifted."))
        message = _message(warning, msg_type=WarningMessage.MsgType.CANCEL, by=by, now=now)
        document = _deliver(warning, msg_type=message.msg_type, by=by, units=_same_recipients(warning), now=now)
        warning.state = Warning.State.LIFTED
        warning.lifted_at = now
        warning.lifted_by = by
        warning.document = document
        warning.save(update_fields=["state", "lifted_at", "lifted_by", "document"])
    return warning


def warning_delete_draft(*, warning: Warning, by: User) -> None:
    """Discard a draft. Who: the issuing unit's command."""
    with transaction.atomic():
        warning = _lock(warning)
        if not scope_for(by).can(DispatchAction.ISSUE_WARNING, warning.issuer_unit):
            raise PermissionDenied(_("Only the command of the issuing unit may discard this draft."))
        if warning.state != Warning.State.DRAFT:
            raise WarningRefused(_("Only a draft can be discarded."))
        warning.delete()


# --- the receiving units --------------------------------------------------------------------------


def _delivery_of(warning: Warning, unit: GridUnit) -> Delivery:
    delivery = (
        Delivery.objects.filter(document_id=warning.document_id, recipient_unit=unit)
        .select_related("recipient_unit")
        .first()
        if warning.document_id
        else None
    )
    if delivery is None:
        raise PermissionDenied(_("This warning was not sent to %(unit)s.") % {"unit": unit.name})
    return delivery


def warning_acknowledge(*, warning: Warning, unit: GridUnit, by: User) -> Delivery:
    """Acknowledge (签收) the warning's latest message for ``unit``: the receipt of its delivery,
    once — a second or concurrent acknowledgement changes nothing. Who: the unit's own people."""
    if warning.state == Warning.State.DRAFT:
        raise WarningRefused(_("This warning has not been issued."))
    if not scope_for(by).can(DispatchAction.ACKNOWLEDGE, unit):
        raise PermissionDenied(_("You may not acknowledge warnings for %(unit)s.") % {"unit": unit.name})
    return delivery_receipt(delivery=_delivery_of(warning, unit), by=by)


def warning_add_local_instruction(*, warning: Warning, unit: GridUnit, by: User, text: str) -> LocalInstruction:
    """A township (or the county) adds its own instructions when passing a warning on; the villages
    under it see them with the warning. Who: ``DispatchAction.LOCAL_INSTRUCTION`` at ``unit``."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the local instructions.")]})
    if not scope_for(by).can(DispatchAction.LOCAL_INSTRUCTION, unit):
        raise PermissionDenied(_("You may not add instructions for %(unit)s.") % {"unit": unit.name})
    if warning.state != Warning.State.ACTIVE:
        raise WarningRefused(_("Instructions can be added only to a warning in force."))
    if unit.is_leaf_node():
        raise ValidationError({"unit": [_("%(unit)s has no units below it to instruct.") % {"unit": unit.name}]})
    _delivery_of(warning, unit)
    return LocalInstruction.objects.create(warning=warning, unit=unit, text=text, by=by)


def report_evacuation(
    *, warning: Warning, unit: GridUnit, by: User, evacuated: int, sheltered: int
) -> EvacuationReport:
    """Record the latest figures of people evacuated and sheltered (转移/安置) in ``unit``, when the
    warning asks for them. Who: the unit's own people."""
    if not warning.report_evacuation:
        raise WarningRefused(_("This warning does not ask for evacuation figures."))
    if warning.state == Warning.State.DRAFT:
        raise WarningRefused(_("This warning has not been issued."))
    scope = scope_for(by)
    if not scope.acts_for(unit):
        raise PermissionDenied(_("Only the people of %(unit)s report its figures.") % {"unit": unit.name})
    _delivery_of(warning, unit)
    errors = {}
    for name, value in (("evacuated", evacuated), ("sheltered", sheltered)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[name] = [_("Enter a number of people, 0 or more.")]
        else:
            try:
                limits.check_int(value, EvacuationReport, name)
            except ValidationError as exc:
                errors[name] = exc.messages
    if not errors and sheltered > evacuated:
        errors["sheltered"] = [_("More people sheltered than evacuated: check the figures.")]
    if errors:
        raise ValidationError(errors)
    report, _created = EvacuationReport.objects.update_or_create(
        warning=warning, unit=unit, defaults={"evacuated": evacuated, "sheltered": sheltered, "by": by}
    )
    return report


# --- the acknowledgement board --------------------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's ordered-set median (the board's speed); NULLs (not yet acknowledged) are skipped."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()
    allow_distinct = False


@dataclass
class TierRow:
    level: int
    total: int
    acknowledged: int
    average_minutes: float | None
    median_minutes: float | None

    @property
    def tier(self) -> int:
        return self.level + 1

    @property
    def label(self) -> str:
        return str(TIER_LABELS.get(self.tier, self.tier))

    @property
    def pending(self) -> int:
        return self.total - self.acknowledged

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


@dataclass
class Board:
    warning: Warning
    tiers: list[TierRow]
    pending: Page | None
    recent: list[Delivery] = field(default_factory=list)
    evacuated: int | None = None
    sheltered: int | None = None

    @property
    def total(self) -> int:
        return sum(row.total for row in self.tiers)

    @property
    def acknowledged(self) -> int:
        return sum(row.acknowledged for row in self.tiers)

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


def _minutes(value) -> float | None:
    if value is None:
        return None
    seconds = value.total_seconds() if isinstance(value, datetime.timedelta) else float(value) / 1_000_000
    return round(seconds / 60, 1)


@dataclass
class Contact:
    """One person of a unit on the board, with every role they hold there (tap to call)."""

    user: User
    roles: list[str]

    @property
    def roles_display(self) -> str:
        return "、".join(self.roles)


def _contacts(memberships: Iterable[Membership]) -> list[Contact]:
    people: dict[int, Contact] = {}
    for membership in memberships:
        contact = people.setdefault(membership.user_id, Contact(user=membership.user, roles=[]))
        contact.roles.append(str(membership.get_role_display()))
    return list(people.values())


def board_deliveries(user, warning: Warning) -> QuerySet[Delivery]:
    """The latest message's deliveries to units in the viewer's scope."""
    if not warning.document_id:
        return Delivery.objects.none()
    return scope_for(user).filter(
        Delivery.objects.filter(document_id=warning.document_id, recipient_unit__isnull=False), "recipient_unit"
    )


def warning_board(user, warning: Warning, *, page: int | str | None = 1, per_page: int = BOARD_PER_PAGE) -> Board:
    """Per tier: units delivered, acknowledged, average and median minutes to acknowledge (one
    aggregate query); the units not yet acknowledged with their people's names and mobiles (one
    page, ordered by tier then code); the latest acknowledgements. All within the viewer's scope."""
    deliveries = board_deliveries(user, warning)
    waited = ExpressionWrapper(F("receipted_at") - F("document__sent_at"), output_field=DurationField())
    receipted = Q(state=Delivery.State.RECEIPTED)
    aggregates = {"total": Count("pk"), "acknowledged": Count("pk", filter=receipted), "average": Avg(waited)}
    postgres = connection.vendor == "postgresql"
    if postgres:
        aggregates["median"] = Median(waited)
    rows = deliveries.values("recipient_unit__level").annotate(**aggregates).order_by("recipient_unit__level")
    medians: dict[int, float | None] = {}
    if not postgres:  # the development database: the median in Python from a second query
        spans = defaultdict(list)
        for level, at, sent in deliveries.filter(receipted).values_list(
            "recipient_unit__level", "receipted_at", "document__sent_at"
        ):
            spans[level].append((at - sent).total_seconds())
        medians = {level: round(statistics.median(values) / 60, 1) for level, values in spans.items()}
    tiers = [
        TierRow(
            level=row["recipient_unit__level"],
            total=row["total"],
            acknowledged=row["acknowledged"],
            average_minutes=_minutes(row["average"]),
            median_minutes=_minutes(row["median"]) if postgres else medians.get(row["recipient_unit__level"]),
        )
        for row in rows
    ]
    pending_qs = (
        deliveries.exclude(receipted)
        .select_related("recipient_unit", "recipient_unit__parent")
        .prefetch_related(
            Prefetch(
                "recipient_unit__memberships",
                queryset=Membership.objects.active().select_related("user").order_by("role", "user__real_name"),
                to_attr="active_members",
            )
        )
        .order_by("recipient_unit__level", "recipient_unit__code", "pk")
    )
    pending = Paginator(pending_qs, per_page).get_page(page) if any(row.pending for row in tiers) else None
    if pending is not None:
        pending.object_list = list(pending.object_list)
        for delivery in pending.object_list:
            delivery.recipient_unit.contacts = _contacts(delivery.recipient_unit.active_members)
    recent = list(
        deliveries.filter(receipted)
        .select_related("recipient_unit", "receipted_by")
        .order_by("-receipted_at", "-pk")[:10]
    )
    board = Board(warning=warning, tiers=tiers, pending=pending, recent=recent)
    if warning.report_evacuation:
        figures = (
            scope_for(user)
            .filter(warning.evacuations.all(), "unit")
            .aggregate(evacuated=Sum("evacuated"), sheltered=Sum("sheltered"))
        )
        board.evacuated, board.sheltered = figures["evacuated"] or 0, figures["sheltered"] or 0
    return board


# --- reminders and escalation ---------------------------------------------------------------------


@dataclass
class ReminderRun:
    reminded: int = 0
    parents_told: int = 0
    notices: int = 0
    emails: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "reminded": self.reminded,
            "parents_told": self.parents_told,
            "notices": self.notices,
            "emails": self.emails,
        }


def _due(rules: list[AcknowledgementRule], attribute: str, now: datetime.datetime) -> Q:
    return reduce(
        or_,
        (
            Q(
                recipient_unit__level=rule.tier - 1,
                document__sent_at__lte=now - datetime.timedelta(minutes=getattr(rule, attribute)),
            )
            for rule in rules
        ),
        Q(pk__in=[]),
    )


def _claim(queryset: QuerySet[Delivery], flag: str, now: datetime.datetime) -> list[int]:
    """Lock the due rows no other run holds, then set ``flag`` only where it is still empty."""
    ids = list(
        queryset.filter(**{f"{flag}__isnull": True})
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    Delivery.objects.filter(pk__in=ids, **{f"{flag}__isnull": True}).update(**{flag: now})
    return ids


def warning_reminders(*, now: datetime.datetime | None = None) -> ReminderRun:
    """For warnings in force: a delivery not acknowledged ``remind_after_minutes`` (of its tier's
    AcknowledgementRule) after it was sent is reminded once (``reminded_at``; its people get an
    e-mail); one not acknowledged ``tell_parent_after_minutes`` after is escalated once
    (``parent_told_at``): each parent unit gets one notice per run listing its children that have
    not acknowledged. Rows are claimed with conditional updates, so concurrent or repeated runs
    never remind twice. A constant number of queries, whatever the number of units."""
    now = now or timezone.now()
    run = ReminderRun()
    rules = list(AcknowledgementRule.objects.all())
    if not rules:
        return run
    current = Warning.objects.filter(state=Warning.State.ACTIVE, document__isnull=False).values("document_id")
    base = Delivery.objects.filter(document_id__in=current, recipient_unit__isnull=False).exclude(
        state=Delivery.State.RECEIPTED
    )
    with transaction.atomic():
        remind_ids = _claim(base.filter(_due(rules, "remind_after_minutes", now)), "reminded_at", now)
        told_ids = _claim(base.filter(_due(rules, "tell_parent_after_minutes", now)), "parent_told_at", now)
        run.reminded, run.parents_told = len(remind_ids), len(told_ids)
        wanted = set(remind_ids) | set(told_ids)
        rows = (
            list(
                Delivery.objects.filter(pk__in=wanted)
                .select_related("document", "document__sender_unit", "recipient_unit")
                .order_by("recipient_unit__code")
            )
            if wanted
            else []
        )
        warnings_by_document = (
            {w.document_id: w for w in Warning.objects.filter(document_id__in={row.document_id for row in rows})}
            if rows
            else {}
        )
        messages = []
        if remind_ids:
            reminded = [row for row in rows if row.pk in set(remind_ids)]
            emails: dict[int, set[str]] = defaultdict(set)
            for unit_id, email in (
                Membership.objects.active()
                .filter(unit_id__in={row.recipient_unit_id for row in reminded})
                .exclude(user__email="")
                .values_list("unit_id", "user__email")
            ):
                emails[unit_id].add(email)
            for row in reminded:
                if emails[row.recipient_unit_id]:
                    subject = _("Reminder: acknowledge the warning “%(title)s”") % {"title": row.document.title}
                    body = _("%(unit)s has not yet acknowledged this warning. Open it and tap Acknowledge: %(url)s") % {
                        "unit": row.recipient_unit.name,
                        "url": row.document.url,
                    }
                    messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, sorted(emails[row.recipient_unit_id])))
        if told_ids:
            told = set(told_ids)
            children: dict[int, list[Delivery]] = defaultdict(list)
            for row in rows:
                if row.pk in told and row.recipient_unit.parent_id:
                    children[row.recipient_unit.parent_id].append(row)
            parents = GridUnit.objects.in_bulk(list(children))
            notices = []
            for parent_id, late in sorted(children.items()):
                parent = parents.get(parent_id)
                if parent is None:
                    continue
                first = warnings_by_document.get(late[0].document_id)
                lines = [
                    _("%(unit)s (%(code)s): %(title)s, sent %(sent)s")
                    % {
                        "unit": row.recipient_unit.name,
                        "code": row.recipient_unit.code,
                        "title": row.document.title,
                        "sent": timezone.localtime(row.document.sent_at).strftime("%Y-%m-%d %H:%M"),
                    }
                    for row in late
                ]
                body = _("These units under %(parent)s have not acknowledged the warning:") % {"parent": parent.name}
                notices.append(
                    (
                        Document(
                            kind=Document.Kind.NOTICE,
                            sender_unit=late[0].document.sender_unit,
                            title=(
                                _("%(count)d units below you have not acknowledged a warning") % {"count": len(late)}
                            )[:200],
                            body=body + "\n" + "\n".join(lines),
                            url=reverse("dispatch:warning_board", args=[first.pk]) if first else "",
                        ),
                        [parent],
                        [],
                    )
                )
            send_documents(notices)
            run.notices = len(notices)
        if messages:
            run.emails = len(messages)
            enqueue_email(messages)  # with the claims: sent by the worker, retried by the outbox sweep
    return run
