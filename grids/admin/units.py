"""The admin of grid units (a drag-and-drop tree with history, boundaries on a map), sectors
and departments."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin
from simple_history.admin import SimpleHistoryAdmin

from grids import services
from grids.admin.base import ReadOnlyHistoryMixin, ScopedAdmin, TierListFilter
from grids.models import Department, GridUnit, Sector, within_q
from grids.scope import Action, is_administrator, scope_for
from grids.widgets import GeoJSONMapWidget

MOVE_POSITIONS = ("first-child", "last-child", "left", "right")
MAP_FIELDS = {"boundary": "Polygon", "location": "Point"}


def _messages_of(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or gettext("You may not do this here.")


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
        (None, {"fields": ("parent", "name", "kind", "code", "credit_code", "is_hazardous", "is_active")}),
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
        # Context on the maps: the unit's boundary around its location; its parent's around its boundary.
        contexts = {"location": obj.boundary if obj else None, "boundary": None}
        if obj is not None and obj.parent_id:
            contexts["boundary"] = GridUnit.objects.filter(pk=obj.parent_id).values_list("boundary", flat=True).first()
        for name, context in contexts.items():
            field = form.base_fields.get(name)
            if field is not None and isinstance(field.widget, GeoJSONMapWidget):
                field.widget.context = context
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
