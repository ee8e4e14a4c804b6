"""Text from users is never HTML in the browser: markup planted in every free-text field a user
reaches (a unit's name, a hazard's title and description, a duty-log entry, an incident, a warning)
shows literally on every page where it appears — lists, details, the maps with their tooltips and
popups open, prints, the admin's change lists — and no script ever runs (any dialog fails).
The records' other free-text fields (reports, consultations, the hazard loop's notes, people,
imports, …) are in test_hostile_text_records.py, with the list of every field and where it is
covered; the helpers of both are in emergency/tests/hostile.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dispatch.models import DutyLogEntry, IncidentType, WarningType
from dispatch.services import duty
from dispatch.services import incidents as incident_services
from dispatch.services import warnings as warning_services
from emergency.tests.hostile import (
    IMG,
    PLANTED,
    SCRIPT,
    log_in_as,
    open_tooltips,
    plant_unit_names,
    record_dialogs,
    seeded_world,
    shows_literally,
)
from hazards import services as hazard_services
from hazards.tests.factories import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def plant(world):
    """Hostile text in every field a village officer, a township officer or a dispatcher writes."""
    plant_unit_names(world)
    now = timezone.now()
    hazard = report(
        world,
        title=f"山体裂缝{IMG}",
        description=f"雨后扩大{SCRIPT}{IMG}",
        address=f"三组{IMG}",
        lng=106.45,
        lat=24.25,
    )
    hazard = hazard_services.hazard_confirm(
        hazard=hazard,
        by=world.township_officer,
        grade="general",
        risk_method="direct",
        risk_level=2,
        risk_reason=f"现场研判{IMG}",
        note=f"已核实{SCRIPT}",
    )
    entry = duty.duty_log_add(
        by=world.township_officer,
        unit=world.township,
        kind=DutyLogEntry.Kind.CALL,
        summary=f"来电{IMG}",
        caller=f"陆信息{SCRIPT}",
        details=f"详情{IMG}{SCRIPT}",
        at=now - datetime.timedelta(minutes=30),
    )
    incident, _created = incident_services.incident_first_report(
        by=world.village_officer_a,
        unit=world.village_a,
        type=IncidentType.objects.get(code="fire"),
        title=f"仓库起火{IMG}",
        occurred_at=now - datetime.timedelta(minutes=5),
        place=f"三组仓库{SCRIPT}",
        description=f"仓库着火{IMG}{SCRIPT}",
        reporter_phone="13800000000",
    )
    warning = warning_services.warning_draft(
        by=world.county_dispatcher,
        type=WarningType.objects.get(code="rainstorm"),
        level=2,
        title=f"暴雨预警{IMG}",
        content=f"预计今夜大暴雨{SCRIPT}{IMG}",
        instructions=f"转移群众{IMG}",
        valid_from=now,
        valid_to=now + datetime.timedelta(hours=12),
        areas=[world.township],
    )
    warning = warning_services.warning_issue(warning=warning, by=world.county_dispatcher)
    return hazard, entry, incident, warning


def test_planted_markup_shows_as_text_and_never_runs(page, live_server, screenshot):
    world = seeded_world()
    hazard, entry, incident, warning = plant(world)
    dialogs = record_dialogs(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    url = live_server.url

    log_in_as(page, live_server, world, world.township_officer)
    # the grid: tree, the township's page and its map (villages' tooltips)
    shows_literally(page, f"{url}{reverse('grids:tree')}", IMG, SCRIPT)
    shows_literally(page, f"{url}{reverse('grids:unit_detail', args=[world.township.pk])}", IMG, SCRIPT)
    expect(page.locator("#unit-map[data-ready='1']")).to_be_attached(timeout=10000)
    open_tooltips(page, "#unit-map")
    expect(page.locator("#unit-map .leaflet-tooltip").filter(has_text=IMG).first).to_be_attached()
    expect(page.locator("#unit-map .leaflet-tooltip").filter(has_text=SCRIPT).first).to_be_attached()
    assert page.locator(PLANTED).count() == 0
    shows_literally(page, f"{url}{reverse('grids:unit_detail', args=[world.village_a.pk])}", IMG)
    expect(page.locator("#unit-map[data-ready='1']")).to_be_attached(timeout=10000)
    open_tooltips(page, "#unit-map")
    page.locator("#unit-map path.leaflet-interactive").first.dispatch_event("mouseover")
    assert page.locator(PLANTED).count() == 0

    # the register: list, detail, the risk map with tooltips and the hazard's popup, the prints
    shows_literally(page, f"{url}{reverse('hazards:list')}", f"山体裂缝{IMG}", IMG)
    shows_literally(
        page,
        f"{url}{reverse('hazards:detail', args=[hazard.pk])}",
        f"山体裂缝{IMG}",
        SCRIPT,
        f"三组{IMG}",
        f"现场研判{IMG}",
        f"已核实{SCRIPT}",
    )
    shows_literally(page, f"{url}{reverse('hazards:map')}")
    expect(page.locator("#risk-map[data-ready='1']")).to_be_attached(timeout=10000)
    open_tooltips(page, "#risk-map")
    expect(page.locator("#risk-map .leaflet-tooltip").filter(has_text=IMG).first).to_be_attached()
    page.locator("#risk-map .rg-pin").first.click()
    expect(page.locator("#risk-map .leaflet-popup-content")).to_contain_text(f"山体裂缝{IMG}")
    assert page.locator(PLANTED).count() == 0
    screenshot("hostile-risk-map")
    shows_literally(page, f"{url}{reverse('hazards:statistics')}", IMG)
    shows_literally(page, f"{url}{reverse('hazards:print_report_form', args=[hazard.pk])}", f"山体裂缝{IMG}", SCRIPT)

    # dispatch: the duty log and its print, the incident, the warning
    shows_literally(page, f"{url}{reverse('dispatch:duty_log')}", f"来电{IMG}", f"陆信息{SCRIPT}")
    day = timezone.localtime(entry.at).date()
    shows_literally(
        page,
        f"{url}{reverse('dispatch:duty_log_print', args=[world.township.pk])}?date={day:%Y年%m月%d日}",
        f"来电{IMG}",
    )
    shows_literally(page, f"{url}{reverse('dispatch:incident_list')}", f"仓库起火{IMG}")
    shows_literally(
        page, f"{url}{reverse('dispatch:incident_detail', args=[incident.pk])}", f"仓库起火{IMG}", f"三组仓库{SCRIPT}"
    )

    log_in_as(page, live_server, world, world.county_dispatcher)
    shows_literally(page, f"{url}{reverse('dispatch:warning_list')}", f"暴雨预警{IMG}")
    shows_literally(page, f"{url}{reverse('dispatch:warning_detail', args=[warning.pk])}", f"暴雨预警{IMG}", SCRIPT)
    shows_literally(page, f"{url}{reverse('dispatch:warning_board', args=[warning.pk])}", f"暴雨预警{IMG}")

    log_in_as(page, live_server, world, world.village_officer_a)  # the village's inbox and its own pages
    shows_literally(page, f"{url}{reverse('delivery:inbox')}", f"暴雨预警{IMG}")
    shows_literally(page, f"{url}{reverse('hazards:mine')}", f"山体裂缝{IMG}")

    # the admin's change lists and change forms
    log_in_as(page, live_server, world, world.admin)
    for model, text in (
        ("grids/gridunit", IMG),
        ("hazards/hazard", f"山体裂缝{IMG}"),
        ("dispatch/dutylogentry", f"来电{IMG}"),
        ("dispatch/incident", f"仓库起火{IMG}"),
        ("dispatch/warning", f"暴雨预警{IMG}"),
    ):
        shows_literally(page, f"{url}/admin/{model}/", text)
    shows_literally(page, f"{url}/admin/hazards/hazard/{hazard.pk}/change/", IMG)

    assert dialogs == []
