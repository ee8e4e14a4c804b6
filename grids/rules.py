"""The structure of the three-tier grid and the rules of its unit codes (RULES.md §7).

Pure functions over kinds and codes, shared by the model's ``clean()``, the import and the API,
so that every way into the tree refuses the same things with the same Chinese message.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COUNTY = "county", _("County")
    BANNER = "banner", _("Banner")
    TOWNSHIP = "township", _("Township")
    TOWN = "town", _("Town")
    SUMU = "sumu", _("Sumu")
    STREET = "street", _("Subdistrict")
    PARK = "park", _("Industrial park")
    VILLAGE = "village", _("Village")
    GACHA = "gacha", _("Gacha")
    COMMUNITY = "community", _("Community")
    ENTERPRISE = "enterprise", _("Enterprise")


TIER_OF_KIND: dict[str, int] = {
    Kind.COUNTY: 1,
    Kind.BANNER: 1,
    Kind.TOWNSHIP: 2,
    Kind.TOWN: 2,
    Kind.SUMU: 2,
    Kind.STREET: 2,
    Kind.PARK: 2,
    Kind.VILLAGE: 3,
    Kind.GACHA: 3,
    Kind.COMMUNITY: 3,
    Kind.ENTERPRISE: 3,
}
TOWNSHIP_KINDS = frozenset({Kind.TOWNSHIP, Kind.TOWN, Kind.SUMU, Kind.STREET})
VILLAGE_KINDS = frozenset({Kind.VILLAGE, Kind.GACHA, Kind.COMMUNITY})
CHILD_KINDS: dict[str, frozenset[str]] = {
    Kind.COUNTY: TOWNSHIP_KINDS | {Kind.PARK},
    Kind.BANNER: TOWNSHIP_KINDS | {Kind.PARK},
    **{kind: VILLAGE_KINDS for kind in TOWNSHIP_KINDS},
    Kind.PARK: frozenset({Kind.ENTERPRISE}),
    **{kind: frozenset() for kind in VILLAGE_KINDS | {Kind.ENTERPRISE}},
}
TIER_LABELS = {1: _("Tier 1"), 2: _("Tier 2"), 3: _("Tier 3")}
TIER_NAMES = {1: _("County"), 2: _("Township or park"), 3: _("Village, community or enterprise")}

LOCAL_SUFFIX = r"-[A-Z0-9]{1,8}"
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def kind_label(kind: str) -> str:
    return str(Kind(kind).label) if kind in Kind.values else kind


def check_placement(*, kind: str, parent_kind: str | None) -> None:
    """Refuse a kind under a parent it cannot stand under (or a non-county at the root)."""
    if kind not in TIER_OF_KIND:
        raise ValidationError(_("Unknown unit kind “%(kind)s”.") % {"kind": kind}, code="kind")
    if parent_kind is None:
        if TIER_OF_KIND[kind] != 1:
            raise ValidationError(
                _("A %(kind)s must have a parent unit; only a county or banner stands at the top.")
                % {"kind": kind_label(kind)},
                code="placement",
            )
        return
    if kind not in CHILD_KINDS[parent_kind]:
        if kind == Kind.ENTERPRISE:
            message = _("An enterprise grid can only be placed inside an industrial park.")
        elif not CHILD_KINDS[parent_kind]:
            message = _("A %(parent)s is a tier-3 grid and cannot contain other units.") % {
                "parent": kind_label(parent_kind)
            }
        else:
            message = _("A %(kind)s cannot be placed under a %(parent)s.") % {
                "kind": kind_label(kind),
                "parent": kind_label(parent_kind),
            }
        raise ValidationError(message, code="placement")


def check_code(*, kind: str, code: str, parent_code: str | None) -> None:
    """Check a unit code against its kind and its parent's code (RULES.md §7)."""
    tier = TIER_OF_KIND.get(kind)
    if tier == 1:
        if not re.fullmatch(r"\d{6}", code) or code.endswith("00"):
            raise ValidationError(
                _("A county code has 6 digits (GB/T 2260) and does not end in 00, e.g. 451027."),
                code="code",
            )
        return
    parent_code = parent_code or ""
    if kind in TOWNSHIP_KINDS:
        if not re.fullmatch(r"\d{12}", code) or not code.endswith("000"):
            raise ValidationError(_("A township code has 12 digits and ends in 000, e.g. 451027100000."), code="code")
        _check_prefix(code, parent_code[:6])
        _check_range(code[6:9], 1, 599, _("The township digits (7th to 9th) must be between 001 and 599."))
    elif kind == Kind.PARK:
        if re.fullmatch(r"\d{12}", code):
            _check_prefix(code, parent_code[:6])
            if not code.endswith("000"):
                raise ValidationError(_("A 12-digit park code ends in 000."), code="code")
            _check_range(code[6:9], 400, 599, _("A park's statistical code uses township digits 400 to 599."))
        elif not re.fullmatch(re.escape(parent_code[:6]) + LOCAL_SUFFIX, code):
            raise ValidationError(
                _(
                    "A park code is either a 12-digit statistical code or a local code: the county "
                    "code, a hyphen and up to 8 letters or digits, e.g. %(example)s."
                )
                % {"example": f"{parent_code[:6] or '451027'}-GY01"},
                code="code",
            )
    elif kind in VILLAGE_KINDS:
        if not re.fullmatch(r"\d{12}", code):
            raise ValidationError(_("A village or community code has 12 digits, e.g. 451027100201."), code="code")
        _check_prefix(code, parent_code[:9])
        _check_range(code[9:12], 1, 599, _("The village digits (10th to 12th) must be between 001 and 599."))
    elif kind == Kind.ENTERPRISE:
        if not re.fullmatch(re.escape(parent_code) + LOCAL_SUFFIX, code):
            raise ValidationError(
                _("An enterprise code is the park code, a hyphen and up to 8 letters or digits, e.g. %(example)s.")
                % {"example": f"{parent_code or '451027-GY01'}-001"},
                code="code",
            )


