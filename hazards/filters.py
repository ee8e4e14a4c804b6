"""The shared filters of the register list, the export, the risk map and the statistics table.

A django-filter ``FilterSet`` parses and validates the query string (the API can use it as its
``filterset_class``); the filtering itself is ``hazards.selectors.apply_filters`` on the cleaned
values, so pages, API and benchmark filter the same way. The unit choices are the units the
person may see, offered by a search box that loads them on demand (``grids.choices``); dates accept the ways Chinese offices write them (2026-01-05, 2026/1/5,
2026.1.5, 2026年1月5日, 20260105) whatever the interface language."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from emergency.formats.zh_Hans import formats as zh_formats
from grids import limits
from grids.choices import UnitChooserFilter
from grids.models import GridUnit
from grids.scope import scope_for
from hazards import selectors
from hazards.models import Family, Grade, Hazard, HazardCategory, RiskLevel, State

DATE_INPUT_FORMATS = list(zh_formats.DATE_INPUT_FORMATS)
LEVEL_CHOICES = [(str(value), label) for value, label in RiskLevel.choices] + [(selectors.LEVEL_NONE, _("Not graded"))]
STATE_CHOICES = [(selectors.STATE_OPEN, _("Open (any state before closing)")), *State.choices]


def _visible_units(request):
    if request is None:
        return GridUnit.objects.none()
    return scope_for(request.user).units().filter(is_active=True).order_by("tree_id", "lft")


def _date_widget() -> forms.DateInput:
    return forms.DateInput(
        format="%Y-%m-%d",
        attrs={"placeholder": _("e.g. 2026-01-05 or 2026年1月5日"), "inputmode": "numeric", "size": 12},
    )


class HazardFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), widget=forms.TextInput(attrs={"placeholder": _("Number, title or place"), "type": "search"})
    )
    unit = UnitChooserFilter(
        queryset=_visible_units, label=_("Grid unit (with the units below)"), empty_label=_("All my grids")
    )
    category = django_filters.ModelChoiceFilter(
        queryset=HazardCategory.objects.order_by("family", "order", "code"), label=_("Category"), empty_label=_("All")
    )
    family = django_filters.ChoiceFilter(choices=Family.choices, label=_("Family"), empty_label=_("All"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("Grade"), empty_label=_("All"))
    level = django_filters.ChoiceFilter(choices=LEVEL_CHOICES, label=_("Risk level"), empty_label=_("All"))
    state = django_filters.ChoiceFilter(choices=STATE_CHOICES, label=_("State"), empty_label=_("All"))
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), widget=forms.CheckboxInput)
    supervised = django_filters.BooleanFilter(label=_("Under listed supervision only"), widget=forms.CheckboxInput)
    found_from = limits.BoundedDateFilter(
        label=_("Found from"), input_formats=DATE_INPUT_FORMATS, widget=_date_widget()
    )
    found_to = limits.BoundedDateFilter(label=_("Found until"), input_formats=DATE_INPUT_FORMATS, widget=_date_widget())

    class Meta:
        model = Hazard
        fields: list[str] = []  # every filter is declared above

    def filter_queryset(self, queryset):
        return selectors.apply_filters(queryset, self.form.cleaned_data)

    def clean_values(self) -> dict[str, Any]:
        """The valid values (an invalid field is left out and shown with its error)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return dict(getattr(self.form, "cleaned_data", {}))


# Keys that are not filters but travel in the same query string (paging, map view, table layout).
NON_FILTER_KEYS = {"page", "bbox", "zoom", "columns", "measures"}


def parse_filters(request) -> tuple[HazardFilterSet, dict[str, Any]]:
    """(filter set for the template, cleaned values for the selectors) from the query string."""
    data = request.GET.copy()
    for key in NON_FILTER_KEYS:
        data.pop(key, None)
    bound = any(value for key, value in data.items())
    filterset = HazardFilterSet(data if bound else None, queryset=Hazard.objects.none(), request=request)
    return filterset, filterset.clean_values()


def active_filter_count(values: dict[str, Any]) -> int:
    return sum(1 for value in values.values() if value not in (None, "", False))
