"""Photos and videos of a drill held: kept whole or refused whole, checked by their content,
added only by the drilled unit's or the organiser's people once the drill has started, and served
only to those who may see the drill (a double-blind drill's files stay hidden like the drill)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drills import services
from drills.models import DrillMedia
from drills.services import TransitionRefused
from drills.tests.factories import blind, drill, held
from hazards.tests.factories import photo

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def video(name="演练.mp4", content=MP4):
    return SimpleUploadedFile(name, content, content_type="video/mp4")


def test_photos_and_a_video_are_kept_with_the_record(world, client_for):
    d = drill(world)
    held(world, d)
    saved = services.drill_media_add(
        drill=d, by=world.township_officer, uploads=[photo("河堤.jpg", size=(3000, 2000)), video()], caption="转移现场"
    )
    assert [m.kind for m in saved] == ["photo", "video"]
    first, clip = saved
    assert first.content_type == "image/jpeg" and first.file.name.endswith(".jpg") and "河堤" not in first.file.name
    assert clip.content_type == "video/mp4" and clip.file.name.endswith(".mp4") and clip.original_name == "演练.mp4"
    body = client_for(world.township_officer).get(reverse("drills:detail", args=[d.pk])).content.decode()
    assert reverse("drills:media", args=[first.pk]) in body and "<video" in body and "转移现场" in body
    response = client_for(world.county_dispatcher).get(reverse("drills:media", args=[clip.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content).startswith(MP4[:12])


def test_a_bad_file_refuses_the_whole_upload(world):
    d = drill(world)
    held(world, d)
    text = SimpleUploadedFile("说明.mp4", b"not a video at all", content_type="video/mp4")
    with pytest.raises(ValidationError) as refused:
        services.drill_media_add(drill=d, by=world.township_officer, uploads=[photo(), video(content=WEBM), text])
    assert "说明.mp4" in str(refused.value)
    assert not DrillMedia.objects.exists()


def test_a_video_over_the_limit_is_refused_with_its_size(world, settings):
    settings.DRILL_VIDEO_MAX_BYTES = 32
    d = drill(world)
    held(world, d)
    with pytest.raises(ValidationError) as refused:
        services.drill_media_add(drill=d, by=world.township_officer, uploads=[video()])
    assert "0 MB" in str(refused.value) and not DrillMedia.objects.exists()


def test_nothing_is_added_before_the_start_nor_by_others(world):
    d = drill(world)
    with pytest.raises(TransitionRefused):
        services.drill_media_add(drill=d, by=world.township_officer, uploads=[photo()])
    held(world, d)
    for persona in ("village_officer_b", "department_officer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.drill_media_add(drill=d, by=getattr(world, persona), uploads=[photo()])
    with pytest.raises(ValidationError):
        services.drill_media_add(drill=d, by=world.township_officer, uploads=[])


def test_the_page_upload_answers_in_chinese_and_keeps_the_files(world, client_for):
    d = drill(world)
    held(world, d)
    client = client_for(world.township_officer)
    url = reverse("drills:media_add", args=[d.pk])
    refused = client.post(url, {"files": [SimpleUploadedFile("a.txt", b"hello")]}, follow=True)
    assert "a.txt" in refused.content.decode() and not DrillMedia.objects.exists()
    kept = client.post(url, {"files": [photo(), photo("b.jpg")], "caption": "集结"}, follow=True)
    assert "2 个文件已存入演练记录" in kept.content.decode() and DrillMedia.objects.count() == 2


def test_a_drills_files_are_served_to_those_who_see_the_drill_only(world, client_for):
    d = blind(world)
    services.drill_start(drill=d, by=world.county_dispatcher)
    (item,) = services.drill_media_add(drill=d, by=world.county_dispatcher, uploads=[photo()])
    assert client_for(world.township_officer).get(reverse("drills:media", args=[item.pk])).status_code == 200
    assert client_for(world.outsider).get(reverse("drills:media", args=[item.pk])).status_code == 404


def test_the_drill_page_costs_the_same_queries_whatever_the_files(world, client_for):
    d = drill(world)
    held(world, d)
    client = client_for(world.township_officer)
    url = reverse("drills:detail", args=[d.pk])
    counts = []
    for n in (1, 5):
        services.drill_media_add(drill=d, by=world.township_officer, uploads=[photo(f"{i}.jpg") for i in range(n)])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
