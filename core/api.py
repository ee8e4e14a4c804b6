"""Helpers every app's API uses: a service's Django ``ValidationError`` becomes DRF's 400, and
``schema_only`` tells a view it is being asked for the OpenAPI schema, not by a person; one 409
(``Conflict``) for a refusal by state, raised from the app's own exception by ``RefusalsMixin``, and
one ``ErrorSerializer`` for every refusal in the schema."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.serializers import as_serializer_error


class ServiceErrorsMixin:
    """Turn the services' Django ``ValidationError`` into DRF's 400 (PermissionDenied/Http404 DRF knows)."""

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = ValidationError(as_serializer_error(exc))
        return super().handle_exception(exc)


def schema_only(view) -> bool:
    """True while drf-spectacular builds the schema (no real request user)."""
    return getattr(view, "swagger_fake_view", False)


class Conflict(APIException):
    """A step the object's present state does not allow (or that someone else just took): 409."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The present state does not allow this.")
    default_code = "conflict"


class ErrorSerializer(serializers.Serializer):
    """A refusal in the schema: its message in the caller's language."""

    detail = serializers.CharField()


class RefusalsMixin(ServiceErrorsMixin):
    """A service's refusal by state (one of ``conflicts``, e.g. ``TransitionRefused``) becomes a
    409 with its message; fields stay 400 and roles 403 (``ServiceErrorsMixin``, DRF)."""

    conflicts: tuple[type[Exception], ...] = ()

    def handle_exception(self, exc):
        if self.conflicts and isinstance(exc, self.conflicts):
            exc = Conflict(str(exc))
        return super().handle_exception(exc)


def refusals(
    *,
    not_found: str | None = None,
    conflict: str | None = None,
    forbidden: str | None = None,
    invalid: str | None = None,
    codes: tuple[int, ...] = (400, 403, 404, 409),
) -> dict[int, OpenApiResponse]:
    """The refusals of an API for its ``extend_schema(responses=…)``, each with its description
    (the defaults, or the app's own words for its objects)."""
    descriptions = {
        400: invalid or _("Bad or missing fields; the messages are given per field."),
        403: forbidden or _("The caller's roles do not allow this here."),
        404: not_found or _("Not found in the caller's scope."),
        409: conflict or _("The present state does not allow this."),
    }
    return {
        code: OpenApiResponse(None if code == 400 else ErrorSerializer, description=descriptions[code])
        for code in codes
    }
