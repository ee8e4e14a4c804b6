"""The evacuation pages and API: privacy of the vulnerable persons' details per role, the capacity
per township and its shortfall, constant query counts, the 明白卡, the map, a shelter's state, the
model's constraints, and the hooks on the warning page (the list one tap away, the figures check)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dispatch.models import WarningType
from dispatch.services import warning_receipts, warnings
from hazards.models import HazardCategory
from plans import services
from plans.models import DangerZone, Household, Shelter
from plans.tests.evacuation_data import HOUSEHOLDS, ZONES, household, import_list

pytestmark = pytest.mark.django_db

NOTES = "85岁老人卧床"
PHONE = "13900000001"


def village_url(world, unit=None):
    return reverse("plans:evacuation_village", args=[(unit or world.village_a).pk])


@pytest.mark.parametrize(
    ("persona", "private"),
    [
        ("village_officer_a", True),  # the village's own people
        ("township_officer", True),  # the township above it organises the evacuation
        ("county_dispatcher", False),  # the county tier reads the list, not the personal details
        ("department_officer", False),  # the departments' read-only view
    ],
)
def test_vulnerable_persons_details_are_for_the_village_and_its_township(world, client_for, persona, private):
    import_list(world)
    client = client_for(getattr(world, persona))
    body = client.get(village_url(world)).content.decode()
    assert "韦一" in body and "转移避险名单" in body
    assert (NOTES in body) is private and (PHONE in body) is private
    if not private:
        assert "仅向本村人员和所属乡镇显示" in body
    rows = client.get("/api/v1/evacuation-households/").json()["results"]
    first = next(r for r in rows if r["head_name"] == "韦一")
    assert (first["vulnerable_notes"] == NOTES) is private and (first["phone"] == PHONE) is private
    assert first["vulnerable"] == 1  # the count is for everyone who sees the list
    export = client.get(reverse("plans:evacuation_export", args=[world.village_a.pk]))
    import io

    from plans.tests.test_evacuation_import import load_workbook

    cells = [c for row in load_workbook(io.BytesIO(export.content))["转移户"].iter_rows(values_only=True) for c in row]
    assert (NOTES in cells) is private


def test_another_township_sees_nothing(world, client_for):
    import_list(world)
    client = client_for(
        world.village_officer_b
    )  # a village of the same township sees its neighbour? no: its own subtree
    assert client.get(village_url(world)).status_code == 404
    assert client.get("/api/v1/evacuation-households/").json()["results"] == []


def test_the_capacity_shows_a_shortfall_in_red_with_words(world, client_for):
    import_list(world)  # 12 persons, a shelter of 10
    client = client_for(world.township_officer)
    body = client.get(reverse("plans:evacuation")).content.decode()
    assert "ev-short-row" in body and "安置缺口 2 人" in body
    rows = client.get("/api/v1/evacuation-capacity/").json()
    town = next(r for r in rows if r["township"] == world.township.pk)
    assert (town["persons"], town["capacity"], town["shortfall"], town["vulnerable"]) == (12, 10, 2, 3)
    torrent = HazardCategory.objects.get(code="mountain_torrent").pk
    assert {"category": torrent, "persons": 7} in town["by_category"]
    shelter = Shelter.objects.get()
    services.shelter_set_open(shelter=shelter, by=world.village_officer_a, is_open=False)
    town = next(r for r in client.get("/api/v1/evacuation-capacity/").json() if r["township"] == world.township.pk)
    assert (town["capacity"], town["shortfall"]) == (0, 12)  # a closed shelter takes nobody


def test_enough_places_when_the_township_has_its_own_shelter(world, client_for):
    import_list(world)
    import_list(world, unit=world.village_b, by=world.township_officer, zones=ZONES[:1],
                shelters=[["礼堂", "50", "", "", "", "黄", "13800000002", "", "开放"]],
                households=[household(shelter="礼堂")])  # fmt: skip
    body = client_for(world.township_officer).get(reverse("plans:evacuation")).content.decode()
    assert "容量充足" in body and "ev-short-row" not in body


def _grow(world, n: int) -> None:
    rows = [household(f"户{i}", f"{i}号", persons="2", vulnerable="0", notes="") for i in range(n)]
    shelters = [["小学", "10", "", "106.45", "24.25", "覃", "13800000001", "", "开放"],
                ["祠堂", "10", "", "106.46", "24.26", "覃", "13800000001", "", "关闭"]]  # fmt: skip
    import_list(world, households=rows, shelters=shelters)
    import_list(world, unit=world.village_b, by=world.township_officer, households=rows, shelters=shelters)
    zone = DangerZone.objects.filter(unit=world.village_a).first()
    services.zone_set_boundary(zone=zone, by=world.village_officer_a, boundary={
        "type": "Polygon", "coordinates": [[[106.41, 24.21], [106.42, 24.21], [106.42, 24.22], [106.41, 24.21]]]})  # fmt: skip


@pytest.mark.parametrize("name", ["plans:evacuation", "plans:evacuation_village", "plans:evacuation_cards"])
def test_pages_cost_the_same_queries_whatever_the_rows(world, client_for, name):
    client = client_for(world.township_officer)
    url = reverse(name, args=[world.village_a.pk]) if name != "plans:evacuation" else reverse(name)
    counts = []
    for size in (2, 12):
        _grow(world, size)
        client.get(url)  # warm the scope cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_capacity_api_costs_the_same_queries_whatever_the_rows(world, client_for):
    client = client_for(world.county_dispatcher)
    counts = []
    for size in (1, 8):
        _grow(world, size)
        client.get("/api/v1/evacuation-capacity/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/v1/evacuation-capacity/")
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_cards_show_who_to_follow_the_route_the_shelter_and_the_signal(world, client_for):
    import_list(world)
    client = client_for(world.village_officer_a)
    body = client.get(reverse("plans:evacuation_cards", args=[world.village_a.pk])).content.decode()
    assert body.count('class="ev-card"') == 3
    for text in (
        "转移避险明白卡",
        "岑干部",
        "13800000009",
        "沿村道向东500米",
        "小学",
        "村小学",
        "铜锣",
        "0776-7000001",
    ):
        assert text in body
    assert NOTES not in body  # the card goes on the household's wall: no medical notes
    zone = DangerZone.objects.get(name="屯后滑坡")
    body = client.get(reverse("plans:evacuation_cards", args=[world.village_a.pk]), {"zone": zone.pk}).content.decode()
    assert body.count('class="ev-card"') == 1 and "陆三" in body
    one = Household.objects.get(head_name="韦二")
    body = client.get(reverse("plans:evacuation_card", args=[one.pk])).content.decode()
    assert body.count('class="ev-card"') == 1 and "韦二" in body
    assert client.get(reverse("plans:evacuation_cards", args=[world.village_a.pk]), {"zone": "x"}).status_code == 404


def test_user_text_never_becomes_html(world, client_for):
    import_list(world, households=[household(head="<img src=x onerror=alert(1)>")])
    body = client_for(world.village_officer_a).get(village_url(world)).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x" in body


def test_the_village_page_draws_zones_and_shelters_on_the_map(world, client_for):
    _grow(world, 1)
    body = client_for(world.village_officer_a).get(village_url(world)).content.decode()
    assert 'id="unit-map"' in body and "ev-map-data" in body and "js/unit-map.js" in body
    assert '"role": "zone"' in body and "106.45" in body
    assert "unpkg" not in body and "cdn" not in body.lower()


def _risk_map_layers(client) -> dict:
    import json
    import re

    body = client.get(reverse("hazards:map")).content.decode()
    found = re.search(r'<script id="risk-map-layers" type="application/json">(.*?)</script>', body, re.S)
    return {layer["name"]: layer for layer in json.loads(found.group(1))}


def test_the_risk_map_draws_the_danger_zones_and_open_shelters_in_scope(world, client_for):
    _grow(world, 1)
    layers = _risk_map_layers(client_for(world.township_officer))
    assert layers["danger-zones"]["kind"] == "areas" and layers["shelters"]["kind"] == "points"
    (zone,) = layers["danger-zones"]["features"]  # the one zone with a boundary drawn
    assert zone["geometry"]["type"] == "Polygon" and world.village_a.name in zone["properties"]["name"]
    shelters = layers["shelters"]["features"]
    assert len(shelters) == 2  # the open school of both villages; the closed ancestral hall is not drawn
    assert all("小学" in shelter["properties"]["name"] for shelter in shelters)
    # The other village of the township sees its own shelter, and no zone of its neighbour.
    own = _risk_map_layers(client_for(world.village_officer_b))
    assert "danger-zones" not in own and len(own["shelters"]["features"]) == 1


def test_the_risk_map_layers_cost_the_same_queries_whatever_the_rows(world, client_for):
    client = client_for(world.township_officer)
    counts = []
    for size in (1, 6):
        _grow(world, size)
        client.get(reverse("hazards:map"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("hazards:map")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_shelter_is_opened_and_closed_with_history(world, client_for):
    import_list(world)
    shelter = Shelter.objects.get()
    url = reverse("plans:evacuation_shelter_state", args=[shelter.pk])
    assert client_for(world.county_dispatcher).post(url, {"is_open": "0"}).status_code == 403
    response = client_for(world.village_officer_a).post(url, {"is_open": "0"})
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert not shelter.is_open and shelter.history.first().history_change_reason == "关闭"
    api = client_for(world.township_officer).post(f"/api/v1/shelters/{shelter.pk}/state/", {"is_open": True},
                                                  content_type="application/json")  # fmt: skip
    assert api.status_code == 200 and api.json()["is_open"] is True


def test_the_import_page_shows_row_errors_and_saves_nothing(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.tests.evacuation_data import workbook

    client = client_for(world.village_officer_a)
    url = reverse("plans:evacuation_import", args=[world.village_a.pk])
    upload = SimpleUploadedFile("名单.xlsx", workbook(households=[household(persons="0")]))
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    assert "「转移户」第 2 行" in response.content.decode() and Household.objects.count() == 0
    response = client.post(url, {"file": SimpleUploadedFile("名单.xlsx", workbook())})
    assert response.status_code == 302 and Household.objects.count() == 3
    assert client_for(world.county_dispatcher).get(url).status_code == 403


def test_the_api_imports_a_village_list(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.tests.evacuation_data import workbook

    url = f"/api/v1/evacuation-lists/{world.village_a.pk}/import/"
    client = client_for(world.village_officer_a)
    bad = client.post(url, {"file": SimpleUploadedFile("a.xlsx", workbook(households=[household(vulnerable="9")]))})
    assert bad.status_code == 400 and bad.json()["errors"][0]["sheet"] == "转移户"
    good = client.post(url, {"file": SimpleUploadedFile("a.xlsx", workbook())})
    assert good.status_code == 200 and good.json()["created"] == 6
    assert (
        client_for(world.department_officer).post(url, {"file": SimpleUploadedFile("a.xlsx", workbook())}).status_code
        == 403
    )
    assert "/api/v1/evacuation-lists/{id}/import/" in client.get("/api/schema/").content.decode()


def test_the_database_keeps_the_figures_sound(world):
    import_list(world)
    row = Household.objects.get(head_name="韦一")
    for update in ({"vulnerable": 9}, {"persons": 0}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Household.objects.filter(pk=row.pk).update(**update)
    with pytest.raises(IntegrityError), transaction.atomic():
        Shelter.objects.filter(pk=Shelter.objects.get().pk).update(lat=91)
    with pytest.raises(IntegrityError), transaction.atomic():
        DangerZone.objects.create(unit=world.village_a, category=row.zone.category, name=row.zone.name)


def test_a_zone_belongs_to_a_village_and_its_boundary_is_a_polygon(world):
    from django.core.exceptions import ValidationError

    zone = DangerZone(unit=world.township, category=HazardCategory.objects.get(code="flood"), name="x")
    with pytest.raises(ValidationError):
        zone.full_clean()
    import_list(world)
    with pytest.raises(ValidationError):
        services.zone_set_boundary(zone=DangerZone.objects.first(), by=world.village_officer_a,
                                   boundary={"type": "Point", "coordinates": [1, 2]})  # fmt: skip


# --- the warning page ---------------------------------------------------------------------------


def _warning(world, code="rainstorm"):
    now = timezone.now()
    return warnings.warning_issue(
        warning=warnings.warning_draft(
            by=world.county_dispatcher,
            type=WarningType.objects.get(code=code),
            level=2,
            title="泗城镇暴雨橙色预警",
            content="…",
            valid_from=now,
            valid_to=now + datetime.timedelta(hours=6),
            areas=[world.township],
            report_evacuation=True,
        ),
        by=world.county_dispatcher,
    )


def test_the_village_list_for_the_warnings_category_is_one_tap_away(world, client_for):
    import_list(world)
    warning = _warning(world)
    body = (
        client_for(world.village_officer_a).get(reverse("dispatch:warning_detail", args=[warning.pk])).content.decode()
    )
    url = village_url(world) + "?category=mountain_torrent"
    assert f'href="{url}"' in body and "陇雅村转移避险名单：山洪" in body
    assert "?category=geological" in body
    page = client_for(world.village_officer_a).get(url).content.decode()
    assert "沟口" in page and "屯后滑坡" not in page  # only that category's zones
    heat = _warning(world, code="heat")  # no hazard category of the lists: no link
    body = client_for(world.village_officer_a).get(reverse("dispatch:warning_detail", args=[heat.pk])).content.decode()
    assert "转移避险名单" not in body


def test_figures_above_the_list_are_flagged_not_refused(world, client_for):
    import_list(world)  # 12 persons on the lists of 山洪 and 地质灾害
    warning = _warning(world)
    client = client_for(world.village_officer_a)
    response = client.post(reverse("dispatch:warning_evacuation", args=[warning.pk]),
                           {"unit": world.village_a.pk, "evacuated": 15, "sheltered": 10}, follow=True)  # fmt: skip
    body = response.content.decode()
    assert "上报转移 15 人，多于其转移避险名单" in body and "12 人" in body and "数字已按上报保存" in body
    assert warning.evacuations.get(unit=world.village_a).evacuated == 15  # saved as reported
    body = client.get(reverse("dispatch:warning_detail", args=[warning.pk])).content.decode()
    assert "wn-remark" in body
    warning_receipts.report_evacuation(warning=warning, unit=world.village_a, by=world.village_officer_a,
                                       evacuated=12, sheltered=10)  # fmt: skip
    body = client.get(reverse("dispatch:warning_detail", args=[warning.pk])).content.decode()
    assert "wn-remark" not in body


def test_the_hooks_cost_the_same_queries_whatever_the_rows(world, client_for):
    warning = _warning(world)
    client = client_for(world.village_officer_a)
    url = reverse("dispatch:warning_detail", args=[warning.pk])
    counts = []
    for size in (1, 9):
        _grow(world, size)
        warning_receipts.report_evacuation(warning=warning, unit=world.village_a, by=world.village_officer_a,
                                           evacuated=100, sheltered=0)  # fmt: skip
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_households_list_of_the_api_has_the_same_rows_as_the_page(world, client_for):
    import_list(world, households=HOUSEHOLDS)
    rows = client_for(world.county_dispatcher).get(f"/api/v1/evacuation-households/?unit={world.village_a.pk}").json()
    assert rows["count"] == 3
    zones = client_for(world.county_dispatcher).get("/api/v1/danger-zones/").json()
    assert {z["category_code"] for z in zones["results"]} == {"mountain_torrent", "geological"}
