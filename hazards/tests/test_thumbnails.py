"""Thumbnails: a 320 px JPEG made with each photo, served through the hazard's scope, shown by the
record instead of the 1,600 px photo; photos stored before have theirs made on request or by
``manage.py make_thumbnails``."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from grids.models import Role
from grids.tests.factories import grant, make_person
from hazards import services
from hazards.models import HazardPhoto
from hazards.tests.factories import photo, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _noisy_photo(name: str = "phone.jpg", size=(2000, 1500)) -> SimpleUploadedFile:
    """A photo with detail in it (noise compresses like a real scene, not like a flat colour)."""
    buffer = io.BytesIO()
    Image.merge("RGB", [Image.effect_noise(size, sigma) for sigma in (40, 60, 80)]).save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def stored(world, media):
    hazard = report(world, photos=[_noisy_photo()])
    services.process_hazard_photos(hazard.pk)  # what the worker does after the commit
    return hazard.photos.get()


def _size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def test_a_reported_photo_keeps_1600_px_and_a_320_px_thumbnail(stored):
    assert (stored.width, stored.height) == (1600, 1200)
    assert re.fullmatch(r"hazards/thumbs/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", stored.thumbnail.name)
    thumb = stored.thumbnail.open("rb").read()
    assert _size(thumb) == (320, 240)
    assert len(thumb) * 10 < stored.image.size  # what a list downloads: a tenth or less


def test_evidence_photos_get_thumbnails_too(world, media):

    hazard = report(
        world,
        photos=[photo()],
        fixed_on_spot=True,
        evidence_photos=[photo("done.jpg", size=(1200, 1600))],
        evidence_note="当场清理",
    )
    services.process_hazard_photos(hazard.pk)
    evidence = hazard.photos.get(kind=HazardPhoto.Kind.EVIDENCE)
    assert _size(evidence.thumbnail.open("rb").read()) == (240, 320)


def test_the_thumbnail_is_served_to_the_village_only(world, stored, client_for):
    url = reverse("hazards:photo_thumb", args=[stored.pk])
    response = client_for(world.village_officer_a).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert _size(b"".join(response.streaming_content)) == (320, 240)
    assert "private" in response["Cache-Control"]
    other = make_person("other_officer", real_name="逻网格")
    grant(other, world.other_township, Role.GRID_OFFICER)
    assert client_for(other).get(url).status_code == 404


def test_the_record_shows_thumbnails_and_links_the_photo(world, stored, client_for):
    page = client_for(world.village_officer_a).get(reverse("hazards:detail", args=[stored.hazard_id]))
    html = page.content.decode()
    assert f'src="{reverse("hazards:photo_thumb", args=[stored.pk])}"' in html
    assert f'href="{reverse("hazards:photo", args=[stored.pk])}"' in html
    assert f'src="{reverse("hazards:photo", args=[stored.pk])}"' not in html


def test_the_api_names_the_thumbnail(world, stored, client_for):
    data = client_for(world.village_officer_a).get(f"/api/v1/hazards/{stored.hazard_id}/").json()
    assert data["photos"][0]["thumbnail_url"].endswith(reverse("hazards:photo_thumb", args=[stored.pk]))


def test_an_old_photo_gets_its_thumbnail_on_first_request(world, stored, client_for):
    stored.thumbnail.delete(save=False)
    HazardPhoto.objects.filter(pk=stored.pk).update(thumbnail="")
    client = client_for(world.village_officer_a)
    response = client.get(reverse("hazards:photo_thumb", args=[stored.pk]))
    assert _size(b"".join(response.streaming_content)) == (320, 240)
    stored.refresh_from_db()
    assert stored.thumbnail.name.startswith("hazards/thumbs/")
    name = stored.thumbnail.name
    client.get(reverse("hazards:photo_thumb", args=[stored.pk]))
    stored.refresh_from_db()
    assert stored.thumbnail.name == name  # made once


def test_make_thumbnails_backfills_once(world, stored):
    HazardPhoto.objects.filter(pk=stored.pk).update(thumbnail="")
    out = io.StringIO()
    call_command("make_thumbnails", stdout=out)
    assert "thumbnails made: 1" in out.getvalue()
    stored.refresh_from_db()
    assert _size(stored.thumbnail.open("rb").read()) == (320, 240)
    out = io.StringIO()
    call_command("make_thumbnails", stdout=out)
    assert "thumbnails made: 0" in out.getvalue()


def test_a_photo_whose_file_is_gone_is_served_as_404_not_an_error(world, stored, client_for):
    stored.image.delete(save=False)
    stored.thumbnail.delete(save=False)
    HazardPhoto.objects.filter(pk=stored.pk).update(thumbnail="")
    response = client_for(world.village_officer_a).get(reverse("hazards:photo_thumb", args=[stored.pk]))
    assert response.status_code == 404
