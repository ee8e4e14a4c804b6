"""Every transition of a plan version, per role and tier, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from delivery.models import Delivery, Document
from grids.rules import Kind
from grids.tests.factories import credit_code, make_unit
from plans import services
from plans.models import Filing, FilingRoute, PlanDocument, VersionState
from plans.services import TransitionRefused
from plans.tests.factories import draft, in_force, issued, kind, leader_of, pdf, reviewed

pytestmark = pytest.mark.django_db


def latest(plan):
    return plan.versions.order_by("-number").first()


# --- drafting ------------------------------------------------------------------------------------


def test_township_officer_drafts_the_township_plan_as_version_one(world):
    plan = draft(world)
    version = latest(plan)
    assert (version.number, version.state) == (1, VersionState.DRAFT)
    assert plan.current_version is None
    assert plan.history.count() == 1


@pytest.mark.parametrize("persona", ["village_officer_a", "county_dispatcher", "department_officer", "outsider"])
def test_nobody_but_the_townships_own_people_drafts_its_plan(world, persona):
    with pytest.raises(PermissionDenied):
        draft(world, by=getattr(world, persona))


def test_a_department_drafts_its_own_plan_in_its_county(world):
    plan = draft(world, by=world.department_officer, unit=world.county, code="department", department=world.department)
    assert plan.owner_kind == "department"
    with pytest.raises(PermissionDenied):
        draft(world, by=world.county_dispatcher, unit=world.county, code="department", department=world.department)


def test_a_plan_cannot_link_to_a_plan_out_of_sight(world):
    county = draft(world, by=world.county_dispatcher, unit=world.county, code="overall")
    theirs = draft(world, by=leader_of(world.other_township), unit=world.other_township, code="township")
    with pytest.raises(ValidationError):
        draft(world, by=world.village_officer_a, unit=world.village_a, code="village", linked_plans=[theirs])
    mine = draft(world, by=world.village_officer_a, unit=world.village_a, code="village", linked_plans=[county])
    assert list(mine.linked_plans.all()) == [county]


# --- review -------------------------------------------------------------------------------------


def test_review_needs_the_official_text(world):
    plan = draft(world)
    with pytest.raises(ValidationError, match="正文"):
        services.version_submit_review(version=latest(plan), by=world.township_officer)


def test_the_review_is_recorded_only_under_review(world):
    plan = draft(world)
    version = latest(plan)
    with pytest.raises(TransitionRefused, match="评审"):
        services.review_record_add(
            version=version, by=world.township_officer, held_on=timezone.localdate(), experts="a", opinions="b",
            handling="c",
        )  # fmt: skip
    version = reviewed(world, plan)
    assert version.state == VersionState.REVIEW
    assert version.reviews.count() == 1


def test_a_village_officer_cannot_send_the_township_plan_to_review(world):
    plan = draft(world)
    services.document_add(
        version=latest(plan), by=world.township_officer, kind=PlanDocument.Kind.OFFICIAL_TEXT, upload=pdf()
    )
    with pytest.raises(PermissionDenied):
        services.version_submit_review(version=latest(plan), by=world.village_officer_a)


# --- issue ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["township_officer", "county_dispatcher", "village_officer_a", "department_officer"]
)
def test_only_the_owners_main_leader_issues(world, persona):
    plan = draft(world)
    version = reviewed(world, plan)
    with pytest.raises(PermissionDenied, match="主要负责人"):
        services.version_issue(version=version, by=getattr(world, persona))


def test_the_leader_issues_a_reviewed_version_and_the_filing_due_date_is_stored(world):
    plan = draft(world)
    version = services.version_issue(version=reviewed(world, plan), by=world.township_leader)
    assert version.state == VersionState.ISSUED
    assert version.issued_on == timezone.localdate()
    assert version.filing_due > version.issued_on


def test_a_draft_is_not_issued_and_a_review_without_record_is_not_either(world):
    plan = draft(world)
    with pytest.raises(TransitionRefused):
        services.version_issue(version=latest(plan), by=world.township_leader)
    version = latest(plan)
    services.document_add(version=version, by=world.township_officer, kind="official", upload=pdf())
    services.version_submit_review(version=version, by=world.township_officer)
    with pytest.raises(ValidationError, match="评审"):
        services.version_issue(version=version, by=world.township_leader)


def test_the_issue_date_cannot_be_tomorrow(world):
    version = reviewed(world, draft(world))
    with pytest.raises(ValidationError):
        services.version_issue(
            version=version, by=world.township_leader, issued_on=timezone.localdate() + datetime.timedelta(days=1)
        )


# --- filing -----------------------------------------------------------------------------------------


def test_the_township_files_with_the_county_which_receipts_it(world):
    plan = draft(world)
    version = issued(world, plan)
    filing = services.version_file(version=version, by=world.township_officer)
    assert filing.receiver_unit == world.county
    assert not filing.late
    assert Delivery.objects.filter(document=filing.document, recipient_unit=world.county).exists()
    assert filing.document.kind == Document.Kind.PLAN_FILING
    version.refresh_from_db()
    assert version.state == VersionState.FILED
    with pytest.raises(PermissionDenied):
        services.filing_receipt(filing=filing, by=world.township_leader)
    services.filing_receipt(filing=filing, by=world.county_dispatcher)
    filing.refresh_from_db()
    version.refresh_from_db()
    plan.refresh_from_db()
    assert filing.state == Filing.State.RECEIPTED
    assert filing.number == f"451027备〔{timezone.localdate().year}〕0001"
    assert version.state == VersionState.IN_FORCE
    assert plan.current_version == version
    with pytest.raises(TransitionRefused):
        services.filing_receipt(filing=filing, by=world.county_dispatcher)


def test_only_an_issued_version_is_filed(world):
    plan = draft(world)
    with pytest.raises(TransitionRefused):
        services.version_file(version=latest(plan), by=world.township_officer)


def test_a_returned_filing_goes_back_to_the_owner_who_files_again(world):
    version = issued(world, draft(world))
    filing = services.version_file(version=version, by=world.township_officer)
    with pytest.raises(ValidationError):
        services.filing_return(filing=filing, by=world.county_dispatcher, reason=" ")
    services.filing_return(filing=filing, by=world.county_dispatcher, reason="缺少编制说明")
    version.refresh_from_db()
    assert version.state == VersionState.ISSUED
    assert Delivery.objects.filter(
        recipient_unit=world.township, document__kind=Document.Kind.PLAN_FILING, document__body="缺少编制说明"
    ).exists()
    again = services.version_file(version=version, by=world.township_officer)
    services.filing_receipt(filing=again, by=world.county_dispatcher)
    assert list(version.filings.values_list("state", flat=True).order_by("pk")) == ["returned", "receipted"]


def test_a_village_plan_is_issued_by_its_leader_and_filed_with_its_township(world):
    village_leader = leader_of(world.village_a)
    plan = draft(world, by=world.village_officer_a, unit=world.village_a, code="village")
    with pytest.raises(PermissionDenied):
        services.version_issue(version=reviewed(world, plan, by=world.village_officer_a), by=world.township_leader)
    version = services.version_issue(version=latest(plan), by=village_leader)
    filing = services.version_file(version=version, by=world.village_officer_a)
    assert filing.receiver_unit == world.township
    for persona in ("county_dispatcher", "village_officer_a", "village_officer_b"):
        with pytest.raises(PermissionDenied):
            services.filing_receipt(filing=filing, by=getattr(world, persona))
    services.filing_receipt(filing=filing, by=world.township_officer)
    assert Filing.objects.get(pk=filing.pk).number.startswith("451027100000备")


def test_an_enterprise_plan_is_filed_with_the_county(world):
    boss = leader_of(world.enterprise)
    plan = draft(world, by=boss, unit=world.enterprise, code="enterprise-comprehensive")
    version = services.version_issue(version=reviewed(world, plan, by=boss), by=boss)
    filing = services.version_file(version=version, by=boss)
    assert filing.receiver_unit == world.county


def test_a_department_plan_is_filed_with_the_county_emergency_office(world):
    by = world.department_officer
    plan = draft(world, by=by, unit=world.county, code="department", department=world.department)
    version = services.version_issue(version=reviewed(world, plan, by=by), by=by)
    filing = services.version_file(version=version, by=by)
    assert filing.receiver_unit == world.county
    services.filing_return(filing=filing, by=world.county_dispatcher, reason="请补充")
    assert Delivery.objects.filter(recipient_department=world.department, document__body="请补充").exists()


def test_a_special_plan_goes_to_its_lead_department_with_a_copy_to_the_bureau(world):
    county_leader = leader_of(world.county)
    plan = draft(world, by=world.county_dispatcher, unit=world.county, code="special", title="防汛专项预案")
    version = services.version_issue(version=reviewed(world, plan, by=world.county_dispatcher), by=county_leader)
    with pytest.raises(ValidationError, match="牵头部门"):
        services.version_file(version=version, by=world.county_dispatcher)
    services.plan_update(plan=plan, by=world.county_dispatcher, lead_department=world.department)
    filing = services.version_file(version=version, by=world.county_dispatcher)
    assert filing.receiver_department == world.department
    assert Delivery.objects.filter(document=filing.document, recipient_unit=world.county).exists()
    with pytest.raises(PermissionDenied):
        services.filing_receipt(filing=filing, by=world.county_dispatcher)
    services.filing_receipt(filing=filing, by=world.department_officer)
    assert Filing.objects.get(pk=filing.pk).number.startswith("水利局备")


def test_a_plan_without_a_route_is_refused_clearly(world):
    county_leader = leader_of(world.county)
    plan = draft(world, by=world.county_dispatcher, unit=world.county, code="overall")
    version = services.version_issue(version=reviewed(world, plan, by=world.county_dispatcher), by=county_leader)
    assert version.filing_due is None
    with pytest.raises(TransitionRefused, match="备案路线"):
        services.version_file(version=version, by=world.county_dispatcher)


@pytest.mark.parametrize(
    ("owner_kind", "plan_kind", "receiver", "copy"),
    [
        ("township", None, "county", False),
        ("village", None, "parent", False),
        ("department", None, "county", False),
        ("enterprise", None, "county", False),
        ("county", "special", "lead_department", True),
        ("township", "special", "lead_department", True),
    ],
)
def test_the_seeded_filing_routes(db, owner_kind, plan_kind, receiver, copy):
    row = FilingRoute.objects.get(owner_kind=owner_kind, plan_kind__code=plan_kind) if plan_kind else None
    row = row or FilingRoute.objects.get(owner_kind=owner_kind, plan_kind__isnull=True)
    assert (row.receiver, row.copy_to_county, row.due_workdays) == (receiver, copy, 20)


def test_an_edited_route_changes_where_a_plan_goes(world):
    FilingRoute.objects.filter(owner_kind="village", plan_kind__isnull=True).update(receiver="county")
    leader = leader_of(world.village_b)
    plan = draft(world, by=leader, unit=world.village_b, code="village")
    version = services.version_issue(version=reviewed(world, plan, by=leader), by=leader)
    assert services.version_file(version=version, by=leader).receiver_unit == world.county


def test_a_park_enterprise_under_a_new_park_still_reaches_the_county(world):
    park = make_unit(world.county, Kind.PARK, "451027-GY02", "二号园区")
    enterprise = make_unit(park, Kind.ENTERPRISE, "451027-GY02-001", "二号厂", credit_code=credit_code(2))
    boss = leader_of(enterprise)
    plan = draft(world, by=boss, unit=enterprise, code="enterprise-onsite")
    assert services.route_for(plan).receiver == "county"


# --- revision and withdrawal ----------------------------------------------------------------------


def test_a_revision_keeps_the_old_version_in_force_until_the_new_one_is_receipted(world):
    plan = draft(world)
    first = in_force(world, plan)
    second = services.version_open_revision(plan=plan, by=world.township_officer, summary="机构调整")
    first.refresh_from_db()
    assert (first.state, second.number, second.state) == (VersionState.REVISING, 2, VersionState.DRAFT)
    with pytest.raises(TransitionRefused):
        services.version_open_revision(plan=plan, by=world.township_officer)
    in_force(world, plan)
    first.refresh_from_db()
    plan.refresh_from_db()
    assert first.state == VersionState.SUPERSEDED
    assert plan.current_version == second
    assert Filing.objects.filter(version__plan=plan, state="receipted").count() == 2


def test_a_revision_is_opened_only_on_a_plan_in_force_by_its_owner(world):
    plan = draft(world)
    with pytest.raises(TransitionRefused):
        services.version_open_revision(plan=plan, by=world.township_officer)
    in_force(world, plan)
    with pytest.raises(PermissionDenied):
        services.version_open_revision(plan=plan, by=world.county_dispatcher)


def test_withdrawal_needs_the_leader_and_a_reason(world):
    plan = draft(world)
    version = in_force(world, plan)
    services.version_open_revision(plan=plan, by=world.township_officer)
    with pytest.raises(PermissionDenied):
        services.version_withdraw(version=version, by=world.township_officer, reason="撤销")
    with pytest.raises(ValidationError):
        services.version_withdraw(version=version, by=world.township_leader, reason="")
    services.version_withdraw(version=version, by=world.township_leader, reason="乡镇合并")
    assert set(plan.versions.values_list("state", flat=True)) == {VersionState.WITHDRAWN}
    with pytest.raises(TransitionRefused):
        services.version_withdraw(version=version, by=world.township_leader, reason="again")


def test_withdrawing_an_open_revision_leaves_the_plan_in_force(world):
    plan = draft(world)
    first = in_force(world, plan)
    second = services.version_open_revision(plan=plan, by=world.township_officer)
    services.version_withdraw(version=second, by=world.township_leader, reason="不再修订")
    first.refresh_from_db()
    assert first.state == VersionState.IN_FORCE


def test_a_version_under_filing_check_is_not_withdrawn(world):
    version = issued(world, draft(world))
    services.version_file(version=version, by=world.township_officer)
    with pytest.raises(TransitionRefused):
        services.version_withdraw(version=version, by=world.township_leader, reason="x")


def test_history_records_every_state(world):
    plan = draft(world)
    version = in_force(world, plan)
    states = list(version.history.order_by("history_date", "history_id").values_list("state", flat=True))
    assert states == ["draft", "review", "issued", "filed", "in_force"]
    users = list(version.history.order_by("history_date", "history_id").values_list("history_user", flat=True))
    assert users == [world.township_officer.pk] * 2 + [world.township_leader.pk, world.township_officer.pk,
                                                       world.county_dispatcher.pk]  # fmt: skip
    assert kind("township").name == "乡镇(街道)应急预案"


@pytest.mark.parametrize("persona", ["outsider", "department_officer", "village_officer_a", "county_dispatcher"])
def test_every_owner_transition_is_refused_to_people_of_other_places(world, persona):
    """The township plan's own steps, each tried by someone who is not the township's."""
    person = getattr(world, persona)
    plan = draft(world)
    version = latest(plan)
    steps = [
        lambda: services.document_add(version=version, by=person, kind="official", upload=pdf()),
        lambda: services.version_submit_review(version=version, by=person),
        lambda: services.plan_update(plan=plan, by=person, title="x"),
    ]
    for step in steps:
        with pytest.raises(PermissionDenied):
            step()
    in_force(world, plan)
    with pytest.raises(PermissionDenied):
        services.version_open_revision(plan=plan, by=person)
    with pytest.raises(PermissionDenied):
        services.version_withdraw(version=latest(plan), by=person, reason="x")
    second = services.version_open_revision(plan=plan, by=world.township_officer)
    services.document_add(version=second, by=world.township_officer, kind="official", upload=pdf())
    with pytest.raises(PermissionDenied):
        services.version_file(version=second, by=person)


@pytest.mark.parametrize("persona", ["outsider", "department_officer", "township_officer", "village_officer_b"])
def test_a_filing_is_decided_only_by_its_receiver(world, persona):
    filing = services.version_file(version=issued(world, draft(world)), by=world.township_officer)
    for decide in (
        lambda: services.filing_receipt(filing=filing, by=getattr(world, persona)),
        lambda: services.filing_return(filing=filing, by=getattr(world, persona), reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            decide()
    assert Filing.objects.get(pk=filing.pk).state == Filing.State.PENDING
