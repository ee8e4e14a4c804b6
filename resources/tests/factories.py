"""Test data for rescue teams, experts and roll calls, made through the services (no side doors)."""

from __future__ import annotations

import io

from django.utils import timezone

from dispatch.models import IncidentType
from dispatch.services import incidents as incident_services
from hazards.models import HazardCategory
from resources.models import Speciality, TeamKind
from resources.services import teams as services


def team(world, *, unit=None, by=None, name=None, kind=TeamKind.SQUADRON, specialities=("flood",), members=0,
         on_duty=6, lat=24.25, lng=106.45, **fields):  # fmt: skip
    unit = unit or world.township
    by = by or world.county_dispatcher
    data = {
        "name": name or f"{unit.name}民兵应急中队", "unit": unit, "kind": kind, "on_duty": on_duty, "lat": lat,
        "lng": lng, "leader_name": "覃队长", "leader_phone": "13907761234",
        "specialities": list(Speciality.objects.filter(code__in=specialities)), **fields,
    }  # fmt: skip
    made = services.team_save(by=by, data=data)
    for number in range(members):
        services.member_add(team=made, by=by, name=f"队员{number + 1:02d}", role="member", phone="")
    return made


def expert(world, *, unit=None, by=None, name="岑海燕", categories=("geological",), types=(), **fields):
    unit = unit or world.county
    by = by or world.county_dispatcher
    data = {
        "name": name, "unit": unit, "speciality": "地质灾害防治", "employer": "县自然资源局", "title": "工程师",
        "phone": fields.pop("phone", "13907760102"),
        "hazard_categories": list(HazardCategory.objects.filter(code__in=categories)),
        "incident_types": list(IncidentType.objects.filter(code__in=types)), **fields,
    }  # fmt: skip
    return services.expert_save(by=by, data=data)


def incident(world, *, unit=None, by=None, code="flood_drought", lat=24.3, lng=106.5, title=None):
    unit = unit or world.township
    by = by or world.township_officer
    made, _created = incident_services.incident_first_report(
        by=by, unit=unit, type=IncidentType.objects.get(code=code), title=title or f"{unit.name}山洪",
        occurred_at=timezone.now(), place="河堤", description="河水漫堤。", reporter_phone="13800000000", level=4,
    )  # fmt: skip
    if lat is not None:
        type(made).objects.filter(pk=made.pk).update(lat=lat, lng=lng)
        made.refresh_from_db()
    return made


def workbook(*, teams=(), members=(), experts=()) -> bytes:
    """An .xlsx of the import's three sheets with the given rows (lists of cells)."""
    from openpyxl import Workbook

    from resources.services.imports import EXPERT_COLUMNS, MEMBER_COLUMNS, TEAM_COLUMNS

    book = Workbook()
    book.remove(book.active)
    for title, columns, rows in (("队伍", TEAM_COLUMNS, teams), ("队员", MEMBER_COLUMNS, members),
                                 ("专家", EXPERT_COLUMNS, experts)):  # fmt: skip
        sheet = book.create_sheet(title)
        sheet.append([header for _f, header, _a in columns])
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
