"""The grid's pages: scope (404 unseen, 403 not allowed), wrong methods, and what they show."""

import pytest
from django.urls import reverse


def unit_url(unit):
    return reverse("grids:unit_detail", args=[unit.pk])


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("grids:home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_home_shows_roles_and_whom_to_call_above(client_for, world):
    response = client_for(world.village_officer_a).get(reverse("grids:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.village_a.name in html
    assert world.township_officer.mobile in html  # the township's officer, to report up
    assert world.county_dispatcher.mobile in html
    assert world.village_officer_b.mobile not in html


def test_home_shows_the_two_nearest_contacts_and_folds_the_rest(client_for, world):
    """On a phone the contacts above come after the officer's buttons; past the first two (the
    nearest tier's) they fold, so the page does not run on below the fold."""
    from grids.models import Role
    from grids.tests.factories import grant, make_person

    for index in range(4):
        grant(make_person(f"extra{index}", mobile=f"1390000000{index}"), world.county, Role.GRID_OFFICER)
    response = client_for(world.village_officer_a).get(reverse("grids:home"))
    contacts = response.context["contacts"]
    assert len(contacts) > 4
    html = response.content.decode()
    shown, folded = html.split('<details class="more-contacts">')
    assert shown.count('class="person') == 2
    assert f"另有 {len(contacts) - 2} 位联系人" in folded and all(c.user.mobile in html for c in contacts)


def test_pages_answer_in_chinese_by_default(client_for, world):
    response = client_for(world.village_officer_a).get(reverse("grids:home"))
    assert response["Content-Language"] == "zh-hans"
    assert "网格" in response.content.decode()


def test_village_officer_opens_own_village_with_tap_to_call_numbers(client_for, world):
    response = client_for(world.village_officer_a).get(unit_url(world.village_a))
    assert response.status_code == 200
    assert f'href="tel:{world.village_officer_a.mobile}"' in response.content.decode()


@pytest.mark.parametrize("target", ["village_b", "village_c", "township", "county", "other_township", "park"])
def test_village_officer_cannot_open_units_outside_their_village(client_for, world, target):
    response = client_for(world.village_officer_a).get(unit_url(getattr(world, target)))
    assert response.status_code == 404


def test_township_officer_opens_own_villages_but_not_sibling_township(client_for, world):
    client = client_for(world.township_officer)
    assert client.get(unit_url(world.village_b)).status_code == 200
    assert client.get(unit_url(world.other_township)).status_code == 404
    assert client.get(unit_url(world.village_c)).status_code == 404


def test_unit_page_names_but_does_not_link_ancestors_out_of_scope(client_for, world):
    html = client_for(world.village_officer_a).get(unit_url(world.village_a)).content.decode()
    assert world.township.name in html
    assert unit_url(world.township) not in html


def test_tree_shows_only_visible_units(client_for, world):
    html = client_for(world.township_officer).get(reverse("grids:tree")).content.decode()
    assert world.village_a.name in html and world.village_b.name in html
    assert world.village_c.name not in html
    assert world.county.name not in html


def test_tree_query_count_does_not_grow_with_units(client_for, world, django_assert_max_num_queries):
    client = client_for(world.county_dispatcher)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("grids:tree")).status_code == 200


def test_unit_page_carries_map_data_without_inline_script(client_for, world):
    html = client_for(world.township_officer).get(unit_url(world.township)).content.decode()
    assert 'id="unit-map"' in html
    assert '"type": "FeatureCollection"' in html
    import re

    inline = [m for m in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html) if "application/json" not in m]
    assert inline == []
    assert "http://" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', html)).replace("tel:", "")


@pytest.mark.parametrize("name", ["grids:home", "grids:tree"])
def test_wrong_method_is_refused(client_for, world, name):
    assert client_for(world.county_dispatcher).post(reverse(name)).status_code == 405


def test_outsider_sees_an_empty_grid(client_for, world):
    client = client_for(world.outsider)
    assert client.get(reverse("grids:home")).status_code == 200
    assert world.county.name not in client.get(reverse("grids:tree")).content.decode()
    assert client.get(unit_url(world.county)).status_code == 404


def test_department_officer_reads_the_county(client_for, world):
    client = client_for(world.department_officer)
    assert client.get(unit_url(world.village_c)).status_code == 200


def test_language_switch_to_english(client_for, world):
    client = client_for(world.village_officer_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("grids:home"))
    assert response["Content-Language"] == "en"
