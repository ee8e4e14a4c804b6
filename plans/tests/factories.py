"""Test data for plans, made through the services (no side doors)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grids.models import Role
from grids.tests.factories import grant, make_person
from plans import services
from plans.models import PlanDocument, PlanKind

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "预案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def kind(code: str) -> PlanKind:
    return PlanKind.objects.get(code=code)


def leader_of(unit, username: str | None = None):
    person = make_person(username or f"leader_{unit.code}", real_name=f"{unit.name}书记")
    grant(person, unit, Role.GRID_LEADER)
    return person


def draft(world, *, by=None, unit=None, code="township", title=None, **fields):
    unit = unit or world.township
    by = by or world.township_officer
    return services.plan_create(
        by=by,
        unit=unit,
        kind=kind(code),
        title=title or f"{unit.name}突发事件总体应急预案",
        leader_name=f"{unit.name}书记",
        **fields,
    )


def reviewed(world, plan, *, by=None):
    """The plan's latest version with its text attached, sent to review and reviewed."""
    by = by or world.township_officer
    version = plan.versions.order_by("-number").first()
    services.document_add(version=version, by=by, kind=PlanDocument.Kind.OFFICIAL_TEXT, upload=pdf())
    services.version_submit_review(version=version, by=by)
    services.review_record_add(
        version=version,
        by=by,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        experts="张专家、李专家",
        opinions="完善转移路线",
        handling="已采纳",
    )
    version.refresh_from_db()
    return version


def issued(world, plan, *, by=None, leader=None, issued_on=None):
    version = reviewed(world, plan, by=by)
    return services.version_issue(version=version, by=leader or world.township_leader, issued_on=issued_on)


def in_force(world, plan, *, by=None, leader=None, receiver=None):
    version = issued(world, plan, by=by, leader=leader)
    filing = services.version_file(version=version, by=by or world.township_officer)
    services.filing_receipt(filing=filing, by=receiver or world.county_dispatcher)
    version.refresh_from_db()
    return version
