"""``{% load safe_tags %}{% safe_report_box user %}``: on the home page, the one-tap 平安 of each of
the person's own villages that owe one today (nothing otherwise). Three queries."""

from __future__ import annotations

from django import template
from django.utils import timezone

from dispatch.selectors import safe_reports

register = template.Library()


@register.inclusion_tag("dispatch/callouts/_safe_box.html")
def safe_report_box(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"villages": []}
    today = timezone.localdate()
    return {
        "villages": safe_reports.own_villages_due(user, today),
        "cutoff": safe_reports.cutoff_at(today),
        "next": "home",
    }
