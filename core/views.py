"""Helpers shared by the pages of every app: a service's refusal shown on a form or as a message,
and query strings for pagination and filter links.

``run_service`` is the one way a page posts to a service and answers: it calls the service, shows
a success message and redirects; a refusal becomes an error message (or errors on the form). A
``PermissionDenied`` is not caught: it stays a 403, as on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: field errors beside their field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def refusal_message(exc: Exception) -> str:
    """The words of a refusal: a ``ValidationError``'s messages joined, else the exception's text."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def query_without(request: HttpRequest, *names: str) -> str:
    """The current query string without ``names`` (for pagination and filter links)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _answer(value: Any, result: Any) -> Any:
    return value(result) if callable(value) else value


def run_service(
    request: HttpRequest,
    action: Callable[[], Any],
    *,
    success_message: str | Callable[[Any], str] | None,
    redirect_to: Any,
    refusals: tuple[type[Exception], ...] = (),
    refused_redirect_to: Any = None,
    form: forms.Form | None = None,
    success_level: int | Callable[[Any], int] = messages.SUCCESS,
) -> HttpResponse | None:
    """Call ``action()`` (the service) and answer the POST.

    - Done: ``success_message`` (a text, or a function of the service's result) is left as a
      message and the person is redirected to ``redirect_to`` (anything ``redirect()`` takes, or
      a function of the result).
    - Refused by one of ``refusals`` (a register's domain error, e.g. ``TransitionRefused``): its
      text becomes an error message and the person is redirected to ``refused_redirect_to``
      (``redirect_to`` by default).
    - Refused with a ``ValidationError``: with a ``form``, its errors go on the form and ``None``
      is returned, so that the view renders the form again (status 400); without one, its
      messages become an error message and the person is redirected as for a refusal.
    """
    try:
        result = action()
    except refusals as exc:
        messages.error(request, refusal_message(exc))
        return redirect(refused_redirect_to if refused_redirect_to is not None else redirect_to)
    except ValidationError as exc:
        if form is not None:
            add_service_errors(form, exc)
            return None
        messages.error(request, refusal_message(exc))
        return redirect(refused_redirect_to if refused_redirect_to is not None else redirect_to)
    message = _answer(success_message, result)
    if message:
        messages.add_message(request, _answer(success_level, result), message)
    return redirect(_answer(redirect_to, result))


class PagesById:
    """A large register's rows for ``Paginator``: a page is found on the narrow index first (its
    fifty ids, sorted and sliced in a subquery) and only those rows are read with their joined
    relations, in one query. Sorting a whole scope's rows joined to their units and categories
    before keeping fifty costs more than the page. ``count`` (e.g. from a roll-up) saves the
    paginator its ``COUNT(*)``."""

    def __init__(self, queryset, count: int | None = None):
        self.queryset = queryset
        self._count = count

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.queryset.values("pk")[index]
        return list(self.queryset.filter(pk__in=ids))
