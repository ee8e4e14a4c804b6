"""The clocks' part of the demo county: a township plan in force since before the register, its
evaluation overdue and its yearly drill due soon; a village plan whose drill found a problem, so a
revision trigger is open. Made through the services; only the township plan's in-force date is set
back (it was in force before the register began). Registered from ``plans/apps.py``.

The titles and notes are data (what the people would type): Chinese literals, in the tables here."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from grids.demo_story import DemoStory
from grids.models import Role
from plans import services
from plans.models import PlanDocument, PlanDrill, PlanKind, PlanVersion

TOWNSHIP_PLAN = "{unit}突发事件总体应急预案"
VILLAGE_PLAN = "{unit}防汛防地质灾害应急预案"
LEADER_NAME = "{unit}党委书记"
REVIEW = {
    "experts": "县应急管理局专家组：王工、李工",
    "opinions": "补充转移路线和避灾点容量。",
    "handling": "已采纳，修改第四章。",
}
TOWNSHIP_DRILL_NOTE = "汛前防汛综合演练，组织群众转移120人。"
VILLAGE_DRILL_NOTE = "山洪转移演练：预警信号与预案规定不一致，部分群众不清楚避灾点位置。"
IN_FORCE_DAYS_AGO = 3 * 365 + 20  # the township plan: evaluation overdue by about three weeks
TOWNSHIP_DRILL_DAYS_AGO = 350  # its yearly drill falls due in about two weeks
VILLAGE_DRILL_DAYS_AGO = 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def present() -> bool:
    return PlanDrill.objects.filter(note=TOWNSHIP_DRILL_NOTE).exists()


def _in_force(story: DemoStory, unit, code: str, title: str, *, drafter, leader, receiver):
    plan = services.plan_create(
        by=drafter,
        unit=unit,
        kind=PlanKind.objects.get(code=code),
        title=title.format(unit=unit.name),
        leader_name=LEADER_NAME.format(unit=unit.name),
    )
    version = plan.versions.get()
    upload = SimpleUploadedFile("预案正文.pdf", PDF, content_type="application/pdf")
    services.document_add(version=version, by=drafter, kind=PlanDocument.Kind.OFFICIAL_TEXT, upload=upload)
    services.version_submit_review(version=version, by=drafter)
    services.review_record_add(version=version, by=drafter, held_on=story.today - datetime.timedelta(days=2), **REVIEW)
    services.version_issue(version=version, by=leader, issued_on=story.today - datetime.timedelta(days=1))
    filing = services.version_file(version=version, by=drafter)
    services.filing_receipt(filing=filing, by=receiver)
    plan.refresh_from_db()
    return plan


def run(story: DemoStory) -> None:
    township = story.sicheng
    cast = story.cast
    officer = cast.one(township, Role.GRID_OFFICER, Role.GRID_MANAGER, Role.DISPATCHER, Role.DEPUTY_LEADER)
    town_plan = _in_force(
        story, township, "township", TOWNSHIP_PLAN,
        drafter=officer, leader=cast.one(township, Role.GRID_LEADER), receiver=story.dispatcher,
    )  # fmt: skip
    since = story.today - datetime.timedelta(days=IN_FORCE_DAYS_AGO)
    PlanVersion.objects.filter(pk=town_plan.current_version_id).update(in_force_since=since, issued_on=since)
    services.drill_recorded(
        town_plan, story.today - datetime.timedelta(days=TOWNSHIP_DRILL_DAYS_AGO), officer, False, TOWNSHIP_DRILL_NOTE
    )
    village = story.first_village(township)
    village_officer = cast.one(village, Role.GRID_OFFICER, Role.INFORMATION_OFFICER, Role.GRID_MANAGER)
    village_plan = _in_force(
        story, village, "village", VILLAGE_PLAN,
        drafter=village_officer, leader=cast.one(village, Role.GRID_LEADER), receiver=officer,
    )  # fmt: skip
    services.drill_recorded(
        village_plan, story.today - datetime.timedelta(days=VILLAGE_DRILL_DAYS_AGO), village_officer, True,
        VILLAGE_DRILL_NOTE,
    )  # fmt: skip
    story.tell(
        f"预案时钟：{town_plan.title}（评估逾期、演练30天内到期），{village_plan.title}（演练发现问题，修订情形待处理）"
    )
