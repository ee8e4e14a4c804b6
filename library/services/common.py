"""What both libraries' services share: text bounds, history steps, checked files."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from grids import limits
from plans.files import document_extension


class TransitionRefused(ValidationError):
    """A step the entry's state does not allow (a Chinese message)."""


def clean_texts(model: type[models.Model], fields: dict, names: tuple[str, ...]) -> dict:
    """The text ``fields`` among ``names``, stripped and bounded by the model's limits."""
    cleaned = {}
    for name in names:
        if name in fields:
            cleaned[name] = limits.bound_text(name, (fields[name] or "").strip(), model)
    return cleaned


def save_step(obj, fields: list[str], reason: str, by=None) -> None:
    obj._change_reason = reason
    if by is not None:
        obj._history_user = by
    obj.save(update_fields=fields)


def save_new(obj, reason: str, by) -> None:
    obj._change_reason = reason
    obj._history_user = by
    obj.save()


def attach(model: type[models.Model], *, owner_field: str, owner, upload, by):
    """Store ``upload`` for ``owner`` after checking its content (as plan documents are checked)."""
    if upload is None:
        raise ValidationError({"file": ValidationError(_("Choose a file to upload."))})
    try:
        extension = document_extension(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    name = limits.bound_text("original_name", (getattr(upload, "name", "") or "")[-200:] or f"file{extension}", model)
    upload.name = f"upload{extension}"  # the stored name is random (RandomName); the extension proven
    row = model(**{owner_field: owner}, file=upload, original_name=name, size=upload.size or 0, uploaded_by=by)
    row.save()
    return row
