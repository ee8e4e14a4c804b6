"""Services of the warnings (预警): draft, issue, update and lift a warning; its delivery to every
unit of the target area tier by tier; acknowledgement (签收); local instructions; evacuation figures.

Services (``warning_*``) each run in a transaction, lock the warning row, check the person's right
through ``grids.scope`` and refuse with a Chinese message: ``WarningRefused`` for a step the state
does not allow, ``PermissionDenied`` for a role that does not allow it, ``ValidationError`` for bad
input. Delivery uses the one mechanism of ``delivery.services`` (a Document with one Delivery per
recipient unit; acknowledging = ``delivery_receipt``).

Design: every message (Alert, Update, Cancel) is a new Document delivered to the same units, and
``Warning.document`` points to the latest one; the board and the reminders look at the latest
message's deliveries, so an update asks every unit to acknowledge again. Reads (the list, the
board) are in ``dispatch.selectors.warnings``; the reminders job in
``dispatch.services.warning_reminders``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.texts import ref
from delivery.models import Delivery, Document
from delivery.services import send_documents
from dispatch.access import (  # who may see and do what: dispatch/access.py
    issuer_units,
)
from dispatch.identifiers import allocate_identifier, cap_sender
from dispatch.models import (
    LEVEL_COLOUR_WORDS,
    LEVEL_COLOURS,
    DutyLogEntry,
    Level,
    Warning,
    WarningMessage,
    WarningType,
)
from dispatch.permissions import DispatchAction
from dispatch.texts import headline_ref, title_ref
from grids import limits
from grids.models import Department, GridUnit, User, within_q
from grids.scope import scope_for

EDITABLE = ("title", "content", "instructions", "level", "valid_from", "valid_to", "report_evacuation", "sender_name")


DRAFT_ONLY = ("type", "areas", "issuer_unit")


class WarningRefused(Exception):
    """A step the warning's state does not allow (or that someone else just took)."""


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
            % {"type": type.display_name, "level": Level(level).label, "allowed": allowed or "—"}
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
    texts = {}
    if not title.strip():
        sender = sender_name or issuer_unit.name
        title = default_headline(sender=sender, type_name=type.name, level=level)
        texts["title"] = headline_ref(sender=sender, type=type, level=level, text=title)
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
            texts=texts,
        )
        warning.areas.set(areas)
    return warning


def default_headline(*, sender: str, type_name: str, level: int, lifted: bool = False) -> str:
    """``<sender>发布<type><colour>预警`` (``解除`` for a lift), the headline pattern of RULES.md §4.3."""
    verb = "解除" if lifted else "发布"
    return f"{sender}{verb}{type_name}{LEVEL_COLOUR_WORDS.get(level, '')}预警"


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


def _document_text(warning: Warning, msg_type: str) -> tuple[dict | str, str]:
    """The document's title (a ref of ``dispatch/texts.py``, or the written headline) and body."""
    if msg_type == WarningMessage.MsgType.CANCEL:
        title = ref("dispatch.document_lifted", title=title_ref(warning))
    elif msg_type == WarningMessage.MsgType.UPDATE:
        title = ref("dispatch.document_updated", title=title_ref(warning))
    else:
        title = title_ref(warning)
    body = "\n\n".join(part for part in (warning.content, warning.instructions) if part)
    return title, body


def _text(value: dict | str) -> str:
    return value["text"] if isinstance(value, dict) else value


def _deliver(
    warning: Warning, *, msg_type: str, by: User, units: QuerySet[GridUnit], now: datetime.datetime
) -> Document:
    """One Document for this message, delivered to ``units`` in a constant number of queries, and
    one duty-log line per township or park that passes it on to the units below it."""
    title_value, body = _document_text(warning, msg_type)
    title = _text(title_value)[:200]
    document = Document(
        kind=Document.Kind.WARNING,
        sender_unit=warning.issuer_unit,
        title=title,
        body=body,
        url=warning_url(warning),
        sent_by=by,
        texts={"title": title_value} if isinstance(title_value, dict) else {},
    )
    recipients = list(units.exclude(pk=warning.issuer_unit_id).only("id", "level", "lft", "rght"))
    departments = list(Department.objects.filter(county_id=_county_id(warning.issuer_unit), is_active=True))
    send_documents([(document, recipients, departments)])
    passing = [unit for unit in recipients if unit.level == 1 and unit.rght - unit.lft > 1]
    # Written in Chinese, shown in the reader's language (dispatch/texts.py).
    passed_on = ref("dispatch.log_passed_on", title=title_value)
    passed_automatically = ref("dispatch.log_passed_automatically")
    sent = ref(
        {
            WarningMessage.MsgType.ALERT: "dispatch.log_issued",
            WarningMessage.MsgType.UPDATE: "dispatch.log_updated",
            WarningMessage.MsgType.CANCEL: "dispatch.log_lifted",
        }.get(msg_type, "dispatch.log_sent"),
        title=title_value,
    )
    delivered = ref("dispatch.log_delivered", units=len(recipients), departments=len(departments))
    entries = [
        # The issuing centre's own log: who sent it, and to how many units.
        DutyLogEntry(
            unit_id=warning.issuer_unit_id,
            at=now,
            kind=DutyLogEntry.Kind.WARNING,
            summary=sent["text"][:200],
            warning=warning,
            by=by,
            details=delivered["text"],
            texts={"summary": sent, "details": delivered},
        )
    ]
    # Each township or park passes it on: written by the system, not by the issuing dispatcher.
    entries += [
        DutyLogEntry(
            unit_id=unit.pk,
            at=now,
            kind=DutyLogEntry.Kind.WARNING,
            summary=passed_on["text"][:200],
            warning=warning,
            by=None,
            details=passed_automatically["text"],
            texts={"summary": passed_on, "details": passed_automatically},
        )
        for unit in passing
    ]
    DutyLogEntry.objects.bulk_create(entries)
    return document


def _county_id(unit: GridUnit) -> int:
    """The county (tier 1) over ``unit``: the root of its tree (no query for a county itself)."""
    if unit.level == 0:
        return unit.pk
    return GridUnit.objects.filter(tree_id=unit.tree_id, level=0).values_list("pk", flat=True).get()


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
        if "title" in changed and "title" in warning.texts:
            warning.texts = {k: v for k, v in warning.texts.items() if k != "title"}  # written by hand now
            changed.append("texts")
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
