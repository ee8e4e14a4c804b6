"""Storing hazard photos (as found and rectification evidence) with their thumbnails.

A photo is kept twice: the processed photo (``hazards.photos.process_photo``: at most 1,600 px,
EXIF stripped) and a thumbnail of at most 320 px (``make_thumbnail``) that lists and records show.
Both are written here, by the services that take photos; photos stored before thumbnails existed
get theirs from ``photo_ensure_thumbnail`` (the ``hazards:photo_thumb`` view on first request, or
``manage.py make_thumbnails`` for all of them)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from core.services import enqueue
from grids.models import User
from hazards.models import Hazard, HazardPhoto
from hazards.photos import make_thumbnail, process_photo

logger = logging.getLogger(__name__)


def store_pending(hazard: Hazard, uploads: list, kind: str, by: User) -> None:
    """Keep each upload (checked on its header by ``inspect_photo``) as a photo of ``hazard``, as
    sent, and queue its processing for after the commit. Called inside the service's transaction:
    the request only writes the bytes, the worker (or the first request for the photo) decodes,
    shrinks, strips and makes the thumbnail (``process_pending``). The queue is the outbox, so a
    broker that is down delays the processing, never loses it."""
    if not uploads:
        return
    for upload, (width, height) in uploads:
        photo = HazardPhoto(
            hazard=hazard,
            kind=kind,
            width=width,
            height=height,
            uploaded_by=by,
            processing=HazardPhoto.Processing.PENDING,
        )
        upload.seek(0)
        photo.raw.save(upload.name or "photo", upload, save=False)
        photo.save()
    enqueue(PROCESS_TASK, hazard.pk)


PROCESS_TASK = "hazards.tasks.process_hazard_photos"


def process_pending(photo_ids) -> int:
    """Process the pending photos among ``photo_ids``: the 1,600 px photo without EXIF and its
    thumbnail written, the file as sent removed. Idempotent: each row is locked and processed once,
    whoever comes first (the worker or a request for the photo). A file that cannot be decoded
    leaves the photo marked unreadable, the hazard and its other photos as they are. Returns how
    many were processed here."""
    done = 0
    for pk in photo_ids:
        raw_name = ""
        with transaction.atomic():
            photo = (
                HazardPhoto.objects.select_for_update().filter(pk=pk, processing=HazardPhoto.Processing.PENDING).first()
            )
            if photo is None:
                continue
            raw_name = photo.raw.name
            try:
                with photo.raw.open("rb") as handle:
                    content, width, height = process_photo(handle)
                    content.seek(0)
                    thumbnail = make_thumbnail(content)
            except (OSError, ValidationError, ValueError, SyntaxError):
                logger.warning("hazard photo %s: the file as sent cannot be read", pk)
                photo.processing = HazardPhoto.Processing.UNREADABLE
            else:
                photo.image.save(content.name, content, save=False)
                photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
                photo.width, photo.height = width, height
                photo.processing = HazardPhoto.Processing.DONE
            photo.raw = ""
            photo.save(update_fields=["image", "thumbnail", "width", "height", "processing", "raw"])
        if raw_name:  # after the commit: the row no longer names it (callers hold no outer transaction)
            default_storage.delete(raw_name)
        done += photo.processing == HazardPhoto.Processing.DONE
    return done


def process_hazard_photos(hazard_id: int) -> int:
    """The worker's job after a report or evidence: every pending photo of the hazard."""
    ids = HazardPhoto.objects.filter(hazard_id=hazard_id, processing=HazardPhoto.Processing.PENDING).values_list(
        "pk", flat=True
    )
    return process_pending(list(ids))


def process_all_pending() -> int:
    """Every pending photo (the sweep behind the worker, and ``make_thumbnails``)."""
    ids = HazardPhoto.objects.filter(processing=HazardPhoto.Processing.PENDING).values_list("pk", flat=True)
    return process_pending(list(ids))


def photo_ready(photo: HazardPhoto) -> bool:
    """Make sure a photo about to be served is processed (the worker may not have come yet); False
    when it cannot be shown (unreadable)."""
    if photo.processing == HazardPhoto.Processing.PENDING:
        process_pending([photo.pk])
        photo.refresh_from_db(fields=["image", "thumbnail", "processing", "width", "height"])
    return photo.processing == HazardPhoto.Processing.DONE


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
