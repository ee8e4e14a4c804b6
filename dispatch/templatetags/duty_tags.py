"""``{% load duty_tags %}{% on_duty user %}``: who is on duty now at the dispatch centres that
matter to the person (their own centre and those above it), with tap-to-call numbers.

Two queries: the centres, then the shifts on duty (``dispatch.selectors.duty.on_duty_now``)."""

from __future__ import annotations

from django import template

from dispatch.selectors import duty as duty_selectors

register = template.Library()


@register.inclusion_tag("dispatch/_on_duty.html")
def on_duty(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"rows": [], "show": False}
    centres = duty_selectors.relevant_centres(user)
    shifts = duty_selectors.on_duty_now(centres) if centres else {}
    return {"rows": [(centre, shifts.get(centre.pk)) for centre in centres], "show": bool(centres)}