def _check_prefix(code: str, prefix: str) -> None:
    if prefix and not code.startswith(prefix):
        raise ValidationError(
            _("The code %(code)s must begin with its parent's code %(prefix)s.") % {"code": code, "prefix": prefix},
            code="code_prefix",
        )


def _check_range(digits: str, low: int, high: int, message) -> None:
    if not low <= int(digits) <= high:
        raise ValidationError(message, code="code_range")


def check_credit_code(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015): 18 characters with a check character at the end."""
    value = value.upper()
    if len(value) != 18 or any(ch not in CREDIT_CODE_CHARS for ch in value):
        raise ValidationError(
            _("A unified social credit code has 18 digits or capital letters (no I, O, S, V, Z)."),
            code="credit_code",
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The unified social credit code %(value)s has a wrong check character; please check it.")
            % {"value": value},
            code="credit_code",
        )


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARS.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def check_mobile(value: str) -> None:
    if not MOBILE_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Enter a mainland China mobile number: 11 digits starting with 1, e.g. 13812345678."),
            code="mobile",
        )


def check_geometry(value, *, allowed: tuple[str, ...]) -> None:
    """A GeoJSON geometry of one of the allowed types, valid for shapely, in lon/lat range."""
    from shapely.geometry import shape

    if value in (None, ""):
        return
    if not isinstance(value, dict) or value.get("type") not in allowed:
        raise ValidationError(
            _("Expected a GeoJSON geometry of type %(types)s.") % {"types": " / ".join(allowed)},
            code="geometry",
        )
    try:
        geometry = shape(value)
    except Exception as exc:  # shapely raises several types for malformed input
        raise ValidationError(_("The map shape cannot be read: %(error)s") % {"error": exc}, code="geometry")
    if geometry.is_empty or not geometry.is_valid:
        raise ValidationError(_("The boundary crosses itself or is empty; redraw it on the map."), code="geometry")
    minx, miny, maxx, maxy = geometry.bounds
    from grids.limits import is_bbox

    if not is_bbox(minx, miny, maxx, maxy):
        raise ValidationError(
            _("Coordinates must be longitude then latitude in degrees (e.g. 106.56, 24.35)."),
            code="geometry",
        )
