"""``core.views.run_service``: the one answer of a page that posts to a service."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.views import run_service


class Refused(Exception):
    pass


class NoteForm(forms.Form):
    note = forms.CharField()


def post():
    request = RequestFactory().post("/", {"note": "x"})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def shown(request) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in messages.get_messages(request)]


def test_done_leaves_the_success_message_and_redirects():
    request = post()
    response = run_service(request, lambda: 7, success_message=lambda n: f"done {n}", redirect_to=lambda n: f"/x/{n}/")
    assert (response.status_code, response.url) == (302, "/x/7/")
    assert shown(request) == [(messages.SUCCESS, "done 7")]


def test_done_at_another_level_or_without_a_message():
    request = post()
    run_service(request, lambda: None, success_message="seen", success_level=messages.INFO, redirect_to="/x/")
    assert shown(request) == [(messages.INFO, "seen")]
    request = post()
    assert run_service(request, lambda: None, success_message=None, redirect_to="/x/").url == "/x/"
    assert shown(request) == []


def test_a_domain_refusal_becomes_an_error_message_and_redirects():
    def refuse():
        raise Refused("not now")

    request = post()
    response = run_service(
        request, refuse, success_message="done", redirect_to="/ok/", refusals=(Refused,), refused_redirect_to="/back/"
    )
    assert response.url == "/back/"
    assert shown(request) == [(messages.ERROR, "not now")]


def test_a_validation_error_goes_on_the_form_or_into_a_message():
    def refuse():
        raise ValidationError({"note": ["too long"]})

    request = post()
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    assert run_service(request, refuse, success_message="done", redirect_to="/ok/", form=form) is None
    assert form.errors == {"note": ["too long"]} and shown(request) == []

    request = post()

    def refuse_plainly():
        raise ValidationError(["a", "b"])

    response = run_service(request, refuse_plainly, success_message="done", redirect_to="/ok/")
    assert response.url == "/ok/"
    assert shown(request) == [(messages.ERROR, "a b")]


def test_permission_denied_is_not_caught():
    def deny():
        raise PermissionDenied("no")

    with pytest.raises(PermissionDenied):
        run_service(post(), deny, success_message="done", redirect_to="/ok/")
