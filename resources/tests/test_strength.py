"""Roster completeness: a team below the required strength of its kind (a rule table) stands out."""

from __future__ import annotations

from django.urls import reverse

from resources.models import StrengthRule, TeamKind
from resources.selectors.teams import team_list
from resources.tests import factories


def test_a_squadron_below_its_required_members_stands_out(world):
    short = factories.team(world, name="泗城镇民兵应急中队", members=3, on_duty=6)
    full = factories.team(world, unit=world.other_township, name="逻楼镇民兵应急中队", members=10, on_duty=6)
    listed = {t.pk: t for t in team_list(world.county_dispatcher)}
    assert listed[short.pk].strength.below
    assert not listed[full.pk].strength.below
    assert [t.pk for t in team_list(world.county_dispatcher, below_only=True)] == [short.pk]


def test_too_few_on_duty_is_below_strength_too(world):
    team = factories.team(world, members=12, on_duty=2)
    (listed,) = team_list(world.county_dispatcher)
    assert listed.pk == team.pk and listed.strength.below


def test_the_rule_is_data_a_lower_requirement_lifts_the_team(world):
    factories.team(world, members=3, on_duty=6)
    StrengthRule.objects.filter(kind=TeamKind.SQUADRON).update(min_members=3)
    (listed,) = team_list(world.county_dispatcher)
    assert not listed.strength.below


def test_the_list_page_marks_and_filters_teams_below_strength(world, client_for, django_assert_max_num_queries):
    factories.team(world, name="泗城镇民兵应急中队", members=2)
    factories.team(world, unit=world.other_township, name="逻楼镇民兵应急中队", members=10)
    client = client_for(world.county_dispatcher)
    response = client.get(reverse("resources:team_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "below-strength" in body and "泗城镇民兵应急中队" in body
    response = client.get(reverse("resources:team_list"), {"below": "on"})
    body = response.content.decode()
    assert "泗城镇民兵应急中队" in body and "逻楼镇民兵应急中队" not in body


def test_the_list_costs_the_same_queries_for_more_teams(world, client_for, django_assert_num_queries):
    client = client_for(world.county_dispatcher)
    factories.team(world, name="一队", members=1)
    client.get(reverse("resources:team_list"))  # warm the session and scope caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("resources:team_list"))
    for number in range(4):
        factories.team(world, name=f"第{number}队", members=2)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("resources:team_list"))
    assert len(many) == len(few)
