"""The reporting rules are data: ``ReportingRule.period_months`` decides in which months a tier's
report opens and what it covers; the rule tables keep their history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hazards.tests.factories import report as report_hazard
from reports import services
from reports.models import MonthlyReport, ReportingRule, SeasonalRisk

pytestmark = pytest.mark.django_db


def quarterly_townships():
    ReportingRule.objects.filter(kind=ReportingRule.Kind.MONTHLY_REPORT, tier=2).update(period_months=3)


def test_monthly_tiers_report_every_month(world):
    services.monthly_job(today=datetime.date(2026, 11, 1))
    periods = set(MonthlyReport.objects.filter(unit=world.township).values_list("period", flat=True))
    assert periods == {datetime.date(2026, 10, 1)}


def test_a_quarterly_tier_reports_only_after_its_quarter(world):
    quarterly_townships()
    for day in (datetime.date(2026, 7, 10), datetime.date(2026, 9, 20), datetime.date(2026, 10, 2)):
        found = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
        report_hazard(world, by=world.village_officer_a, unit=world.village_a, found_at=found, title=f"隐患{day}")
    services.monthly_job(today=datetime.date(2026, 11, 1))  # the 2nd month of the quarter
    assert not MonthlyReport.objects.filter(unit=world.township).exists()
    assert MonthlyReport.objects.filter(unit=world.village_a, period=datetime.date(2026, 10, 1)).exists()
    services.monthly_job(today=datetime.date(2026, 10, 1))  # the quarter July–September just ended
    report = MonthlyReport.objects.get(unit=world.township)
    assert report.period == datetime.date(2026, 7, 1)
    assert report.deadline.month == 10  # due in the month after the quarter
    assert report.state == MonthlyReport.State.DRAFT
    assert report.figures["totals"]["new"] == 2  # July and September: the whole quarter is counted


def test_a_quarterly_report_reissued_is_recompiled_over_its_whole_quarter(world):
    quarterly_townships()
    for day in (datetime.date(2026, 7, 10), datetime.date(2026, 9, 20)):
        found = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
        report_hazard(world, by=world.village_officer_a, unit=world.village_a, found_at=found, title=f"隐患{day}")
    services.monthly_job(today=datetime.date(2026, 10, 1))
    report = MonthlyReport.objects.get(unit=world.township)
    services.monthly_report_submit(report=report, by=world.township_officer, signer_name="王")
    corrected = services.monthly_report_reissue(report=report, by=world.township_officer, reason="补报")
    assert corrected.version == 2 and corrected.period == datetime.date(2026, 7, 1)
    assert corrected.figures["totals"]["new"] == 2  # July and September, not July alone


def test_a_quarterly_report_is_not_opened_for_a_month_inside_the_quarter(world):
    quarterly_townships()
    assert services.monthly_reports_open(period=datetime.date(2026, 8, 1)) == 4  # the tier-3 units only
    assert not MonthlyReport.objects.filter(unit=world.township).exists()


def test_the_rule_tables_keep_their_history(world, client_for):
    rule = ReportingRule.objects.get(kind=ReportingRule.Kind.MONTHLY_REPORT, tier=3)
    rule.deadline_day = 8
    rule.save(update_fields=["deadline_day"])
    assert [h.deadline_day for h in rule.history.order_by("history_id")][-1] == 8
    assert rule.history.count() >= 2  # the seeded row and the change
    risk = SeasonalRisk.objects.first()
    assert risk is None or risk.history.exists()
    client = client_for(world.admin)
    assert client.get(reverse("admin:reports_reportingrule_history", args=[rule.pk])).status_code == 200
