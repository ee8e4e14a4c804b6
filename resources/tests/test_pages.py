"""The pages and the API answer in scope: lists, a team, an expert, the forms, the schema."""

from __future__ import annotations

from django.urls import reverse

from resources.models import Team
from resources.tests import factories


def test_the_team_and_expert_pages_answer(world, client_for):
    team = factories.team(world, members=2)
    expert = factories.expert(world)
    client = client_for(world.township_officer)
    for url in (
        reverse("resources:team_list"), reverse("resources:team_detail", args=[team.pk]),
        reverse("resources:expert_list"), reverse("resources:expert_detail", args=[expert.pk]),
        reverse("resources:team_edit", args=[team.pk]), reverse("resources:team_create"),
        reverse("resources:dispatch"), reverse("resources:reachability"), reverse("resources:roll_call_list"),
    ):  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_an_expert_search_by_category_on_the_page(world, client_for):
    from hazards.models import HazardCategory

    factories.expert(world, name="岑海燕", categories=("geological",))
    factories.expert(world, name="黄建国", categories=("forest_fire",), phone="13907760103")
    client = client_for(world.village_officer_a)
    body = client.get(
        reverse("resources:expert_list"), {"category": HazardCategory.objects.get(code="forest_fire").pk}
    ).content.decode()
    assert "黄建国" in body and "岑海燕" not in body


def test_a_team_is_written_through_the_form(world, client_for):
    client = client_for(world.township_officer)
    response = client.post(
        reverse("resources:team_create"),
        {"name": "泗城镇应急中队", "unit": world.township.pk, "kind": "squadron", "force": "militia", "on_duty": 6,
         "readiness": "ready", "leader_name": "覃", "leader_phone": "13900000000"},
    )  # fmt: skip
    assert response.status_code == 302
    team = Team.objects.get(name="泗城镇应急中队")
    client.post(reverse("resources:member_add", args=[team.pk]), {"name": "黄一", "role": "member", "phone": ""})
    assert team.members.count() == 1
    assert team.history.count() >= 1


def test_a_village_officer_may_not_edit_the_township_squadron(world, client_for):
    team = factories.team(world)
    client = client_for(world.village_officer_a)
    assert client.get(reverse("resources:team_detail", args=[team.pk])).status_code == 200
    assert client.get(reverse("resources:team_edit", args=[team.pk])).status_code == 403


def test_the_api_lists_the_teams_in_scope(world, client_for):
    factories.team(world, name="泗城镇民兵应急中队", members=2)
    factories.team(world, unit=world.other_township, name="逻楼镇民兵应急中队")
    body = client_for(world.village_officer_a).get("/api/v1/resource-teams/").json()
    names = [t["name"] for t in body["results"]] if isinstance(body, dict) else [t["name"] for t in body]
    assert names == ["泗城镇民兵应急中队"]


def test_the_schema_names_the_resources_endpoints(world, client_for):
    schema = client_for(world.county_dispatcher).get("/api/schema/").content.decode()
    assert "/api/v1/resource-teams/" in schema and "/api/v1/roll-calls/{id}/acknowledge/" in schema
