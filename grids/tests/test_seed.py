"""The demo county (``seed_demo``) and the benchmark generator (``seed_scale``)."""

from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape

from grids.demo import DEMO_DEPARTMENTS, PERSONAS
from grids.models import Department, GridUnit, Membership, Role, User
from grids.rules import MOBILE_RE, TOWNSHIP_KINDS, VILLAGE_KINDS, Kind, check_credit_code
from grids.scope import Action, scope_for

PASSWORD = "demo-pass-1"


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """The demo county, built once for the class and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", "--password", PASSWORD, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return GridUnit.objects.get(code="451027")


def roles_by_unit() -> dict[int, Counter]:
    counts: dict[int, Counter] = defaultdict(Counter)
    for unit_id, role in Membership.objects.values_list("unit_id", "role"):
        counts[unit_id][role] += 1
    return counts


# --- seed_demo ---------------------------------------------------------------------------------


@pytest.mark.django_db  # ordered with the database tests, before transactional ones flush the rule tables
class TestDemoCounty:
    """Read-only checks on one demo county, built once (see ``demo_output``)."""

    def test_demo_county_has_townships_a_park_with_enterprises_and_villages(self, demo):
        townships = demo.get_children().filter(kind__in=TOWNSHIP_KINDS)
        parks = demo.get_children().filter(kind=Kind.PARK)
        assert demo.kind == Kind.COUNTY and demo.name == "凌云县"
        assert townships.count() >= 6
        assert {"泗城镇", "逻楼镇", "伶站瑶族乡"} <= set(townships.values_list("name", flat=True))
        assert parks.count() == 1
        assert parks.get().get_children().filter(kind=Kind.ENTERPRISE).count() >= 3
        for township in townships:
            villages = township.get_children()
            assert villages.count() >= 8
            assert set(villages.values_list("kind", flat=True)) <= VILLAGE_KINDS
            assert all(v.population and v.households for v in villages)

    def test_every_demo_unit_passes_its_own_validation(self, demo):
        units = list(GridUnit.objects.select_related("parent"))
        for unit in units:
            unit.full_clean()  # codes, placement, geometry
        enterprises = [u for u in units if u.kind == Kind.ENTERPRISE]
        for enterprise in enterprises:
            check_credit_code(enterprise.credit_code)
        assert len({e.credit_code for e in enterprises}) == len(enterprises)

    def test_every_demo_boundary_lies_within_its_parent_and_location_within_boundary(self, demo):
        units = list(GridUnit.objects.select_related("parent"))
        assert all(unit.boundary and unit.location for unit in units)
        for unit in units:
            area = shape(unit.boundary)
            assert shape(unit.location).within(area), unit.code
            if unit.parent:
                assert area.within(shape(unit.parent.boundary).buffer(1e-9)), unit.code

    def test_park_cell_does_not_overlap_any_township(self, demo):
        park = GridUnit.objects.get(kind=Kind.PARK)
        for township in GridUnit.objects.filter(kind__in=TOWNSHIP_KINDS):
            assert shape(park.boundary).intersection(shape(township.boundary)).area < 1e-12

    def test_every_role_of_every_tier_is_filled(self, demo):
        roles = roles_by_unit()
        county = roles[demo.pk]
        assert county[Role.GRID_LEADER] == 1
        assert county[Role.DEPUTY_LEADER] == 2
        assert county[Role.GRID_MANAGER] == Department.objects.filter(county=demo).count() == len(DEMO_DEPARTMENTS)
        assert county[Role.DISPATCHER] >= 1
        for unit in demo.get_children():
            held = roles[unit.pk]
            assert held[Role.GRID_LEADER] >= 1, unit.name
            assert held[Role.DEPUTY_LEADER] >= 1, unit.name
            assert held[Role.GRID_OFFICER] >= 1, unit.name
            notes = Membership.objects.filter(unit=unit, role=Role.DISPATCHER).values_list("note", flat=True)
            assert sorted(notes) == ["A岗", "B岗"], unit.name
        for unit in GridUnit.objects.filter(kind__in=VILLAGE_KINDS):
            held = roles[unit.pk]
            assert held[Role.GRID_LEADER] == held[Role.DEPUTY_LEADER] == 1, unit.name
            manager = Membership.objects.get(unit=unit, role=Role.GRID_MANAGER).user_id
            assert Membership.objects.get(unit=unit, role=Role.INFORMATION_OFFICER).user_id == manager
        for unit in GridUnit.objects.filter(kind=Kind.ENTERPRISE):
            assert roles[unit.pk][Role.GRID_LEADER] == roles[unit.pk][Role.INFORMATION_OFFICER] == 1

    def test_county_departments_supervise_their_sectors_and_have_staff(self, demo):
        departments = Department.objects.filter(county=demo).prefetch_related("sectors", "staff")
        by_name = {d.short_name: d for d in departments}
        assert {s.code for s in by_name["水利局"].sectors.all()} == {"water"}
        assert {s.code for s in by_name["应急管理局"].sectors.all()} >= {"emergency", "fire"}
        for department in departments:
            assert department.sectors.all(), department.name
            assert len(department.staff.all()) >= 2, department.name

    def test_demo_mobiles_are_valid_and_unique_and_usernames_are_mobiles(self, demo):
        people = list(User.objects.values_list("username", "mobile", "real_name"))
        mobiles = [mobile for _username, mobile, _name in people]
        assert all(MOBILE_RE.fullmatch(m) for m in mobiles)
        assert len(set(mobiles)) == len(mobiles)
        assert all(name for _username, _mobile, name in people)
        generated = [(u, m) for u, m, _n in people if u not in PERSONAS]
        assert all(username == mobile for username, mobile in generated)

    def test_only_the_persona_accounts_can_log_in(self, demo):
        for user in User.objects.all():
            if user.username in PERSONAS:
                assert user.check_password(PASSWORD), user.username
            else:
                assert not user.has_usable_password(), user.username

    def test_personas_hold_the_roles_the_demo_promises(self, demo):
        township = GridUnit.objects.get(code="451027100000")
        first_village = township.get_children().filter(kind=Kind.VILLAGE).order_by("code").first()

        dispatcher = scope_for(User.objects.get(username="county_dispatcher"))
        assert dispatcher.can(Action.MANAGE_GRID, first_village)
        officer = User.objects.get(username="township_officer")
        assert Membership.objects.filter(user=officer, unit=township, role=Role.GRID_OFFICER).exists()
        assert set(scope_for(officer).units()) == set(township.get_descendants(include_self=True))
        village_officer = User.objects.get(username="village_officer")
        assert set(village_officer.memberships.values_list("unit_id", "role")) == {
            (first_village.pk, Role.GRID_MANAGER),
            (first_village.pk, Role.INFORMATION_OFFICER),
        }
        staff = User.objects.get(username="department_officer")
        assert staff.department.short_name == "水利局"
        assert scope_for(staff).can_see(first_village)
        assert not scope_for(staff).can(Action.MANAGE_GRID, first_village)

    def test_demo_prints_the_personas_but_not_a_given_password(self, demo_output):
        for username in PERSONAS:
            assert username in demo_output
        assert PASSWORD not in demo_output

    def test_second_demo_run_does_nothing(self, demo):
        counts = (GridUnit.objects.count(), User.objects.count(), Membership.objects.count())
        out = StringIO()
        call_command("seed_demo", stdout=out)
        assert out.getvalue().strip() == _("Grid units already exist: the demo county was not built.")
        assert (GridUnit.objects.count(), User.objects.count(), Membership.objects.count()) == counts

    def test_scale_trees_sit_beside_the_demo_county(self, demo):
        run_scale(counties=1, townships=2, villages=3, prefix="45")
        county = GridUnit.objects.get(code="459901")
        assert county.tree_id != demo.tree_id
        before = tree_columns()
        GridUnit.objects.rebuild()
        assert tree_columns() == before


def test_demo_without_password_generates_and_prints_one(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    user = User.objects.get(username="village_officer")
    last_line = out.getvalue().strip().splitlines()[-1]
    printed = last_line.replace("：", ": ").split()[-1]  # Chinese output uses a full-width colon
    assert user.check_password(printed)


def test_demo_is_the_same_every_time(db):
    def fingerprint():
        units = list(GridUnit.objects.order_by("code").values_list("code", "name", "kind", "boundary", "population"))
        people = list(User.objects.order_by("mobile").values_list("username", "mobile", "real_name", "position"))
        roles = sorted(Membership.objects.values_list("unit__code", "role", "user__mobile"))
        return units, people, roles

    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())
    first = fingerprint()
    Membership.objects.all().delete()
    User.objects.all().delete()
    Department.objects.all().delete()
    for level in (2, 1, 0):
        GridUnit.objects.filter(level=level).delete()
    call_command("seed_demo", "--password", PASSWORD, stdout=StringIO())
    assert fingerprint() == first


# --- seed_scale --------------------------------------------------------------------------------


def run_scale(**options) -> str:
    out = StringIO()
    call_command("seed_scale", stdout=out, **{"prefix": "46", "people": 2, **options})
    return out.getvalue()


def tree_columns() -> dict[int, tuple]:
    return {
        pk: rest for pk, *rest in GridUnit.objects.values_list("pk", "parent_id", "tree_id", "lft", "rght", "level")
    }


def test_scale_builds_a_valid_mptt_tree(db):
    run_scale(counties=2, townships=3, villages=4)
    assert GridUnit.objects.count() == 2 + 2 * 3 + 2 * 3 * 4
    before = tree_columns()
    GridUnit.objects.rebuild()
    assert tree_columns() == before

    counties = list(GridUnit.objects.filter(level=0).order_by("code"))
    assert [c.code for c in counties] == ["469901", "469902"]
    for county in counties:
        assert county.get_descendant_count() == 3 + 3 * 4
        townships = list(county.get_children())
        assert [t.code for t in townships] == [f"{county.code}{n}000" for n in (100, 101, 102)]
        for township in townships:
            villages = list(township.get_children())
            assert [v.code[-3:] for v in villages] == ["201", "202", "203", "204"]
            assert list(villages[-1].get_ancestors()) == [county, township]


def test_scale_units_pass_validation_and_nest_inside_their_parents(db):
    run_scale(counties=2, townships=3, villages=4)
    for unit in GridUnit.objects.select_related("parent"):
        unit.full_clean()
        if unit.parent:
            assert shape(unit.boundary).within(shape(unit.parent.boundary).buffer(1e-9)), unit.code


def test_scale_gives_people_roles_with_unique_valid_mobiles(db):
    run_scale(counties=2, townships=3, villages=4, people=2)
    assert User.objects.count() == 2 * 2 + 6 * 3 + 24 * 2
    mobiles = list(User.objects.values_list("mobile", flat=True))
    assert len(set(mobiles)) == len(mobiles) and all(MOBILE_RE.fullmatch(m) for m in mobiles)
    assert not any(u.has_usable_password() for u in User.objects.all())
    village = GridUnit.objects.filter(level=2).first()
    assert set(village.memberships.values_list("role", flat=True)) == {
        Role.GRID_MANAGER,
        Role.INFORMATION_OFFICER,
        Role.GRID_LEADER,
    }


def test_scale_without_people_creates_no_users(db):
    run_scale(counties=1, townships=2, villages=2, people=0, no_boundaries=True)
    assert GridUnit.objects.count() == 1 + 2 + 4
    assert not User.objects.exists()
    assert GridUnit.objects.filter(boundary__isnull=True).count() == 7


def test_scale_query_count_does_not_grow_with_the_grid(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        run_scale(counties=2, townships=3, villages=4, prefix="46")
    with django_assert_max_num_queries(25):
        run_scale(counties=3, townships=5, villages=6, prefix="47")


def test_repeated_scale_run_fails_cleanly_and_changes_nothing(db):
    run_scale(counties=2, townships=3, villages=4)
    counts = (GridUnit.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="469901"):
        run_scale(counties=3, townships=3, villages=4)
    assert (GridUnit.objects.count(), User.objects.count()) == counts


def test_scale_refuses_bad_arguments(db):
    with pytest.raises(CommandError):
        run_scale(counties=0, townships=3, villages=4)
    with pytest.raises(CommandError):
        run_scale(counties=1, townships=3, villages=4, prefix="4")
