"""Stub: replaced by the helper that owns this module."""

from django.http import HttpResponse


def report(request, *args, **kwargs):
    return HttpResponse(status=501)


def mine(request, *args, **kwargs):
    return HttpResponse(status=501)


def detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def act(request, *args, **kwargs):
    return HttpResponse(status=501)


def copy_feedback(request, *args, **kwargs):
    return HttpResponse(status=501)


def photo(request, *args, **kwargs):
    return HttpResponse(status=501)


def propose_unit(request, *args, **kwargs):
    return HttpResponse(status=501)
