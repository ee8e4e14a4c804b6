"""``seed_demo_activity``: the demo county with hazards in every state, reports, consultations, a
warning in force, incidents and a duty roster — all written by the demo's own people through the
services, once."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from delivery.models import Delivery, Document
from dispatch.models import DutyLogEntry, DutyShift, Incident, IncidentReport, Warning
from dispatch.selectors.duty import on_duty_now
from dispatch.selectors.warnings import warning_board
from emergency import testclock
from grids.models import GridUnit, Membership, User
from hazards.models import Grade, Hazard, HazardCopy, HazardEvent, HazardPhoto, State
from plans.models import Filing, Plan, PlanVersion
from reports.models import Consultation, Countermeasure, MonthlyReport

COUNTY = "451027"


@pytest.fixture(scope="class")
def activity_output(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo county and its activity, built once for the class and rolled back at its end."""
    media = tmp_path_factory.mktemp("media")
    with testclock.travel(), django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("seed_demo", password="x", stdout=StringIO())
        out = StringIO()
        call_command("seed_demo_activity", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def clock():
    """The class's demo is built at the test clock's instant and takes a while: its tests go on
    from when it was built instead of going back to the instant (its warning would not have begun)."""
    with testclock.travel(timezone.now()) as traveller:
        yield traveller


@pytest.fixture
def county(activity_output, db):
    return GridUnit.objects.get(code=COUNTY)


def counts() -> dict[str, int]:
    return {
        "hazards": Hazard.objects.count(),
        "events": HazardEvent.objects.count(),
        "photos": HazardPhoto.objects.count(),
        "reports": MonthlyReport.objects.count(),
        "documents": Document.objects.count(),
        "deliveries": Delivery.objects.count(),
        "consultations": Consultation.objects.count(),
        "warnings": Warning.objects.count(),
        "incidents": Incident.objects.count(),
        "shifts": DutyShift.objects.count(),
        "log": DutyLogEntry.objects.count(),
        "plans": Plan.objects.count(),
    }


@pytest.mark.django_db  # ordered with the database tests, before transactional ones flush the rule tables
class TestDemoActivity:
    """Read-only checks on one demo county with its activity (see ``activity_output``)."""

    def test_hazards_reach_every_state_of_the_loop(self, county):
        by_state = {state: Hazard.objects.filter(state=state).count() for state in State.values}
        assert all(by_state[state] >= 3 for state in State.values), by_state
        assert 50 <= sum(by_state.values()) <= 70
        assert HazardEvent.objects.filter(action=HazardEvent.Action.CLOSE_ON_SPOT).count() >= 3
        assert HazardEvent.objects.filter(action=HazardEvent.Action.ACCEPT).count() >= 5

    def test_hazards_were_found_in_the_past_inside_their_units(self, county):
        now = timezone.now()
        hazards = list(Hazard.objects.select_related("unit"))
        assert all(h.found_at < now for h in hazards)
        assert min(h.found_at for h in hazards) < now - datetime.timedelta(days=120)
        for hazard in hazards:
            assert shape(hazard.unit.boundary).contains(Point(hazard.lng, hazard.lat)), hazard.number
        assert len({h.unit_id for h in hazards}) >= 20
        assert HazardPhoto.objects.filter(kind=HazardPhoto.Kind.REPORT).count() >= 5
        assert HazardPhoto.objects.filter(kind=HazardPhoto.Kind.EVIDENCE).count() >= 10

    def test_every_hazard_was_reported_by_someone_holding_a_role_in_its_unit(self, county):
        pairs = set(Hazard.objects.values_list("reporter_id", "unit_id"))
        roles = set(Membership.objects.active().values_list("user_id", "unit_id"))
        assert pairs <= roles

    def test_some_rectifying_hazards_are_overdue(self, county):
        overdue = Hazard.objects.filter(state=State.RECTIFYING, overdue_since__isnull=False)
        assert overdue.count() >= 2
        assert Hazard.objects.filter(state=State.RECTIFYING, overdue_since__isnull=True).exists()
        assert HazardEvent.objects.filter(action=HazardEvent.Action.OVERDUE).count() == overdue.count()

    def test_each_step_of_the_loop_happened_at_its_own_date(self, county):
        """Closures spread over the half year (the dashboard's trend), each after its hazard was
        found; marks of overdue the day after their deadline; nothing due today is overdue."""
        today = timezone.localdate()
        closed = list(Hazard.objects.filter(state=State.CLOSED).values_list("found_at", "closed_at"))
        assert all(found <= shut for found, shut in closed)
        months = {timezone.localtime(shut).strftime("%Y-%m") for _found, shut in closed}
        assert len(months) >= 4
        assert sum(1 for _found, shut in closed if timezone.localdate(shut) == today) <= 2
        for hazard in Hazard.objects.filter(state=State.RECTIFYING):
            if hazard.overdue_since is None:
                assert hazard.deadline >= today
            else:
                assert hazard.overdue_since == hazard.deadline + datetime.timedelta(days=1) <= today

    def test_last_months_reports_count_the_closures_of_last_month(self, county):
        rates = [r.figures.get("rate") for r in MonthlyReport.objects.exclude(figures={})]
        assert any(rate for rate in rates if rate is not None)

    def test_major_hazards_are_owned_by_the_county_and_one_is_supervised_with_a_department_reply(self, county):
        majors = Hazard.objects.filter(grade=Grade.MAJOR)
        assert majors.count() >= 2
        assert set(majors.values_list("owner_unit_id", flat=True)) == {county.pk}
        supervised = Hazard.objects.get(supervised=True)
        assert supervised.grade == Grade.MAJOR
        assert supervised.supervising_department.short_name in ("水利局", "自然资源局")
        copy = HazardCopy.objects.get(hazard=supervised, department=supervised.supervising_department)
        assert copy.feedback and copy.feedback_by.department_id == copy.department_id
        assert HazardEvent.objects.filter(action=HazardEvent.Action.ESCALATE, hazard__grade=Grade.GENERAL).exists()

    def test_last_months_reports_are_partly_submitted_and_reach_the_township_inbox(self, county):
        states = set(MonthlyReport.objects.values_list("state", flat=True))
        assert {MonthlyReport.State.DRAFT, MonthlyReport.State.SUBMITTED} <= states
        submitted = MonthlyReport.objects.filter(state=MonthlyReport.State.SUBMITTED)
        assert all(report.signer_name for report in submitted)
        sicheng = GridUnit.objects.get(name="泗城镇")
        inbox = Delivery.objects.filter(recipient_unit=sicheng, document__kind=Document.Kind.MONTHLY_REPORT)
        assert inbox.count() >= 5

    def test_the_township_consultation_is_recorded_with_two_open_countermeasures(self, county):
        consultation = Consultation.objects.get(unit__name="泗城镇")
        assert consultation.state == Consultation.State.OPEN
        assert consultation.held_on and consultation.participants and consultation.briefing
        measures = Countermeasure.objects.filter(consultation=consultation)
        assert measures.count() == 2
        assert set(measures.values_list("state", flat=True)) == {Countermeasure.State.OPEN}

    def test_an_active_warning_is_acknowledged_by_some_units_and_not_others(self, county):
        warning = Warning.objects.get(state=Warning.State.ACTIVE)
        assert warning.issued_by.username == "county_dispatcher"
        assert warning.valid_from <= timezone.now() < warning.valid_to
        assert warning.areas.count() == 2
        board = warning_board(warning.issued_by, warning)
        acknowledged = sum(row.acknowledged for row in board.tiers)
        total = sum(row.total for row in board.tiers)
        assert 0 < acknowledged < total

    def test_incidents_went_up_the_tiers_and_the_fire_is_closed(self, county):
        crash = Incident.objects.get(type__code="traffic")
        fire = Incident.objects.get(type__code="forest_fire")
        assert crash.reporter.username == "village_officer"
        assert crash.tiers.get(unit=county).received_at is not None
        assert not crash.is_final
        assert fire.is_final
        assert fire.reports.filter(kind=IncidentReport.Kind.FINAL).exists()
        assert not crash.tiers.filter(phone_late=True).exists()
        assert not fire.tiers.filter(written_late=True).exists()

    def test_the_county_and_the_township_have_a_shift_on_duty_now(self, county):
        sicheng = GridUnit.objects.get(name="泗城镇")
        now = on_duty_now([county, sicheng])
        assert set(now) == {county.pk, sicheng.pk}
        assert now[county.pk].post_a.username == "county_dispatcher"
        assert now[sicheng.pk].post_b_id is not None
        assert DutyShift.objects.filter(unit=county).count() >= 7
        assert DutyLogEntry.objects.filter(unit=county).count() >= 3

    def test_plans_are_in_every_state_with_a_returned_filing(self, county):
        states = set(PlanVersion.objects.values_list("state", flat=True))
        assert {"draft", "review", "issued", "filed", "in_force", "revising", "withdrawn"} <= states
        assert Filing.objects.filter(state=Filing.State.RETURNED).exclude(return_reason="").exists()
        assert Filing.objects.filter(state=Filing.State.RECEIPTED, number__isnull=False).count() >= 3
        village = Membership.objects.active().filter(user__username="village_officer", unit__level=2).first().unit
        plan = Plan.objects.filter(unit=village, current_version__state="in_force", kind__code="village").earliest("pk")
        assert {d.kind for d in plan.current_version.documents.all()} >= {"official", "risk_map", "evacuation_map"}
        assert plan.linked_plans.filter(unit=village.parent).exists()

    def test_the_summary_names_the_county(self, activity_output):
        assert _("Demo activity in %(county)s:") % {"county": "凌云县"} in activity_output

    def test_pages_of_the_county_dispatcher_show_the_activity(self, county, client):
        client.force_login(User.objects.get(username="county_dispatcher"))
        warning = Warning.objects.get()
        home = client.get(reverse("grids:home"))
        assert home.status_code == 200
        dashboard = client.get(reverse("hazards:dashboard"))
        assert dashboard.status_code == 200
        assert dashboard.context["figures"]["overdue"] >= 2
        assert client.get(reverse("hazards:map")).status_code == 200
        data = client.get(reverse("hazards:map_data")).json()
        assert data["total"] == Hazard.objects.count()
        board = client.get(reverse("dispatch:warning_board", args=[warning.pk]))
        assert board.status_code == 200
        assert warning.title in board.content.decode()

    def test_the_plan_clocks_have_an_overdue_evaluation_a_drill_due_soon_and_an_open_trigger(self, county):
        from plans.models import RevisionTrigger
        from plans.selectors import calendar_rows

        dispatcher = User.objects.get(username="county_dispatcher")
        statuses = [row.statuses for row in calendar_rows(dispatcher)]
        assert any(s["evaluation"] == "overdue" for s in statuses)
        assert any(s["drill"] == "due_soon" for s in statuses)
        assert RevisionTrigger.objects.filter(closed_at__isnull=True, source="drill").exists()

    def test_a_second_run_changes_nothing(self, county):
        before = counts()
        out = StringIO()
        call_command("seed_demo_activity", stdout=out)
        assert counts() == before
        assert _("Hazards already exist: no demo activity was added.") in out.getvalue()


@pytest.mark.django_db
def test_without_the_demo_county_the_command_refuses():
    with pytest.raises(CommandError):
        call_command("seed_demo_activity", stdout=StringIO())
    assert not Hazard.objects.exists()
