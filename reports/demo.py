"""The reports' part of the demo county's activity: last month's monthly reports (most submitted,
some left drafts) and this month's consultations, one of them recorded with its judgement list.
Registered from ``reports/apps.py`` after the hazards (the reports count them).

The notes, participants and countermeasures are *data* (what the people would type), so they
are Chinese literals, not gettext strings; they are all in the tables at the top of this module.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils.translation import gettext as _

from core.periods import month_start, period_end, previous_month
from grids.demo_story import PERSONA_TOWNSHIP, DemoStory
from grids.models import Role
from hazards.models import HazardCategory
from reports import services as report_services
from reports.models import Consultation, Countermeasure, MonthlyReport

DEMO_ORDER = 20  # after the hazards, before dispatch

# --- what the people write --------------------------------------------------------------------

# Townships whose villages submit last month's report (how many of them), and the townships that
# submit their own; the rest (泗城镇 itself among them) stay drafts.
SUBMITTING_VILLAGES = ((PERSONA_TOWNSHIP, 8), ("逻楼镇", 5), ("加尤镇", 9))
SUBMITTING_TOWNSHIPS = ("逻楼镇", "加尤镇")
REPORT_ANNOTATION = "本月隐患排查整改情况如上，请审阅。"

MEETING = {
    "participants": "镇党委、镇政府、镇应急办、派出所、自然资源所、水利站、林业站、各村（社区）党支部书记；"
    "县气象局专家列席。",
    "summary": "上月全镇隐患排查整改总体平稳，个别村整改进度偏慢，存在逾期未整改隐患；"
    "本月需重点防范季节性风险，逐村落实巡查和预警“叫应”责任。",
}
# The judgement list (研判一张单) of the persona township: (risk, category, level, trend,
# countermeasure, responsible: "township" or its first "village"), in and out of the flood season.
FLOOD_SEASON_MONTHS = (4, 10)
FLOOD_SEASON_LINES = (
    (
        "强降雨引发山洪、地质灾害风险",
        "geological",
        2,
        Countermeasure.Trend.RISING,
        "对全镇23处地质灾害隐患点和4条山洪沟逐一落实监测员，强降雨期间24小时巡查。",
        "township",
    ),
    (
        "城区低洼地段内涝风险",
        "waterlogging",
        3,
        Countermeasure.Trend.STEADY,
        "汛前完成城区排水管网清淤，备足抽水泵和沙袋。",
        "village",
    ),
)
DRY_SEASON_LINES = (
    (
        "秋冬季森林火灾风险",
        "forest_fire",
        2,
        Countermeasure.Trend.RISING,
        "护林员全员上岗，重点时段林区入口设卡，严管野外用火。",
        "township",
    ),
    (
        "低温冰冻道路结冰风险",
        "snow_ice",
        3,
        Countermeasure.Trend.STEADY,
        "备足防滑物资，结冰路段设置警示标志，必要时实施交通管制。",
        "village",
    ),
)


def monthly_reports(story: DemoStory) -> Counter:
    """Last month's reports, compiled by the job; signed and submitted: most villages of 泗城镇
    (not the persona's village), half of 逻楼镇's, all of 加尤镇's, and those two townships.
    The rest, 泗城镇 itself among them, stay drafts. Returns the count of each state."""
    report_services.monthly_job(today=story.today)
    period = previous_month(story.today)
    reports = {
        r.unit_id: r
        for r in MonthlyReport.objects.filter(
            period=period, state=MonthlyReport.State.DRAFT, unit__tree_id=story.county.tree_id
        )
    }
    townships = {u.name: u for u in story.townships}
    submitting = []
    for name, share in SUBMITTING_VILLAGES:
        township = townships.get(name)
        if township is None:
            continue
        children = [u for u in story.leaves_of(township) if u.pk != story.persona_village.pk]
        submitting += children[:share]
    submitting += [townships[name] for name in SUBMITTING_TOWNSHIPS if name in townships]
    for unit in submitting:  # villages before their townships
        report = reports.get(unit.pk)
        if report is None:
            continue
        signer = story.cast.one(unit, Role.GRID_LEADER)
        by = story.cast.reporter(unit) if unit.level == 2 else story.cast.ruler(unit)
        report_services.monthly_report_submit(
            report=report, by=by, signer_name=signer.real_name, annotation=REPORT_ANNOTATION
        )
    return Counter(
        MonthlyReport.objects.filter(period=period, unit__tree_id=story.county.tree_id).values_list("state", flat=True)
    )


def consultations(story: DemoStory) -> tuple[int, int]:
    """This month's consultations opened with their briefings; 泗城镇 records its meeting and
    two countermeasures (left open). Returns (consultations opened, countermeasures added)."""
    first = month_start(story.today)
    report_services.consultations_open(today=first)
    consultation = Consultation.objects.filter(
        unit=story.sicheng, period_start__lte=story.today, period_end__gte=story.today
    ).first()
    opened = Consultation.objects.filter(period_start=first, unit__tree_id=story.county.tree_id).count()
    if consultation is None or consultation.state != Consultation.State.OPEN:
        return opened, 0
    chair = story.cast.one(story.sicheng, Role.GRID_LEADER)
    held_on = min(story.today, first + datetime.timedelta(days=5))
    report_services.consultation_record(consultation=consultation, by=chair, held_on=held_on, **MEETING)
    low, high = FLOOD_SEASON_MONTHS
    lines = FLOOD_SEASON_LINES if low <= story.today.month <= high else DRY_SEASON_LINES
    responsible = {"township": story.sicheng, "village": story.leaves_of(story.sicheng)[0]}
    categories = {c.code: c for c in HazardCategory.objects.filter(is_active=True)}
    for risk, category, level, trend, measure, unit in lines:
        report_services.countermeasure_add(
            consultation=consultation,
            by=chair,
            risk=risk,
            level=level,
            trend=trend,
            measure=measure,
            responsible_unit=responsible[unit],
            deadline=period_end(first, 1),
            category=categories.get(category),
        )
    return opened, len(lines)


def demo_reports(story: DemoStory) -> None:
    """The demo step: the reports and consultations, and their summary lines."""
    states = monthly_reports(story)
    opened, measures = consultations(story)
    story.tell(
        _("last month's reports: %(drafts)d drafts, %(submitted)d submitted")
        % {"drafts": states.get("draft", 0), "submitted": states.get("submitted", 0)}
    )
    story.tell(
        _("consultations opened: %(count)d, countermeasures: %(measures)d") % {"count": opened, "measures": measures}
    )
