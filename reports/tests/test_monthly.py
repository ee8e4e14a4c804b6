"""Monthly hazard reports: figures against hand counts, roll-up, idempotent jobs, auto-submit,
versions, the matrix, and constant query counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.models import Delivery
from grids.models import GridUnit
from grids.rules import Kind
from grids.scope import forget_scope
from grids.tests.factories import make_unit
from hazards.models import Hazard, State
from hazards.tests.factories import report
from reports import selectors, services
from reports.models import MonthlyReport
from reports.services import ReportRefused

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
OCTOBER = datetime.date(2026, 10, 1)


def at(day: int, month: int = 10, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=TZ)


def hazard(
    world, *, unit=None, by=None, found, code="geological", closed=None, state=None, overdue_since=None, grade=None
):
    h = report(
        world,
        unit=unit or world.village_a,
        by=by or (world.village_officer_b if unit == world.village_b else world.village_officer_a),
        code=code,
        found_at=found,
        title=f"隐患{found:%m%d%H}",
    )
    fields = {}
    if closed:
        fields.update(closed_at=closed, state=state or State.CLOSED)
    elif state:
        fields["state"] = state
    if overdue_since:
        fields["overdue_since"] = overdue_since
    if grade:
        fields["grade"] = grade
    if fields:
        Hazard.objects.filter(pk=h.pk).update(**fields)
    return h


@pytest.fixture
def october(world):
    """Village A: 2 new in October (one closed in October), 1 from September still open and overdue,
    1 from August closed in September (not in October's figures). Village B: 1 new, rejected in October."""
    hazard(world, found=at(3))
    hazard(world, found=at(12), code="flood", closed=at(20))
    hazard(world, found=at(15, 9), state=State.RECTIFYING, overdue_since=datetime.date(2026, 10, 10))
    hazard(world, found=at(1, 8), closed=at(1, 9))
    hazard(world, unit=world.village_b, found=at(5), closed=at(6), state=State.REJECTED)
    hazard(world, found=at(2, 11))  # November: outside
    return world


def test_figures_match_hand_counts(october):
    world = october
    assert services.monthly_reports_open(period=OCTOBER) == 7  # 3 villages, 1 enterprise, 2 townships, 1 park
    services.monthly_reports_compile(period=OCTOBER)
    a = MonthlyReport.objects.get(unit=world.village_a, period=OCTOBER)
    assert a.state == MonthlyReport.State.DRAFT
    totals = a.figures["totals"]
    assert totals["new"] == 2
    assert totals["closed"] == 1
    assert totals["open_start"] == 1
    assert totals["open_end"] == 2
    assert totals["overdue"] == 1
    assert a.figures["rate"] == round(1 / 3, 4)
    names = {row["name"]: row for row in a.figures["by_category"]}
    assert names["洪涝"]["new"] == 1 and names["洪涝"]["closed"] == 1
    b = MonthlyReport.objects.get(unit=world.village_b, period=OCTOBER)
    assert b.figures["totals"]["rejected"] == 1 and b.figures["totals"]["open_end"] == 0


def test_township_rolls_up_its_villages_and_lists_those_that_found_nothing(october):
    world = october
    services.monthly_job(today=datetime.date(2026, 11, 1))
    township = MonthlyReport.objects.get(unit=world.township, period=OCTOBER)
    assert township.figures["totals"]["new"] == 3
    children = {c["name"]: c for c in township.figures["children"]}
    assert children[world.village_a.name]["found_nothing"] is False
    assert children[world.village_b.name]["new"] == 1
    other = MonthlyReport.objects.get(unit=world.other_township, period=OCTOBER)
    assert [c["found_nothing"] for c in other.figures["children"]] == [True]


def test_reporting_units_are_tiers_two_and_three_only(world):
    services.monthly_reports_open(period=OCTOBER)
    levels = set(MonthlyReport.objects.values_list("unit__level", flat=True))
    assert levels == {1, 2}
    assert not MonthlyReport.objects.filter(unit=world.county).exists()


def test_running_the_job_twice_leaves_one_report_per_unit(october):
    first = services.monthly_job(today=datetime.date(2026, 11, 1))
    second = services.monthly_job(today=datetime.date(2026, 11, 3))
    assert first["opened"] == first["compiled"] == 7
    assert second == {"opened": 0, "compiled": 0}
    assert MonthlyReport.objects.filter(period=OCTOBER).count() == 7


def test_a_run_killed_after_opening_is_finished_by_the_next(october):
    services.monthly_reports_open(period=OCTOBER)  # the first run died before compiling
    assert MonthlyReport.objects.filter(state=MonthlyReport.State.PENDING).count() == 7
    result = services.monthly_job(today=datetime.date(2026, 11, 2))
    assert result == {"opened": 0, "compiled": 7}
    assert not MonthlyReport.objects.filter(state=MonthlyReport.State.PENDING).exists()


def test_a_compiled_draft_is_not_overwritten_by_a_late_run(october):
    world = october
    services.monthly_job(today=datetime.date(2026, 11, 1))
    draft = MonthlyReport.objects.get(unit=world.village_a, period=OCTOBER)
    services.monthly_report_submit(report=draft, by=world.village_officer_a, signer_name="陆信息", annotation="已核")
    services.monthly_job(today=datetime.date(2026, 11, 1))
    draft.refresh_from_db()
    assert draft.state == MonthlyReport.State.SUBMITTED and draft.annotation == "已核"


def test_submit_signs_and_lands_in_the_parents_inbox(october):
    world = october
    services.monthly_job(today=datetime.date(2026, 11, 1))
    draft = MonthlyReport.objects.get(unit=world.village_a, period=OCTOBER)
    with pytest.raises(ValidationError):
        services.monthly_report_submit(report=draft, by=world.village_officer_a, signer_name=" ")
    services.monthly_report_submit(report=draft, by=world.village_officer_a, signer_name="陆信息")
    delivery = Delivery.objects.get(recipient_unit=world.township)
    assert world.village_a.name in delivery.document.title
    with pytest.raises(ReportRefused):
        services.monthly_report_submit(report=draft, by=world.village_officer_a, signer_name="陆信息")


def test_only_the_units_own_people_submit(october):
    world = october
    services.monthly_job(today=datetime.date(2026, 11, 1))
    draft = MonthlyReport.objects.get(unit=world.village_a, period=OCTOBER)
    from django.core.exceptions import PermissionDenied

    for person in (world.village_officer_b, world.township_officer, world.outsider):
        with pytest.raises(PermissionDenied):
            services.monthly_report_submit(report=draft, by=person, signer_name="x")


def test_auto_submit_after_the_deadline_only(october):
    world = october
    services.monthly_job(today=datetime.date(2026, 11, 1))
    assert services.monthly_reports_auto_submit(today=datetime.date(2026, 11, 5)) == 0  # due by the 5th: not yet
    submitted = services.monthly_reports_auto_submit(today=datetime.date(2026, 11, 6))
    assert submitted == 4  # villages and the enterprise (due by the 5th); townships and the park by the 8th
    village = MonthlyReport.objects.get(unit=world.village_a, period=OCTOBER)
    assert village.state == MonthlyReport.State.SUBMITTED and village.auto_submitted
    assert Delivery.objects.filter(recipient_unit=world.township).count() == 2
    assert services.monthly_reports_auto_submit(today=datetime.date(2026, 11, 9)) == 3
    township = MonthlyReport.objects.get(unit=world.township, period=OCTOBER)
    assert all(child["reported"] for child in township.figures["children"])
    assert services.monthly_reports_auto_submit(today=datetime.date(2026, 11, 20)) == 0


def test_reissue_keeps_the_old_version(october):
    world = october
    services.monthly_job(today=datetime.date(2026, 11, 1))
    old = MonthlyReport.objects.get(unit=world.village_a, period=OCTOBER)
    services.monthly_report_submit(report=old, by=world.village_officer_a, signer_name="陆信息")
    hazard(world, found=at(30))  # a late entry for October
    new = services.monthly_report_reissue(report=old, by=world.village_officer_a, reason="补录10月30日隐患")
    old.refresh_from_db()
    assert old.state == MonthlyReport.State.SUPERSEDED and old.figures["totals"]["new"] == 2
    assert new.version == 2 and new.state == MonthlyReport.State.DRAFT and new.figures["totals"]["new"] == 3
    assert services.monthly_job(today=datetime.date(2026, 11, 1)) == {"opened": 0, "compiled": 0}


def test_matrix_states(october):
    world = october
    services.monthly_job(today=datetime.date(2026, 11, 1))
    a = MonthlyReport.objects.get(unit=world.village_a, period=OCTOBER)
    services.monthly_report_submit(report=a, by=world.village_officer_a, signer_name="陆信息")
    MonthlyReport.objects.filter(pk=a.pk).update(submitted_at=at(3, 11))  # on time: before the 5th
    september = datetime.date(2026, 9, 1)
    late = MonthlyReport.objects.create(
        unit=world.village_a,
        period=september,
        state="submitted",
        deadline=datetime.date(2026, 10, 5),
        submitted_at=at(7),
        signer_name="x",
    )
    MonthlyReport.objects.create(
        unit=world.village_b,
        period=september,
        state="submitted",
        deadline=datetime.date(2026, 10, 5),
        submitted_at=at(7),
        auto_submitted=True,
        signer_name="x",
    )
    rows = selectors.report_matrix(user=world.township_officer, parent=world.township, months=[september, OCTOBER])
    status = {(row["unit"].name, cell["month"]): cell["status"] for row in rows for cell in row["cells"]}
    assert status[(world.village_a.name, OCTOBER)] == "submitted"
    assert status[(world.village_a.name, september)] == "late" and late.is_late
    assert status[(world.village_b.name, september)] == "auto"
    assert status[(world.village_b.name, OCTOBER)] == "draft"


def test_monthly_job_queries_do_not_grow_with_units_or_hazards(world):
    def build(n: int, start: int):
        township = make_unit(world.county, Kind.TOWN, f"451027{start:03d}000", f"镇{start}")
        for i in range(n):
            village = make_unit(township, Kind.VILLAGE, f"451027{start:03d}{201 + i:03d}", f"村{start}-{i}")
            forget_scope(world.county_dispatcher)
            hazard(world, unit=village, by=world.county_dispatcher, found=at(5 + i % 20))

    build(2, 110)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        services.monthly_job(today=datetime.date(2026, 11, 1))
    MonthlyReport.objects.all().delete()
    build(12, 120)
    with CaptureQueriesContext(connection) as large:
        services.monthly_job(today=datetime.date(2026, 11, 1))
    assert GridUnit.objects.filter(level=2).count() > 14
    assert len(large.captured_queries) == len(small.captured_queries)
