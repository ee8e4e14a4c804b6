"""``{{ value|moment:"MONTH_DAY_TIME_FORMAT" }}``: a date or time in the active language's pattern
of that name, from the format modules (``emergency/formats/<lang>/formats.py``). Django's ``date``
filter reads only its own names (``DATE_FORMAT``…) and takes anything else as a literal pattern,
so a template that wrote ``date:"n月j日 H:i"`` stayed Chinese in English."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import iter_format_modules
from django.utils.translation import get_language

register = template.Library()


@register.filter
def moment(value, name: str):
    for module in iter_format_modules(get_language() or "zh-hans"):
        pattern = getattr(module, name, None)
        if pattern:
            return date_filter(value, pattern)
    return date_filter(value, name)
