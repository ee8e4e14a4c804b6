"""Cases: made from a closed incident or a held drill, written, published; the rules of each step."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dispatch.models import IncidentType
from drills.tests import factories as drill_factories
from hazards.models import HazardCategory
from library import services
from library.models import Case
from library.tests import factories
from plans.tests import factories as plan_factories


def test_a_closed_incident_becomes_a_draft_case_prefilled_from_its_reports(world):
    incident = factories.closed_incident(world)
    case = services.case_from_incident(incident=incident, by=world.township_officer)
    assert case.state == Case.State.DRAFT and case.source == Case.Source.INCIDENT
    assert (case.title, case.unit, case.incident_type) == (incident.title, world.township, incident.type)
    assert case.occurred_on == timezone.localdate(incident.occurred_at)
    assert case.cause == incident.description and case.measures == incident.measures
    assert "道路恢复通行" in case.handling
    assert case.history.count() == 1


def test_the_case_takes_the_hazard_categories_of_the_plans_covering_the_incident_type(world):
    plan = plan_factories.draft(world)
    plan_factories.in_force(world, plan, leader=plan_factories.leader_of(world.township))
    flood = HazardCategory.objects.filter(is_active=True).first()
    plan.hazard_categories.set([flood])
    plan.incident_types.set([IncidentType.objects.get(code="traffic")])
    case = services.case_from_incident(incident=factories.closed_incident(world), by=world.township_officer)
    assert list(case.hazard_categories.all()) == [flood]


def test_an_open_incident_does_not_become_a_case(world):
    from dispatch.services import incidents as incident_services

    incident, _ = incident_services.incident_first_report(
        by=world.township_officer, unit=world.township, type=IncidentType.objects.get(code="fire"), title="起火",
        occurred_at=timezone.now(), place="街上", description="起火", reporter_phone="13800000000", level=4,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.case_from_incident(incident=incident, by=world.township_officer)
    assert not Case.objects.exists()


def test_an_incident_becomes_one_case_only(world):
    incident = factories.closed_incident(world)
    services.case_from_incident(incident=incident, by=world.township_officer)
    with pytest.raises(ValidationError):
        services.case_from_incident(incident=incident, by=world.county_dispatcher)
    assert Case.objects.count() == 1


@pytest.mark.parametrize("persona", ["village_officer_b", "department_officer", "outsider"])
def test_only_the_incidents_line_makes_it_a_case(world, persona):
    incident = factories.closed_incident(world)
    with pytest.raises(PermissionDenied):
        services.case_from_incident(incident=incident, by=getattr(world, persona))


def test_a_held_drill_becomes_a_case_with_its_evaluation_and_findings(world):
    drill = drill_factories.drill(world, planned_date=timezone.localdate())
    with pytest.raises(ValidationError):
        services.case_from_drill(drill=drill, by=world.township_officer)  # not held yet
    drill_factories.held(world, drill)
    drill_factories.evaluated(world, drill)
    from drills import services as drill_services

    drill_services.finding_add(
        drill=drill, by=world.township_officer, kind="equipment", description="抽水泵故障", owner_unit=world.township,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )  # fmt: skip
    case = services.case_from_drill(drill=drill, by=world.township_officer)
    assert case.source == Case.Source.DRILL and case.drill_form == drill.form and case.type_label
    assert case.cause == drill.scenario and "抽水泵故障" in case.problems and case.lessons == "评估报告"


def test_publishing_needs_cause_handling_and_lessons_and_the_township(world):
    case = factories.case(world, by=world.village_officer_a, unit=world.village_a, lessons="")
    with pytest.raises(PermissionDenied):
        services.case_publish(case=case, by=world.village_officer_a)  # a village does not publish
    with pytest.raises(ValidationError) as refused:
        services.case_publish(case=case, by=world.township_officer)
    assert refused.value.messages == ["发布前请填写：主要经验。"]
    services.case_update(case=case, by=world.village_officer_a, lessons="转移要早")
    services.case_publish(case=case, by=world.township_officer)
    case.refresh_from_db()
    assert case.state == Case.State.PUBLISHED and case.published_at is not None
    with pytest.raises(ValidationError):
        services.case_publish(case=case, by=world.township_officer)
    assert [h.history_change_reason for h in case.history.order_by("history_id")] == ["created", "edited", "published"]


def test_bad_input_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ValidationError):
        factories.case(world, title="  ")
    with pytest.raises(ValidationError):
        factories.case(world, occurred_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        factories.case(world, cause="长" * 5000)
    assert not Case.objects.exists()


def test_a_file_is_checked_by_its_content(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = factories.case(world)
    with pytest.raises(ValidationError):
        services.case_attach(case=case, by=world.township_officer, upload=SimpleUploadedFile("x.pdf", b"<html>"))
    row = services.case_attach(case=case, by=world.township_officer, upload=factories.pdf())
    assert row.original_name == "调查报告.pdf" and row.file.name.startswith("library/cases/")
    assert "调查报告" not in row.file.name and row.file.name.endswith(".pdf")
