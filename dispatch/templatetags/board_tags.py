"""The acknowledgement board's list of units not yet acknowledged, written in one pass: fifty units
with their people through the template language were a third of a county's board."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def pending_units(deliveries) -> SafeString:
    """``<li>`` of each delivery's unit: tier, name, code, township, reminded or parent told, and
    its people with their roles and a tap-to-call mobile. Every text is escaped (``format_html``)."""
    told, reminded, nobody = gettext("parent told"), gettext("reminded"), gettext("No people recorded for this unit.")
    items = []
    for delivery in deliveries:
        unit = delivery.recipient_unit
        parent = format_html(" · {}", unit.parent.name) if unit.parent_id and unit.parent else ""
        if delivery.parent_told_at:
            flag = format_html(' <span class="badge wn-told">{}</span>', told)
        elif delivery.reminded_at:
            flag = format_html(' <span class="badge wn-reminded">{}</span>', reminded)
        else:
            flag = ""
        if unit.contacts:
            people = format_html(
                '<ul class="people">{}</ul>',
                format_html_join(
                    "",
                    '<li class="person"><span class="name">{}</span> <span class="role">{}</span>{}</li>',
                    (
                        (
                            c.user.display_name,
                            c.roles_display,
                            format_html(' <a class="tel" href="tel:{}">{}</a>', c.user.mobile, c.user.mobile)
                            if c.user.mobile
                            else "",
                        )
                        for c in unit.contacts
                    ),
                ),
            )
        else:
            people = format_html('<p class="muted">{}</p>', nobody)
        items.append(
            format_html(
                '<li data-unit="{}" data-code="{}"><p class="wn-pending-unit"><span class="badge tier{}">{}</span> '
                '<strong>{}</strong> <span class="muted">{}{}</span>{}</p>{}</li>',
                unit.pk,
                unit.code,
                unit.tier,
                unit.tier_label,
                unit.name,
                unit.code,
                parent,
                flag,
                people,
            )
        )
    return mark_safe("\n".join(items))  # noqa: S308 (each item is format_html's)
