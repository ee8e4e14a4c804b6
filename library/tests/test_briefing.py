"""The consultation briefing lists the published cases of the categories concerned."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dispatch.models import IncidentType
from library import hooks, services
from library.tests import factories
from reports import services as report_services
from reports.models import Consultation

NEXT_MONTH = datetime.date(2026, 12, 1)  # the test clock stands on 2026-11-17


def _briefing(world, unit=None):
    report_services.consultations_open(today=NEXT_MONTH)
    return Consultation.objects.get(unit=unit or world.township, period_start=NEXT_MONTH)


def test_a_closed_incident_made_a_case_is_listed_in_the_next_consultations_briefing(client_for, world):
    incident = factories.closed_incident(world)
    case = services.case_from_incident(incident=incident, by=world.township_officer)
    services.case_update(case=case, by=world.township_officer, lessons="急弯路段要设警示")
    services.case_publish(case=case, by=world.township_officer)
    consultation = _briefing(world)
    assert [c["title"] for c in consultation.briefing["cases"]] == [incident.title]
    page = client_for(world.township_leader).get(reverse("reports:consultation_detail", args=[consultation.pk]))
    body = page.content.decode()
    assert "相关类别的典型案例" in body and incident.title in body and "急弯路段要设警示" in body
    other = Consultation.objects.get(unit=world.other_township, period_start=NEXT_MONTH)
    assert other.briefing["cases"] == []  # not the other township's case


def test_drafts_and_cases_of_unconcerned_types_are_not_listed(world):
    factories.closed_incident(world)  # a traffic incident in the period
    factories.case(world, title="草稿交通案例", incident_type=IncidentType.objects.get(code="traffic"))
    factories.case(world, title="地震案例", incident_type=IncidentType.objects.get(code="earthquake"), publish=True)
    county_case = factories.case(
        world, by=world.county_dispatcher, unit=world.county, title="县级交通案例",
        incident_type=IncidentType.objects.get(code="traffic"), publish=True,
    )  # fmt: skip
    listed = [c["title"] for c in _briefing(world).briefing["cases"]]
    assert listed == [county_case.title]  # the county's published case is everyone's


def test_the_briefing_section_costs_the_same_with_more_cases_and_units(world):
    traffic = IncidentType.objects.get(code="traffic")
    factories.closed_incident(world)
    start, end = datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)
    counts = []
    for n in (1, 8):
        for i in range(n):
            factories.case(world, title=f"案例{n}-{i}", incident_type=traffic, publish=True)
        units = [world.township, world.other_township][: 1 if n == 1 else 2]
        with CaptureQueriesContext(connection) as queries:
            result = hooks.briefing_cases(units, start, end)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert len(result[world.township.pk]["cases"]) == hooks.BRIEFING_CASES
