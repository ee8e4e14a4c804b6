"""The manifest, the service worker and the officer's pages."""

import json

import pytest
from django.urls import reverse

from grids.tests.factories import build_world


@pytest.fixture
def officer(client):
    world = build_world()
    client.force_login(world.village_officer_a)
    return world


@pytest.mark.django_db
def test_the_manifest_names_the_app_in_chinese_with_our_icons(client, officer):
    response = client.get(reverse("offline:manifest"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "应急网格"
    assert data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


@pytest.mark.django_db
def test_the_service_worker_is_served_at_the_root_with_the_local_workbox(client, officer):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "modulePathCb" in body and "googleapis" not in body
    config = json.loads(body.split("var CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert reverse("hazards:report") in config["pages"]
    assert reverse("dispatch:incident_report") in config["pages"]
    assert reverse("grids:unit_detail", args=[officer.village_a.pk]) in config["pages"]
    for url in [config["workbox"], config["idb"], config["queue"], *config["modules"].values(), *config["assets"]]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_queue_page_and_me_page_are_there_for_the_officer(client, officer):
    queue = client.get(reverse("offline:queue"))
    assert queue.status_code == 200
    assert 'id="offline-queue"' in queue.content.decode()
    me = client.get(reverse("offline:me"))
    assert officer.village_a.name in me.content.decode()
    assert 'class="tabbar"' in me.content.decode()


@pytest.mark.django_db
def test_the_pages_of_a_visitor_carry_no_service_worker(client):
    page = client.get(reverse("login"))
    assert "offline.js" not in page.content.decode()
    assert client.get("/sw.js").status_code == 302
