"""The shared machinery of every app's admin: each list, select and filter scoped through
``grids.scope``, read-only registers and inlines, superuser-only pages.

Other apps' ``admin.py`` build on these public names (``ScopedAdmin``, ``ScopedTabularInline``,
``ScopedReadOnlyAdmin``, ``ReadOnlyInline``, ``ReadOnlyPermissionsMixin``, ``ReadOnlyHistoryMixin``,
``SuperuserDeletesMixin``, ``superuser_only``, the list filters).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, flatten_fieldsets, get_fields_from_path, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grids import rules
from grids.choices import is_scoped, limit_choices
from grids.scope import is_administrator, scope_for


class TierListFilter(admin.SimpleListFilter):
    """Filter by tier (the tree level: county 1, township or park 2, village or enterprise 3)."""

    title = _("tier")
    parameter_name = "level"
    level_field = "level"

    def lookups(self, request, model_admin):
        return [(str(tier - 1), label) for tier, label in rules.TIER_LABELS.items()]

    def queryset(self, request, queryset):
        value = self.value()
        if value in {str(tier - 1) for tier in rules.TIER_LABELS}:
            return queryset.filter(**{self.level_field: int(value)})
        return queryset


class UnitTierListFilter(TierListFilter):
    parameter_name = "unit__level"
    level_field = "unit__level"


class ScopedRelatedFieldListFilter(admin.RelatedOnlyFieldListFilter):
    """A list filter on a unit, person, department …: only values of the rows listed, and only
    those the person may see (``grids.choices``)."""

    def field_choices(self, field, request, model_admin):
        listed = model_admin.get_queryset(request).distinct().values_list(f"{self.field_path}__pk", flat=True)
        allowed = limit_choices(request.user, field.related_model._default_manager.filter(pk__in=listed))
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to={"pk__in": allowed.values("pk")}, ordering=ordering
        )


class ScopedChoicesMixin:
    """Every select, multiple select, list filter and autocomplete of the admin offers only rows the
    person may see: fields pointing at units, people, departments, hazards and documents take their
    queryset from ``grids.choices`` (cut down further by any queryset a subclass sets). Every
    ModelAdmin and inline of every app inherits it (``ScopedAdmin``, ``ScopedTabularInline``,
    ``ReadOnlyHistoryMixin``); ``grids/tests/test_access_admin.py`` checks that none is left out."""

    def _scoped_field_kwargs(self, db_field, request, kwargs: dict) -> dict:
        if not is_scoped(db_field.remote_field.model):
            return kwargs
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(None, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        return {**kwargs, "queryset": limit_choices(request.user, queryset)}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._scoped_field_kwargs(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._scoped_field_kwargs(db_field, request, kwargs)
        )

    def get_search_results(self, request, queryset, search_term):
        """The autocomplete of a select elsewhere searches here: only rows the person may pick."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return limit_choices(request.user, queryset), may_have_duplicates

    def get_list_filter(self, request):
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                try:
                    field = get_fields_from_path(self.model, item)[-1]
                except (FieldDoesNotExist, NotRelationField):
                    field = None
                if field is not None and field.is_relation and is_scoped(field.related_model):
                    item = (item, ScopedRelatedFieldListFilter)
            filters.append(item)
        return filters


class ScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """The base of every ModelAdmin of the site."""


class ScopedTabularInline(ScopedChoicesMixin, admin.TabularInline):
    """The base of every inline. ``unit_field`` set: only the rows whose unit is in the viewer's
    scope (``grants_only`` as in ``GridScope.filter``); left None where every row belongs to the
    parent object's own chain of units (it is seen whole with its parent)."""

    unit_field: str | None = None
    grants_only = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.unit_field is None:
            return queryset
        return scope_for(request.user).filter(queryset, self.unit_field, grants_only=self.grants_only)


class ReadOnlyPermissionsMixin:
    """Rows changed only by their services: no one adds, changes or deletes one in the admin.
    Put it first among the bases of a ModelAdmin or an inline."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyPermissionsMixin, ScopedTabularInline):
    """The parts of a register shown with it, every field read-only, changed only by the services."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


def superuser_only(model, *, read_only: bool = False, deletes: bool = True) -> None:
    """Re-register the admin of ``model`` so that only a superuser sees it (its module, its list,
    its pages): e.g. the API tokens, whose list would show every user's live key. ``read_only``:
    not even the superuser adds or changes a row (the outbox), they may only look and delete;
    ``deletes=False``: nor delete one (the record of failed jobs)."""
    base = type(admin.site._registry[model]) if admin.site.is_registered(model) else admin.ModelAdmin

    class SuperuserOnlyAdmin(ScopedChoicesMixin, base):
        def has_module_permission(self, request):
            return is_administrator(request.user)

        def has_view_permission(self, request, obj=None):
            return is_administrator(request.user)

        def has_add_permission(self, request, *args):
            return not read_only and is_administrator(request.user)

        def has_change_permission(self, request, obj=None):
            return not read_only and is_administrator(request.user)

        def has_delete_permission(self, request, obj=None):
            return deletes and is_administrator(request.user)

    SuperuserOnlyAdmin.__name__ = SuperuserOnlyAdmin.__qualname__ = f"SuperuserOnly{base.__name__}"
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, SuperuserOnlyAdmin)


class SuperuserDeletesMixin:
    """Rule rows and registers are referenced elsewhere: only a superuser removes one."""

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)


class ScopedReadOnlyAdmin(ReadOnlyPermissionsMixin, ScopedAdmin):
    """A register seen through ``grids.scope`` and changed only by its services: view only.

    ``unit_field`` names the unit that decides visibility; ``grants_only`` leaves out the
    read-only county of department staff. Override ``scoped_queryset`` for other rules."""

    unit_field = "unit"
    grants_only = True

    def scoped_queryset(self, request):
        queryset = self.model._default_manager.all()
        return scope_for(request.user).filter(queryset, self.unit_field, grants_only=self.grants_only)

    def get_queryset(self, request):
        queryset = self.scoped_queryset(request)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or self.scoped_queryset(request).filter(pk=obj.pk).exists()


def _showing_past_version(request) -> bool:
    return getattr(request, "_showing_past_version", False)


class ReadOnlyHistoryMixin(ScopedChoicesMixin):
    """History pages only for objects in the person's scope, and without "revert".

    A past version is shown with every field read-only, as text: it is there to be read (a
    "revert" would write around the services), and a form would render selects of units and
    people. Subclasses that override ``get_readonly_fields`` call ``super()`` first."""

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404(gettext("Not found in your grid."))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404(gettext("Not found in your grid."))
        if request.method != "GET":
            raise PermissionDenied(gettext("Past versions cannot be restored here; change the record instead."))
        request._showing_past_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if _showing_past_version(request):
            return self._all_form_fields(request)
        return super().get_readonly_fields(request, obj)

    def _all_form_fields(self, request) -> list[str]:
        if self.fieldsets:
            names = flatten_fieldsets(self.fieldsets)
        elif self.fields:
            names = list(self.fields)
        else:
            opts = self.model._meta
            names = [f.name for f in (*opts.fields, *opts.many_to_many) if f.editable and not f.auto_created]
        # A password stays in the form: its widget shows the algorithm, never the stored hash.
        return [name for name in names if name != "password"]

    def revert_disabled(self, request, obj=None):
        return True
