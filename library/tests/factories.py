"""Test data for the libraries, made through the services (no side doors)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dispatch.models import IncidentType
from dispatch.services import incidents as incident_services
from library import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "调查报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def closed_incident(world, *, unit=None, by=None, code="traffic", title=None, occurred_at=None):
    """An incident of ``unit`` (the township by default) with its final report made."""
    unit = unit or world.township
    by = by or (world.township_officer if world.township.contains(unit) else world.county_dispatcher)
    incident, _created = incident_services.incident_first_report(
        by=by, unit=unit, type=IncidentType.objects.get(code=code), title=title or f"{unit.name}交通事故",
        occurred_at=occurred_at or timezone.now() - datetime.timedelta(hours=3), place="国道323线",
        description="客车侧滑撞上护栏，2人受伤。", measures="封闭车道，伤员送医。", reporter_phone="13800000000", level=4,
    )  # fmt: skip
    incident_services.incident_final(incident=incident, by=by, text="伤员均已脱离危险，道路恢复通行。")
    incident.refresh_from_db()
    return incident


def case(world, *, by=None, unit=None, publish=False, **fields):
    """A hand-written case of ``unit`` (the township by default)."""
    by = by or world.township_officer
    fields.setdefault("title", "山洪转移案例")
    fields.setdefault("occurred_on", timezone.localdate() - datetime.timedelta(days=30))
    fields.setdefault("cause", "连续强降雨")
    fields.setdefault("handling", "提前转移沿河群众")
    fields.setdefault("lessons", "预警要早")
    made = services.case_create(by=by, unit=unit or world.township, **fields)
    if publish:
        services.case_publish(case=made, by=by if by != world.village_officer_a else world.township_officer)
    return made


def regulation(world, *, by=None, unit=None, plans=(), **fields):
    fields.setdefault("title", "突发事件应急预案管理办法")
    fields.setdefault("kind", "normative")
    fields.setdefault("number", "国办发〔2013〕101号")
    fields.setdefault("issuer", "国务院办公厅")
    fields.setdefault("issued_on", datetime.date(2013, 10, 25))
    return services.regulation_create(
        by=by or world.county_dispatcher, unit=unit or world.county, plans=plans, **fields
    )
