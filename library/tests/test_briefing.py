"""The consultation briefing lists the published cases of the categories concerned."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.periods import add_months, month_start
from dispatch.models import IncidentType
from library import hooks, services
from library.tests import factories
from reports import services as report_services
from reports.models import Consultation


def _next_month(incident) -> datetime.date:
    """The first day of the month after the incident's: its consultation briefs the incident's month."""
    return add_months(month_start(timezone.localdate(incident.occurred_at)), 1)


def _briefing(world, incident, unit=None):
    report_services.consultations_open(today=_next_month(incident))
    return Consultation.objects.get(unit=unit or world.township, period_start=_next_month(incident))


def test_a_closed_incident_made_a_case_is_listed_in_the_next_consultations_briefing(client_for, world):
    incident = factories.closed_incident(world)
    case = services.case_from_incident(incident=incident, by=world.township_officer)
    services.case_update(case=case, by=world.township_officer, lessons="急弯路段要设警示")
    services.case_publish(case=case, by=world.township_officer)
    consultation = _briefing(world, incident)
    assert [c["title"] for c in consultation.briefing["cases"]] == [incident.title]
    page = client_for(world.township_leader).get(reverse("reports:consultation_detail", args=[consultation.pk]))
    body = page.content.decode()
    assert "相关类别的典型案例" in body and incident.title in body and "急弯路段要设警示" in body
    other = Consultation.objects.get(unit=world.other_township, period_start=_next_month(incident))
    assert other.briefing["cases"] == []  # not the other township's case


def test_drafts_and_cases_of_unconcerned_types_are_not_listed(world):
    incident = factories.closed_incident(world)  # a traffic incident in the period
    factories.case(world, title="草稿交通案例", incident_type=IncidentType.objects.get(code="traffic"))
    factories.case(world, title="地震案例", incident_type=IncidentType.objects.get(code="earthquake"), publish=True)
    county_case = factories.case(
        world, by=world.county_dispatcher, unit=world.county, title="县级交通案例",
        incident_type=IncidentType.objects.get(code="traffic"), publish=True,
    )  # fmt: skip
    listed = [c["title"] for c in _briefing(world, incident).briefing["cases"]]
    assert listed == [county_case.title]  # the county's published case is everyone's


def test_the_briefing_section_costs_the_same_with_more_cases_and_units(world):
    traffic = IncidentType.objects.get(code="traffic")
    incident = factories.closed_incident(world)
    start = month_start(timezone.localdate(incident.occurred_at))
    end = add_months(start, 1) - datetime.timedelta(days=1)
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
