"""The statistics table's figures, written in one pass: a county's table has thousands of cells,
and a template loop spends most of the page's time on them."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def figure_cells(figures, leading: int) -> SafeString:
    """``<td>`` cells for ``figures`` (whole numbers): zeros marked ``zero``, the first ``leading``
    (the row's totals) marked ``rg-total``."""
    cells = []
    for index, value in enumerate(figures):
        number = int(value)  # a count: nothing to escape
        classes = "num" + (" zero" if not number else "") + (" rg-total" if index < leading else "")
        cells.append(f'<td class="{classes}">{number}</td>')
    return mark_safe("".join(cells))  # noqa: S308 (integers and fixed class names only)
