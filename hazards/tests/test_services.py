"""The closed loop: every allowed and refused transition per role and tier, grading, numbers, photos."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from hazards import services
from hazards.access import can_see_hazard, get_hazard_for_user, visible_hazards
from hazards.models import (
    Grade,
    Hazard,
    HazardCategory,
    HazardCopy,
    HazardEvent,
    HazardPhoto,
    RiskBand,
    RiskLevel,
    State,
)
from hazards.services import TransitionRefused
from hazards.tests.factories import category, confirmed, photo, rectifying, report

pytestmark = pytest.mark.django_db


# --- grading at the band boundaries ---------------------------------------------------------------


def test_lec_just_below_the_red_band_is_orange():
    level, score = services.risk_grade(method="lec", inputs={"lec_l": "10", "lec_e": "2", "lec_c": "15"})
    assert (level, score) == (RiskLevel.ORANGE, Decimal("300.00"))


@pytest.mark.parametrize(
    ("inputs", "level"),
    [
        ({"lec_l": "10", "lec_e": "1", "lec_c": "40"}, RiskLevel.RED),  # D = 400
        ({"lec_l": "1", "lec_e": "2", "lec_c": "100"}, RiskLevel.ORANGE),  # D = 200
        ({"lec_l": "10", "lec_e": "1", "lec_c": "7"}, RiskLevel.YELLOW),  # D = 70: boundary, inclusive
        ({"lec_l": "3", "lec_e": "3", "lec_c": "7"}, RiskLevel.BLUE),  # D = 63
        ({"lec_l": "0.1", "lec_e": "0.5", "lec_c": "1"}, RiskLevel.BLUE),  # D = 0.05
    ],
)
def test_lec_levels(inputs, level):
    assert services.risk_grade(method="lec", inputs=inputs)[0] == level


def test_lec_320_and_160_are_inclusive_lower_bounds():
    # 320 and 160 cannot be products of the standard values, so move the bands to reachable scores
    RiskBand.objects.filter(method="lec", level=RiskLevel.RED).update(min_score=Decimal("400"))
    RiskBand.objects.filter(method="lec", level=RiskLevel.ORANGE).update(min_score=Decimal("200"))
    assert services.risk_grade(method="lec", inputs={"lec_l": "10", "lec_e": "1", "lec_c": "40"})[0] == RiskLevel.RED
    assert services.risk_grade(method="lec", inputs={"lec_l": "1", "lec_e": "2", "lec_c": "100"})[0] == RiskLevel.ORANGE
    assert (
        services.risk_grade(method="lec", inputs={"lec_l": "3", "lec_e": "6", "lec_c": "7"})[0] == RiskLevel.YELLOW
    )  # 126


@pytest.mark.parametrize(
    ("likelihood", "severity", "level"),
    [
        (5, 4, RiskLevel.RED),
        (4, 5, RiskLevel.RED),
        (4, 4, RiskLevel.ORANGE),
        (3, 3, RiskLevel.ORANGE),
        (2, 4, RiskLevel.YELLOW),
        (2, 2, RiskLevel.YELLOW),
        (1, 3, RiskLevel.BLUE),
        (1, 1, RiskLevel.BLUE),
    ],
)
def test_matrix_levels_at_band_edges(likelihood, severity, level):
    assert services.risk_grade(method="ls", inputs={"ls_l": likelihood, "ls_s": severity})[0] == level


def test_unlisted_factor_value_is_refused():
    with pytest.raises(ValidationError):
        services.risk_grade(method="lec", inputs={"lec_l": "4", "lec_e": "6", "lec_c": "7"})


# --- report -------------------------------------------------------------------------------------


def test_village_officer_reports_in_own_village_and_township_owns_it(world):
    hazard = report(world, photos=[photo()])
    assert hazard.state == State.REPORTED
    assert hazard.owner_unit == world.township
    assert hazard.number == f"{world.village_a.code}-{timezone.localdate().year}-0001"
    assert hazard.photos.count() == 1
    assert list(hazard.events.values_list("action", flat=True)) == ["report"]


def test_numbers_follow_each_other_per_unit_and_year(world):
    first, second = report(world), report(world, title="路边危石")
    assert first.number.endswith("-0001") and second.number.endswith("-0002")


def test_village_officer_cannot_report_in_another_village(world):
    with pytest.raises(PermissionDenied):
        report(world, unit=world.village_b)


def test_same_submission_key_gives_one_hazard(world):
    key = uuid.uuid4()
    first = report(world, client_key=key)
    again, created = services.hazard_report(
        by=world.village_officer_a, unit=world.village_a, category=category(), title="山体裂缝", client_key=key
    )
    assert again.pk == first.pk and not created


def test_photos_are_resized_and_stripped_of_exif(world):
    hazard = report(world, photos=[photo(size=(4000, 3000), exif_gps=True)])
    assert hazard.photos.get().processing == HazardPhoto.Processing.PENDING  # the worker's job
    services.process_hazard_photos(hazard.pk)
    stored = hazard.photos.get()
    with Image.open(stored.image.path) as image:
        assert max(image.size) == 1600
        assert not image.getexif()


def test_bad_photo_refuses_the_whole_report(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = world.village_a.hazards.count()
    with pytest.raises(ValidationError) as error:
        report(world, photos=[photo(), SimpleUploadedFile("x.jpg", b"not an image")])
    assert "x.jpg" in str(error.value)
    assert world.village_a.hazards.count() == before
    assert not HazardPhoto.objects.exists()


def test_fixed_on_spot_closes_at_once_with_evidence(world):
    hazard = report(world, fixed_on_spot=True, evidence_photos=[photo()])
    assert hazard.state == State.CLOSED
    assert [e.action for e in hazard.events.all()] == ["report", "on_spot"]
    with pytest.raises(ValidationError):
        report(world, fixed_on_spot=True)


def test_point_proposes_the_village_containing_it(world):
    assert (
        services.propose_unit(user=world.township_officer, lng=106.55, lat=24.25, default=world.township)
        == world.village_b
    )
    assert (
        services.propose_unit(user=world.township_officer, lng=110.0, lat=30.0, default=world.township)
        == world.township
    )


# --- the loop, step by step, with the wrong people refused ---------------------------------------


def test_full_loop_by_the_right_people(world):
    hazard = rectifying(world)
    assert hazard.state == State.RECTIFYING and hazard.risk_level == RiskLevel.YELLOW  # D = 126
    hazard = services.hazard_submit_evidence(hazard=hazard, by=world.village_officer_a, note="已削坡", photos=[photo()])
    assert hazard.state == State.AWAITING_ACCEPTANCE
    hazard = services.hazard_fail_acceptance(hazard=hazard, by=world.township_officer, reason="警示牌未设")
    assert hazard.state == State.RECTIFYING
    hazard = services.hazard_submit_evidence(hazard=hazard, by=world.village_officer_a, note="已补设", photos=[photo()])
    hazard = services.hazard_accept(hazard=hazard, by=world.township_officer, note="验收合格")
    assert hazard.state == State.CLOSED and hazard.closed_at
    actions = [e.action for e in hazard.events.all()]
    assert actions == ["report", "confirm", "plan", "evidence", "fail", "evidence", "accept"]
    assert all(e.by_id for e in hazard.events.all())


@pytest.mark.parametrize("who", ["village_officer_a", "village_officer_b", "outsider", "department_officer"])
def test_only_the_owning_tier_confirms(world, who):
    hazard = report(world)
    with pytest.raises(PermissionDenied):
        services.hazard_confirm(
            hazard=hazard, by=getattr(world, who), grade="general", risk_method="ls", risk_inputs={"ls_l": 2, "ls_s": 2}
        )


def test_county_dispatcher_may_rule_on_township_hazards(world):
    hazard = report(world)
    services.hazard_confirm(
        hazard=hazard, by=world.county_dispatcher, grade="general", risk_method="ls", risk_inputs={"ls_l": 2, "ls_s": 2}
    )


def test_wrong_state_is_refused_with_a_clear_message(world):
    hazard = report(world)
    with pytest.raises(TransitionRefused) as error:
        services.hazard_accept(hazard=hazard, by=world.township_officer)
    assert hazard.get_state_display() in str(error.value)
    with pytest.raises(TransitionRefused):
        services.hazard_submit_evidence(hazard=hazard, by=world.village_officer_a, note="", photos=[photo()])


def test_reject_needs_a_reason_and_ends_the_loop(world):
    hazard = report(world)
    with pytest.raises(ValidationError):
        services.hazard_reject(hazard=hazard, by=world.township_officer, reason=" ")
    hazard = services.hazard_reject(hazard=hazard, by=world.township_officer, reason="非隐患，系正常沉降")
    assert hazard.state == State.REJECTED
    with pytest.raises(TransitionRefused):
        services.hazard_confirm(
            hazard=hazard,
            by=world.township_officer,
            grade="general",
            risk_method="ls",
            risk_inputs={"ls_l": 2, "ls_s": 2},
        )


def test_plan_needs_every_item_of_five_in_place(world):
    hazard = confirmed(world)
    with pytest.raises(ValidationError) as error:
        services.hazard_plan(
            hazard=hazard,
            by=world.township_officer,
            measures="",
            responsible_unit="",
            responsible_person="",
            deadline=None,
            contingency="",
        )
    assert set(error.value.message_dict) == {
        "measures",
        "responsible_unit",
        "responsible_person",
        "deadline",
        "contingency",
    }
    hazard.refresh_from_db()
    assert hazard.state == State.CONFIRMED


def test_evidence_only_from_the_hazards_own_grid(world):
    hazard = rectifying(world)
    with pytest.raises(PermissionDenied):
        services.hazard_submit_evidence(hazard=hazard, by=world.village_officer_b, note="", photos=[photo()])


def test_direct_level_needs_a_reason(world):
    hazard = report(world)
    with pytest.raises(ValidationError):
        services.hazard_confirm(
            hazard=hazard,
            by=world.township_officer,
            grade="general",
            risk_method="direct",
            risk_level=RiskLevel.RED,
            risk_reason="",
        )
    hazard = services.hazard_confirm(
        hazard=hazard,
        by=world.township_officer,
        grade="general",
        risk_method="direct",
        risk_level=RiskLevel.RED,
        risk_reason="下方有学校",
    )
    assert hazard.risk_level == RiskLevel.RED


# --- escalation, supervision, copies --------------------------------------------------------------


def test_escalate_moves_ownership_up_and_lower_tiers_keep_seeing(world):
    hazard = confirmed(world)
    hazard = services.hazard_escalate(hazard=hazard, by=world.township_officer, reason="超出乡镇处置权限")
    assert hazard.owner_unit == world.county
    assert can_see_hazard(world.village_officer_a, hazard)
    with pytest.raises(PermissionDenied):
        services.hazard_plan(
            hazard=hazard,
            by=world.township_officer,
            measures="m",
            responsible_unit="u",
            responsible_person="p",
            deadline=timezone.localdate(),
            contingency="c",
        )
    with pytest.raises(TransitionRefused):
        services.hazard_escalate(hazard=hazard, by=world.county_dispatcher, reason="再上报")


def test_major_hazard_goes_to_the_county_and_is_copied_to_its_sector_department(world):
    hazard = report(world, code="flood")  # sector water → 水利局
    hazard = services.hazard_confirm(
        hazard=hazard,
        by=world.township_officer,
        grade=Grade.MAJOR,
        risk_method="ls",
        risk_inputs={"ls_l": 5, "ls_s": 5},
    )
    assert hazard.owner_unit == world.county
    assert HazardCopy.objects.filter(hazard=hazard, department=world.department).exists()
    assert hazard in visible_hazards(world.department_officer)
    assert get_hazard_for_user(world.department_officer, hazard.pk) == hazard
    hazard = services.hazard_supervise(
        hazard=hazard,
        by=world.county_dispatcher,
        department=world.department,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        requirements="30日内完成治理",
    )
    assert hazard.supervised and hazard.supervision_order_no
    copy = HazardCopy.objects.get(hazard=hazard, department=world.department)
    services.hazard_copy_feedback(copy=copy, by=world.department_officer, feedback="已派员现场核查")
    assert hazard.events.filter(action=HazardEvent.Action.FEEDBACK).exists()


def test_only_county_command_supervises_and_only_major_hazards(world):
    general = confirmed(world)
    with pytest.raises(TransitionRefused):
        services.hazard_supervise(
            hazard=general,
            by=world.county_dispatcher,
            department=world.department,
            deadline=timezone.localdate(),
            requirements="",
        )
    major = confirmed(world, grade=Grade.MAJOR, title="另一处")
    with pytest.raises(PermissionDenied):
        services.hazard_supervise(
            hazard=major,
            by=world.township_leader,
            department=world.department,
            deadline=timezone.localdate(),
            requirements="",
        )


def test_a_copy_arrives_in_the_departments_inbox_once(world):
    from delivery.models import Delivery, Document
    from delivery.services import inbox_for

    hazard = report(world, code="flood")  # sector water → 水利局
    hazard = services.hazard_confirm(
        hazard=hazard, by=world.township_officer, grade="general", risk_method="ls", risk_inputs={"ls_l": 2, "ls_s": 2}
    )
    copies = inbox_for(world.department_officer).filter(document__kind=Document.Kind.HAZARD_COPY)
    assert [d.recipient_department for d in copies] == [world.department]
    assert copies.get().state == Delivery.State.DELIVERED and hazard.number in copies.get().document.title


def test_department_sees_only_copied_hazards(world):
    unrelated = confirmed(world, code="fire")
    assert unrelated not in visible_hazards(world.department_officer)
    assert not can_see_hazard(world.department_officer, unrelated)


def test_department_officer_of_another_department_cannot_reply(world):
    hazard = report(world, code="flood")
    hazard = services.hazard_confirm(
        hazard=hazard, by=world.township_officer, grade="general", risk_method="ls", risk_inputs={"ls_l": 2, "ls_s": 2}
    )
    copy = hazard.copies.get()
    with pytest.raises(PermissionDenied):
        services.hazard_copy_feedback(copy=copy, by=world.township_officer, feedback="x")


# --- scope ----------------------------------------------------------------------------------------


def test_visibility_by_tier(world):
    a = report(world)
    b = report(world, by=world.village_officer_b, unit=world.village_b, title="b")
    assert set(visible_hazards(world.village_officer_a)) == {a}
    assert set(visible_hazards(world.township_officer)) == {a, b}
    assert set(visible_hazards(world.county_dispatcher)) == {a, b}
    assert not visible_hazards(world.outsider).exists()


# --- overdue --------------------------------------------------------------------------------------


def test_overdue_is_marked_once(world):
    hazard = rectifying(world)
    later = timezone.localdate() + datetime.timedelta(days=11)
    assert services.mark_overdue(today=later) == [hazard.pk]
    assert services.mark_overdue(today=later) == []
    hazard.refresh_from_db()
    assert hazard.overdue_since == later
    assert hazard.events.filter(action="overdue").count() == 1


def test_not_overdue_on_the_deadline_itself(world):
    hazard = rectifying(world)
    assert services.mark_overdue(today=hazard.deadline) == []


def test_overdue_task_marks_and_mails_the_owning_tier_once(world, mailoutbox, django_capture_on_commit_callbacks):
    from hazards.tasks import mark_overdue_hazards

    world.township_officer.email = "huang@example.gov.cn"
    world.township_officer.save(update_fields=["email"])
    hazard = rectifying(world)
    hazard.deadline = timezone.localdate() - datetime.timedelta(days=1)
    hazard.save(update_fields=["deadline"])
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails leave through the outbox
        assert mark_overdue_hazards() == 1
        assert mark_overdue_hazards() == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["huang@example.gov.cn"]
    assert hazard.number in mailoutbox[0].body


def test_a_number_left_by_a_unit_that_changed_code_is_skipped(world):
    from hazards.models import Hazard

    first = report(world)
    year = timezone.localdate().year
    # village A's code later goes to another unit; that unit's first report must not reuse the number
    Hazard.objects.filter(pk=first.pk).update(number=f"{world.village_b.code}-{year}-0001")
    second = report(world, by=world.village_officer_b, unit=world.village_b, title="平兰村")
    assert second.number == f"{world.village_b.code}-{year}-0002"


def test_marking_overdue_takes_the_same_queries_for_one_or_many(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    later = timezone.localdate() + datetime.timedelta(days=11)
    rectifying(world)
    with CaptureQueriesContext(connection) as one:
        assert len(services.mark_overdue(today=later)) == 1
    for i in range(5):
        rectifying(world, title=f"又一处{i}")
    with CaptureQueriesContext(connection) as many:
        assert len(services.mark_overdue(today=later)) == 5
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_service_refuses_texts_longer_than_the_forms_allow(world):
    """The service is the one validator: a caller that skips the form still meets its limits."""
    from django.core.exceptions import ValidationError

    from grids import limits

    with pytest.raises(ValidationError) as refused:
        services.hazard_report(
            by=world.village_officer_a,
            unit=world.village_a,
            category=HazardCategory.objects.filter(is_active=True).first(),
            title="山体裂缝",
            description="长" * (limits.NOTE_MAX_LENGTH + 1),
        )
    assert "description" in refused.value.message_dict
    assert not Hazard.objects.exists()
