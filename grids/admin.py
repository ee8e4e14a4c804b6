"""The Django admin of the grid: every list scoped through ``grids.scope``, every write a service.

- Grid units: a drag-and-drop tree (django-mptt) with a change history (django-simple-history).
  A person sees the units of their scope and changes those they manage; drag-and-drop moves go
  through ``services.unit_move`` so they are refused exactly like any other move. Units are never
  deleted, only deactivated. Boundaries and locations are edited on a map.
- Departments, sectors, memberships, people and imports, each scoped the same way.

History pages are read-only: a "revert" would write around the services.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import NotRelationField, flatten_fieldsets, get_fields_from_path, unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin
from rest_framework.authtoken import admin as _token_admin  # noqa: F401  (registered before we re-register it)
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from grids import rules, services
from grids.auth_admin import PasswordResetAdminMixin, reset_passwords_once
from grids.choices import is_scoped, limit_choices
from grids.files import import_jobs_for
from grids.models import Department, GridUnit, ImportJob, Membership, Sector, User, within_q
from grids.scope import Action, is_administrator, scope_for, visible_people
from grids.widgets import GeoJSONMapWidget

MOVE_POSITIONS = ("first-child", "last-child", "left", "right")
MAP_FIELDS = {"boundary": "Polygon", "location": "Point"}


def _messages_of(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or gettext("You may not do this here.")


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


superuser_only(TokenProxy)

# The outbox (core imports no app, so its admin is made superuser-only here, after it registered).
import core.admin  # noqa: E402, F401
from core.models import JobFailure, OutboxMessage  # noqa: E402

superuser_only(OutboxMessage, read_only=True)
superuser_only(JobFailure, read_only=True, deletes=False)

# django-axes' login records (user names, addresses, failures of everyone): the administrator's,
# who unlocks there. Registered by axes' admin module, imported here first so it can be replaced.
import axes.admin  # noqa: E402, F401
from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # noqa: E402

for _model in (AccessAttempt, AccessFailureLog, AccessLog):
    superuser_only(_model)


class SuperuserDeletesMixin:
    """Rule rows and registers are referenced elsewhere: only a superuser removes one."""

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)


class ScopedReadOnlyAdmin(ScopedAdmin):
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

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


# --- grid units -----------------------------------------------------------------------------


class GridUnitAdminForm(forms.ModelForm):
    """The model form (``GridUnit.clean`` checks placement, codes and shapes), plus the refusals
    of the services that the model cannot see: they are reported on the form rather than failing
    after it was accepted. A new parent and a new code are saved together by ``unit_move``."""

    class Meta:
        model = GridUnit
        fields = (
            "parent",
            "name",
            "kind",
            "code",
            "credit_code",
            "population",
            "households",
            "address",
            "is_active",
            "boundary",
            "location",
        )

    def clean(self):
        cleaned = super().clean()
        unit = self.instance
        if unit.pk is None:
            return cleaned
        changed = set(self.changed_data)
        if "code" in changed and "parent" not in changed and unit.get_children().exists():
            self.add_error(
                "code",
                _("The code of a unit with children cannot be changed; its children's codes derive from it."),
            )
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # the model's own checks of the unit
        unit = self.instance
        changed = set(self.changed_data)
        if unit.pk is None or not {"parent", "code"} <= changed or self.has_error("parent") or self.has_error("code"):
            return
        # A move with a new code re-codes the units below: check theirs as the move will.
        stored = GridUnit.objects.get(pk=unit.pk)
        if stored.is_leaf_node():
            return
        try:
            services.unit_move_check(
                unit=stored, new_parent=self.cleaned_data["parent"], code=self.cleaned_data["code"]
            )
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(GridUnit)
class GridUnitAdmin(ReadOnlyHistoryMixin, DraggableMPTTAdmin, SimpleHistoryAdmin):
    form = GridUnitAdminForm
    change_list_template = "admin/grids/gridunit/change_list.html"
    list_display = ("tree_actions", "indented_title", "code", "kind", "tier_label", "is_active", "population")
    list_display_links = ("indented_title",)
    list_filter = ("kind", TierListFilter, "is_active")
    search_fields = ("name", "code", "credit_code")
    actions = ("deactivate_selected",)
    expand_tree_by_default = True
    fieldsets = (
        (None, {"fields": ("parent", "name", "kind", "code", "credit_code", "is_active")}),
        (_("Population"), {"fields": ("population", "households", "address")}),
        (_("Map"), {"fields": ("boundary", "location")}),
    )

    @admin.display(description=_("tier"), ordering="level")
    def tier_label(self, unit: GridUnit) -> str:
        return unit.tier_label

    # --- scope ------------------------------------------------------------------------------
    def get_queryset(self, request):
        scope = scope_for(request.user)
        return super().get_queryset(request).filter(scope.unit_q())

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if "field_name" in request.GET:
            # An autocomplete for a field that will be written (a membership's unit): only
            # units the person manages.
            managed = scope_for(request.user).units_where(Action.MANAGE_GRID)
            queryset = queryset.filter(pk__in=managed.values("pk"))
        return queryset, may_have_duplicates

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or scope_for(request.user).can_see(obj)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        scope = scope_for(request.user)
        return scope.may_anywhere(Action.MANAGE_GRID) if obj is None else scope.can(Action.MANAGE_GRID, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scope_for(request.user).may_anywhere(Action.MANAGE_GRID)

    def has_delete_permission(self, request, obj=None):
        return False  # a retired unit is deactivated: it keeps its code and its records

    # --- the form ---------------------------------------------------------------------------
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in MAP_FIELDS:
            kwargs["widget"] = GeoJSONMapWidget(geom_type=MAP_FIELDS[db_field.name])
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        parent = form.base_fields.get("parent")
        if parent is not None:  # absent from a read-only form
            scope = scope_for(request.user)
            choices = scope.units_where(Action.MANAGE_GRID)
            if obj is not None:
                choices = choices.exclude(within_q(obj))  # not under itself
                if obj.parent_id:  # keeping the current parent is always allowed
                    choices = choices | GridUnit.objects.filter(pk=obj.parent_id)
            parent.queryset = choices.order_by("tree_id", "lft")
            # Only a superuser adds a county; a county stays at the top.
            parent.required = not (is_administrator(request.user) or (obj is not None and obj.parent_id is None))
        return form

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.UNIT_FIELDS if name in form.cleaned_data}
        if not change:
            unit = services.unit_create(by=request.user, parent=form.cleaned_data.get("parent"), **fields)
            obj.pk = unit.pk
        else:
            if "parent" in form.changed_data:
                services.unit_move(
                    by=request.user, unit=obj, new_parent=form.cleaned_data["parent"], code=form.cleaned_data["code"]
                )
            services.unit_update(by=request.user, unit=obj, **fields)
        obj.refresh_from_db()

    # --- drag-and-drop moves ----------------------------------------------------------------
    def _move_node(self, request):
        """Handle the tree's drag-and-drop POST through ``services.unit_move``.

        The script posts ``cut_item``, ``pasted_on`` and ``position`` and reloads the page when
        the request completes, so the outcome is also left as a Django message.
        """
        position = request.POST.get("position")
        if position not in MOVE_POSITIONS:
            return self._move_refused(request, gettext("The move was not understood; reload the page."))
        queryset = self.get_queryset(request)
        try:
            unit = queryset.get(pk=request.POST.get("cut_item"))
            target = queryset.get(pk=request.POST.get("pasted_on"))
        except (GridUnit.DoesNotExist, TypeError, ValueError):
            return self._move_refused(request, gettext("These units are not in your grid; reload the page."))
        if not self.has_change_permission(request, unit):
            return self._move_refused(request, gettext("You may not move this unit."), status=403)

        if position in ("first-child", "last-child"):
            new_parent, service_position = target, position
        else:
            # Beside a sibling: the new parent is the sibling's. ``unit_move`` places a unit
            # first or last among its siblings, so "left" goes first and "right" goes last.
            new_parent = target.parent
            service_position = "first-child" if position == "left" else "last-child"
        old_parent_id = unit.parent_id
        try:
            with transaction.atomic():
                unit = services.unit_move(by=request.user, unit=unit, new_parent=new_parent, position=service_position)
        except (ValidationError, PermissionDenied) as exc:
            message = _messages_of(exc)
            if isinstance(exc, ValidationError) and any(
                error.code == "new_code_needed" for errors in exc.update_error_dict({}).values() for error in errors
            ):
                message += " " + gettext(
                    "Dragging keeps the code: change the parent and the code together on the unit's page."
                )
            return self._move_refused(request, message)

        changed = ["parent"] if unit.parent_id != old_parent_id else []
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=[unit],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": changed or ["position"]}}],
            single_object=True,
        )
        message = gettext("%(unit)s has been moved.") % {"unit": unit}
        self.message_user(request, message, level=messages.SUCCESS)
        return JsonResponse({"ok": True, "message": message})

    def _move_refused(self, request, message: str, *, status: int = 400) -> JsonResponse:
        self.message_user(request, message, level=messages.ERROR)
        return JsonResponse({"ok": False, "error": message}, status=status)

    # --- actions ----------------------------------------------------------------------------
    @admin.action(description=_("Deactivate selected units"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        done, refused = 0, []
        for unit in queryset:  # the changelist queryset: already limited to the scope
            if not unit.is_active:
                continue
            try:
                services.unit_deactivate(by=request.user, unit=unit)
            except (ValidationError, PermissionDenied):
                refused.append(unit.name)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d unit deactivated.", "%(count)d units deactivated.", done) % {"count": done},
                level=messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                gettext("You may not deactivate: %(units)s.") % {"units": "、".join(refused)},
                level=messages.ERROR,
            )


# --- departments and sectors ----------------------------------------------------------------


@admin.register(Sector)
class SectorAdmin(ScopedAdmin):
    list_display = ("name", "code", "order")
    list_editable = ("order",)
    search_fields = ("name", "code")
    ordering = ("order", "code")


@admin.register(Department)
class DepartmentAdmin(ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    list_display = ("name", "short_name", "county", "phone", "is_active")
    list_filter = ("is_active", "sectors")
    list_select_related = ("county",)
    search_fields = ("name", "short_name")
    filter_horizontal = ("sectors",)

    def get_queryset(self, request):
        return scope_for(request.user).filter(super().get_queryset(request), "county")

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or scope_for(request.user).can_see(obj.county)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        scope = scope_for(request.user)
        if obj is None:
            return scope.units_where(Action.MANAGE_GRID).filter(level=0).exists()
        return scope.can(Action.MANAGE_GRID, obj.county)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self.has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # staff point at it; a department that closes is deactivated

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "county":
            kwargs["queryset"] = scope_for(request.user).units_where(Action.MANAGE_GRID).filter(level=0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- memberships ----------------------------------------------------------------------------


def _membership_save(*, by: User, membership: Membership, form: forms.ModelForm, change: bool) -> Membership:
    """Save an admin form of a membership: grant and revoke through the services."""
    data = form.cleaned_data
    if not change:
        saved = services.membership_grant(
            by=by, user=data["user"], unit=data["unit"], role=data["role"], note=data.get("note", "")
        )
    else:
        saved = membership
        if "is_active" in form.changed_data:
            if data["is_active"]:
                saved = services.membership_grant(
                    by=by, user=membership.user, unit=membership.unit, role=membership.role
                )
            else:
                saved = services.membership_revoke(by=by, membership=Membership.objects.get(pk=membership.pk))
    # ``since`` and ``note`` carry no rule; the grant above has checked the scope.
    extra = [name for name in ("since", "note") if name in data and getattr(saved, name) != data[name]]
    if extra:
        if not scope_for(by).can(Action.MANAGE_GRID, saved.unit):
            raise PermissionDenied(gettext("You may not change roles in this unit."))
        for name in extra:
            setattr(saved, name, data[name])
        saved.save(update_fields=extra)
    return saved


class MembershipScopeMixin:
    """Scope of a membership: the unit it is held in."""

    def get_queryset(self, request):
        return scope_for(request.user).filter(super().get_queryset(request), "unit")

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        unit = getattr(obj, "unit", None) if isinstance(obj, Membership) else None
        return unit is None or scope_for(request.user).can_see(unit)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        scope = scope_for(request.user)
        if isinstance(obj, Membership):
            return scope.can(Action.MANAGE_GRID, obj.unit)
        return scope.may_anywhere(Action.MANAGE_GRID)

    def has_delete_permission(self, request, obj=None):
        return False  # a membership is revoked: its history stays


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryMixin, MembershipScopeMixin, SimpleHistoryAdmin):
    list_display = ("user", "unit", "role", "is_active", "since")
    list_filter = ("role", "is_active", UnitTierListFilter)
    list_select_related = ("user", "unit")
    search_fields = ("user__real_name", "user__mobile", "unit__name")
    autocomplete_fields = ("user", "unit")
    fields = ("user", "unit", "role", "is_active", "since", "note")
    actions = ("revoke_selected",)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scope_for(request.user).may_anywhere(Action.MANAGE_GRID)

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) or (("user", "unit", "role") if obj is not None else ())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = scope_for(request.user).units_where(Action.MANAGE_GRID)
        elif db_field.name == "user":
            kwargs["queryset"] = visible_people(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = _membership_save(by=request.user, membership=obj, form=form, change=change)
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.action(description=_("Revoke selected memberships"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        done, refused = 0, []
        for membership in queryset.filter(is_active=True).select_related("unit", "user"):
            try:
                services.membership_revoke(by=request.user, membership=membership)
            except PermissionDenied:
                refused.append(str(membership))
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d membership revoked.", "%(count)d memberships revoked.", done) % {"count": done},
                level=messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request, gettext("You may not revoke: %(items)s.") % {"items": "; ".join(refused)}, level=messages.ERROR
            )


# --- people ---------------------------------------------------------------------------------


class MembershipInline(MembershipScopeMixin, ScopedTabularInline):
    """A person's roles in the units the viewer sees; changed on the membership pages."""

    model = Membership
    fk_name = "user"
    fields = ("unit", "role", "is_active", "since", "note")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ManageableListFilter(admin.SimpleListFilter):
    """People one may change (``GridScope.manageable_people``) or only see."""

    title = _("may change")
    parameter_name = "manageable"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        manageable = scope_for(request.user).manageable_people().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=manageable)
        if self.value() == "no":
            return queryset.exclude(pk__in=manageable)
        return queryset


