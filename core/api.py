"""Helpers every app's API uses: a service's Django ``ValidationError`` becomes DRF's 400, and
``schema_only`` tells a view it is being asked for the OpenAPI schema, not by a person."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
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
