"""Moving a unit with a new code: the unit and the units below it are re-coded with the move,
the tree stays consistent, the history records it, and scope and the grid's rules still hold."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from grids import services
from grids.models import GridUnit
from grids.rules import Kind
from grids.tests.factories import make_unit


def assert_tree_is_consistent(tree_id: int) -> None:
    """lft/rght numbering of one tree: 1..2n, each node nested in its parent, levels one below."""
    rows = {row["id"]: row for row in GridUnit.objects.filter(tree_id=tree_id).values()}
    bounds = sorted([row["lft"] for row in rows.values()] + [row["rght"] for row in rows.values()])
    assert bounds == list(range(1, 2 * len(rows) + 1))
    for row in rows.values():
        parent = rows.get(row["parent_id"])
        if row["parent_id"] is None:
            assert (row["lft"], row["level"]) == (1, 0)
        else:
            assert parent is not None, "a child in another tree than its parent"
            assert parent["lft"] < row["lft"] < row["rght"] < parent["rght"]
            assert row["level"] == parent["level"] + 1


def codes_and_parents(*units: GridUnit) -> list[tuple]:
    return [GridUnit.objects.values_list("code", "parent_id", "tree_id", "lft", "rght").get(pk=u.pk) for u in units]


def error_codes(exc: ValidationError, field: str) -> set[str]:
    return {error.code for error in exc.error_dict[field]}


@pytest.fixture
def other_county(world):
    return make_unit(None, Kind.COUNTY, "451028", "乐业县")


# --- a village to another township --------------------------------------------------------


def test_village_moves_to_other_township_with_its_new_code(world):
    records = GridUnit.history.filter(id=world.village_b.pk).count()
    services.unit_move(by=world.admin, unit=world.village_b, new_parent=world.other_township, code="451027101202")
    village = GridUnit.objects.get(pk=world.village_b.pk)
    assert village.code == "451027101202"
    assert village.parent == world.other_township
    assert list(village.get_ancestors()) == [world.county, world.other_township]
    assert set(world.other_township.get_children()) == {world.village_c, village}
    assert list(GridUnit.objects.get(pk=world.township.pk).get_children()) == [world.village_a]
    assert_tree_is_consistent(village.tree_id)

    record = GridUnit.history.filter(id=village.pk).latest("history_date")
    assert (record.code, record.parent_id, record.history_user) == (
        "451027101202",
        world.other_township.pk,
        world.admin,
    )
    assert "451027100202" in record.history_change_reason
    assert GridUnit.history.filter(id=village.pk).count() == records + 1


def test_village_move_without_a_new_code_is_refused_asking_for_one(world):
    before = codes_and_parents(world.village_b, world.township, world.other_township)
    with pytest.raises(ValidationError) as refused:
        services.unit_move(by=world.admin, unit=world.village_b, new_parent=world.other_township)
    assert "new_code_needed" in error_codes(refused.value, "code")
    assert any("451027101202" in message for message in refused.value.message_dict["code"])  # a free code to use
    assert codes_and_parents(world.village_b, world.township, world.other_township) == before


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("451027100203", "code_prefix"),  # still the old township's digits
        ("451027101", "code"),  # not 12 digits
        ("451027101600", "code_range"),  # village digits out of range
    ],
)
def test_village_move_with_a_code_that_does_not_fit_the_new_township_is_refused(world, code, why):
    before = codes_and_parents(world.village_b, world.township, world.other_township)
    with pytest.raises(ValidationError) as refused:
        services.unit_move(by=world.admin, unit=world.village_b, new_parent=world.other_township, code=code)
    assert why in error_codes(refused.value, "code")
    assert codes_and_parents(world.village_b, world.township, world.other_township) == before


def test_village_move_with_a_code_already_used_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.unit_move(by=world.admin, unit=world.village_b, new_parent=world.other_township, code="451027101201")
    assert any("451027101201" in message for message in refused.value.message_dict["code"])
    assert GridUnit.objects.get(pk=world.village_b.pk).code == "451027100202"


def test_move_with_a_new_code_still_refuses_a_village_under_the_park(world):
    with pytest.raises(ValidationError) as refused:
        services.unit_move(by=world.admin, unit=world.village_b, new_parent=world.park, code="451027-GY01-002")
    assert "parent" in refused.value.message_dict
    assert GridUnit.objects.get(pk=world.village_b.pk).parent_id == world.township.pk
    with pytest.raises(ValidationError) as refused:
        services.unit_move(by=world.admin, unit=world.village_b, new_parent=world.park)
    assert "new_code_needed" not in error_codes(refused.value, "code")  # no new code would help


# --- units with children: the subtree is re-coded ------------------------------------------


def test_township_moved_to_another_county_re_codes_its_villages(world, other_county, django_assert_max_num_queries):
    extra = [make_unit(world.township, Kind.VILLAGE, f"451027100{n:03d}", f"新村{n}") for n in range(300, 320)]
    old_tree = world.county.tree_id
    with django_assert_max_num_queries(20):  # a fixed number, not one per village (22 here)
        services.unit_move(by=world.admin, unit=world.township, new_parent=other_county, code="451028100000")

    township = GridUnit.objects.get(pk=world.township.pk)
    assert (township.code, township.parent_id, township.tree_id) == (
        "451028100000",
        other_county.pk,
        other_county.tree_id,
    )
    codes = dict(township.get_children().values_list("pk", "code"))
    assert codes[world.village_a.pk] == "451028100201"
    assert codes[world.village_b.pk] == "451028100202"
    assert {codes[v.pk] for v in extra} == {f"451028100{n:03d}" for n in range(300, 320)}
    assert list(GridUnit.objects.get(pk=world.village_a.pk).get_ancestors()) == [other_county, township]
    assert_tree_is_consistent(old_tree)
    assert_tree_is_consistent(other_county.tree_id)
    for unit in GridUnit.objects.filter(tree_id=other_county.tree_id):
        unit.full_clean()  # every code fits its new parent

    record = GridUnit.history.filter(id=world.village_a.pk).latest("history_date")
    assert (record.code, record.history_user) == ("451028100201", world.admin)
    assert "451027100000" in record.history_change_reason


def test_park_moved_with_a_new_code_re_codes_its_enterprises(world, other_county):
    services.unit_move(by=world.admin, unit=world.park, new_parent=other_county, code="451028-GY01")
    enterprise = GridUnit.objects.get(pk=world.enterprise.pk)
    assert enterprise.code == "451028-GY01-001"
    assert enterprise.credit_code == world.enterprise.credit_code
    assert list(enterprise.get_ancestors()) == [other_county, world.park]
    assert_tree_is_consistent(other_county.tree_id)


def test_a_child_whose_code_does_not_derive_from_its_parent_stops_the_re_coding(world, other_county):
    GridUnit.objects.filter(pk=world.village_a.pk).update(code="451027109201")  # an old, inconsistent row
    before = codes_and_parents(world.township, world.village_a, world.village_b)
    with pytest.raises(ValidationError) as refused:
        services.unit_move(by=world.admin, unit=world.township, new_parent=other_county, code="451028100000")
    assert any(world.village_a.name in message for message in refused.value.message_dict["code"])
    assert codes_and_parents(world.township, world.village_a, world.village_b) == before


def test_township_moved_without_a_new_code_is_refused(world, other_county):
    with pytest.raises(ValidationError) as refused:
        services.unit_move(by=world.admin, unit=world.township, new_parent=other_county)
    assert "new_code_needed" in error_codes(refused.value, "code")
    assert GridUnit.objects.get(pk=world.village_a.pk).code == "451027100201"


# --- scope ---------------------------------------------------------------------------------


def test_township_leader_cannot_move_a_village_into_a_township_they_do_not_manage(world):
    with pytest.raises(PermissionDenied):
        services.unit_move(
            by=world.township_leader, unit=world.village_b, new_parent=world.other_township, code="451027101202"
        )
    assert GridUnit.objects.get(pk=world.village_b.pk).code == "451027100202"


def test_village_officer_cannot_move_or_re_code_their_village(world):
    with pytest.raises(PermissionDenied):
        services.unit_move(
            by=world.village_officer_b, unit=world.village_b, new_parent=world.township, code="451027100209"
        )


def test_county_dispatcher_moves_a_village_between_townships_of_their_county(world):
    services.unit_move(
        by=world.county_dispatcher, unit=world.village_b, new_parent=world.other_township, code="451027101202"
    )
    assert GridUnit.objects.get(pk=world.village_b.pk).parent_id == world.other_township.pk


# --- the API -------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def move_url(unit: GridUnit) -> str:
    return f"/api/v1/units/{unit.pk}/move/"


def test_api_moves_a_village_with_its_new_code(world):
    response = api(world.county_dispatcher).post(
        move_url(world.village_b), {"parent": world.other_township.pk, "code": "451027101202"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["code"], response.json()["parent"]) == ("451027101202", world.other_township.pk)


def test_api_move_without_a_new_code_is_a_400_on_the_code(world):
    response = api(world.county_dispatcher).post(
        move_url(world.village_b), {"parent": world.other_township.pk}, format="json"
    )
    assert response.status_code == 400
    assert any("451027101202" in message for message in response.json()["code"])


def test_api_move_with_a_wrong_prefix_is_a_400(world):
    response = api(world.county_dispatcher).post(
        move_url(world.village_b), {"parent": world.other_township.pk, "code": "451027100209"}, format="json"
    )
    assert response.status_code == 400
    assert "code" in response.json()
    assert GridUnit.objects.get(pk=world.village_b.pk).parent_id == world.township.pk


def test_api_township_leader_cannot_move_into_another_township_with_a_code(world):
    response = api(world.township_leader).post(
        move_url(world.village_b), {"parent": world.other_township.pk, "code": "451027101202"}, format="json"
    )
    assert response.status_code == 403
    assert GridUnit.objects.get(pk=world.village_b.pk).parent_id == world.township.pk


# --- the admin change form -----------------------------------------------------------------


def form_data(unit: GridUnit, **changes) -> dict:
    data = {
        "parent": unit.parent_id or "",
        "name": unit.name,
        "kind": unit.kind,
        "code": unit.code,
        "credit_code": unit.credit_code,
        "is_active": "on" if unit.is_active else "",
        "_save": "Save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_admin_form_moves_a_village_with_its_new_code(world, client):
    client.force_login(world.admin)
    village = world.village_b
    response = client.post(
        reverse("admin:grids_gridunit_change", args=[village.pk]),
        form_data(village, parent=world.other_township.pk, code="451027101202"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    moved = GridUnit.objects.get(pk=village.pk)
    assert (moved.parent_id, moved.code) == (world.other_township.pk, "451027101202")
    assert_tree_is_consistent(moved.tree_id)


def test_admin_form_moves_a_township_and_re_codes_its_villages(world, other_county, client):
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:grids_gridunit_change", args=[world.township.pk]),
        form_data(world.township, parent=other_county.pk, code="451028100000"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert GridUnit.objects.get(pk=world.village_b.pk).code == "451028100202"
    assert_tree_is_consistent(other_county.tree_id)


def test_admin_form_reports_a_child_that_cannot_be_re_coded(world, other_county, client):
    GridUnit.objects.filter(pk=world.village_a.pk).update(code="451027109201")
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:grids_gridunit_change", args=[world.township.pk]),
        form_data(world.township, parent=other_county.pk, code="451028100000"),
    )
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    assert GridUnit.objects.get(pk=world.township.pk).parent_id == world.county.pk


def test_admin_form_refuses_a_new_code_of_a_unit_with_children_without_a_move(world, client):
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:grids_gridunit_change", args=[world.township.pk]),
        form_data(world.township, code="451027109000"),
    )
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    assert GridUnit.objects.get(pk=world.township.pk).code == "451027100000"


def test_admin_drag_to_another_township_says_to_give_the_new_code_on_the_units_page(world, client):
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:grids_gridunit_changelist"),
        {
            "cmd": "move_node",
            "cut_item": world.village_b.pk,
            "pasted_on": world.other_township.pk,
            "position": "last-child",
        },
    )
    assert response.status_code == 400
    assert "451027101202" in response.json()["error"]
    assert GridUnit.objects.get(pk=world.village_b.pk).parent_id == world.township.pk
