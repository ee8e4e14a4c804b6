"""The grid REST API (/api/v1/): scope on every endpoint, writes through the services, the schema."""

import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from grids.models import GridUnit, Membership, Role
from grids.rules import Kind
from grids.tests.factories import grant, make_person, make_unit

UNITS = "/api/v1/units/"
PEOPLE = "/api/v1/people/"
MEMBERSHIPS = "/api/v1/memberships/"


@pytest.fixture
def api():
    """``api(user)``: an API client logged in as ``user`` (``api(None)``: anonymous).

    A session login, so every request loads the user (and computes the scope) afresh.
    """

    def client_as(user):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return client_as


def unit_url(unit, action=""):
    return f"{UNITS}{unit.pk}/" + (f"{action}/" if action else "")


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- seeing units -------------------------------------------------------------------------------


def test_village_officer_lists_only_their_village(world, api):
    assert ids(api(world.village_officer_a).get(UNITS)) == {world.village_a.pk}


def test_village_officer_cannot_see_other_village_or_units_above(world, api):
    client = api(world.village_officer_a)
    for unit in (world.village_b, world.township, world.county):
        assert client.get(unit_url(unit)).status_code == 404


def test_township_officer_sees_township_and_its_villages_only(world, api):
    client = api(world.township_officer)
    assert ids(client.get(UNITS)) == {world.township.pk, world.village_a.pk, world.village_b.pk}
    assert client.get(unit_url(world.other_township)).status_code == 404


def test_county_dispatcher_sees_all_eight_units(world, api):
    response = api(world.county_dispatcher).get(UNITS)
    assert response.json()["count"] == 8


def test_outsider_sees_an_empty_list(world, api):
    response = api(world.outsider).get(UNITS)
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_anonymous_caller_is_refused(world, api):
    for url in (UNITS, unit_url(world.village_a), PEOPLE, MEMBERSHIPS, "/api/v1/me/"):
        assert api(None).get(url).status_code in (401, 403)


def test_unit_detail_carries_tree_fields(world, api):
    data = api(world.county_dispatcher).get(unit_url(world.township)).json()
    assert data["code"] == world.township.code
    assert data["kind"] == Kind.TOWN
    assert data["tier"] == 2
    assert data["parent"] == world.county.pk
    assert data["parent_code"] == world.county.code
    assert data["children_count"] == 2
    assert data["descendant_count"] == 2
    assert data["boundary"]["type"] == "Polygon"


def test_unit_list_counts_children_in_the_same_query(world, api):
    rows = {row["id"]: row for row in api(world.county_dispatcher).get(UNITS).json()["results"]}
    assert rows[world.county.pk]["children_count"] == 3
    assert rows[world.county.pk]["descendant_count"] == 7
    assert rows[world.county.pk]["parent_code"] is None
    assert rows[world.village_a.pk]["children_count"] == 0


def test_units_filter_by_tier_kind_parent_and_search(world, api):
    client = api(world.county_dispatcher)
    assert ids(client.get(UNITS, {"tier": 3})) == {
        world.village_a.pk,
        world.village_b.pk,
        world.village_c.pk,
        world.enterprise.pk,
    }
    assert ids(client.get(UNITS, {"level": 0})) == {world.county.pk}
    assert ids(client.get(UNITS, {"kind": Kind.PARK})) == {world.park.pk}
    assert ids(client.get(UNITS, {"parent": world.township.pk})) == {world.village_a.pk, world.village_b.pk}
    assert ids(client.get(UNITS, {"code": world.village_c.code})) == {world.village_c.pk}
    assert ids(client.get(UNITS, {"search": "逻楼"})) == {world.other_township.pk, world.village_c.pk}


def test_units_under_a_visible_unit_give_its_subtree(world, api):
    response = api(world.township_officer).get(UNITS, {"under": world.township.pk})
    assert ids(response) == {world.township.pk, world.village_a.pk, world.village_b.pk}


def test_units_under_an_unseen_unit_is_not_found(world, api):
    assert api(world.township_officer).get(UNITS, {"under": world.other_township.pk}).status_code == 404


def test_unit_list_queries_do_not_grow_with_units(world, api, django_assert_max_num_queries):
    client = api(world.county_dispatcher)
    with django_assert_max_num_queries(5):
        assert client.get(UNITS).json()["count"] == 8
    for n in range(1, 31):
        make_unit(world.township, Kind.VILLAGE, f"451027100{300 + n}", f"新村{n}")
    with django_assert_max_num_queries(5):
        assert client.get(UNITS).json()["count"] == 38


# --- changing units -----------------------------------------------------------------------------


def new_village(parent, code, **extra):
    return {"parent": parent.pk, "kind": Kind.VILLAGE, "code": code, "name": "新建村", **extra}


def test_township_leader_creates_village_under_their_township(world, api):
    response = api(world.township_leader).post(UNITS, new_village(world.township, "451027100203"), format="json")
    assert response.status_code == 201, response.content
    unit = GridUnit.objects.get(code="451027100203")
    assert unit.parent == world.township
    assert response.json()["id"] == unit.pk


