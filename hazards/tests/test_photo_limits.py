"""Photos are checked on their header before anything is decoded: a decompression bomb (a tiny PNG
that claims 10,900 × 10,900 pixels) is refused with a Chinese message and nothing is saved, on the
page and through the API; one request may send only so many photos and so many bytes of them;
ordinary phone photos still go through."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image, ImageFile
from rest_framework.test import APIClient

from hazards.models import Hazard, HazardPhoto
from hazards.tests.factories import category, photo, report

BOMB_SIDE = 10_900


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def bomb(name: str = "bomb.png") -> SimpleUploadedFile:
    """A 1-bit PNG of 10,900 × 10,900: a few kilobytes on the wire, 119 megapixels once decoded."""
    buffer = io.BytesIO()
    Image.new("1", (BOMB_SIDE, BOMB_SIDE)).save(buffer, format="PNG", optimize=True)
    assert len(buffer.getvalue()) < 1024 * 1024
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def too_big_message(name: str = "bomb.png") -> str:
    with translation.override("zh-hans"):
        text = gettext(
            "The photo %(name)s has too many pixels (at most %(side)d pixels a side and %(mp)d megapixels); "
            "take it again at a lower resolution."
        )
    return text % {"name": name, "side": 8000, "mp": 50}


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if Pillow decodes the pixels of an opened file as big as the bomb."""
    load = ImageFile.ImageFile.load

    def guarded(self):
        assert self.size != (BOMB_SIDE, BOMB_SIDE), "the bomb was decoded"
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", guarded)


def test_bomb_is_refused_by_its_header_before_decoding(world, no_decoding):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        report(world, photos=[photo(), bomb()])
    assert error.value.messages == [too_big_message()]
    assert "像素" in too_big_message()  # the message is in Chinese
    assert not Hazard.objects.exists() and not HazardPhoto.objects.exists()


def test_a_side_over_the_limit_is_refused_even_with_few_pixels(world):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        report(world, photos=[photo("strip.jpg", size=(8100, 10))])
    assert error.value.messages == [too_big_message("strip.jpg")]
    assert not Hazard.objects.exists()


def test_bomb_on_the_report_page_shows_the_message_and_saves_nothing(client_for, world, no_decoding):
    data = {
        "client_key": str(uuid.uuid4()),
        "unit": world.village_a.pk,
        "category": category("geological").pk,
        "title": "后山裂缝",
        "description": "雨后裂缝变宽",
        "source": "patrol",
        "photos": [bomb()],
    }
    response = client_for(world.village_officer_a).post(reverse("hazards:report"), data)
    assert response.status_code == 200
    assert escape(too_big_message()) in response.content.decode()
    assert not Hazard.objects.exists() and not HazardPhoto.objects.exists()


def api_report(world, photos, **extra):
    client = APIClient()
    client.force_login(world.village_officer_a)
    form = {
        "category": category("geological").pk,
        "unit": world.village_a.pk,
        "title": "村后山体裂缝",
        "source": "patrol",
        "client_key": str(uuid.uuid4()),
        "photos": photos,
        **extra,
    }
    return client.post("/api/v1/hazards/", form, format="multipart", HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_bomb_through_the_api_is_400_with_the_message_and_saves_nothing(world, no_decoding):
    response = api_report(world, [photo("a.jpg"), bomb()])
    assert response.status_code == 400
    assert too_big_message() in str(response.json())
    assert not Hazard.objects.exists() and not HazardPhoto.objects.exists()


def test_ordinary_phone_photos_still_go_through(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the processing job, after the commit
        response = api_report(world, [photo("a.jpg", size=(4000, 3000)), photo("b.jpg", size=(3000, 4000))])
    assert response.status_code == 201, response.content
    assert HazardPhoto.objects.count() == 2
    assert {(p.width, p.height) for p in HazardPhoto.objects.all()} == {(1600, 1200), (1200, 1600)}


def test_one_request_sends_only_so_many_photos_and_bytes(world, client_for, settings):
    settings.HAZARD_PHOTOS_PER_REQUEST = 2
    with translation.override("zh-hans"):
        count = gettext("Send at most %(count)d photos at a time.") % {"count": 2}
    # both fields of one report count together
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        report(world, photos=[photo(), photo()], fixed_on_spot=True, evidence_photos=[photo()])
    assert error.value.messages == [count]
    page = client_for(world.village_officer_a).post(
        reverse("hazards:report"),
        {
            "client_key": str(uuid.uuid4()),
            "unit": world.village_a.pk,
            "category": category("geological").pk,
            "title": "后山裂缝",
            "source": "patrol",
            "photos": [photo(), photo(), photo()],
        },
    )
    assert escape(count) in page.content.decode()

    settings.HAZARD_PHOTOS_PER_REQUEST = 9
    settings.HAZARD_PHOTOS_MAX_TOTAL_BYTES = 1024  # smaller than two ordinary photos
    response = api_report(world, [photo("a.jpg"), photo("b.jpg")])
    assert response.status_code == 400
    with translation.override("zh-hans"):
        total = gettext("The photos together are larger than %(mb)d MB; send fewer or smaller photos.") % {"mb": 0}
    assert total in str(response.json())
    assert not Hazard.objects.exists() and not HazardPhoto.objects.exists()
