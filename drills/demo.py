"""The drill register's part of the demo county: a year of drills written through the services by
the demo's own people — the persona township's comprehensive drill and the persona village's
flood drill, held and evaluated, with findings open and closed (one raised a plan revision trigger;
no danger finding, so the hazard demo's counts and locations stay as they are); the county's double-blind drill of a second township, not started; drills
planned for the weeks ahead (the persona village's, for the village officer to sign in to); the
annual drill plan filed; and a training session of the grid officers.

Titles and texts are *data* (what the people would type), so they are Chinese literals in the
tables at the top of this module, not gettext strings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from drills import services
from drills.models import Drill, EvaluationIndicator
from grids.demo_story import DemoStory
from grids.models import Membership, Role
from grids.rules import Kind

DEMO_ORDER = 50  # after the plans: drills link to them

TOWNSHIP_DRILL = {
    "title": "泗城镇防汛抢险综合应急演练",
    "scenario": "连续强降雨，镇区河段水位超警戒，沿河两村需转移群众 200 人。",
    "subjects": "预警发布；人员转移；抢险救援；医疗救护；物资调运",
    "teams": "镇应急队、民兵应急分队、卫生院医疗组",
    "evaluation_team": "县应急管理局 2 人、镇安监站 1 人",
    "place": "泗城镇河堤",
}
VILLAGE_DRILL = {
    "title": "陇雅村地质灾害避险演练",
    "scenario": "后山出现裂缝并持续扩大，组织危险区群众沿转移路线撤离到安置点。",
    "subjects": "报警；敲锣示警；转移；清点人数",
    "place": "陇雅村村委会",
}
UPCOMING_VILLAGE = {
    "title": "陇雅村冬季森林防火演练",
    "scenario": "村后山林火，扑火队集结，疏散林区作业人员。",
    "subjects": "报警；扑火队集结；疏散",
    "place": "陇雅村后山",
}
BLIND_DRILL = {
    "title": "逻楼镇危化品运输车辆泄漏双盲演练",
    "scenario": "国道危化品运输车侧翻泄漏，镇应急队先期处置，疏散周边群众。",
    "subjects": "接警；先期处置；疏散；信息报告",
    "place": "国道逻楼段",
}
ENTERPRISE_DRILL = {
    "title": "企业火灾事故现场处置桌面推演",
    "scenario": "车间电气火灾，按现场处置方案组织初期扑救和人员疏散。",
    "subjects": "初期扑救；疏散；信息报告",
}
FINDINGS = {
    "equipment": "抽水泵两台无法启动，应急照明不足",
    "plan": "预案中的转移路线经过低洼路段，与实际不符",
    "closed": "部分群众不熟悉安置点位置",
    "closed_note": "已在各组张贴转移路线图并入户告知",
}
TRAINING = {"topic": "网格员应急知识与信息报告培训", "hours": Decimal("3")}
RECORD = {
    "participants": "镇应急队、村民",
    "narrative": "09:00 发出警报；09:12 首批队员到场；09:35 全员集结；10:20 转移完成",
}


def _scores(form: str, base: int) -> dict[int, int]:
    return {
        i.pk: min(100, base + (i.order % 3) * 2) for i in EvaluationIndicator.objects.filter(form=form, is_active=True)
    }


def _held(story: DemoStory, drill: Drill, by, days_ago: int, headcount: int) -> Drill:
    return services.drill_record_held(
        drill=drill,
        by=by,
        held_at=story.now - datetime.timedelta(days=days_ago),
        place=drill.place,
        headcount=headcount,
        **RECORD,
    )


def run(story: DemoStory) -> None:
    from plans.models import Plan

    county, township, village = story.county, story.sicheng, story.persona_village
    town_staff = story.cast.one(township, Role.DISPATCHER, Role.GRID_OFFICER)
    today = story.today
    annual = services.annual_plan_create(by=town_staff, unit=township, year=today.year)
    town_plan = Plan.objects.filter(unit=township).order_by("pk").first()
    drill = services.drill_plan(
        by=town_staff, organiser=township, unit=township, form="live", scope="comprehensive",
        planned_date=today - datetime.timedelta(days=120), linked_plans=[town_plan] if town_plan else [],
        participating_units=[village], **TOWNSHIP_DRILL,
    )  # fmt: skip
    _held(story, drill, town_staff, 120, 86)
    services.drill_evaluate(drill=drill, by=town_staff, scores=_scores("live", 88), report="组织有序，转移及时。")
    deadline = today + datetime.timedelta(days=20)
    services.finding_add(drill=drill, by=town_staff, kind="equipment", description=FINDINGS["equipment"],
                         owner_unit=township, deadline=deadline)  # fmt: skip
    if town_plan is not None:
        services.finding_add(drill=drill, by=town_staff, kind="plan_problem", description=FINDINGS["plan"],
                             owner_unit=township, deadline=deadline, plan=town_plan)  # fmt: skip
    village_drill = services.drill_plan(
        by=town_staff, organiser=township, unit=village, form="live", scope="comprehensive",
        planned_date=today - datetime.timedelta(days=60), annual_plan=None, **VILLAGE_DRILL,
    )  # fmt: skip
    _held(story, village_drill, town_staff, 60, 45)
    services.drill_evaluate(drill=village_drill, by=town_staff, scores=_scores("live", 76))
    closed = services.finding_add(drill=village_drill, by=town_staff, kind="equipment", description=FINDINGS["closed"],
                                  owner_unit=village, deadline=today + datetime.timedelta(days=5))  # fmt: skip
    services.finding_close(finding=closed, by=town_staff, note=FINDINGS["closed_note"])
    services.drill_plan(
        by=town_staff, organiser=township, unit=village, form="live", scope="single",
        planned_date=today + datetime.timedelta(days=5),
        annual_plan=annual if (today + datetime.timedelta(days=5)).year == today.year else None, **UPCOMING_VILLAGE,
    )  # fmt: skip
    if annual.drills.exists():
        services.annual_plan_file(plan=annual, by=town_staff)
    second = story.township("逻楼镇", 1)
    services.drill_plan(
        by=story.dispatcher, organiser=county, unit=second, form="live", scope="comprehensive", double_blind=True,
        planned_date=today + datetime.timedelta(days=10), **BLIND_DRILL,
    )  # fmt: skip
    enterprise = next((u for u in story.leaves if u.kind == Kind.ENTERPRISE), None)
    if enterprise is not None:
        services.drill_plan(
            by=story.dispatcher, organiser=enterprise, unit=enterprise, form="tabletop", scope="single",
            planned_date=today + datetime.timedelta(days=30), **ENTERPRISE_DRILL,
        )  # fmt: skip
    officers = [
        m.user
        for m in Membership.objects.active()
        .filter(unit=village, role__in=(Role.GRID_OFFICER, Role.INFORMATION_OFFICER))
        .select_related("user")
    ]
    services.training_record(by=town_staff, unit=township, held_on=today - datetime.timedelta(days=30),
                             attendees=officers, **TRAINING)  # fmt: skip
    story.tell(
        f"应急演练：{Drill.objects.filter(unit__tree_id=county.tree_id).count()} 次（已评估、计划中、双盲待启动），培训 1 次"
    )


def present() -> bool:
    """The demo is written once: not when any drill exists."""
    return Drill.objects.exists()
