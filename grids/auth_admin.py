"""The admin's side of password resets: an action on the people list (``UserAdmin.actions``).

The administrator may reset anyone but themselves and other superusers; a grid leader who uses
the admin only the people ``grids.scope.may_manage_person`` allows, like on the person's page.
The one-time passwords are shown once on the answer page and stored only as hashes.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grids import auth_services
from grids.scope import Action, may_manage_person, scope_for


@admin.action(description=gettext_lazy("Reset the password (one-time password)"), permissions=["reset_password"])
def reset_passwords_once(modeladmin, request, queryset):
    people = list(queryset.order_by("username"))
    allowed = [person for person in people if may_manage_person(request.user, person)]
    refused = [person for person in people if person not in allowed]
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": _("Reset the password"),
        "allowed": allowed,
        "refused": refused,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    if request.POST.get("confirm") != "yes" or not allowed:
        return TemplateResponse(request, "admin/grids/user/password_reset_confirm.html", context)
    context["passwords"] = [
        (person, auth_services.user_password_reset(person=person, by=request.user)) for person in allowed
    ]
    modeladmin.message_user(request, _("%(count)d passwords reset.") % {"count": len(allowed)}, messages.SUCCESS)
    response = TemplateResponse(request, "admin/grids/user/password_reset_done.html", context)
    response["Cache-Control"] = "no-store"
    return response


class PasswordResetAdminMixin:
    """Gives ``UserAdmin`` the permission check of the action above, and holds the admin's own
    "change password" form of a person to the same rule: only for someone the viewer may manage
    (``may_manage_person``; oneself too), and a password set there for someone else is one they
    must change at their next login (their API tokens end, as with the action)."""

    def has_reset_password_permission(self, request) -> bool:
        return scope_for(request.user).may_anywhere(Action.MANAGE_GRID)

    def user_change_password(self, request, id, form_url=""):
        person = self.get_object(request, unquote(id))
        others = person is not None and person.pk != request.user.pk
        if others and not may_manage_person(request.user, person):
            raise PermissionDenied(
                _("Only a grid leader who manages every role of this person may do this, never for themselves.")
            )
        response = super().user_change_password(request, id, form_url)
        if others and request.method == "POST" and response.status_code == 302:
            auth_services.user_password_set_by_other(person=person, by=request.user)
        return response
