"""Photos and videos of a drill held (the record's 影像资料): added by the drilled unit's or the
organiser's people while the drill runs or after it was held, all of one request kept or none."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from drills import access
from drills.media import check_video, video_type
from drills.models import DrillMedia, DrillState
from drills.services.common import locked_drill, require_state
from grids.models import User
from hazards.photos import check_photo_batch, make_thumbnail, process_photo

MEDIA_STATES = (DrillState.STARTED, DrillState.HELD, DrillState.EVALUATED)


def _prepared(upload) -> tuple[str, ContentFile | object, str, str]:
    """(kind, content to store, stored name, content type) of one upload, or a ValidationError."""
    if video_type(upload) is not None:
        extension, content_type = check_video(upload)
        return DrillMedia.Kind.VIDEO, upload, f"video{extension}", content_type
    content, _width, _height = process_photo(upload)
    return DrillMedia.Kind.PHOTO, content, content.name, "image/jpeg"


@transaction.atomic
def drill_media_add(*, drill, by: User, uploads: list, caption: str = "") -> list[DrillMedia]:
    """Keep the photos and videos of ``uploads`` with the drill's record. Every file is checked
    before any is stored: one bad file refuses them all with a message naming it."""
    drill = locked_drill(drill)
    if not access.may_respond(by, drill):
        raise PermissionDenied(_("Only the drilled unit's own people or the organiser add photos and videos."))
    require_state(drill.state, MEDIA_STATES, _("Photos and videos are added once the drill has started."))
    if not uploads:
        raise ValidationError({"files": _("Choose at least one photo or video.")})
    check_photo_batch([upload for upload in uploads if video_type(upload) is None])
    prepared = [(upload, *_prepared(upload)) for upload in uploads]  # every file checked before any is stored
    caption = caption.strip()[: DrillMedia._meta.get_field("caption").max_length]
    saved = []
    for upload, kind, content, stored_name, content_type in prepared:
        media = DrillMedia(
            drill=drill,
            kind=kind,
            original_name=(getattr(upload, "name", "") or stored_name)[:200],
            size=content.size,
            content_type=content_type,
            caption=caption,
            uploaded_by=by,
        )
        media.file.save(stored_name, content, save=False)
        if kind == DrillMedia.Kind.PHOTO:
            thumbnail = make_thumbnail(content)
            media.thumbnail.save(thumbnail.name, thumbnail, save=False)
        media.save()
        saved.append(media)
    return saved
