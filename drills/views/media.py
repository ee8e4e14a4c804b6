"""The photos and videos of a drill held: added from the drill's page, served through its scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.views import run_service
from drills import access, services
from drills.models import DrillMedia
from drills.services import TransitionRefused
from grids.files import serve_file
from hazards.services.photos import ensure_thumbnail


@require_POST
@login_required
def media_add(request, pk):
    drill = access.get_drill_for_user(request.user, pk, action=access.RESPOND)
    uploads = request.FILES.getlist("files")
    back = reverse("drills:detail", args=[drill.pk]) + "#media"
    return run_service(
        request,
        lambda: services.drill_media_add(
            drill=drill, by=request.user, uploads=uploads, caption=request.POST.get("caption", "")
        ),
        success_message=lambda saved: (
            ngettext(
                "%(count)d file kept with the drill's record.",
                "%(count)d files kept with the drill's record.",
                len(saved),
            )
            % {"count": len(saved)}
        ),
        redirect_to=back,
        refusals=(TransitionRefused,),
    )


@require_GET
@login_required
def media(request, pk):
    item = access.get_drill_media_for_user(request.user, pk)
    return serve_file(request, item.file, content_type=item.content_type or None)


@require_GET
@login_required
def media_thumb(request, pk):
    """A drill photo's 320 px thumbnail (made on first request for a photo stored before); 404 for a video."""
    item = access.get_drill_media_for_user(request.user, pk)
    if item.kind != DrillMedia.Kind.PHOTO:
        raise Http404(_("No such file."))
    ensure_thumbnail(item, source="file")
    return serve_file(request, item.thumbnail or item.file, content_type="image/jpeg")


__all__ = ["media", "media_add", "media_thumb"]
