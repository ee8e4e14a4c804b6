"""A report's photos are checked on their header in the request and processed by the worker after
the commit (issue 15's lean report path): the report is saved with its photos as sent, never
served as sent; the job (through the outbox, so a broker that is down delays it) shrinks them,
strips their EXIF, makes the thumbnails and removes the file as sent; a photo asked for before the
worker came is processed then; a body that cannot be decoded leaves the report whole and the photo
marked unreadable."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from core.models import OutboxMessage
from hazards import services
from hazards.models import HazardPhoto
from hazards.services.photos import PROCESS_TASK
from hazards.tests.factories import photo, report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def truncated(name: str = "cut.jpg") -> SimpleUploadedFile:
    """A JPEG whose header is whole (4000 × 3000) but whose body stops short: it passes the
    request's header check and cannot be decoded."""
    buffer = io.BytesIO()
    Image.effect_noise((4000, 3000), 60).convert("RGB").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue()[:2000], content_type="image/jpeg")


def test_the_request_saves_the_photo_as_sent_and_queues_its_processing(world):
    hazard = report(world, photos=[photo(size=(4000, 3000), exif_gps=True)])
    stored = hazard.photos.get()
    assert stored.processing == HazardPhoto.Processing.PENDING
    assert not stored.image and not stored.thumbnail
    assert stored.raw.name.startswith("hazards/raw/") and default_storage.exists(stored.raw.name)
    assert (stored.width, stored.height) == (4000, 3000)  # from the header
    job = OutboxMessage.objects.get(task_name=PROCESS_TASK)
    assert job.args == [hazard.pk]


def test_the_job_shrinks_strips_thumbnails_and_removes_the_file_as_sent(world):
    hazard = report(world, photos=[photo(size=(4000, 3000), exif_gps=True)])
    raw_name = hazard.photos.get().raw.name
    assert services.process_hazard_photos(hazard.pk) == 1
    stored = hazard.photos.get()
    assert stored.processing == HazardPhoto.Processing.DONE and not stored.raw
    assert not default_storage.exists(raw_name)
    with Image.open(stored.image.path) as image:
        assert image.size == (1600, 1200) and not image.getexif()
    assert (stored.width, stored.height) == (1600, 1200)
    assert stored.thumbnail.name.startswith("hazards/thumbs/")
    assert services.process_hazard_photos(hazard.pk) == 0  # a resent job changes nothing
    assert hazard.photos.get().image.name == stored.image.name


def test_after_the_commit_the_worker_runs_it(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hazard = report(world, photos=[photo(), photo("b.jpg")])
    assert set(hazard.photos.values_list("processing", flat=True)) == {HazardPhoto.Processing.DONE}


def test_a_photo_asked_for_before_the_worker_came_is_processed_then(world, client_for):
    hazard = report(world, photos=[photo(size=(2000, 1500), exif_gps=True)])
    stored = hazard.photos.get()
    response = client_for(world.village_officer_a).get(reverse("hazards:photo", args=[stored.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == (1600, 1200) and not image.getexif()  # never the file as sent
    stored.refresh_from_db()
    assert stored.processing == HazardPhoto.Processing.DONE and stored.thumbnail


def test_a_body_that_cannot_be_decoded_keeps_the_report_and_marks_the_photo(world, client_for):
    hazard = report(world, photos=[photo("good.jpg"), truncated()])
    assert hazard.photos.count() == 2  # the header was good: the request kept both
    services.process_hazard_photos(hazard.pk)
    states = dict(hazard.photos.values_list("raw", "processing"))
    assert set(states) == {""}  # the files as sent are gone either way
    bad = hazard.photos.get(processing=HazardPhoto.Processing.UNREADABLE)
    good = hazard.photos.get(processing=HazardPhoto.Processing.DONE)
    client = client_for(world.village_officer_a)
    response = client.get(reverse("hazards:photo", args=[bad.pk]))
    assert response.status_code == 404
    assert client.get(reverse("hazards:photo_thumb", args=[good.pk])).status_code == 200
    page = client.get(reverse("hazards:detail", args=[hazard.pk]))
    assert page.status_code == 200 and hazard.title in page.content.decode()
    assert page.content.decode().count("这张照片上传后无法读取") == 1
    assert reverse("hazards:photo_thumb", args=[bad.pk]) not in page.content.decode()


def test_make_thumbnails_processes_what_the_worker_missed(world):
    hazard = report(world, photos=[photo()])
    call_command("make_thumbnails", stdout=io.StringIO())
    assert hazard.photos.get().processing == HazardPhoto.Processing.DONE


def test_a_bad_header_still_refuses_the_whole_report_in_the_request(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        report(world, photos=[photo(), SimpleUploadedFile("x.jpg", b"not an image")])
    assert not HazardPhoto.objects.exists()