@admin.register(User)
class UserAdmin(PasswordResetAdminMixin, ReadOnlyHistoryMixin, SimpleHistoryAdmin, BaseUserAdmin):
    actions = (reset_passwords_once,)
    fieldsets = (
        BaseUserAdmin.fieldsets[0],
        (_("Grid profile"), {"fields": ("real_name", "mobile", "position", "department")}),
        *BaseUserAdmin.fieldsets[1:],
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "real_name", "mobile", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("username", "real_name", "mobile", "position", "department", "is_staff", "is_active")
    list_filter = (
        "is_active",
        "is_staff",
        ManageableListFilter,
        "department",
    )  # scoped: grids.admin.ScopedRelatedFieldListFilter
    list_select_related = ("department",)
    search_fields = ("username", "real_name", "mobile", "email")
    inlines = (MembershipInline,)
    PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")  # access: data

    # Seen: ``visible_people`` (404 beyond). Changed (profile, password, department): only the
    # people ``GridScope.may_manage_person`` allows — never oneself (one's own password is changed
    # on the admin's own "change password" page), never someone who also holds a role elsewhere.
    def get_queryset(self, request):
        queryset = visible_people(request.user).select_related("department")
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not is_administrator(request.user):
            readonly = (*readonly, *self.PRIVILEGE_FIELDS)  # no one grants what they lack
            if not self._departments(request).exists():
                readonly = (*readonly, "department")  # a department is given from its county only
        return readonly

    def _departments(self, request):
        counties = scope_for(request.user).units_where(Action.MANAGE_GRID).filter(level=0)
        return Department.objects.filter(county__in=counties)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            kwargs["queryset"] = self._departments(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or visible_people(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        scope = scope_for(request.user)
        if obj is None:
            return scope.may_anywhere(Action.MANAGE_GRID)
        return scope.may_manage_person(obj)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404(gettext("Not found in your grid."))
        if not scope_for(request.user).may_manage_person(user):
            raise PermissionDenied(gettext("You may not change this person's password."))
        return super().user_change_password(request, id, form_url)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scope_for(request.user).may_anywhere(Action.MANAGE_GRID)

    def has_delete_permission(self, request, obj=None):
        return False  # a person who leaves is deactivated; their records name them


# --- imports --------------------------------------------------------------------------------


@admin.register(ImportJob)
class ImportJobAdmin(ScopedAdmin):
    """The log of uploaded spreadsheets (uploads happen on the import page)."""

    list_display = ("dataset", "original_name", "status", "created_by", "created_at")
    list_filter = ("dataset", "status")
    list_select_related = ("created_by",)
    search_fields = ("original_name",)
    fields = (
        "dataset",
        "original_name",
        "file_link",
        "status",
        "created_by",
        "created_at",
        "finished_at",
        "summary",
        "errors_list",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return import_jobs_for(request.user).select_related("created_by")

    @admin.display(description=_("file"))
    def file_link(self, job: ImportJob):
        """The scoped download (never a MEDIA_URL), under the name it was uploaded with."""
        if not job.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("grids:import_file", args=[job.pk]), job.original_name)

    @admin.display(description=_("errors"))
    def errors_list(self, job: ImportJob):
        if not job.errors:
            return "—"
        items = []
        for error in job.errors:
            if isinstance(error, dict):
                items.append("; ".join(f"{key}: {value}" for key, value in error.items()))
            else:
                items.append(str(error))
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in items)))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
