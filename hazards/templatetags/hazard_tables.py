"""Tables of the register written in one pass: the statistics table's figures (a county's table
has thousands of cells) and the rows of the list; a template loop spent most of the page's time
on them."""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from hazards.models import Grade, State

register = template.Library()
_PK = 987654321  # a placeholder id: the detail URL is reversed once per list


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


@register.simple_tag
def hazard_rows(hazards) -> SafeString:
    """The rows of the register list, written in Python: fifty rows through the template language
    cost most of a small scope's page. Every text from a person is escaped (``format_html``)."""
    detail = reverse("hazards:detail", args=[_PK]).replace(str(_PK), "{pk}")
    labels = {
        "number": gettext("Number"),
        "title": gettext("Title"),
        "unit": gettext("Grid unit"),
        "category": gettext("Category"),
        "grade": gettext("Grade"),
        "level": gettext("Risk level"),
        "state": gettext("State"),
        "deadline": gettext("Deadline"),
        "marks": gettext("Marks"),
    }
    not_graded, overdue_flag, supervised_flag = gettext("Not graded"), gettext("Overdue"), gettext("Supervised")
    rows = []
    for hazard in hazards:
        overdue = hazard.overdue_since is not None and hazard.state == State.RECTIFYING
        major = hazard.grade == Grade.MAJOR
        css = ("rg-overdue" if overdue else "") + (" rg-major" if major else "")
        url = detail.replace("{pk}", str(int(hazard.pk)))
        owner = ""
        if hazard.owner_unit_id != hazard.unit_id and hazard.owner_unit_id != hazard.unit.parent_id:
            owner = format_html(' <span class="muted">→ {}</span>', hazard.owner_unit.name)
        grade = hazard.get_grade_display()
        grade_html = format_html('<strong class="level-red">{}</strong>', grade) if major else conditional_escape(grade)
        level = hazard.get_risk_level_display() if hazard.risk_level else not_graded
        marks = ""
        if overdue:
            title = gettext("Overdue since %(date)s") % {"date": hazard.overdue_since.strftime("%Y-%m-%d")}
            marks += format_html('<span class="rg-flag rg-flag-overdue" title="{}">{}</span>', title, overdue_flag)
        if hazard.supervised:
            marks += format_html(
                '<span class="rg-flag rg-flag-supervised" title="{}">{}</span>',
                str(hazard.supervising_department or ""),
                supervised_flag,
            )
        rows.append(
            format_html(
                '<tr class="{}"><td data-label="{}" class="rg-number"><a href="{}">{}</a></td>'
                '<td data-label="{}" class="rg-title"><a href="{}">{}</a></td>'
                '<td data-label="{}">{}{}</td><td data-label="{}">{}</td>'
                '<td data-label="{}" class="rg-nowrap">{}</td>'
                '<td data-label="{}"><span class="rg-level rg-level-{}">{}</span></td>'
                '<td data-label="{}"><span class="rg-state rg-state-{}">{}</span></td>'
                '<td data-label="{}" class="rg-nowrap">{}</td><td data-label="{}" class="rg-marks">{}</td></tr>',
                css,
                labels["number"],
                url,
                hazard.number,
                labels["title"],
                url,
                hazard.title,
                labels["unit"],
                hazard.unit.name,
                owner,
                labels["category"],
                hazard.category.display_name,
                labels["grade"],
                grade_html,
                labels["level"],
                hazard.risk_colour,
                level,
                labels["state"],
                hazard.state,
                hazard.get_state_display(),
                labels["deadline"],
                hazard.deadline.strftime("%Y-%m-%d") if hazard.deadline else "—",
                labels["marks"],
                mark_safe(marks),  # noqa: S308 (built by format_html above)
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 (each row built by format_html)
