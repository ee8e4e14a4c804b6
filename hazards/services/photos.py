"""Storing hazard photos (as found and rectification evidence) with their thumbnails.

A photo is kept twice: the processed photo (``hazards.photos.process_photo``: at most 1,600 px,
EXIF stripped) and a thumbnail of at most 320 px (``make_thumbnail``) that lists and records show.
Both are written here, by the services that take photos; photos stored before thumbnails existed
get theirs from ``photo_ensure_thumbnail`` (the ``hazards:photo_thumb`` view on first request, or
``manage.py make_thumbnails`` for all of them)."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage

from grids.models import User
from hazards.models import Hazard, HazardPhoto
from hazards.photos import make_thumbnail

logger = logging.getLogger(__name__)


def store_processed(hazard: Hazard, processed: list, kind: str, by: User) -> None:
    """Save each (content, width, height) from ``process_photo`` as a photo of ``hazard`` with its
    thumbnail. Called inside the service's transaction, after every photo was checked."""
    for content, width, height in processed:
        thumbnail = make_thumbnail(content)
        photo = HazardPhoto(hazard=hazard, kind=kind, width=width, height=height, uploaded_by=by)
        photo.image.save(content.name, content, save=False)
        photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
        photo.save()


def photo_ensure_thumbnail(photo: HazardPhoto) -> bool:
    """Give a photo stored without a thumbnail its thumbnail; True when one was made here.

    Idempotent: the thumbnail is written only where the row still has none (a conditional update),
    so two requests at once keep one and the other's file is removed. A photo whose file is missing
    or unreadable is left as it is (the page then shows the photo itself)."""
    if photo.thumbnail:
        return False
    try:
        with photo.image.open("rb") as handle:
            thumbnail = make_thumbnail(handle)
    except (OSError, ValueError, SyntaxError):
        logger.warning("hazard photo %s: no thumbnail, its file is missing or unreadable", photo.pk)
        return False
    name = default_storage.save(
        HazardPhoto._meta.get_field("thumbnail").generate_filename(photo, thumbnail.name), thumbnail
    )
    claimed = HazardPhoto.objects.filter(pk=photo.pk, thumbnail="").update(thumbnail=name)
    if not claimed:
        default_storage.delete(name)
        photo.refresh_from_db(fields=["thumbnail"])
        return False
    photo.thumbnail.name = name
    return True