def test_township_leader_cannot_create_under_other_township(world, api):
    response = api(world.township_leader).post(UNITS, new_village(world.other_township, "451027101203"), format="json")
    assert response.status_code == 403
    assert not GridUnit.objects.filter(code="451027101203").exists()


def test_create_with_bad_code_names_the_code_field(world, api):
    response = api(world.township_leader).post(UNITS, new_village(world.township, "45102710"), format="json")
    assert response.status_code == 400
    assert "code" in response.json()


def test_create_with_duplicate_code_is_refused(world, api):
    response = api(world.township_leader).post(UNITS, new_village(world.township, world.village_a.code), format="json")
    assert response.status_code == 400
    assert "code" in response.json()


def test_township_officer_cannot_change_a_unit_they_see(world, api):
    response = api(world.township_officer).patch(unit_url(world.village_a), {"name": "改名"}, format="json")
    assert response.status_code == 403
    world.village_a.refresh_from_db()
    assert world.village_a.name == "陇雅村"


def test_village_officer_cannot_change_other_village(world, api):
    response = api(world.village_officer_a).patch(unit_url(world.village_b), {"name": "改名"}, format="json")
    assert response.status_code == 404


def test_township_leader_renames_a_village(world, api):
    response = api(world.township_leader).patch(unit_url(world.village_a), {"population": 1200}, format="json")
    assert response.status_code == 200, response.content
    world.village_a.refresh_from_db()
    assert world.village_a.population == 1200


