"""Photos from phones: checked, turned upright, shrunk and stripped of EXIF (GPS, device) on the server."""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_SIDE = 1600
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
Image.MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs


def process_photo(upload) -> tuple[ContentFile, int, int]:
    """A clean JPEG of at most 1600 px on its longer side, or a ValidationError in Chinese."""
    name = getattr(upload, "name", "photo")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The photo %(name)s is larger than 15 MB; take it again at a lower resolution.") % {"name": name}
        )
    try:
        upload.seek(0)
        image = Image.open(upload)
        image_format = image.format
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ValidationError(_("%(name)s is not a photo we can read; send a JPEG or PNG picture.") % {"name": name})
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(name)s is a %(format)s file; send a JPEG or PNG picture.") % {"name": name, "format": image_format}
        )
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)  # no exif= argument: metadata dropped
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), image.width, image.height
