"""The admin of memberships and people."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from grids import services
from grids.admin.base import (
    ReadOnlyHistoryMixin,
    ReadOnlyPermissionsMixin,
    ScopedTabularInline,
    UnitTierListFilter,
)
from grids.auth_admin import PasswordResetAdminMixin, reset_passwords_once
from grids.models import Department, Membership, User
from grids.scope import Action, is_administrator, scope_for, visible_people


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


class MembershipInline(ReadOnlyPermissionsMixin, MembershipScopeMixin, ScopedTabularInline):
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
