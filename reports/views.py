"""Stub: replaced by the helper that owns this module."""

from django.http import HttpResponse


def inbox(request, *args, **kwargs):
    return HttpResponse(status=501)


def delivery_open(request, *args, **kwargs):
    return HttpResponse(status=501)


def delivery_receipt(request, *args, **kwargs):
    return HttpResponse(status=501)


def monthly_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def monthly_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def monthly_submit(request, *args, **kwargs):
    return HttpResponse(status=501)


def monthly_reissue(request, *args, **kwargs):
    return HttpResponse(status=501)


def monthly_export(request, *args, **kwargs):
    return HttpResponse(status=501)


def matrix(request, *args, **kwargs):
    return HttpResponse(status=501)


def matrix_export(request, *args, **kwargs):
    return HttpResponse(status=501)


def consultation_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def consultation_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def consultation_record(request, *args, **kwargs):
    return HttpResponse(status=501)


def countermeasure_add(request, *args, **kwargs):
    return HttpResponse(status=501)


def consultation_complete(request, *args, **kwargs):
    return HttpResponse(status=501)


def countermeasure_done(request, *args, **kwargs):
    return HttpResponse(status=501)


def consultation_overview(request, *args, **kwargs):
    return HttpResponse(status=501)
