"""Identifiers of dispatch: the CAP identifier of a warning message (RULES.md §4.3, GB/T 35965.1) and
the number of an incident (``<unit code>-<year>-SJ<seq>``). Both are allocated under a row lock, so
two messages or incidents never share one."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from dispatch.models import (
    Incident,
    WarningSequence,
)
from grids.models import GridUnit

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")  # CAP identifiers and times of GB/T 35965.1 are Beijing time


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


def allocate_incident_number(unit: GridUnit, year: int) -> str:
    """``<unit code>-<year>-SJ<seq>``: the unit's row is locked while the next number is taken."""
    GridUnit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True).first()
    prefix = f"{unit.code}-{year}-SJ"
    last = (
        Incident.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{sequence:04d}"
