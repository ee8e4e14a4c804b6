"""Plan documents are checked by their content before they are stored: PDF, Word (.doc, .docx),
OFD (the Chinese fixed-layout format, a zip), JPEG or PNG scans, and no larger than
``PLAN_DOCUMENT_MAX_BYTES`` (a setting; 30 MB by default). The name a file was sent with says
nothing: the first bytes decide."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 30 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc (OLE2 compound file)


def max_bytes() -> int:
    return int(getattr(settings, "PLAN_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _zip_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return ".docx"
    if "OFD.xml" in names:
        return ".ofd"
    return None


def document_extension(upload) -> str:
    """The extension the content of ``upload`` proves (``.pdf`` …), or a Chinese ValidationError."""
    size = getattr(upload, "size", None) or 0
    if size > max_bytes():
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": max_bytes() // (1024 * 1024)}, code="too_big"
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if head.startswith(_OLE):
        return ".doc"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
        if kind:
            return kind
    raise ValidationError(_("Only PDF, Word (.doc, .docx), OFD, JPEG or PNG files may be attached."), code="bad_type")
