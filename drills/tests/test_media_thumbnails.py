"""A drill's photos get a 320 px thumbnail beside them, which the drill's page shows; served through
the drill's scope like the photo (a double-blind drill's stay hidden); videos have none."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from drills import services
from drills.models import DrillMedia
from drills.tests.factories import blind, drill, held
from hazards.tests.factories import photo

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _size(response) -> tuple[int, int]:
    return Image.open(io.BytesIO(b"".join(response.streaming_content))).size


def test_a_drill_photo_keeps_a_thumbnail_that_the_page_shows(world, client_for):
    d = drill(world)
    held(world, d)
    video = SimpleUploadedFile("演练.mp4", MP4, content_type="video/mp4")
    item, clip = services.drill_media_add(
        drill=d, by=world.township_officer, uploads=[photo("河堤.jpg", size=(3000, 2000)), video]
    )
    assert item.thumbnail.name.startswith("drills/thumbs/") and not clip.thumbnail
    client = client_for(world.township_officer)
    body = client.get(reverse("drills:detail", args=[d.pk])).content.decode()
    assert f'src="{reverse("drills:media_thumb", args=[item.pk])}"' in body
    assert f'href="{reverse("drills:media", args=[item.pk])}"' in body
    assert _size(client.get(reverse("drills:media_thumb", args=[item.pk]))) == (320, 213)
    assert client.get(reverse("drills:media_thumb", args=[clip.pk])).status_code == 404


def test_an_older_photo_gets_its_thumbnail_on_first_request(world, client_for):
    d = drill(world)
    held(world, d)
    (item,) = services.drill_media_add(drill=d, by=world.township_officer, uploads=[photo(size=(1600, 1200))])
    DrillMedia.objects.filter(pk=item.pk).update(thumbnail="")
    response = client_for(world.township_officer).get(reverse("drills:media_thumb", args=[item.pk]))
    assert _size(response) == (320, 240)
    item.refresh_from_db()
    assert item.thumbnail.name.startswith("drills/thumbs/")


def test_a_blind_drills_thumbnails_stay_hidden_like_its_photos(world, client_for):
    d = blind(world)
    services.drill_start(drill=d, by=world.county_dispatcher)
    (item,) = services.drill_media_add(drill=d, by=world.county_dispatcher, uploads=[photo()])
    url = reverse("drills:media_thumb", args=[item.pk])
    assert client_for(world.township_officer).get(url).status_code == 200
    assert client_for(world.outsider).get(url).status_code == 404
