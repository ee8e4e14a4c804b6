""" "Who can I send?": the nearest ready teams for a point and a category, the experts for that
category, the nearest usable stock; a constant number of queries; picking a team and an expert
records them on the incident."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.models import IncidentType
from hazards.models import HazardCategory
from resources.models import Participant, Team
from resources.selectors.dispatch import who_can_i_send
from resources.selectors.teams import search_experts
from resources.services import teams as team_services
from resources.tests import factories
from supplies.tests import factories as supply_factories

# the scope's top units (for teams and for experts); teams, their specialities, their equipment, the
# strength rules; experts, their categories; stock: supplies.selectors.nearest.nearest_usable (5)
QUERIES = 13


def test_the_nearest_ready_team_of_the_category_comes_first(world):
    far = factories.team(world, unit=world.other_township, name="逻楼镇民兵应急中队", lat=24.3, lng=106.7)
    near = factories.team(world, name="泗城镇民兵应急中队", lat=24.25, lng=106.45)
    factories.team(
        world, unit=world.village_a, name="陇雅村森林扑火分队", kind="vanguard", specialities=("forest_fire",)
    )
    resting = factories.team(world, unit=world.village_b, name="平兰村应急分队", kind="vanguard")
    team_services.team_set_readiness(team=resting, by=world.county_dispatcher, readiness=Team.Readiness.RESTING)
    flood = HazardCategory.objects.get(code="flood")
    answer = who_can_i_send(world.county_dispatcher, lat=24.26, lng=106.46, category=flood)
    assert [t.pk for t in answer.teams] == [near.pk, far.pk]
    assert answer.teams[0].distance_km < answer.teams[1].distance_km


def test_experts_are_found_by_category(world):
    geologist = factories.expert(world, name="岑海燕", categories=("geological",))
    factories.expert(world, name="黄建国", categories=("forest_fire",), phone="13907760103")
    geological = HazardCategory.objects.get(code="geological")
    assert list(search_experts(world.county_dispatcher, category=geological)) == [geologist]
    answer = who_can_i_send(world.county_dispatcher, lat=None, lng=None, category=geological)
    assert answer.experts == [geologist]


def test_a_village_sees_the_teams_of_its_line_not_the_other_township(world):
    ours = factories.team(world, name="泗城镇民兵应急中队")
    factories.team(world, unit=world.other_township, name="逻楼镇民兵应急中队")
    answer = who_can_i_send(world.village_officer_a, lat=24.25, lng=106.45)
    assert [t.pk for t in answer.teams] == [ours.pk]


def test_the_nearest_usable_stock_is_listed(world, client_for):
    depot = supply_factories.depot(world.township)
    type(depot).objects.filter(pk=depot.pk).update(lat=24.25, lng=106.45)
    supply_factories.lot(depot, "救生衣", 20, by=world.township_officer)
    answer = who_can_i_send(world.county_dispatcher, lat=24.26, lng=106.46)
    assert [(row["depot"].pk, row["quantity"]) for row in answer.stock] == [(depot.pk, 20)]


def _count(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_page_costs_a_constant_number_of_queries(world, client_for):
    client = client_for(world.county_dispatcher)
    url = reverse("resources:dispatch")
    params = {"lat": "24.26", "lng": "106.46", "category": HazardCategory.objects.get(code="flood").pk}
    factories.team(world, name="一队", members=2)
    factories.expert(world, categories=("flood",))
    depot = supply_factories.depot(world.township)
    type(depot).objects.filter(pk=depot.pk).update(lat=24.25, lng=106.45)
    supply_factories.lot(depot, "救生衣", 20, by=world.township_officer)
    _count(client, url, params)
    few = _count(client, url, params)
    for number in range(4):
        factories.team(world, unit=world.village_a, name=f"第{number}分队", kind="vanguard", members=3)
        factories.expert(world, name=f"专家{number}", categories=("flood",), phone=f"1390776020{number}")
    other = supply_factories.depot(world.village_a)
    type(other).objects.filter(pk=other.pk).update(lat=24.2, lng=106.4)
    supply_factories.lot(other, "救生衣", 5, by=world.village_officer_a)
    assert _count(client, url, params) == few


def test_picking_a_team_and_an_expert_records_them_on_the_incident(world, client_for):
    squadron = factories.team(world, name="泗城镇民兵应急中队")
    expert = factories.expert(world, name="覃志明", categories=("flood",), types=("flood_drought",))
    incident = factories.incident(world)
    client = client_for(world.county_dispatcher)
    page = client.get(reverse("dispatch:incident_detail", args=[incident.pk])).content.decode()
    assert reverse("resources:dispatch") in page and "incident_type=" in page
    found = client.get(
        reverse("resources:dispatch"),
        {"place": "incident", "target": incident.pk, "lat": "24.3", "lng": "106.5",
         "incident_type": IncidentType.objects.get(code="flood_drought").pk},
    ).content.decode()  # fmt: skip
    assert "泗城镇民兵应急中队" in found and "覃志明" in found
    for field, obj in (("team", squadron), ("expert", expert)):
        response = client.post(reverse("resources:assign"), {"place": "incident", "target": incident.pk, field: obj.pk})
        assert response.status_code == 302
    assert Participant.objects.filter(incident=incident).count() == 2
    page = client.get(reverse("dispatch:incident_detail", args=[incident.pk])).content.decode()
    assert "泗城镇民兵应急中队" in page and "覃志明" in page


def test_recording_twice_changes_nothing_and_a_resting_team_is_refused(world, client_for):
    squadron = factories.team(world, name="泗城镇民兵应急中队")
    incident = factories.incident(world)
    client = client_for(world.county_dispatcher)
    for _ in range(2):
        client.post(reverse("resources:assign"), {"place": "incident", "target": incident.pk, "team": squadron.pk})
    assert Participant.objects.filter(incident=incident).count() == 1
    team_services.team_set_readiness(team=squadron, by=world.county_dispatcher, readiness=Team.Readiness.ON_MISSION)
    other = factories.incident(world, title="泗城镇第二起山洪")
    client.post(reverse("resources:assign"), {"place": "incident", "target": other.pk, "team": squadron.pk})
    assert not Participant.objects.filter(incident=other).exists()


def test_a_consultation_and_a_plan_show_their_experts(world, client_for):
    from plans.tests import factories as plan_factories
    from resources.services.participants import participant_add

    expert = factories.expert(world, name="覃志明", categories=("flood",))
    plan = plan_factories.draft(world, by=world.township_leader, unit=world.township, title="泗城镇防汛预案")
    participant_add(by=world.township_leader, target=plan, place="plan", expert=expert)
    page = client_for(world.township_leader).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "resources-participants" in page and "覃志明" in page


def test_the_selector_costs_a_fixed_number_of_queries(world, django_assert_num_queries):
    from grids.scope import scope_for

    flood = HazardCategory.objects.get(code="flood")
    for number in range(3):
        factories.team(world, name=f"第{number}队", members=2)
        factories.expert(world, name=f"专家{number}", categories=("flood",), phone=f"1390776030{number}")
    depot = supply_factories.depot(world.township)
    type(depot).objects.filter(pk=depot.pk).update(lat=24.25, lng=106.45)
    supply_factories.lot(depot, "救生衣", 20, by=world.township_officer)
    scope_for(world.county_dispatcher)  # the person's scope, computed once per request
    with django_assert_num_queries(QUERIES):
        answer = who_can_i_send(world.county_dispatcher, lat=24.26, lng=106.46, category=flood)
        assert len(answer.teams) == 3 and len(answer.experts) == 3 and answer.stock
