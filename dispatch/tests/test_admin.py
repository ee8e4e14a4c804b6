"""The dispatch admin: the rule tables editable with their order checked, the registers (warnings,
incidents, the duty roster and log) scoped through grids.scope and read-only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from dispatch.models import (
    AccidentThreshold,
    AcknowledgementRule,
    DutyLogEntry,
    DutyShift,
    IncidentType,
    ReportingDeadline,
    WarningType,
)
from dispatch.services import duty, incidents, warnings
from grids.models import Role, User
from grids.tests.factories import grant, make_person

pytestmark = pytest.mark.django_db


def staff(user: User, *codenames: str) -> User:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="dispatch", codename__in=codenames))
    return User.objects.get(pk=user.pk)


VIEW_ALL = (
    "view_dutyshift",
    "view_dutylogentry",
    "view_warning",
    "view_incident",
    "change_dutyshift",
    "change_warning",
)


@pytest.fixture
def registers(world):
    """A shift, a log entry, a warning and an incident in each township."""
    other_leader = make_person("other_leader", real_name="逻镇长")
    grant(other_leader, world.other_township, Role.GRID_LEADER)
    start = timezone.now() + datetime.timedelta(days=3)
    rows = {}
    for key, unit, leader, officer in (
        ("mine", world.township, world.township_leader, world.township_officer),
        ("other", world.other_township, other_leader, other_leader),
    ):
        shift = duty.duty_shift_add(
            by=leader, unit=unit, starts_at=start, ends_at=start + datetime.timedelta(days=1),
            leader=leader, post_a=officer, post_b=world.county_dispatcher,
        )  # fmt: skip
        entry = duty.duty_log_add(by=leader, unit=unit, kind="other", summary=f"{unit.name}值班记录")
        warning = warnings.warning_issue(
            warning=warnings.warning_draft(
                by=world.county_dispatcher, type=WarningType.objects.get(code="rainstorm"), level=4,
                title=f"{unit.name}暴雨蓝色预警", content="…", valid_from=timezone.now(),
                valid_to=timezone.now() + datetime.timedelta(hours=6), areas=[unit],
            ),
            by=world.county_dispatcher,
        )  # fmt: skip
        incident, _created = incidents.incident_first_report(
            by=leader, unit=unit, type=IncidentType.objects.get(code="traffic"), title=f"{unit.name}交通事故",
            occurred_at=timezone.now(), place="国道", description="…", reporter_phone=leader.mobile, level=4,
        )  # fmt: skip
        rows[key] = {"shift": shift, "entry": entry, "warning": warning, "incident": incident}
    return rows


def changelist(model: str) -> str:
    return reverse(f"admin:dispatch_{model}_changelist")


@pytest.mark.parametrize(
    "model, key", [("dutyshift", "shift"), ("dutylogentry", "entry"), ("warning", "warning"), ("incident", "incident")]
)
def test_township_leader_lists_only_their_township(
    world, registers, client_for, model, key, django_assert_max_num_queries
):
    client = client_for(staff(world.township_leader, *VIEW_ALL))
    client.get(changelist(model))
    with django_assert_max_num_queries(15):
        response = client.get(changelist(model))
    assert response.status_code == 200
    results = list(response.context["cl"].result_list)
    other = registers["other"][key]
    assert registers["mine"][key] in results and other not in results
    if model in ("dutyshift", "dutylogentry"):  # (issuing a warning also logs it at each township)
        assert {row.unit for row in results} == {world.township}
    assert client.get(reverse(f"admin:dispatch_{model}_change", args=[other.pk])).status_code in (302, 404)


def test_county_warning_reaches_the_township_list(world, registers, client_for):
    county_wide = warnings.warning_issue(
        warning=warnings.warning_draft(
            by=world.county_dispatcher, type=WarningType.objects.get(code="gale"), level=3, title="全县大风黄色预警",
            content="…", valid_from=timezone.now(), valid_to=timezone.now() + datetime.timedelta(hours=6),
            areas=[world.county],
        ),
        by=world.county_dispatcher,
    )  # fmt: skip
    warnings.warning_draft(
        by=world.county_dispatcher, type=WarningType.objects.get(code="gale"), level=3, title="草稿", content="…",
        valid_from=timezone.now(), valid_to=timezone.now() + datetime.timedelta(hours=6), areas=[world.county],
    )  # fmt: skip
    response = client_for(staff(world.township_leader, *VIEW_ALL)).get(changelist("warning"))
    assert set(response.context["cl"].result_list) == {registers["mine"]["warning"], county_wide}


def test_registers_are_read_only_for_staff(world, registers, client_for):
    client = client_for(staff(world.township_leader, *VIEW_ALL))
    shift = registers["mine"]["shift"]
    url = reverse("admin:dispatch_dutyshift_change", args=[shift.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert client.post(url, {"note": "改"}).status_code == 403
    assert client.get(reverse("admin:dispatch_dutyshift_add")).status_code == 403
    assert (
        client.get(reverse("admin:dispatch_warning_history", args=[registers["mine"]["warning"].pk])).status_code == 200
    )
    assert (
        client.get(reverse("admin:dispatch_warning_history", args=[registers["other"]["warning"].pk])).status_code
        == 404
    )


def test_outsider_staff_sees_nothing(world, registers, client_for):
    client = client_for(staff(world.outsider, *VIEW_ALL))
    for model in ("dutyshift", "dutylogentry", "warning", "incident"):
        assert list(client.get(changelist(model)).context["cl"].result_list) == []


# --- rule tables ----------------------------------------------------------------------------------


def test_warning_type_levels_are_ticked_and_stored_in_order(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        reverse("admin:dispatch_warningtype_add"),
        {"code": "dust", "name": "浮尘", "source": "met", "levels": ["4", "2", "3"], "feed_code": "17",
         "cap_category": "Met", "order": 30, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert WarningType.objects.get(code="dust").levels == [2, 3, 4]
    none = client.post(
        reverse("admin:dispatch_warningtype_add"),
        {"code": "dust2", "name": "浮尘2", "source": "met", "feed_code": "", "cap_category": "Met", "order": 31},
    )
    assert "levels" in none.context["adminform"].form.errors
    edit = client.get(reverse("admin:dispatch_warningtype_change", args=[WarningType.objects.get(code="sandstorm").pk]))
    assert 'type="checkbox" name="levels" value="1"' in edit.content.decode().replace(" checked", "")


def test_accident_thresholds_must_decrease_from_level_one(world, client_for):
    client = client_for(world.admin)
    level_two = AccidentThreshold.objects.get(level=2)
    url = reverse("admin:dispatch_accidentthreshold_change", args=[level_two.pk])
    refused = client.post(url, {"min_deaths": 30, "min_serious_injuries": 50, "min_direct_loss": "5000"})
    assert "min_deaths" in refused.context["adminform"].form.errors  # not below level I's 30
    too_low = client.post(url, {"min_deaths": 3, "min_serious_injuries": 50, "min_direct_loss": "5000"})
    assert "min_deaths" in too_low.context["adminform"].form.errors  # not above level III's 3
    accepted = client.post(url, {"min_deaths": 12, "min_serious_injuries": 60, "min_direct_loss": "6000"})
    assert accepted.status_code == 302
    level_two.refresh_from_db()
    assert (level_two.min_deaths, level_two.min_direct_loss) == (12, Decimal("6000"))


def test_reporting_deadline_written_not_before_phone(world, client_for):
    client = client_for(world.admin)
    deadline = ReportingDeadline.objects.get(level=1)
    url = reverse("admin:dispatch_reportingdeadline_change", args=[deadline.pk])
    refused = client.post(url, {"phone_minutes": 40, "written_minutes": 20})
    assert "written_minutes" in refused.context["adminform"].form.errors
    assert client.post(url, {"phone_minutes": 15, "written_minutes": 30}).status_code == 302
    deadline.refresh_from_db()
    assert (deadline.phone_minutes, deadline.written_minutes) == (15, 30)


def test_acknowledgement_rule_tells_the_parent_after_the_reminder(world, client_for):
    client = client_for(world.admin)
    rule = AcknowledgementRule.objects.get(tier=3)
    url = reverse("admin:dispatch_acknowledgementrule_change", args=[rule.pk])
    refused = client.post(url, {"remind_after_minutes": 60, "tell_parent_after_minutes": 30})
    assert "tell_parent_after_minutes" in refused.context["adminform"].form.errors
    assert client.post(url, {"remind_after_minutes": 20, "tell_parent_after_minutes": 45}).status_code == 302


def test_incident_type_code_and_category_are_fixed_once_created(world, client_for):
    client = client_for(world.admin)
    kind = IncidentType.objects.get(code="fire")
    url = reverse("admin:dispatch_incidenttype_change", args=[kind.pk])
    response = client.post(
        url, {"name": "火灾", "production_safety": "on", "order": 3, "code": "x", "category": "natural"}
    )
    assert response.status_code == 302
    kind.refresh_from_db()
    assert (kind.code, kind.category, kind.name) == ("fire", "accident", "火灾")


def test_only_a_superuser_deletes_rule_rows(world, client_for):
    leader = staff(world.township_leader, "view_warningtype", "change_warningtype", "delete_warningtype")
    kind = WarningType.objects.get(code="fog")
    assert client_for(leader).get(reverse("admin:dispatch_warningtype_delete", args=[kind.pk])).status_code == 403
    assert DutyShift.objects.count() == DutyLogEntry.objects.count() == 0


@pytest.mark.parametrize(
    "model", [WarningType, AcknowledgementRule, AccidentThreshold, ReportingDeadline, IncidentType]
)
def test_rule_tables_keep_their_history(model):
    row = model.objects.order_by("pk").first()
    before = row.history.count()
    row.save()
    assert row.history.count() == before + 1
