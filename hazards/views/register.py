"""Stub: replaced by the helper that owns this module."""

from django.http import HttpResponse


def register(request, *args, **kwargs):
    return HttpResponse(status=501)


def export(request, *args, **kwargs):
    return HttpResponse(status=501)


def risk_map(request, *args, **kwargs):
    return HttpResponse(status=501)


def map_data(request, *args, **kwargs):
    return HttpResponse(status=501)


def statistics(request, *args, **kwargs):
    return HttpResponse(status=501)


def statistics_export(request, *args, **kwargs):
    return HttpResponse(status=501)


def dashboard(request, *args, **kwargs):
    return HttpResponse(status=501)


def copies(request, *args, **kwargs):
    return HttpResponse(status=501)


def print_report_form(request, *args, **kwargs):
    return HttpResponse(status=501)


def print_supervision_order(request, *args, **kwargs):
    return HttpResponse(status=501)
