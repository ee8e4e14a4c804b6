"""The unit chooser: a search box over a scoped JSON endpoint instead of a drop-down of every unit.

The endpoint answers only units in the person's scope (a search, the children of a seen unit, or
the top units and their children), 20 at a time, in the same number of queries whatever the size
of the grid; the filter forms of the list, map and statistics render only the chosen unit."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from grids import selectors
from grids.models import Kind
from grids.tests.factories import make_unit

URL = "grids:unit_choices"


def _names(response) -> list[str]:
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_an_empty_box_offers_the_top_units_and_their_children(world, client_for):
    county = client_for(world.county_dispatcher).get(reverse(URL))
    names = _names(county)
    assert names[0] == "凌云县" and sorted(names[1:]) == sorted(["泗城镇", "逻楼镇", "凌云工业园区"])


def test_a_township_officer_is_offered_the_township_and_its_villages_only(world, client_for):
    response = client_for(world.township_officer).get(reverse(URL))
    assert _names(response) == ["泗城镇", "陇雅村", "平兰村"]
    row = response.json()["results"][1]
    assert row == {
        "id": world.village_a.pk,
        "text": "泗城镇 › 陇雅村",
        "name": "陇雅村",
        "code": "451027100201",
        "level": 2,
        "children": False,
    }


def test_a_search_matches_names_and_codes_in_scope_only(world, client_for):
    client = client_for(world.township_officer)
    assert _names(client.get(reverse(URL), {"q": "村"})) == ["陇雅村", "平兰村"]
    assert _names(client.get(reverse(URL), {"q": "451027100202"})) == ["平兰村"]
    assert _names(client.get(reverse(URL), {"q": "逻楼"})) == []  # the other township
    assert _names(client_for(world.county_dispatcher).get(reverse(URL), {"q": "逻楼"})) == ["逻楼镇", "逻楼村"]


def test_the_children_of_a_seen_unit_and_404_for_an_unseen_one(world, client_for):
    client = client_for(world.township_officer)
    assert _names(client.get(reverse(URL), {"parent": world.township.pk})) == ["陇雅村", "平兰村"]
    assert client.get(reverse(URL), {"parent": world.other_township.pk}).status_code == 404
    assert client.get(reverse(URL), {"parent": "x"}).status_code == 404
    assert client_for(world.village_officer_a).get(reverse(URL), {"parent": world.township.pk}).status_code == 404


def test_an_outsider_is_offered_nothing(world, client_for):
    assert _names(client_for(world.outsider).get(reverse(URL))) == []
    assert _names(client_for(world.outsider).get(reverse(URL), {"q": "村"})) == []


def test_the_endpoint_needs_a_login_and_a_get(world, client):
    assert client.get(reverse(URL)).status_code == 302
    client.force_login(world.township_officer)
    assert client.post(reverse(URL)).status_code == 405


def test_pages_of_twenty_and_whether_there_is_more(world, client_for):
    for n in range(25):
        make_unit(world.other_township, Kind.VILLAGE, f"451027101{300 + n}", f"逻楼{n:02d}组")
    client = client_for(world.county_dispatcher)
    first = client.get(reverse(URL), {"q": "逻楼", "page": 1}).json()
    second = client.get(reverse(URL), {"q": "逻楼", "page": 2}).json()
    assert (len(first["results"]), first["more"]) == (20, True)
    assert (len(second["results"]), second["more"]) == (7, False)  # 逻楼镇, 逻楼村 and 25 new ones
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])
    assert client.get(reverse(URL), {"q": "逻楼", "page": "many"}).json() == first
    page = selectors.unit_choices(world.county_dispatcher, query="逻楼", size=5)
    assert len(page.units) == 5 and page.more


@pytest.mark.parametrize("params", [{}, {"q": "村"}, {"parent": "township"}])
def test_the_endpoint_costs_the_same_queries_for_a_small_or_a_large_grid(
    world, client_for, django_assert_num_queries, params
):
    params = {k: getattr(world, v).pk if k == "parent" else v for k, v in params.items()}
    client = client_for(world.township_officer)
    client.get(reverse(URL), params)  # the session's first request
    queries = 5 if "parent" in params else 4  # session, person, scope, (the parent,) the page
    with django_assert_num_queries(queries):
        client.get(reverse(URL), params)
    for n in range(30):
        make_unit(world.township, Kind.VILLAGE, f"451027100{300 + n}", f"新建{n:02d}村")
    with django_assert_num_queries(queries):
        assert len(client.get(reverse(URL), params).json()["results"]) == 20


@pytest.mark.parametrize("name", ["list", "map", "statistics"])
def test_filter_forms_render_the_chosen_unit_only(world, client_for, name):
    client = client_for(world.county_dispatcher)
    body = client.get(reverse(f"hazards:{name}"), {"unit": world.village_a.pk}).content.decode()
    field = re.search(r'<input[^>]*name="unit"[^>]*>', body).group(0)
    assert f'value="{world.village_a.pk}"' in field
    assert 'data-label="泗城镇 › 陇雅村"' in field
    assert f'data-unit-chooser="{reverse(URL)}"' in field
    assert "逻楼村" not in body and "平兰村" not in body  # no option for any other unit
    assert "vendor/tom-select/tom-select.complete.min.js" in body
    empty = client.get(reverse(f"hazards:{name}")).content.decode()
    assert re.search(r'<input[^>]*name="unit"[^>]*>', empty) and "陇雅村" not in empty


def test_a_unit_outside_the_scope_is_still_refused(world, client_for):
    client = client_for(world.township_officer)
    assert client.get(reverse("hazards:list"), {"unit": world.village_c.pk}).status_code == 404
    assert client.get(reverse("hazards:list"), {"unit": world.village_a.pk}).status_code == 200


def test_the_administrator_is_offered_the_counties_and_their_townships(world, client_for):
    names = _names(client_for(world.admin).get(reverse(URL)))
    assert names[0] == "凌云县" and "泗城镇" in names and "陇雅村" not in names
