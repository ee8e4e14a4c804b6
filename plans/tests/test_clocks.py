"""The clock rules, the due dates, the records that move them, revision triggers from every source
and the revision branch (minor revision straight into force; major repeats review and filing)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dispatch.models import IncidentType
from dispatch.services import incidents as incident_services
from grids import services as grid_services
from grids.models import Role
from grids.tests.factories import make_person
from plans import services
from plans.models import (
    ClockRule,
    HighRiskUnit,
    Plan,
    PlanDocument,
    RevisionTrigger,
    TriggerCase,
    TriggerSource,
    VersionState,
)
from plans.services import TransitionRefused
from plans.services.clocks import RuleBook, add_months, plan_clocks
from plans.tests.clock_factories import days_ago, leader, live_plan
from plans.tests.factories import draft, kind, pdf, reviewed

pytestmark = pytest.mark.django_db


# --- the rule rows -----------------------------------------------------------------------------------

RULE_CASES = [
    # (unit attribute, department?, plan kind, high-risk?, evaluation months, drill months)
    ("county", False, "overall", False, 36, None),
    ("county", False, "special", False, 36, 12),
    ("county", True, "department", False, 36, 12),
    ("township", False, "township", False, 36, 12),
    ("township", False, "special", False, 36, 12),
    ("village_a", False, "village", False, 36, 12),
    ("park", False, "overall", False, 36, None),
    ("enterprise", False, "enterprise-comprehensive", False, None, 12),
    ("enterprise", False, "enterprise-special", False, None, 12),
    ("enterprise", False, "enterprise-onsite", False, None, 6),
    ("enterprise", False, "enterprise-comprehensive", True, 36, 6),
]


@pytest.mark.parametrize(("unit", "department", "code", "high_risk", "evaluation", "drill"), RULE_CASES)
def test_each_rule_row_gives_its_interval(world, unit, department, code, high_risk, evaluation, drill):
    owner = getattr(world, unit)
    if high_risk:
        HighRiskUnit.objects.create(unit=owner, reason="危险化学品")
    plan = Plan(unit=owner, kind=kind(code), department=world.department if department else None)
    book = RuleBook.load()
    assert (book.months(plan, "evaluation"), book.months(plan, "drill")) == (evaluation, drill)


def test_every_seeded_row_cites_its_rule_and_the_yearly_drill_notes_the_legal_floor():
    rows = list(ClockRule.objects.select_related("plan_kind"))
    assert len(rows) == 14 and all(row.rule for row in rows)
    special = next(r for r in rows if r.clock == "drill" and r.plan_kind and r.plan_kind.code == "special")
    assert special.months == 12 and "3年" in special.rule
    assert set(ClockRule.history.filter(history_type="+").values_list("id", flat=True)) >= {r.pk for r in rows}


def test_an_edited_or_inactive_row_changes_the_interval(world):
    plan = Plan(unit=world.township, kind=kind("township"))
    row = ClockRule.objects.get(clock="drill", owner_kind="township", plan_kind__isnull=True)
    row.months = 24
    row.save()
    assert RuleBook.load().months(plan, "drill") == 24
    row.is_active = False
    row.save()
    assert RuleBook.load().months(plan, "drill") is None


# --- month arithmetic: leap days and year ends ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (datetime.date(2028, 2, 29), 12, datetime.date(2029, 2, 28)),
        (datetime.date(2028, 2, 29), 36, datetime.date(2031, 2, 28)),
        (datetime.date(2028, 2, 29), 48, datetime.date(2032, 2, 29)),
        (datetime.date(2023, 11, 30), 3, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 12, 31), 6, datetime.date(2027, 6, 30)),
        (datetime.date(2026, 12, 31), 12, datetime.date(2027, 12, 31)),
        (datetime.date(2026, 7, 1), 6, datetime.date(2027, 1, 1)),
        (datetime.date(2027, 12, 15), 1, datetime.date(2028, 1, 15)),
    ],
)
def test_add_months_across_leap_days_and_year_ends(start, months, due):
    assert add_months(start, months) == due


def test_due_dates_count_from_the_in_force_date_then_from_the_last_record(world):
    since = days_ago(400)
    plan = live_plan(world, since=since)
    clocks = plan_clocks(plan)
    assert clocks.evaluation_due == add_months(since, 36)
    assert clocks.drill_due == add_months(since, 12)
    services.drill_record(plan=plan, by=world.township_officer, held_on=days_ago(500))  # before: does not count
    assert plan_clocks(plan).drill_due == add_months(since, 12)
    services.drill_record(plan=plan, by=world.township_officer, held_on=days_ago(10))
    services.evaluation_record(
        plan=plan, by=world.township_officer, held_on=days_ago(5), evaluated_by="第三方", conclusion="适用"
    )
    clocks = plan_clocks(plan)
    assert (clocks.drill_due, clocks.evaluation_due) == (add_months(days_ago(10), 12), add_months(days_ago(5), 36))


def test_an_issued_version_shows_its_filing_due(world):
    plan = draft(world)
    version = services.version_issue(version=reviewed(world, plan), by=world.township_leader)
    clocks = plan_clocks(Plan.objects.get(pk=plan.pk))
    assert clocks.filing_due == version.filing_due and clocks.evaluation_due is None


# --- records --------------------------------------------------------------------------------------


def test_records_are_refused_clearly_and_save_nothing(world):
    plan = live_plan(world)
    with pytest.raises(PermissionDenied):
        services.drill_record(plan=plan, by=world.village_officer_a, held_on=days_ago(1))
    with pytest.raises(ValidationError):
        services.drill_record(plan=plan, by=world.township_officer, held_on=days_ago(-1))
    with pytest.raises(ValidationError):
        services.evaluation_record(
            plan=plan, by=world.township_officer, held_on=days_ago(1), evaluated_by="x" * 101, conclusion="适用"
        )
    with pytest.raises(TransitionRefused):
        services.drill_record(plan=draft(world, title="草稿预案"), by=world.township_officer, held_on=days_ago(1))
    assert not plan.drill_records.exists() and not plan.evaluations.exists()


# --- triggers from every source --------------------------------------------------------------------------


def test_a_trigger_by_hand_and_its_refusals(world):
    plan = live_plan(world)
    trigger = services.trigger_raise_by_hand(plan=plan, by=world.township_officer, case="risks", note="新增危化企业")
    assert (trigger.source, trigger.case, trigger.raised_by) == ("manual", "risks", world.township_officer)
    with pytest.raises(PermissionDenied):
        services.trigger_raise_by_hand(plan=plan, by=world.department_officer, case="risks", note="x")
    with pytest.raises(ValidationError):
        services.trigger_raise_by_hand(plan=plan, by=world.township_officer, case="nonsense", note="x")
    with pytest.raises(ValidationError):
        services.trigger_raise_by_hand(plan=plan, by=world.township_officer, case="risks", note=" ")
    assert plan.revision_triggers.count() == 1
    assert len(TriggerCase.choices) == 8


def test_a_drill_that_found_a_plan_problem_raises_one_trigger(world):
    plan = live_plan(world)
    drill = services.drill_recorded(plan, days_ago(2), world.township_officer, True, "信号不一致")
    trigger = plan.revision_triggers.get()
    assert (trigger.source, trigger.case, trigger.source_key) == ("drill", "practice", f"drill:{drill.pk}")
    again = services.trigger_raise(
        plan=plan, case="practice", source="drill", source_key=f"drill:{drill.pk}", note="再次"
    )
    assert again.pk == trigger.pk and plan.revision_triggers.count() == 1
    services.drill_recorded(plan, days_ago(1), None, False, "")
    assert plan.revision_triggers.count() == 1


def test_an_evaluation_calling_for_revision_raises_a_trigger(world):
    plan = live_plan(world)
    services.evaluation_record(
        plan=plan, by=world.township_officer, held_on=days_ago(3), evaluated_by="县应急局", conclusion="需修订",
        calls_for_revision=True, case="laws",
    )  # fmt: skip
    assert plan.revision_triggers.get().case == "laws"


def test_a_final_report_naming_a_plan_problem_raises_triggers_on_the_covering_plans(
    world, django_capture_on_commit_callbacks
):
    fire = IncidentType.objects.get(code="fire")
    covering = live_plan(world)
    covering.incident_types.set([fire])
    other = live_plan(world, unit=world.other_township, title="逻楼镇预案")
    other.incident_types.set([fire])
    with django_capture_on_commit_callbacks(execute=True):
        incident, _ = incident_services.incident_first_report(
            by=world.village_officer_a, unit=world.village_a, type=fire, title="仓库起火",
            occurred_at=world_now(), place="三组", description="起火", reporter_phone="13800000000",
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.incident_final(incident=incident, by=world.township_officer, text="已处置", plan_problem=True)
    trigger = covering.revision_triggers.get()
    assert (trigger.source, trigger.case) == ("incident", "practice")
    assert not other.revision_triggers.exists()  # another township's plan does not cover village A
    assert incident.reports.get(kind="final").names_plan_problem


def test_a_final_report_without_a_plan_problem_raises_nothing(world, django_capture_on_commit_callbacks):
    fire = IncidentType.objects.get(code="fire")
    plan = live_plan(world)
    plan.incident_types.set([fire])
    incident, _ = incident_services.incident_first_report(
        by=world.village_officer_a, unit=world.village_a, type=fire, title="仓库起火",
        occurred_at=world_now(), place="三组", description="起火", reporter_phone="13800000000",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.incident_final(incident=incident, by=world.township_officer, text="已处置")
    assert not plan.revision_triggers.exists()


def world_now():
    from django.utils import timezone

    return timezone.now() - datetime.timedelta(minutes=5)


def test_a_change_of_the_owners_grid_leader_raises_a_trigger(world, django_capture_on_commit_callbacks):
    plan = live_plan(world)
    newcomer = make_person("new_leader", real_name="新书记")
    with django_capture_on_commit_callbacks(execute=True):
        membership = grid_services.membership_grant(
            by=world.admin, user=newcomer, unit=world.township, role=Role.GRID_LEADER
        )
    trigger = plan.revision_triggers.get()
    assert (trigger.source, trigger.case) == (TriggerSource.LEADER_CHANGE, TriggerCase.INFORMATION)
    assert "新书记" in trigger.note
    with django_capture_on_commit_callbacks(execute=True):
        grid_services.membership_revoke(by=world.admin, membership=membership)
    assert plan.revision_triggers.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        grid_services.membership_grant(by=world.admin, user=newcomer, unit=world.township, role=Role.GRID_OFFICER)
    assert plan.revision_triggers.count() == 2  # not a leader's role


def test_a_change_of_the_plans_main_leader_raises_a_trigger(world):
    plan = live_plan(world)
    services.plan_update(plan=plan, by=world.township_officer, leader_name="新镇长")
    services.plan_update(plan=plan, by=world.township_officer, contacts="值班室 0776-1234567")
    trigger = plan.revision_triggers.get()
    assert trigger.source == "leader_change" and "新镇长" in trigger.note


# --- closing, and the revision branch --------------------------------------------------------------------


def _revision(world, plan, **touches):
    version = services.version_open_revision(plan=plan, by=world.township_officer, summary="更新通讯录", **touches)
    services.document_add(version=version, by=world.township_officer, kind=PlanDocument.Kind.OFFICIAL_TEXT,
                          upload=pdf())  # fmt: skip
    return version


def test_a_major_revision_repeats_review_and_filing_and_its_receipt_closes_the_triggers(world):
    plan = live_plan(world)
    trigger = services.trigger_raise_by_hand(plan=plan, by=world.township_officer, case="command", note="机构改革")
    version = _revision(world, plan, touches_command=True)
    with pytest.raises(TransitionRefused):
        services.version_issue_into_force(version=version, by=world.township_leader)
    services.version_submit_review(version=version, by=world.township_officer)
    services.review_record_add(version=version, by=world.township_officer, held_on=days_ago(1), experts="专家",
                               opinions="意见", handling="采纳")  # fmt: skip
    services.version_issue(version=version, by=world.township_leader)
    trigger.refresh_from_db()
    assert trigger.is_open  # issued is not yet in force
    filing = services.version_file(version=version, by=world.township_officer)
    services.filing_receipt(filing=filing, by=world.county_dispatcher)
    trigger.refresh_from_db()
    assert trigger.closed_by_version_id == version.pk and trigger.closed_at is not None


def test_a_minor_revision_goes_into_force_without_review_or_filing(world):
    plan = live_plan(world)
    old = plan.current_version
    services.trigger_raise_by_hand(plan=plan, by=world.township_officer, case="information", note="电话变更")
    version = _revision(world, plan)
    with pytest.raises(PermissionDenied):
        services.version_issue_into_force(version=version, by=world.township_officer)  # the leader signs
    services.version_issue_into_force(version=version, by=world.township_leader, issue_number="泗政发〔2026〕9号")
    version.refresh_from_db()
    old.refresh_from_db()
    plan.refresh_from_db()
    assert (version.state, old.state, plan.current_version_id) == (VersionState.IN_FORCE, VersionState.SUPERSEDED,
                                                                    version.pk)  # fmt: skip
    assert not version.filings.exists() and not version.reviews.exists()
    assert not RevisionTrigger.objects.filter(plan=plan, closed_at__isnull=True).exists()
    with pytest.raises(TransitionRefused):
        services.version_issue_into_force(version=version, by=world.township_leader)


def test_a_first_version_is_never_issued_into_force(world):
    plan = draft(world)
    version = plan.versions.get()
    with pytest.raises(TransitionRefused):
        services.version_issue_into_force(version=version, by=world.township_leader)


def test_an_enterprise_on_the_high_risk_list_gets_the_evaluation_clock(world):
    plan = live_plan(world, unit=world.enterprise, code="enterprise-comprehensive", title="茶业综合预案")
    assert plan_clocks(plan).evaluation_due is None
    HighRiskUnit.objects.create(unit=world.enterprise)
    clocks = plan_clocks(plan)
    assert clocks.evaluation_months == 36 and clocks.drill_months == 6
    assert leader(world.enterprise).username == f"leader_{world.enterprise.code}"
