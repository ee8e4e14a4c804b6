"""The helpers of grids.scope that the apps call instead of deciding access themselves."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from delivery.permissions import DeliveryAction
from grids.models import Department, GridUnit, User
from grids.scope import Action, is_administrator, scope_for


def test_is_administrator_means_an_active_superuser(world):
    assert is_administrator(world.admin)
    assert not is_administrator(world.county_dispatcher)
    assert not is_administrator(AnonymousUser())
    world.admin.is_active = False
    assert not is_administrator(world.admin)


def test_acts_for_a_unit_needs_a_role_in_that_very_unit(world):
    village = scope_for(world.village_officer_a)
    assert village.acts_for(world.village_a)
    assert not village.acts_for(world.village_b)
    township = scope_for(world.township_leader)
    assert township.acts_for(world.township)
    assert not township.acts_for(world.village_a)  # a role above is not enough
    assert scope_for(world.admin).acts_for(world.village_c)
    assert not scope_for(world.department_officer).acts_for(world.county)


def test_can_here_needs_the_table_and_the_unit_itself(world):
    leader = scope_for(world.township_leader)
    assert leader.can_here(Action.MANAGE_GRID, world.township)
    assert leader.can(Action.MANAGE_GRID, world.village_a)
    assert not leader.can_here(Action.MANAGE_GRID, world.village_a)  # below: not "here"
    assert not scope_for(world.township_officer).can_here(Action.MANAGE_GRID, world.township)  # role not in table
    assert scope_for(world.county_dispatcher).can_here(Action.MANAGE_GRID, world.county)
    assert not scope_for(world.county_dispatcher).can_here(Action.MANAGE_GRID, world.township)
    assert scope_for(world.admin).can_here(Action.MANAGE_GRID, world.village_c)
    assert not scope_for(world.outsider).can_here(Action.MANAGE_GRID, world.county)


def test_own_units_at_tiers(world):
    assert set(scope_for(world.village_officer_a).own_units_at_tiers({3})) == {world.village_a.pk}
    assert scope_for(world.village_officer_a).own_units_at_tiers({1, 2}) == []
    assert scope_for(world.county_dispatcher).own_units_at_tiers((1,)) == [world.county.pk]
    assert scope_for(world.admin).own_units_at_tiers({1, 2, 3}) == []


def test_administrator_counties(world):
    assert list(scope_for(world.admin).administrator_counties()) == [world.county]
    assert not scope_for(world.county_dispatcher).administrator_counties().exists()
    world.county.is_active = False
    world.county.save(update_fields=["is_active"])
    assert not scope_for(world.admin).administrator_counties().exists()


def test_filter_q_is_whole_for_a_superuser_only(world):
    condition = Q(pk=world.village_a.pk)
    assert scope_for(world.admin).filter_q(GridUnit.objects.all(), condition).count() == 8
    assert list(scope_for(world.county_dispatcher).filter_q(GridUnit.objects.all(), condition)) == [world.village_a]
    assert list(scope_for(world.outsider).filter_q(GridUnit.objects.all(), condition)) == [world.village_a]


def test_sees_anything(world):
    assert scope_for(world.admin).sees_anything()
    assert scope_for(world.village_officer_b).sees_anything()
    assert scope_for(world.department_officer).sees_anything()  # their county, read-only
    assert not scope_for(world.outsider).sees_anything()


def test_department_rule_written_once(world):
    other = Department.objects.create(county=world.county, name="凌云县自然资源局", short_name="自然资源局")
    staff = scope_for(world.department_officer)
    assert staff.member_of_department(world.department.pk)
    assert staff.serves_department(world.department.pk)
    assert not staff.serves_department(other.pk)
    assert staff.serves_any_department()
    admin = scope_for(world.admin)
    assert admin.serves_department(other.pk) and admin.serves_any_department()
    assert not admin.member_of_department(other.pk)  # a superuser is nobody's staff
    outsider = scope_for(world.outsider)
    assert not outsider.serves_department(world.department.pk)
    assert not outsider.serves_department(None)
    assert not outsider.serves_any_department()
    assert list(User.objects.filter(staff.department_q())) == [world.department_officer]
    assert not User.objects.filter(outsider.department_q()).exists()


def test_outbox_admin_is_the_administrators_and_read_only(world, client_for):
    client = client_for(world.admin)
    assert client.get("/admin/core/outboxmessage/").status_code == 200
    assert client.get("/admin/core/outboxmessage/add/").status_code == 403
    world.township_leader.is_staff = True
    world.township_leader.save(update_fields=["is_staff"])
    assert client_for(world.township_leader).get("/admin/core/outboxmessage/").status_code == 403


def test_a_here_only_action_is_done_in_the_very_unit_not_below_it(world):
    from dispatch.permissions import DispatchAction
    from reports.permissions import ReportAction

    county = scope_for(world.county_dispatcher)
    village = scope_for(world.village_officer_a)
    for action in (ReportAction.SIGN, DeliveryAction.RECEIPT, ReportAction.CONSULT, DispatchAction.ACKNOWLEDGE):
        assert village.can(action, world.village_a)
        assert not county.can(action, world.village_a)  # a role above the village is not enough
        assert county.can(action, world.county)
        assert list(county.units_where(action)) == [world.county]
    # finishing a countermeasure reaches the subtree, as the table says
    assert county.can(ReportAction.FINISH_COUNTERMEASURE, world.village_a)
    assert not village.can(ReportAction.FINISH_COUNTERMEASURE, world.village_b)
