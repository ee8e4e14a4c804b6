"""Which rows a person may *choose* in a select, an autocomplete or a filter: one table per model.

Every admin form, admin list filter, serializer related field and API filter that points at a
grid unit, a person, a department, a hazard or a document takes its choices from here, so a widget
never lists what the person cannot see. Apps above ``grids`` add their models with
``register_choices`` (hazards: their hazards; reports: their documents) from their ``AppConfig.ready``.

Models that are not registered (rule tables: categories, sectors, warning types …) are the same
for everyone and are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable

import django_filters
from django import forms
from django.db.models import Model, Q, QuerySet
from django_filters.rest_framework import DjangoFilterBackend

from grids.models import Department, GridUnit, User
from grids.scope import is_administrator, scope_for, visible_people
from grids.widgets import UnitChooser

ChoicesFor = Callable[[User], QuerySet]

_CHOICES: dict[type[Model], ChoicesFor] = {}


def register_choices(model: type[Model], choices: ChoicesFor) -> None:
    """``choices(user)`` is the queryset of ``model`` rows that ``user`` may pick."""
    _CHOICES[model] = choices


def is_scoped(model) -> bool:
    return model in _CHOICES


def choices_for(user, model: type[Model]) -> QuerySet | None:
    """The rows of ``model`` the user may pick, or None when ``model`` is not scoped."""
    choices = _CHOICES.get(model)
    return None if choices is None else choices(user)


def limit_choices(user, queryset: QuerySet) -> QuerySet:
    """``queryset`` cut down to what the user may pick (unchanged for models that are not scoped)."""
    if queryset is None:
        return queryset
    allowed = choices_for(user, queryset.model)
    if allowed is None or is_administrator(user):
        return queryset
    return queryset.filter(pk__in=allowed.order_by().values("pk"))


def _departments(user) -> QuerySet[Department]:
    """The departments of the counties the person works in (each tree of units is one county)."""
    scope = scope_for(user)
    own = Q(pk=user.department_id) if getattr(user, "department_id", None) else Q(pk__in=[])
    return scope.filter_q(Department.objects.all(), Q(county__tree_id__in={node.tree_id for node in scope.nodes}) | own)


register_choices(GridUnit, lambda user: scope_for(user).units())
register_choices(User, visible_people)
register_choices(Department, _departments)


class ScopedFilterBackend(DjangoFilterBackend):
    """django-filter, with every model choice filter (a unit, person, department, hazard …) offering
    and accepting only what the caller may see (``grids.choices``): the browsable API's filter form
    lists nothing outside the scope. The default filter backend of every API view (it lives here, not in ``grids.api``:
    DRF reads the setting while ``grids.api`` is being imported)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        for filter_ in filterset.filters.values():
            if isinstance(filter_, (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)):
                filter_.queryset = _scoped_filter_choices(filter_.queryset)
        return filterset


def _scoped_filter_choices(queryset):
    def choices(request):
        rows = queryset(request) if callable(queryset) else queryset
        user = getattr(request, "user", None)
        return rows.none() if user is None else limit_choices(user, rows)

    return choices


class UnitChooserField(forms.ModelChoiceField):
    """A grid unit chosen with the search box (``grids.widgets.UnitChooser``) instead of a
    drop-down: the page renders only the chosen unit, the options come from ``grids:unit_choices``
    (the same scope). The value is the unit's id; one query checks it against ``queryset``."""

    def __init__(self, queryset, *, empty_label="---------", **kwargs):
        kwargs.setdefault("widget", UnitChooser(empty_label=empty_label or ""))
        super().__init__(queryset, empty_label=empty_label, **kwargs)


class UnitChooserFilter(django_filters.ModelChoiceFilter):
    """django-filter's unit filter with the search box (list, map, statistics and their exports)."""

    field_class = UnitChooserField
