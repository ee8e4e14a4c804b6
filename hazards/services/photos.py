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


def ensure_thumbnail(item, *, source: str = "image", target: str = "thumbnail") -> bool:
    """Give a stored photo (any model with a photo field ``source`` and a thumbnail field ``target``:
    ``HazardPhoto``, ``drills.DrillMedia``) its thumbnail; True when one was made here.

    Idempotent: the thumbnail is written only where the row still has none (a conditional update),
    so two requests at once keep one and the other's file is removed. A photo whose file is missing
    or unreadable is left as it is (the page then shows the photo itself)."""
    if getattr(item, target):
        return False
    try:
        with getattr(item, source).open("rb") as handle:
            thumbnail = make_thumbnail(handle)
    except (OSError, ValueError, SyntaxError):
        logger.warning("%s %s: no thumbnail, its file is missing or unreadable", item._meta.label, item.pk)
        return False
    field = item._meta.get_field(target)
    name = default_storage.save(field.generate_filename(item, thumbnail.name), thumbnail)
    claimed = type(item).objects.filter(pk=item.pk, **{target: ""}).update(**{target: name})
    if not claimed:
        default_storage.delete(name)
        item.refresh_from_db(fields=[target])
        return False
    getattr(item, target).name = name
    return True


def photo_ensure_thumbnail(photo: HazardPhoto) -> bool:
    """A hazard photo's thumbnail, made now if it was stored without one (``ensure_thumbnail``)."""
    return ensure_thumbnail(photo)