def test_patch_cannot_change_parent(world, api):
    response = api(world.county_dispatcher).patch(
        unit_url(world.village_a), {"parent": world.other_township.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()


def test_department_officer_reads_the_county_but_cannot_write(world, api):
    client = api(world.department_officer)
    assert client.get(unit_url(world.county)).status_code == 200
    assert client.patch(unit_url(world.county), {"name": "改名"}, format="json").status_code == 403
    assert client.post(unit_url(world.village_c, "deactivate")).status_code == 403


def test_units_cannot_be_deleted(world, api):
    assert api(world.county_dispatcher).delete(unit_url(world.village_a)).status_code == 405
    assert GridUnit.objects.filter(pk=world.village_a.pk).exists()


def test_township_leader_deactivates_a_village(world, api):
    response = api(world.township_leader).post(unit_url(world.village_b, "deactivate"))
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    world.village_b.refresh_from_db()
    assert not world.village_b.is_active


def test_move_village_under_park_is_refused(world, api):
    response = api(world.county_dispatcher).post(
        unit_url(world.village_a, "move"), {"parent": world.park.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    world.village_a.refresh_from_db()
    assert world.village_a.parent_id == world.township.pk


def test_move_keeps_subtree_when_placement_and_code_are_valid(world, api):
    moved = make_unit(world.county, Kind.TOWN, "451027102000", "新镇")
    response = api(world.county_dispatcher).post(unit_url(moved, "move"), {"parent": world.county.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["parent"] == world.county.pk


def test_township_leader_cannot_move_into_other_township(world, api):
    response = api(world.township_leader).post(
        unit_url(world.village_a, "move"), {"parent": world.other_township.pk}, format="json"
    )
    assert response.status_code == 403


# --- people, memberships, departments, sectors, me ----------------------------------------------


def test_village_officer_sees_themselves_but_not_other_village_officer(world, api):
    people = ids(api(world.village_officer_a).get(PEOPLE))
    assert world.village_officer_a.pk in people
    assert world.village_officer_b.pk not in people
    assert api(world.village_officer_a).get(f"{PEOPLE}{world.village_officer_b.pk}/").status_code == 404


def test_people_show_only_roles_in_visible_units(world, api):
    grant(world.village_officer_a, world.village_b, Role.GRID_MANAGER)  # one person, two villages
    row = api(world.township_officer).get(f"{PEOPLE}{world.village_officer_a.pk}/").json()
    assert {m["unit"] for m in row["memberships"]} == {world.village_a.pk, world.village_b.pk}
    outsider_view = api(world.village_officer_b).get(f"{PEOPLE}{world.village_officer_a.pk}/").json()
    assert {m["unit"] for m in outsider_view["memberships"]} == {world.village_b.pk}
    assert outsider_view["memberships"][0]["role"] == Role.GRID_MANAGER


def test_people_are_read_only(world, api):
    client = api(world.admin)
    assert client.post(PEOPLE, {"username": "x"}, format="json").status_code == 405
    assert client.delete(f"{PEOPLE}{world.outsider.pk}/").status_code == 405


def test_people_list_queries_do_not_grow_with_people(world, api, django_assert_max_num_queries):
    client = api(world.county_dispatcher)
    with django_assert_max_num_queries(6):
        first = client.get(PEOPLE).json()["count"]
    for n in range(20):
        grant(make_person(f"cadre{n}"), world.village_c, Role.GRID_MANAGER)
    with django_assert_max_num_queries(6):
        assert client.get(PEOPLE).json()["count"] == first + 20


def test_village_officer_cannot_see_memberships_of_other_village(world, api):
    client = api(world.village_officer_a)
    other = Membership.objects.get(user=world.village_officer_b)
    assert client.get(f"{MEMBERSHIPS}{other.pk}/").status_code == 404
    listed = {row["unit"] for row in client.get(MEMBERSHIPS).json()["results"]}
    assert listed == {world.village_a.pk}


def test_township_leader_grants_and_revokes_a_role(world, api):
    client = api(world.township_leader)
    response = client.post(
        MEMBERSHIPS, {"user": world.outsider.pk, "unit": world.village_b.pk, "role": Role.GRID_MANAGER}, format="json"
    )
    assert response.status_code == 201, response.content
    membership = Membership.objects.get(pk=response.json()["id"])
    assert membership.is_active
    response = client.post(f"{MEMBERSHIPS}{membership.pk}/revoke/")
    assert response.status_code == 200
    membership.refresh_from_db()
    assert not membership.is_active
    assert client.delete(f"{MEMBERSHIPS}{membership.pk}/").status_code == 405


def test_a_leader_cannot_grant_roles_to_someone_managed_elsewhere_nor_to_themselves(world, api):
    """Granting needs the unit and the person: a village officer of another township, or the
    granter themselves, get no new role (their rights would grow beyond the granter's scope)."""
    elsewhere = make_person("elsewhere")
    grant(elsewhere, world.village_c, Role.INFORMATION_OFFICER)
    client = api(world.township_leader)
    for person in (elsewhere, world.township_leader):
        response = client.post(
            MEMBERSHIPS, {"user": person.pk, "unit": world.village_b.pk, "role": Role.GRID_MANAGER}, format="json"
        )
        assert response.status_code == 403, response.content
        assert "不能为此人分配角色" in response.json()["detail"]
        assert not Membership.objects.filter(user=person, unit=world.village_b).exists()


def test_township_officer_cannot_grant_or_revoke(world, api):
    client = api(world.township_officer)
    response = client.post(
        MEMBERSHIPS, {"user": world.outsider.pk, "unit": world.village_a.pk, "role": Role.GRID_MANAGER}, format="json"
    )
    assert response.status_code == 403
    held = Membership.objects.get(user=world.village_officer_b)
    assert client.post(f"{MEMBERSHIPS}{held.pk}/revoke/").status_code == 403


def test_membership_list_queries_do_not_grow(world, api, django_assert_max_num_queries):
    client = api(world.county_dispatcher)
    with django_assert_max_num_queries(5):
        client.get(MEMBERSHIPS)
    for n in range(20):
        grant(make_person(f"member{n}"), world.village_c, Role.GRID_MANAGER)
    with django_assert_max_num_queries(5):
        assert client.get(MEMBERSHIPS).json()["count"] >= 26


def test_departments_of_visible_counties_are_read_only(world, api):
    client = api(world.department_officer)
    assert ids(client.get("/api/v1/departments/")) == {world.department.pk}
    response = client.patch(f"/api/v1/departments/{world.department.pk}/", {"phone": "110"}, format="json")
    assert response.status_code == 403
    assert ids(api(world.village_officer_a).get("/api/v1/departments/")) == set()


def test_superuser_may_change_a_department(world, api):
    response = api(world.admin).patch(
        f"/api/v1/departments/{world.department.pk}/", {"phone": "0776-7612345"}, format="json"
    )
    assert response.status_code == 200, response.content
    world.department.refresh_from_db()
    assert world.department.phone == "0776-7612345"


def test_sectors_are_listed_read_only(world, api):
    client = api(world.outsider)
    response = client.get("/api/v1/sectors/")
    assert response.status_code == 200
    assert any(row["code"] == "water" for row in response.json())
    assert client.post("/api/v1/sectors/", {"code": "x", "name": "x"}, format="json").status_code == 405


def test_me_tells_roles_and_rights(world, api):
    data = api(world.township_leader).get("/api/v1/me/").json()
    assert [(m["unit"], m["role"]) for m in data["memberships"]] == [(world.township.pk, Role.GRID_LEADER)]
    assert data["can_manage_grid"] is True
    assert data["top_units"] == [world.township.pk]
    village = api(world.village_officer_a).get("/api/v1/me/").json()
    assert village["can_manage_grid"] is False
    assert village["can_view"] is True
    outsider = api(world.outsider).get("/api/v1/me/").json()
    assert outsider["memberships"] == [] and outsider["can_view"] is False


# --- schema and docs ----------------------------------------------------------------------------


def test_openapi_schema_is_valid_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/units/{id}/move/" in target.read_text()


def test_swagger_ui_uses_only_local_assets(client_for, world):
    client = client_for(world.county_dispatcher)  # the schema and its docs are for signed-in users
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets, html
    assert all(url.startswith("/static/") or url.startswith("/api/") for url in assets), assets
    assert not re.search(r"https?://", html)
