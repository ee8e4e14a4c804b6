"""Photos from phones: checked, turned upright, shrunk and stripped of EXIF (GPS, device) on the server.

Limits live here, in one place (each can be overridden by a setting of the same name): a photo's
bytes, its sides and pixel count read from the header *before* anything is decoded (a 10,900 ×
10,900 PNG of half a megabyte would otherwise take a gigabyte to decode), and how many photos and
how many bytes one request may send.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600  # what we keep: the longer side after shrinking
THUMB_SIDE = 320  # the thumbnail kept beside it: what lists and records show
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}

DEFAULT_LIMITS = {
    "HAZARD_PHOTO_MAX_BYTES": 15 * 1024 * 1024,  # one photo
    "HAZARD_PHOTO_MAX_SIDE": 8000,  # width or height in the header, pixels (a 48 MP phone: 8000 × 6000)
    "HAZARD_PHOTO_MAX_PIXELS": 50_000_000,  # width × height in the header
    "HAZARD_PHOTOS_PER_REQUEST": 9,  # photos in one request, all fields together
    "HAZARD_PHOTOS_MAX_TOTAL_BYTES": 60 * 1024 * 1024,  # bytes of photos in one request
}


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULT_LIMITS[name]))


Image.MAX_IMAGE_PIXELS = DEFAULT_LIMITS["HAZARD_PHOTO_MAX_PIXELS"]  # a second line behind the header check


def check_photo_batch(uploads: Sequence) -> None:
    """Refuse a request that sends too many photos or too many bytes of them, before any is opened."""
    count = limit("HAZARD_PHOTOS_PER_REQUEST")
    if len(uploads) > count:
        raise ValidationError(_("Send at most %(count)d photos at a time.") % {"count": count})
    total = limit("HAZARD_PHOTOS_MAX_TOTAL_BYTES")
    if sum(upload.size or 0 for upload in uploads) > total:
        raise ValidationError(
            _("The photos together are larger than %(mb)d MB; send fewer or smaller photos.")
            % {"mb": total // (1024 * 1024)}
        )


def inspect_photo(upload) -> tuple[str, int, int]:
    """Check a photo from its header only (bytes, format, sides, pixels; nothing is decoded):
    its (format, width, height), or a ValidationError in Chinese. What a request does before it
    saves; the decoding and shrinking (``process_photo``) can then be left to the worker."""
    name = getattr(upload, "name", "photo")
    max_bytes = limit("HAZARD_PHOTO_MAX_BYTES")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The photo %(name)s is larger than %(mb)d MB; take it again at a lower resolution.")
            % {"name": name, "mb": max_bytes // (1024 * 1024)}
        )
    side, pixels = limit("HAZARD_PHOTO_MAX_SIDE"), limit("HAZARD_PHOTO_MAX_PIXELS")
    try:
        upload.seek(0)
        with Image.open(upload) as image:  # reads the header only
            image_format = image.format
            width, height = image.size
    except Image.DecompressionBombError:  # Pillow's own header check, far above ours
        raise _too_large(name, side, pixels) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise _unreadable(name) from None
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(name)s is a %(format)s file; send a JPEG or PNG picture.") % {"name": name, "format": image_format}
        )
    if width > side or height > side or width * height > pixels:
        raise _too_large(name, side, pixels)
    upload.seek(0)
    return image_format, width, height


def _unreadable(name: str) -> ValidationError:
    return ValidationError(_("%(name)s is not a photo we can read; send a JPEG or PNG picture.") % {"name": name})


def _too_large(name: str, side: int, pixels: int) -> ValidationError:
    return ValidationError(
        _(
            "The photo %(name)s has too many pixels (at most %(side)d pixels a side and %(mp)d megapixels); "
            "take it again at a lower resolution."
        )
        % {"name": name, "side": side, "mp": pixels // 1_000_000}
    )


def process_photo(upload) -> tuple[ContentFile, int, int]:
    """A clean JPEG of at most 1600 px on its longer side, or a ValidationError in Chinese."""
    name = getattr(upload, "name", "photo")
    image_format, _width, _height = inspect_photo(upload)
    try:
        image = Image.open(upload)
        if image_format in ("JPEG", "MPO"):
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode a JPEG at a reduced scale when it can
        image.load()
    except (OSError, Image.DecompressionBombError, ValueError, UnidentifiedImageError):
        raise _unreadable(name) from None
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)  # no exif= argument: metadata dropped
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), image.width, image.height


def make_thumbnail(source) -> ContentFile:
    """A JPEG of at most 320 px on its longer side from a photo already processed (``process_photo``'s
    content, or a stored file): what pages show as a thumbnail, a few kilobytes instead of hundreds."""
    source.seek(0)
    image = Image.open(source)
    if image.format in ("JPEG", "MPO"):
        image.draft("RGB", (THUMB_SIDE * 2, THUMB_SIDE * 2))  # decode at a reduced scale
    image.load()
    image.thumbnail((THUMB_SIDE, THUMB_SIDE))
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=75, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
