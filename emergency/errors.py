"""Errors as the user should see them: Chinese pages for 400/403/404/413/500, JSON on the API.

- ``bad_request``, ``permission_denied``, ``page_not_found``, ``server_error``: the handlers of
  ``emergency/urls.py``. Their templates (``templates/4xx.html``, ``500.html``) extend
  ``errors/base.html``, which needs no database, no user and no URL reversing, so an error page
  cannot fail in turn. Under ``/api/`` they answer ``{"detail": "…"}`` instead.
- ``RequestDataTooBig`` (a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``) is a 413 "上传内容过大", both
  when Django raises it (as a 400-class ``SuspiciousOperation``) and when a view hits it.
- ``api_exception_handler`` (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``): DRF's handler, plus a
  Django ``ValidationError``, ``ValueError`` or ``OverflowError`` escaping a service and a
  database ``DataError`` (a value out of the column's range) become a 400 in Chinese, not a 500.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


def too_big_message() -> str:
    return _("The upload is too large: make the file smaller or send it in parts.")


def bad_input_message() -> str:
    return _("The input is not valid: a number, date or value is out of range.")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(request: HttpRequest, template: str, status_code: int, context: dict | None = None) -> HttpResponse:
    """Render an error page without context processors (no database, no session work)."""
    body = loader.get_template(template).render(context or {})
    return HttpResponse(body, status=status_code)


def _json(detail: str, status_code: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status_code, json_dumps_params={"ensure_ascii": False})


def request_too_big(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _json(too_big_message(), 413)
    return _page(request, "413.html", 413, {"message": too_big_message()})


# --- handlers of emergency/urls.py ---------------------------------------------------------------


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return request_too_big(request)
    if _is_api(request):
        return _json(_("Bad request."), 400)
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception) if exception is not None and str(exception) else ""
    if _is_api(request):
        return _json(message or _("You do not have permission to perform this action."), 403)
    return _page(request, "403.html", 403, {"exception": message})


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return _json(_("Not found."), 404)
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _json(_("Server error: the request was not completed. Please try again later."), 500)
    return _page(request, "500.html", 500)


# --- middleware ----------------------------------------------------------------------------------


class RequestTooBigMiddleware:
    """A view that reads an oversized body (``request.POST``/``body``) answers 413, not 400 or 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            request._mark_post_parse_error()
            logger.warning("Request body too large: %s", request.path)
            return request_too_big(request)
        return None


# --- DRF -----------------------------------------------------------------------------------------


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self):
        super().__init__(too_big_message())


def api_exception_handler(exc, context):
    """DRF's handler, with the errors of services and of the database turned into 4xx."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404 | DjangoPermissionDenied):
        pass  # DRF's handler knows them
    elif isinstance(exc, ObjectDoesNotExist):
        # The object was seen, then gone by the time its row was locked (a concurrent change): a
        # 404, as if the request had come a moment later.
        exc = Http404(str(exc))
    elif isinstance(exc, DataError | OverflowError | ValueError):
        view = context.get("view")
        logger.warning("Refused input on %s: %r", getattr(view, "__class__", type(view)).__name__, exc)
        set_rollback()
        return Response({"detail": bad_input_message()}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
