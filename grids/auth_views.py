"""Pages about people and their logins: a person's page, the password reset by their grid leader,
unlocking a locked login, the password change, logout (which also revokes API tokens), and the
API's token endpoint. Every person is fetched through ``grids.scope.get_person_for_user``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from grids import auth_services
from grids.auth import password_change_message
from grids.models import Membership
from grids.scope import get_person_for_user, may_manage_person, scope_for


@require_GET
@login_required
def person_detail(request, pk: int):
    person = get_person_for_user(request.user, pk)
    roles = (
        scope_for(request.user)
        .filter(Membership.objects.active().filter(user=person), "unit")
        .select_related("unit")
        .order_by("unit__tree_id", "unit__lft", "role")
    )
    may_manage = may_manage_person(request.user, person)
    return render(
        request,
        "grids/person_detail.html",
        {
            "person": person,
            "roles": roles,
            "may_manage": may_manage,
            "failed_logins": auth_services.failed_logins(person) if may_manage else 0,
            "locked_out": may_manage and auth_services.is_locked_out(person),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def person_password_reset(request, pk: int):
    """GET: ask to confirm. POST: reset, and show the one-time password this once (never stored,
    never in a URL, not cached)."""
    person = get_person_for_user(request.user, pk, manage=True)
    if request.method == "GET":
        return render(request, "grids/person_password_reset.html", {"person": person})
    password = auth_services.user_password_reset(person=person, by=request.user)
    return render(request, "grids/person_password_done.html", {"person": person, "password": password})


@require_POST
@login_required
def person_unlock(request, pk: int):
    person = get_person_for_user(request.user, pk, manage=True)
    auth_services.login_unlock(person=person, by=request.user)
    messages.success(request, _("The login of %(name)s is unlocked.") % {"name": person.display_name})
    return redirect("grids:person_detail", pk=person.pk)


class NewPasswordForm(PasswordChangeForm):
    """Django's password change, refusing to keep the old (or one-time) password."""

    def clean_new_password1(self):
        password = self.cleaned_data.get("new_password1")
        if password and self.user.check_password(password):
            raise forms.ValidationError(_("Choose a password different from the current one."), code="same")
        return password


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = NewPasswordForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        auth_services.user_password_changed(person=form.user)
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()}, require_https=False):
            return redirect(target)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.GET.get("next", "")
        context["forced"] = self.request.user.must_change_password
        return context


class LogoutView(auth_views.LogoutView):
    """Log out of the site and revoke the person's API tokens with the session."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            auth_services.tokens_revoke(user=request.user)
        return super().post(request, *args, **kwargs)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


@extend_schema(
    tags=["me"],
    request=TokenRequestSerializer,
    responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
)
class ObtainTokenView(APIView):
    """Exchange a user name and password for an API token (``Authorization: Token …``), valid for
    ``TOKEN_TTL_HOURS``. Wrong passwords count towards the login lockout like on the site."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None:  # when locked, AxesMiddleware replaces this answer by the lockout's 429
            return Response({"detail": _("The user name or password is wrong.")}, status=status.HTTP_400_BAD_REQUEST)
        if user.must_change_password:
            return Response({"detail": password_change_message()}, status=status.HTTP_403_FORBIDDEN)
        return Response({"token": auth_services.token_issue(user=user).key})
