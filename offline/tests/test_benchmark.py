"""The phone benchmark's page weight (bytes, not time): it runs on the test county and every officer
page stays under the 150 KB first-load target. The timed submit is left to the command itself."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from offline.benchmark import asset_urls, static_bytes

pytestmark = pytest.mark.django_db


def test_the_page_weight_of_every_officer_page_is_written_and_under_target(world, tmp_path):
    output = tmp_path / "phone.json"
    call_command("benchmark_phone", "--skip-submit", "--output", str(output))
    results = json.loads(output.read_text())
    assert results["village"] == world.village_a.name
    pages = results["pages"]
    assert {"/hazards/report/", "/dispatch/incidents/report/", "/offline/me/"} <= set(pages)
    for url, page in pages.items():
        assert page["status"] == 200, url
        assert "/static/css/app.css" in page["assets"], url
        assert 0 < page["html_gzip_bytes"] < page["html_bytes"]
        assert page["first_load_bytes"] < 150 * 1024, url
    assert results["service_worker_install"]["served_bytes"] > 0


def test_assets_are_what_the_browser_fetches_at_once():
    html = (
        '<link rel="stylesheet" href="/static/css/app.css"><script src="/static/offline/offline.js"></script>'
        '<img src="/hazards/photos/1/thumb/" loading="lazy"><img src="/static/img/favicon.svg">'
        '<script src="/static/offline/offline.js"></script><a href="/elsewhere/">x</a>'
    )
    assert asset_urls(html) == ["/static/css/app.css", "/static/offline/offline.js", "/static/img/favicon.svg"]


def test_static_files_count_as_whitenoise_serves_them():
    raw, served = static_bytes("/static/css/app.css")
    assert served < raw  # gzipped
    raw, served = static_bytes("/static/offline/icon-192.png")
    assert served == raw  # images as they are
    assert static_bytes("/not-static/") is None
