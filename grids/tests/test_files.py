"""Uploaded spreadsheets: random stored names, original names shown, served only to the uploader."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from grids.files import RandomName
from grids.models import ImportJob

pytestmark = pytest.mark.django_db

CONTENT = "代码,名称,手机号\n451027100203,新寨村,13800000000\n".encode("utf-8-sig")


@pytest.fixture
def job(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    job = ImportJob.objects.create(
        dataset="people", original_name="泗城镇人员名单.csv", created_by=world.township_leader
    )
    job.file.save("泗城镇人员名单.csv", ContentFile(CONTENT))
    return job


def test_upload_is_stored_under_a_random_name_keeping_the_extension(job):
    assert re.fullmatch(r"imports/\d{4}/\d{2}/[0-9a-f]{32}\.csv", job.file.name), job.file.name
    assert "泗城镇" not in job.file.name


def test_random_names_drop_odd_extensions():
    name = RandomName("imports")(None, "a.<script>")
    assert re.fullmatch(r"imports/\d{4}/\d{2}/[0-9a-f]{32}", name)
    assert RandomName("imports")(None, "名单.XLSX").endswith(".xlsx")


def test_anonymous_is_sent_to_login(job, client):
    response = client.get(reverse("grids:import_file", args=[job.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_someone_else_gets_404(world, job, client_for):
    for person in (world.township_officer, world.village_officer_a, world.county_dispatcher):
        assert client_for(person).get(reverse("grids:import_file", args=[job.pk])).status_code == 404


def test_the_uploader_gets_the_bytes_under_the_original_name(world, job, client_for):
    response = client_for(world.township_leader).get(reverse("grids:import_file", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert quote("泗城镇人员名单.csv") in response["Content-Disposition"]
    assert client_for(world.admin).get(reverse("grids:import_file", args=[job.pk])).status_code == 200


def test_production_hands_the_sending_to_nginx(world, job, client_for, settings):
    settings.FILES_X_ACCEL_REDIRECT = True
    response = client_for(world.township_leader).get(reverse("grids:import_file", args=[job.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{job.file.name}"
    assert "attachment" in response["Content-Disposition"]


def test_media_url_is_not_served_even_under_debug(world, job, client_for, client, settings):
    settings.DEBUG = True
    assert client.get(f"/media/{job.file.name}").status_code == 404
    assert client_for(world.township_leader).get(f"/media/{job.file.name}").status_code == 404


def test_admin_links_the_scoped_download_not_media(world, job, client_for):
    client = client_for(world.admin)
    content = client.get(reverse("admin:grids_importjob_change", args=[job.pk])).content.decode()
    assert reverse("grids:import_file", args=[job.pk]) in content
    assert "/media/" not in content


def test_no_url_serves_media_root_under_debug(settings):
    import importlib

    import emergency.urls

    settings.DEBUG = True
    try:
        patterns = importlib.reload(emergency.urls).urlpatterns
        assert not [p for p in patterns if str(p.pattern).lstrip("^").startswith(settings.MEDIA_URL.lstrip("/"))]
    finally:
        settings.DEBUG = False
        importlib.reload(emergency.urls)
