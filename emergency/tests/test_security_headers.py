"""Every response carries the Content-Security-Policy and the Permissions-Policy, in tests too."""

import pytest
from django.urls import reverse


def directives(response):
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def test_login_page_carries_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval
    assert csp["style-src"] == ["'self'"]  # no <style> element; attributes only through style-src-attr
    assert csp["style-src-attr"] == ["'unsafe-inline'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "blob:" in csp["img-src"]  # the phone form previews the chosen photos
    policy = response.headers["Permissions-Policy"]
    assert "geolocation=(self)" in policy  # the phone form asks for the location
    assert "camera=(self)" in policy  # and takes photos (<input capture>)
    assert "microphone=()" in policy and "payment=()" in policy and "usb=()" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_and_admin_carry_the_security_headers(client_for, world):
    from grids.models import User

    admin = User.objects.create_superuser("root-csp", password="x")
    for user, url in [
        (world.village_officer_a, reverse("hazards:report")),
        (world.county_dispatcher, reverse("hazards:map")),
        (admin, reverse("admin:index")),
        (admin, reverse("admin:grids_gridunit_changelist")),
    ]:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response.headers["Content-Security-Policy"], url
        assert "unsafe-inline" not in directives(response)["script-src"], url
        assert "geolocation=(self)" in response.headers["Permissions-Policy"], url


def test_map_tile_server_is_allowed_for_images(settings):
    from emergency.settings import _origin

    assert _origin("http://tiles.intranet:8081/{z}/{x}/{y}.png") == "http://tiles.intranet:8081"
    assert _origin("https://{s}.tiles.intranet/{z}/{x}/{y}.png") == "https://*.tiles.intranet"
    assert _origin("/tiles/{z}/{x}/{y}.png") is None  # our own origin, already 'self'
    assert _origin("") is None  # the default: no tile server, images from the site only
    if settings.MAP_TILE_URL and _origin(settings.MAP_TILE_URL):
        assert _origin(settings.MAP_TILE_URL) in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
