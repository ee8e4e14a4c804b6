"""A text is bounded once (``grids.limits``): the report page and the API refuse the same
description, and the API counts photos with the limits of ``hazards.photos`` as the page does."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grids import limits
from hazards import forms, serializers
from hazards.models import Hazard
from hazards.tests.factories import category, photo


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def report_data(world, **extra) -> dict:
    return {
        "category": category("geological").pk,
        "unit": world.village_a.pk,
        "title": "村后山体裂缝",
        "source": "patrol",
        "client_key": str(uuid.uuid4()),
        "photos": [photo()],
        **extra,
    }


def api_report(world, **extra):
    client = APIClient()
    client.force_login(world.village_officer_a)
    return client.post("/api/v1/hazards/", report_data(world, **extra), format="multipart")


def test_the_api_refuses_the_description_the_report_page_refuses(world, client_for):
    too_long = "裂" * (limits.NOTE_MAX_LENGTH + 1)
    response = api_report(world, description=too_long)
    assert response.status_code == 400 and "description" in response.json()
    page = client_for(world.village_officer_a).post(reverse("hazards:report"), report_data(world, description=too_long))
    assert page.status_code == 200 and not Hazard.objects.exists()

    assert api_report(world, description="裂" * limits.NOTE_MAX_LENGTH).status_code == 201


def test_forms_and_serializers_take_each_text_limit_from_one_place():
    note, long_text = limits.NOTE_MAX_LENGTH, limits.LONG_TEXT_MAX_LENGTH
    pairs = [
        (forms.ReportForm.base_fields["description"], serializers.HazardReportSerializer().fields["description"], note),
        (forms.RejectForm.base_fields["reason"], serializers.ReasonSerializer().fields["reason"], note),
        (forms.PlanForm.base_fields["measures"], serializers.PlanSerializer().fields["measures"], long_text),
        (forms.PlanForm.base_fields["note"], serializers.PlanSerializer().fields["note"], note),
        (forms.EvidenceForm.base_fields["note"], serializers.EvidenceSerializer().fields["note"], note),
        (
            forms.SuperviseForm.base_fields["requirements"],
            serializers.SuperviseSerializer().fields["requirements"],
            long_text,
        ),
        (
            forms.FeedbackForm.base_fields["feedback"],
            serializers.CopyFeedbackSerializer().fields["feedback"],
            long_text,
        ),
    ]
    for form_field, serializer_field, limit in pairs:
        assert form_field.max_length == serializer_field.max_length == limit


def test_the_api_counts_photos_with_the_setting_of_the_moment(world, settings):
    settings.HAZARD_PHOTOS_PER_REQUEST = 1
    response = api_report(world, photos=[photo("a.jpg"), photo("b.jpg")])
    assert response.status_code == 400 and "photos" in response.json()
    assert not Hazard.objects.exists()
