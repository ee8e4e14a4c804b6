"""How people log in: expiring API tokens, the lockout answer, and the forced password change.

- ``ExpiringTokenAuthentication``: DRF's token authentication, refusing a token older than
  ``TOKEN_TTL_HOURS`` (and deleting it) and any token of a person who must change their password.
- ``lockout_response``: what django-axes answers once an account is locked (``AXES_LOCKOUT_CALLABLE``):
  a Chinese page, or JSON under ``/api/``; status 429 with ``Retry-After``.
- ``UsernameOrMobileBackend``: log in with the user name or the mobile number (unique among
  people); django-axes counts failures under the person's user name either way
  (``lockout_username``, ``AXES_USERNAME_CALLABLE``), so alternating the two gains no attempts.
- ``PasswordChangeRequiredMiddleware``: after a grid leader or the administrator reset someone's
  password, every page sends that person to the password change page until they chose their own.
"""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def canonical_username(typed: str | None) -> str | None:
    """The user name for what was typed in the login's first field: a user name as it is, or a
    mobile number of someone whose user name it is not."""
    from grids.rules import MOBILE_RE

    typed = (typed or "").strip()
    if not MOBILE_RE.fullmatch(typed):
        return typed
    users = get_user_model().objects
    if users.filter(username=typed).exists():
        return typed
    return users.filter(mobile=typed).values_list("username", flat=True).first() or typed


class UsernameOrMobileBackend(ModelBackend):
    """Django's model backend, also taking the mobile number in place of the user name."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request, username=canonical_username(username), password=password, **kwargs)


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: failures count under the person's user name, however typed."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "data", request.POST).get("username")
    return canonical_username(typed)


def token_expired(token) -> bool:
    return token.created <= timezone.now() - timedelta(hours=settings.TOKEN_TTL_HOURS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, valid for ``TOKEN_TTL_HOURS`` after it was issued."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed(
                _("This API token has expired (valid for %(hours)d hours). Ask for a new one.")
                % {"hours": settings.TOKEN_TTL_HOURS}
            )
        if user.must_change_password:
            raise AuthenticationFailed(password_change_message())
        return user, token


def password_change_message() -> str:
    return _("Your password was reset. Log in on the site and choose a new password first.")


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds() // 60) if cool_off else 0


def lockout_message(request: HttpRequest | None = None) -> str:
    return _(
        "Too many wrong passwords: this account is locked for %(minutes)d minutes, even with the right "
        "password. Try again later, or ask your grid leader or the administrator to unlock it."
    ) % {"minutes": lockout_minutes(request)}


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.path_info.startswith("/api/")
        or request.headers.get("x-requested-with") == "XMLHttpRequest"
        or "application/json" in request.headers.get("accept", "")
    )


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The answer to a login attempt on a locked account (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    message = lockout_message(request)
    if _wants_json(request):
        response = JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "registration/lockout.html", {"message": message}, status=status)
    response["Retry-After"] = str(lockout_minutes(request) * 60)
    return response


# URL names a person who must change their password may still open.
PASSWORD_CHANGE_OPEN = {"password_change", "password_change_done", "logout", "set_language", "admin:logout"}


class PasswordChangeRequiredMiddleware:
    """Send a person whose password was reset to the password change page, everywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password and not _open(request):
            if _wants_json(request):
                return JsonResponse(
                    {"detail": password_change_message()}, status=403, json_dumps_params={"ensure_ascii": False}
                )
            target = reverse("password_change")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)


def _open(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in PASSWORD_CHANGE_OPEN
