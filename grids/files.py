"""Uploaded files: stored under random names, served only after a scope check.

``/media/`` is never served as such. Each kind of file has its own URL whose view fetches the
object the file belongs to through that object's access helper (404 when the person cannot see
it) and then calls ``serve_file``:

- development and tests: the file itself (``FileResponse``);
- production (``FILES_X_ACCEL_REDIRECT=true``): an empty response with
  ``X-Accel-Redirect: /protected-media/<name>``, which nginx answers from ``MEDIA_ROOT`` through an
  ``internal`` location (README, "Production").

Uploads are stored as ``<folder>/<year>/<month>/<random hex><ext>`` (``RandomName``): a stored name
tells nothing about its content, and an original file name is kept in a model field where the
interface shows it (``ImportJob.original_name``).
"""

from __future__ import annotations

import mimetypes
import re
import uuid
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

PROTECTED_PREFIX = "/protected-media/"
_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")


@deconstructible
class RandomName:
    """``upload_to`` of every file field: ``<folder>/2026/11/<uuid4 hex>.jpg`` (the extension kept)."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = PurePosixPath(filename or "").suffix.lower()
        if not _EXTENSION.fullmatch(extension):
            extension = ""
        today = timezone.localdate()
        return f"{self.folder}/{today:%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder


def serve_file(request, fieldfile, *, content_type: str | None = None, download_name: str | None = None):
    """The response for ``fieldfile``, whose owner object the caller has already been allowed to see."""
    if not fieldfile or not fieldfile.name:
        raise Http404(_("The file is missing."))
    content_type = content_type or mimetypes.guess_type(fieldfile.name)[0] or "application/octet-stream"
    if getattr(settings, "FILES_X_ACCEL_REDIRECT", False):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = PROTECTED_PREFIX + quote(fieldfile.name)
        if download_name:
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(download_name)}"
    else:
        try:
            handle = fieldfile.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404(_("The file is missing.")) from None
        response = FileResponse(
            handle, content_type=content_type, as_attachment=bool(download_name), filename=download_name or ""
        )
    patch_cache_control(response, private=True, max_age=3600)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the files of the grid app ------------------------------------------------------------------


def import_jobs_for(user):
    """Uploaded spreadsheets a person may see: their own (a superuser: all)."""
    from grids.models import ImportJob
    from grids.scope import scope_for

    return scope_for(user).filter_q(ImportJob.objects.all(), Q(created_by_id=user.pk))


@require_GET
@login_required
def import_file(request, pk: int):
    """The spreadsheet of an import, under the name it was uploaded with."""
    job = get_object_or_404(import_jobs_for(request.user), pk=pk)
    return serve_file(request, job.file, download_name=job.original_name)
