"""A point outside the grid it is reported in: the report forms ask before filing it there.

A hazard report or a 首报 carries the phone's GPS point and the unit it is filed under. When the unit
has a boundary (GeoJSON on ``GridUnit.boundary``) and the point lies outside it, the form does not
file it silently: it asks "该位置不在您的网格（…）范围内，确认仍按本网格上报？", names the unit of the
person's own choices that contains the point if there is one (to choose instead), and files only once
the question is answered (``confirm_outside``). A unit without a boundary asks nothing.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grids.models import GridUnit

ALTERNATIVES = 200  # units of the person's choices tried for the one containing the point


def covers(boundary, lng: float, lat: float) -> bool | None:
    """Does the GeoJSON ``boundary`` cover the point? None when there is no usable boundary."""
    if not boundary:
        return None
    from shapely.geometry import Point, shape

    try:
        return bool(shape(boundary).covers(Point(lng, lat)))
    except (ValueError, TypeError, AttributeError, KeyError):
        return None


def containing_unit(units: QuerySet[GridUnit], lng: float, lat: float, *, exclude: GridUnit) -> GridUnit | None:
    """The lowest unit among ``units`` (the person's choices) whose boundary covers the point."""
    candidates = units.exclude(pk=exclude.pk).filter(boundary__isnull=False).only("id", "name", "boundary", "level")
    best = None
    for unit in candidates.order_by("-level", "tree_id", "lft")[:ALTERNATIVES]:
        if covers(unit.boundary, lng, lat) and (best is None or unit.level > best.level):
            best = unit
    return best


def confirm_outside_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=gettext_lazy("Yes, report it under this grid"), required=False, widget=forms.CheckboxInput
    )


def question_for(unit: GridUnit, lng: float, lat: float, units: QuerySet[GridUnit]) -> tuple[str, GridUnit | None]:
    """("", None) when the point is inside ``unit`` or ``unit`` has no boundary; else the question
    to ask and the unit among ``units`` that contains the point (None if none does)."""
    if covers(unit.boundary, lng, lat) is not False:
        return "", None
    question = _("This location is not within your grid (%(unit)s). Report it under this grid anyway?") % {
        "unit": unit.name
    }
    other = containing_unit(units, lng, lat, exclude=unit)
    if other is not None:
        question += " " + _("It lies in %(other)s: choose that unit above, or confirm.") % {"other": other.name}
    return question, other


class OutsideGridQuestion:
    """For a form with ``unit``, ``lng``, ``lat`` and ``confirm_outside``: call ``ask_if_outside``
    from ``clean()``. It adds the question as the form's own error (nothing is filed)
    unless it was answered, and sets ``outside_question`` for the template."""

    outside_question: str = ""
    outside_alternative: GridUnit | None = None

    def ask_if_outside(self, data: dict) -> None:
        unit, lng, lat = data.get("unit"), data.get("lng"), data.get("lat")
        if unit is None or lng is None or lat is None or data.get("confirm_outside"):
            return
        question, other = question_for(unit, lng, lat, self.fields["unit"].queryset)
        if question:
            self.outside_question, self.outside_alternative = question, other
            self.add_error(None, question)


class OutsideGridSerializerMixin:
    """The same question on the API (a serializer with ``unit``, ``lng``, ``lat``): a point outside
    the unit's boundary is refused with the question under ``confirm_outside`` until the request
    answers it with ``confirm_outside: true``."""

    def get_fields(self):
        from rest_framework import serializers

        fields = super().get_fields()
        fields["confirm_outside"] = serializers.BooleanField(
            required=False,
            default=False,
            help_text=gettext_lazy("True to file a point that lies outside the unit's boundary under that unit."),
        )
        return fields

    def validate(self, attrs):
        from rest_framework.exceptions import ValidationError

        attrs = super().validate(attrs)
        unit, lng, lat = attrs.get("unit"), attrs.get("lng"), attrs.get("lat")
        confirmed = attrs.pop("confirm_outside", False)
        request = self.context.get("request")
        if request is not None and unit is not None:
            from grids.scope import scope_for

            if not scope_for(request.user).can_see(unit):
                return attrs  # refused for the unit itself by the service (403), not asked about
        if unit is not None and lng is not None and lat is not None and not confirmed:
            question, _other = question_for(unit, lng, lat, self.fields["unit"].queryset)
            if question:
                raise ValidationError({"confirm_outside": [question]})
        return attrs
