"""A form the phone's script posts gets its redirect as a header it follows itself, so that the
next page still has its one-time message; other requests are redirected as usual."""

import pytest
from django.urls import reverse

from hazards.tests.test_record_pages import report_data

pytestmark = pytest.mark.django_db


def test_the_phones_script_gets_the_redirect_as_a_header_and_the_message_survives(world, client_for):
    client = client_for(world.village_officer_a)
    response = client.post(
        reverse("hazards:report"),
        report_data(world),
        headers={"X-Offline-Form": "1"},
    )
    assert response.status_code == 200 and not response.has_header("Location")
    target = response["X-Redirect-To"]
    assert target.startswith("/hazards/")
    page = client.get(target)
    assert "msg-success" in page.content.decode()  # not used up by a followed redirect


def test_an_ordinary_post_is_redirected(world, client_for):
    client = client_for(world.village_officer_a)
    response = client.post(
        reverse("hazards:report"),
        report_data(world),
    )
    assert response.status_code == 302 and not response.has_header("X-Redirect-To")
