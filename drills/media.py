"""Photos and videos of a drill held are checked by their content before they are stored. Photos
go through hazards' checks (``hazards.photos``: size, header, upright, shrunk, EXIF stripped);
videos must be MP4 or QuickTime (an ``ftyp`` box) or WebM (an EBML header), not empty and no
larger than ``DRILL_VIDEO_MAX_BYTES`` (a setting; 200 MB by default). The name says nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_VIDEO_MAX_BYTES = 200 * 1024 * 1024
_EBML = b"\x1a\x45\xdf\xa3"
_QUICKTIME_BRANDS = (b"qt  ",)


def video_max_bytes() -> int:
    return int(getattr(settings, "DRILL_VIDEO_MAX_BYTES", DEFAULT_VIDEO_MAX_BYTES))


def video_type(upload) -> tuple[str, str] | None:
    """``(extension, content type)`` when the first bytes of ``upload`` are a video we keep, else None."""
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        if head[8:12] in _QUICKTIME_BRANDS:
            return ".mov", "video/quicktime"
        return ".mp4", "video/mp4"
    if head.startswith(_EBML):
        return ".webm", "video/webm"
    return None


def check_video(upload) -> tuple[str, str]:
    """The extension and content type of a video upload, or a ValidationError in Chinese."""
    name = getattr(upload, "name", "video")
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name})
    if size > video_max_bytes():
        raise ValidationError(
            _("The video %(name)s is larger than %(mb)d MB; record a shorter clip or send it in parts.")
            % {"name": name, "mb": video_max_bytes() // (1024 * 1024)}
        )
    found = video_type(upload)
    if found is None:
        raise ValidationError(
            _("%(name)s is neither a photo nor a video we can keep; send a JPEG or PNG photo, or an MP4 video.")
            % {"name": name}
        )
    return found
