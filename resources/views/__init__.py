"""The resources pages, by subject; thin: fetch through ``resources.access``, parse, call a
selector or a service, render."""

from __future__ import annotations

from django.utils.translation import gettext as _


def history_rows(history, limit: int = 30) -> list[dict]:
    """The latest history rows of an entry: when, who and what kind of change."""
    return [
        {"at": h.history_date, "by": h.history_user, "step": h.get_history_type_display() or _("changed")}
        for h in history.select_related("history_user").order_by("-history_date")[:limit]
    ]
