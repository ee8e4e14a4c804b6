"""Hazard photos: stored under random names, served only to those who may see the hazard."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from grids.models import Role
from grids.tests.factories import grant, make_person
from hazards import services
from hazards.models import HazardPhoto
from hazards.tests.factories import photo, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    hazard = report(world, photos=[photo("我家后山.JPG")])
    services.process_hazard_photos(hazard.pk)  # what the worker does after the commit
    return hazard.photos.get()


def test_photo_is_stored_under_a_random_name(stored):
    assert re.fullmatch(r"hazards/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", stored.image.name), stored.image.name


def test_anonymous_is_sent_to_login(stored, client):
    response = client.get(reverse("hazards:photo", args=[stored.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_officer_of_another_township_gets_404(world, stored, client_for):
    other = make_person("other_officer", real_name="逻网格")
    grant(other, world.other_township, Role.GRID_OFFICER)
    assert client_for(other).get(reverse("hazards:photo", args=[stored.pk])).status_code == 404


def test_the_reporters_village_gets_the_bytes(world, stored, client_for):
    response = client_for(world.village_officer_a).get(reverse("hazards:photo", args=[stored.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == stored.image.open("rb").read()
    assert "private" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"


def test_production_hands_the_sending_to_nginx(world, stored, client_for, settings):
    settings.FILES_X_ACCEL_REDIRECT = True
    response = client_for(world.village_officer_a).get(reverse("hazards:photo", args=[stored.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{stored.image.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"


def test_media_url_is_not_served(world, stored, client_for, settings):
    settings.DEBUG = True
    client = client_for(world.village_officer_a)
    assert client.get(f"/media/{stored.image.name}").status_code == 404
    assert HazardPhoto.objects.filter(pk=stored.pk).exists()
