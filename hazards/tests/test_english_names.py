"""Hazard categories in English mode (issue 17 item 13): the list, the detail, the phone's report
form, the export and the API show the English name; Chinese pages are unchanged."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from hazards.tests import factories

ZH = "地质灾害（崩塌、滑坡、泥石流）"
EN = "Geological hazard (collapse, landslide, debris flow)"


def speak(client, language: str):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


def test_the_hazard_pages_name_the_category_in_the_readers_language(world, client_for):
    hazard = factories.report(world)
    officer = client_for(world.township_officer)

    speak(officer, "en")
    for url in (reverse("hazards:list"), reverse("hazards:detail", args=[hazard.pk])):
        body = officer.get(url).content.decode()
        assert EN in body, url
        assert ZH not in body, url
        assert not re.search(r"\d+月\d+日", re.sub(r'placeholder="[^"]*"', "", body)), url  # input help may be Chinese
    export = load_workbook(io.BytesIO(officer.get(reverse("hazards:export")).content)).active
    assert EN in [cell.value for row in export.iter_rows() for cell in row]

    speak(officer, "zh-hans")
    body = officer.get(reverse("hazards:list")).content.decode()
    assert ZH in body and EN not in body


def test_the_report_form_offers_english_categories(world, client_for):
    village = speak(client_for(world.village_officer_a), "en")
    body = village.get(reverse("hazards:report")).content.decode()
    assert "Mountain torrent" in body and "山洪" not in body


def test_the_api_gives_both_names(world, client_for):
    hazard = factories.report(world)
    client = client_for(world.township_officer)
    flood = next(row for row in client.get("/api/v1/hazard-categories/").json() if row["code"] == "flood")
    assert (flood["name"], flood["name_en"]) == ("洪涝", "Flood")
    row = client.get(f"/api/v1/hazards/{hazard.pk}/").json()
    assert (row["category_name"], row["category_name_en"]) == (ZH, EN)
