"""The admin of the grid: scoped lists and pages, drag-and-drop moves through the services,
history, the map widget, deactivation instead of deletion."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from grids.models import GridUnit, Membership, User
from grids.widgets import GeoJSONMapWidget

CHANGELIST = "admin:grids_gridunit_changelist"


def staff(user: User, *codenames: str) -> User:
    """Make ``user`` staff with the given Django permissions of the grids app."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="grids", codename__in=codenames))
    return User.objects.get(pk=user.pk)  # no cached permissions


@pytest.fixture
def leader(world):
    return staff(
        world.township_leader,
        "view_gridunit",
        "change_gridunit",
        "add_gridunit",
        "view_membership",
        "view_user",
        "change_user",
    )


def tree(*units: GridUnit) -> list[tuple]:
    return [GridUnit.objects.values_list("parent_id", "tree_id", "lft", "rght", "level").get(pk=u.pk) for u in units]


def move(client, cut: GridUnit, target: GridUnit, position: str):
    return client.post(
        reverse(CHANGELIST),
        {"cmd": "move_node", "cut_item": cut.pk, "pasted_on": target.pk, "position": position},
    )


def unit_form_data(unit: GridUnit, **changes) -> dict:
    data = {
        "parent": unit.parent_id or "",
        "name": unit.name,
        "kind": unit.kind,
        "code": unit.code,
        "credit_code": unit.credit_code,
        "population": unit.population or "",
        "households": unit.households or "",
        "address": unit.address,
        "is_active": "on" if unit.is_active else "",
        "boundary": json.dumps(unit.boundary) if unit.boundary else "",
        "location": json.dumps(unit.location) if unit.location else "",
        "_save": "Save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


# --- the tree: scope ------------------------------------------------------------------------


def test_township_leader_changelist_shows_their_township_and_villages_only(
    world, leader, client_for, django_assert_max_num_queries
):
    client = client_for(leader)
    with django_assert_max_num_queries(15):
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {world.township, world.village_a, world.village_b}
    content = response.content.decode()
    for name in ("泗城镇", "陇雅村", "平兰村"):
        assert name in content
    for name in ("逻楼镇", "凌云县", "逻楼村", "凌云工业园区"):
        assert name not in content


def test_changelist_queries_do_not_grow_with_units(world, client_for, django_assert_max_num_queries):
    client = client_for(world.admin)
    client.get(reverse(CHANGELIST))  # warm the content-type and session caches
    from grids.tests.factories import make_unit

    for number in range(3, 13):
        make_unit(world.township, "village", f"4510271002{number:02d}", f"村{number}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == 18


def test_township_leader_cannot_open_another_township(world, leader, client_for):
    client = client_for(leader)
    other = world.other_township
    response = client.get(reverse("admin:grids_gridunit_change", args=[other.pk]))
    assert response.status_code != 200
    assert "逻楼镇" not in response.content.decode()
    assert client.get(reverse("admin:grids_gridunit_history", args=[other.pk])).status_code == 404
    assert client.get(reverse("admin:grids_gridunit_change", args=[world.village_a.pk])).status_code == 200


def test_superuser_sees_the_whole_grid(world, client_for):
    response = client_for(world.admin).get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == GridUnit.objects.count() == 8
    villages = client_for(world.admin).get(reverse(CHANGELIST), {"level": "2"})
    assert set(villages.context["cl"].result_list) == {
        world.village_a,
        world.village_b,
        world.village_c,
        world.enterprise,
    }


def test_grid_officer_without_manage_role_sees_but_cannot_change(world, client_for):
    officer = staff(world.township_officer, "view_gridunit", "change_gridunit")
    client = client_for(officer)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    response = client.get(reverse("admin:grids_gridunit_change", args=[world.village_a.pk]))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    before = tree(world.village_a, world.village_b)
    assert move(client, world.village_a, world.village_b, "right").status_code == 403
    assert tree(world.village_a, world.village_b) == before


def test_parent_choices_are_the_units_the_person_manages(world, leader, client_for):
    response = client_for(leader).get(reverse("admin:grids_gridunit_add"))
    choices = set(response.context["adminform"].form.fields["parent"].queryset)
    assert choices == {world.township, world.village_a, world.village_b}


# --- the tree: drag-and-drop moves ----------------------------------------------------------


def test_drag_move_of_village_under_the_park_is_refused_and_tree_unchanged(world, client_for):
    client = client_for(world.admin)
    before = tree(world.village_a, world.park, world.township, world.county)
    response = move(client, world.village_a, world.park, "last-child")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert tree(world.village_a, world.park, world.township, world.county) == before


def test_township_leader_cannot_drag_a_village_outside_their_grid(world, leader, client_for):
    before = tree(world.village_a, world.park)
    response = move(client_for(leader), world.village_a, world.park, "last-child")
    assert response.status_code == 400
    assert tree(world.village_a, world.park) == before


def test_drag_move_of_village_to_other_township_is_refused_for_its_code(world, client_for):
    before = tree(world.village_b, world.township, world.other_township)
    response = move(client_for(world.admin), world.village_b, world.other_township, "last-child")
    assert response.status_code == 400
    assert "451027101" in response.json()["error"]  # the code must begin with 逻楼镇's prefix
    assert tree(world.village_b, world.township, world.other_township) == before
    # ... and dropping it beside 逻楼村 means the same parent: refused the same way.
    assert move(client_for(world.admin), world.village_b, world.village_c, "left").status_code == 400
    assert tree(world.village_b, world.township, world.other_township) == before


def test_township_leader_reorders_villages_among_siblings(world, leader, client_for):
    client = client_for(leader)
    assert [u.pk for u in world.township.get_children()] == [world.village_a.pk, world.village_b.pk]
    response = move(client, world.village_a, world.village_b, "right")
    assert response.status_code == 200, response.content
    assert response.json()["ok"] is True
    world.township.refresh_from_db()
    assert [u.pk for u in world.township.get_children()] == [world.village_b.pk, world.village_a.pk]
    assert GridUnit.objects.get(pk=world.village_a.pk).parent_id == world.township.pk
    assert GridUnit.history.filter(id=world.village_a.pk).latest("history_date").history_user == leader


# --- saving, history, the map widget --------------------------------------------------------


def test_change_through_the_form_is_recorded_in_history(world, leader, client_for):
    client = client_for(leader)
    village = world.village_a
    response = client.post(
        reverse("admin:grids_gridunit_change", args=[village.pk]), unit_form_data(village, population="4321")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert GridUnit.objects.get(pk=village.pk).population == 4321
    record = GridUnit.history.filter(id=village.pk).latest("history_date")
    assert record.history_user == leader
    assert record.history_type == "~"

    response = client.get(reverse("admin:grids_gridunit_history", args=[village.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "4321" in content
    assert leader.real_name in content or leader.username in content


def test_history_cannot_revert(world, leader, client_for):
    client = client_for(leader)
    record = GridUnit.history.filter(id=world.village_a.pk).latest("history_date")
    url = reverse("admin:grids_gridunit_simple_history", args=[world.village_a.pk, record.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, unit_form_data(world.village_a, name="改名")).status_code == 403
    assert GridUnit.objects.get(pk=world.village_a.pk).name == "陇雅村"


def test_leader_saves_their_township_whose_parent_they_do_not_manage(world, leader, client_for):
    township = world.township
    response = client_for(leader).post(
        reverse("admin:grids_gridunit_change", args=[township.pk]), unit_form_data(township, households="900")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert GridUnit.objects.get(pk=township.pk).households == 900


def test_county_dispatcher_saves_the_county_which_has_no_parent(world, client_for):
    dispatcher = staff(world.county_dispatcher, "view_gridunit", "change_gridunit")
    county = world.county
    response = client_for(dispatcher).post(
        reverse("admin:grids_gridunit_change", args=[county.pk]), unit_form_data(county, population="190000")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert GridUnit.objects.get(pk=county.pk).population == 190000


def test_form_refuses_a_village_under_the_county(world, client_for):
    village = world.village_b
    response = client_for(world.admin).post(
        reverse("admin:grids_gridunit_change", args=[village.pk]), unit_form_data(village, parent=world.county.pk)
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert GridUnit.objects.get(pk=village.pk).parent_id == world.township.pk


def test_leader_adds_a_village_through_the_form(world, leader, client_for):
    data = unit_form_data(
        GridUnit(parent=world.township, name="新村", kind="village", code="451027100203"),
        boundary=json.dumps(
            {"type": "Polygon", "coordinates": [[[106.4, 24.3], [106.5, 24.3], [106.5, 24.4], [106.4, 24.3]]]}
        ),
    )
    response = client_for(leader).post(reverse("admin:grids_gridunit_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = GridUnit.objects.get(code="451027100203")
    assert created.parent == world.township
    assert created.boundary["type"] == "Polygon"
    assert created.history.latest("history_date").history_user == leader


def test_change_form_renders_the_map_widget_without_inline_script(world, leader, client_for):
    response = client_for(leader).get(reverse("admin:grids_gridunit_change", args=[world.village_a.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    tiles = settings.LEAFLET_CONFIG["TILES"]
    tile_url = tiles[0][1] if tiles else ""  # no tile layer by default: boundaries and markers only
    for geom_type, name in (("Polygon", "boundary"), ("Point", "location")):
        div = re.search(rf'<div class="geojson-map" data-geojson-map\s+data-textarea="id_{name}"[^>]*>', content)
        assert div, name
        assert f'data-geom-type="{geom_type}"' in div.group(0)
        assert "data-tile-url=" in div.group(0) and "data-default-center=" in div.group(0)
        assert re.search(rf'<textarea name="{name}"[^>]*id="id_{name}"', content)
    assert 'data-tile-url="{}"'.format(tile_url.replace("&", "&amp;")) in content
    assert "106.45" in content  # the location of 陇雅村, in the textarea
    for asset in ("leaflet/leaflet.js", "leaflet/draw/leaflet.draw.js", "js/geojson-widget.js", "leaflet/leaflet.css"):
        assert asset in content
    for attrs in re.findall(r"<script\b([^>]*)>", content):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs


def test_the_maps_of_a_unit_show_its_own_and_its_parents_boundary_for_context(world, leader, client_for):
    import html as html_lib
    import json

    content = client_for(leader).get(reverse("admin:grids_gridunit_change", args=[world.village_a.pk])).content.decode()
    contexts = {}
    for name in ("boundary", "location"):
        div = re.search(rf'<div class="geojson-map" data-geojson-map\s+data-textarea="id_{name}"[^>]*>', content).group(
            0
        )
        found = re.search(r'data-context="([^"]*)"', div)
        contexts[name] = json.loads(html_lib.unescape(found.group(1))) if found else None
    assert contexts["location"] and contexts["boundary"]
    assert contexts["location"] == world.village_a.boundary  # the marker sits inside its own village
    assert contexts["boundary"] == world.township.boundary  # the village is drawn inside its township


def test_map_widget_markup_has_no_script_and_keeps_empty_value_empty():
    html = GeoJSONMapWidget(geom_type="Point").render("location", "null", attrs={"id": "id_location"})
    assert "<script" not in html
    assert 'data-geom-type="Point"' in html
    assert re.search(r"<textarea[^>]*>\s*</textarea>", html)
    with pytest.raises(ValueError):
        GeoJSONMapWidget(geom_type="LineString")


# --- deactivation instead of deletion -------------------------------------------------------


def test_deactivate_action_goes_through_scope(world, leader, client_for):
    response = client_for(leader).post(
        reverse(CHANGELIST),
        {"action": "deactivate_selected", "_selected_action": [world.village_b.pk, world.other_township.pk]},
    )
    assert response.status_code == 302
    assert GridUnit.objects.get(pk=world.village_b.pk).is_active is False
    assert GridUnit.objects.get(pk=world.other_township.pk).is_active is True  # not in their grid
    assert GridUnit.history.filter(id=world.village_b.pk).latest("history_date").is_active is False


def test_grid_officer_cannot_deactivate(world, client_for):
    officer = staff(world.township_officer, "view_gridunit", "change_gridunit")
    client_for(officer).post(
        reverse(CHANGELIST), {"action": "deactivate_selected", "_selected_action": [world.village_b.pk]}
    )
    assert GridUnit.objects.get(pk=world.village_b.pk).is_active is True


def test_units_cannot_be_deleted_even_by_a_superuser(world, leader, client_for):
    for user in (leader, world.admin):
        client = client_for(user)
        assert client.get(reverse("admin:grids_gridunit_delete", args=[world.village_b.pk])).status_code == 403
        response = client.get(reverse(CHANGELIST))
        assert "delete_selected" not in response.content.decode()
        change = client.get(reverse("admin:grids_gridunit_change", args=[world.village_b.pk])).content.decode()
        assert "deletelink" not in change
    assert GridUnit.objects.filter(pk=world.village_b.pk).exists()


def test_changelist_links_to_import_and_export(world, leader, client_for):
    content = client_for(leader).get(reverse(CHANGELIST)).content.decode()
    assert f'href="{reverse("grids:import_upload")}"' in content


# --- memberships and people -----------------------------------------------------------------


def test_membership_changelist_is_scoped(world, leader, client_for):
    response = client_for(leader).get(reverse("admin:grids_membership_changelist"))
    assert response.status_code == 200
    expected = set(Membership.objects.filter(unit__in=[world.township, world.village_a, world.village_b]))
    assert set(response.context["cl"].result_list) == expected
    assert not Membership.objects.filter(user=world.county_dispatcher).filter(pk__in=[m.pk for m in expected])
    villages = client_for(leader).get(reverse("admin:grids_membership_changelist"), {"unit__level": "2"})
    assert {m.unit for m in villages.context["cl"].result_list} == {world.village_a, world.village_b}


def test_unit_autocomplete_offers_only_managed_units(world, client_for):
    leader = staff(world.township_leader, "view_gridunit", "add_membership", "view_membership")
    response = client_for(leader).get(
        reverse("admin:autocomplete"),
        {"app_label": "grids", "model_name": "membership", "field_name": "unit", "term": ""},
    )
    assert response.status_code == 200
    ids = {int(row["id"]) for row in response.json()["results"]}
    assert ids == {world.township.pk, world.village_a.pk, world.village_b.pk}


def test_leader_grants_a_role_through_the_membership_admin(world, client_for):
    leader = staff(world.township_leader, "add_membership", "change_membership", "view_membership")
    response = client_for(leader).post(
        reverse("admin:grids_membership_add"),
        {"user": world.village_officer_a.pk, "unit": world.village_b.pk, "role": "grid_officer", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.village_officer_a, unit=world.village_b, role="grid_officer").exists()
    refused = client_for(leader).post(
        reverse("admin:grids_membership_add"),
        {"user": world.village_officer_a.pk, "unit": world.village_c.pk, "role": "grid_officer", "is_active": "on"},
    )
    assert refused.status_code == 200  # 逻楼村 is not a choice
    assert not Membership.objects.filter(unit=world.village_c, user=world.village_officer_a).exists()


def test_user_changelist_is_scoped(world, leader, client_for):
    response = client_for(leader).get(reverse("admin:grids_user_changelist"))
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {
        world.township_leader,
        world.township_officer,
        world.village_officer_a,
        world.village_officer_b,
    }
    client = client_for(leader)
    assert client.get(reverse("admin:grids_user_change", args=[world.outsider.pk])).status_code != 200


def test_leader_cannot_grant_privileges_on_a_person(world, leader, client_for):
    response = client_for(leader).get(reverse("admin:grids_user_change", args=[world.village_officer_a.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="real_name"' in content
    assert 'name="is_superuser"' not in content
    assert 'name="user_permissions"' not in content
    assert "陇雅村" in content  # the memberships inline


@pytest.mark.parametrize("model", ["gridunit", "department", "sector", "membership", "user", "importjob"])
def test_superuser_opens_every_grid_admin_list_and_add_page(world, client_for, model):
    client = client_for(world.admin)
    assert client.get(reverse(f"admin:grids_{model}_changelist")).status_code == 200
    expected_add = 403 if model == "importjob" else 200
    assert client.get(reverse(f"admin:grids_{model}_add")).status_code == expected_add


def test_import_jobs_list_shows_only_ones_own_uploads_with_errors(world, client_for, settings, tmp_path):
    from django.core.files.base import ContentFile

    from grids.models import ImportJob

    settings.MEDIA_ROOT = tmp_path
    leader = staff(world.township_leader, "view_importjob")
    mine = ImportJob.objects.create(
        dataset="units",
        original_name="mine.xlsx",
        created_by=leader,
        status="refused",
        file=ContentFile(b"x", name="mine.xlsx"),
        errors=[{"row": 3, "message": "坏代码"}],
    )
    ImportJob.objects.create(
        dataset="people", original_name="theirs.xlsx", created_by=world.admin, file=ContentFile(b"x", name="t.xlsx")
    )
    client = client_for(leader)
    response = client.get(reverse("admin:grids_importjob_changelist"))
    assert list(response.context["cl"].result_list) == [mine]
    detail = client.get(reverse("admin:grids_importjob_change", args=[mine.pk])).content.decode()
    assert "坏代码" in detail
