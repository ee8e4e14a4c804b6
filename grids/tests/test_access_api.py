"""The people filter of the API chooses its units and departments from the caller's scope."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from grids.models import Department, Role
from grids.tests.factories import grant

PEOPLE = "/api/v1/people/"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_people_filter_by_a_foreign_unit_is_refused_not_answered(world):
    # Village officer B also holds a role in the other township: asking for that township's
    # village must not tell the township leader so.
    grant(world.village_officer_b, world.village_c, Role.GRID_OFFICER)
    response = api(world.township_leader).get(PEOPLE, {"unit": world.village_c.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "unit" in response.json()
    assert "有效" in str(response.json()["unit"])
    assert "农信息" not in response.content.decode()


def test_people_filter_by_an_own_unit_still_works(world):
    response = api(world.township_leader).get(PEOPLE, {"unit": world.village_a.pk})
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {world.village_officer_a.pk}


def test_people_filter_by_a_department_of_another_county_is_refused(world):
    from grids.rules import Kind
    from grids.tests.factories import make_unit

    other_county = make_unit(None, Kind.COUNTY, "451028", "乐业县")
    foreign = Department.objects.create(county=other_county, name="乐业县水利局")
    assert api(world.township_leader).get(PEOPLE, {"department": foreign.pk}).status_code == 400
    assert api(world.county_dispatcher).get(PEOPLE, {"department": foreign.pk}).status_code == 400
    own = api(world.county_dispatcher).get(PEOPLE, {"department": world.department.pk})
    assert own.status_code == 200
    assert {row["id"] for row in own.json()["results"]} == {world.department_officer.pk}


def test_people_filter_choices_in_the_browsable_api_are_scoped(world):
    from grids.rules import Kind
    from grids.tests.factories import make_unit

    make_unit(None, Kind.COUNTY, "451028", "乐业县")
    response = api(world.village_officer_a).get(PEOPLE, {"format": "api"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "乐业县" not in content
    assert "逻楼村" not in content
