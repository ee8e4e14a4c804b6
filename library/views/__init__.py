"""The library's pages, by subject (``cases``, ``regulations``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STEPS = {
    "created": _("Written"),
    "created from its source": _("Made from its source"),
    "edited": _("Edited"),
    "published": _("Published"),
    "replaced": _("Replaced by a new one"),
    "repealed": _("Repealed"),
}


def history_rows(history, limit: int = 50) -> list[dict]:
    """The latest history rows of an entry: when, who, and the step in words."""
    return [
        {
            "at": h.history_date,
            "by": h.history_user,
            "step": STEPS.get(h.history_change_reason or "", h.get_history_type_display()),
        }
        for h in history.select_related("history_user").order_by("-history_date")[:limit]
    ]
