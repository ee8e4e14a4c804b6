"""Plan documents are checked by their content and refused in Chinese, with nothing saved."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans import services
from plans.models import PlanDocument
from plans.tests.factories import PDF, draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def zipped(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def add(world, name: str, content: bytes):
    plan = draft(world)
    return services.document_add(
        version=plan.versions.get(),
        by=world.township_officer,
        kind="official",
        upload=SimpleUploadedFile(name, content),
    )


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("正文.pdf", PDF, ".pdf"),
        ("正文.docx", zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), ".docx"),
        ("正文.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".doc"),
        ("正文.ofd", zipped({"OFD.xml": b"<ofd:OFD/>"}), ".ofd"),
        ("扫描件.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 50, ".jpg"),
        ("扫描件.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, ".png"),
    ],
)
def test_accepted_kinds_are_stored_under_a_random_name(world, name, content, extension):
    document = add(world, name, content)
    assert document.original_name == name
    assert document.file.name.startswith("plans/") and document.file.name.endswith(extension)
    assert name.split(".")[0] not in document.file.name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("正文.pdf", b"MZ\x90\x00 this is a program"),
        ("正文.docx", zipped({"evil.sh": b"rm -rf /"})),
        ("正文.pdf", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_wrong_magic_bytes_are_refused_in_chinese_and_nothing_is_saved(world, media, name, content):
    with pytest.raises(ValidationError, match="只能上传 PDF"):
        add(world, name, content)
    assert PlanDocument.objects.count() == 0
    assert files_in(media) == []


def test_a_file_too_big_is_refused(world, media, settings):
    settings.PLAN_DOCUMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="超过 1 MB"):
        add(world, "正文.pdf", PDF + b"\0" * (1024 * 1024))
    assert PlanDocument.objects.count() == 0
    assert files_in(media) == []


def test_an_empty_file_is_refused(world):
    with pytest.raises(ValidationError):
        add(world, "正文.pdf", b"")


def test_the_page_refuses_a_bad_file_with_a_chinese_message(world, client_for, media):
    plan = draft(world)
    version = plan.versions.get()
    client = client_for(world.township_officer)
    response = client.post(
        reverse("plans:act", args=[version.pk, "document"]),
        {"kind": "official", "file": SimpleUploadedFile("正文.pdf", b"GIF89a not a pdf")},
        follow=True,
    )
    assert "只能上传 PDF" in response.content.decode()
    assert PlanDocument.objects.count() == 0
    assert files_in(media) == []


def test_a_document_is_downloaded_through_the_scope(world, client_for):
    document = add(world, "正文.pdf", PDF)
    url = reverse("plans:document", args=[document.pk])
    response = client_for(world.township_leader).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(world.village_officer_a).get(url).status_code == 404  # the township's plan: above the village
