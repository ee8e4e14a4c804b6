"""The plan register's part of the demo county: plans in every state, written through the services
by the demo's own people. The persona township's plan and the persona village's plan are in force
(filed and receipted); a second township's filing was returned once; a third township's plan is
under review; a village's plan is a draft; an enterprise's filing waits for the county bureau; a
department plan in force is being revised; and an old village plan was withdrawn.

Titles, opinions and reasons are *data* (what the people would type), so they are Chinese
literals in the tables at the top of this module, not gettext strings.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from dispatch.models import IncidentType
from grids.demo_story import DemoStory
from grids.models import GridUnit, Role, User
from grids.rules import Kind
from hazards.models import HazardCategory
from plans import services
from plans.models import Plan, PlanDocument, PlanKind

DEMO_ORDER = 40  # after the hazards, the reports and dispatch

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

TOWNSHIP_PLAN = {
    "title": "{unit}突发事件总体应急预案",
    "categories": ("flood", "mountain_torrent", "geological", "forest_fire"),
    "incidents": ("flood_drought", "geological", "forest_fire", "traffic"),
    "contacts": "镇应急办 0776-7610110（24小时）",
}
VILLAGE_PLAN = {
    "title": "{unit}防汛和地质灾害应急预案",
    "categories": ("mountain_torrent", "geological", "flood"),
    "incidents": ("flood_drought", "geological"),
    "contacts": "村委值班电话 0776-7618801",
}
ENTERPRISE_PLAN = {
    "title": "{unit}生产安全事故综合应急预案",
    "categories": ("hazardous_chemicals", "fire"),
    "incidents": ("industrial", "fire", "hazardous_chemicals"),
    "contacts": "企业安全管理部 0776-7625119",
}
DEPARTMENT_PLAN = {
    "department": "水利局",
    "title": "凌云县水利局防汛抗旱部门应急预案",
    "categories": ("flood", "mountain_torrent", "drought"),
    "incidents": ("flood_drought",),
    "revision": "根据2026年机构职责调整，修订应急指挥机构组成和山洪灾害预警响应程序",
}
REVIEW = {
    "experts": "县应急管理局 黄工（应急管理）；县水利局 韦工（水利水电）；县自然资源局 罗工（地质）",
    "opinions": "1. 补充山洪灾害危险区转移路线图；2. 明确预警信号和转移指令的发布人；3. 应急物资清单需注明存放地点。",
    "handling": "1. 已采纳，附转移路线图；2. 已采纳，明确由镇（村）防汛责任人发布；3. 已采纳，补充物资存放地点表。",
}
RETURN_REASON = "预案未附专家评审意见，应急响应分级与县总体预案不衔接，请补充完善后重新报备。"
WITHDRAW_REASON = "该村已与邻村合并，原预案由合并后村级预案替代。"
OLD_VILLAGE_PLAN = "{unit}2019年防汛应急预案"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _map_png(story: DemoStory, name: str) -> SimpleUploadedFile:
    """A small PNG standing in for a village's risk or evacuation-route map."""
    image = Image.new("RGB", (480, 360), (236, 240, 232))
    draw = ImageDraw.Draw(image)
    for _i in range(4):
        x, y = story.rng.randint(20, 380), story.rng.randint(20, 280)
        draw.ellipse((x, y, x + 70, y + 50), outline=(200, 40, 40), width=3)
    draw.line((30, 330, 200, 200, 440, 60), fill=(30, 90, 200), width=5)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class _Kinds:
    def __init__(self) -> None:
        self.by_code = {kind.code: kind for kind in PlanKind.objects.all()}
        self.categories = {c.code: c for c in HazardCategory.objects.all()}
        self.incidents = {t.code: t for t in IncidentType.objects.all()}

    def cover(self, spec: dict) -> dict:
        return {
            "hazard_categories": [self.categories[c] for c in spec["categories"] if c in self.categories],
            "incident_types": [self.incidents[c] for c in spec["incidents"] if c in self.incidents],
        }


def _draft(story: DemoStory, kinds: _Kinds, unit: GridUnit, code: str, spec: dict, by: User, **extra) -> Plan:
    leader = story.cast.one(unit, Role.GRID_LEADER)
    return services.plan_create(
        by=by,
        unit=unit,
        kind=kinds.by_code[code],
        title=spec["title"].format(unit=unit.name),
        leader_name=leader.get_full_name() or leader.username,
        leader=leader,
        contacts=spec.get("contacts", ""),
        **kinds.cover(spec),
        **extra,
    )


def _reviewed(story: DemoStory, plan: Plan, by: User, *, maps: bool = False, days_ago: int = 20):
    version = plan.versions.order_by("-number").first()
    services.document_add(version=version, by=by, kind=PlanDocument.Kind.OFFICIAL_TEXT, upload=_pdf("预案文本.pdf"))
    services.document_add(version=version, by=by, kind=PlanDocument.Kind.EXPLANATION, upload=_pdf("编制说明.pdf"))
    if maps:
        services.document_add(
            version=version, by=by, kind=PlanDocument.Kind.RISK_MAP, upload=_map_png(story, "风险隐患分布图.png")
        )
        services.document_add(
            version=version, by=by, kind=PlanDocument.Kind.EVACUATION_MAP, upload=_map_png(story, "转移路线图.png")
        )
    services.version_submit_review(version=version, by=by)
    services.review_record_add(
        version=version, by=by, held_on=story.today - datetime.timedelta(days=days_ago), **REVIEW
    )
    return version


def _issued(story: DemoStory, plan: Plan, by: User, *, maps: bool = False, days_ago: int = 20):
    version = _reviewed(story, plan, by, maps=maps, days_ago=days_ago + 5)
    leader = story.cast.one(plan.unit, Role.GRID_LEADER)
    number = f"{plan.unit.name[:2]}发〔{story.today.year}〕{story.rng.randint(3, 40)}号"
    return services.version_issue(
        version=version, by=leader, issued_on=story.today - datetime.timedelta(days=days_ago), issue_number=number
    )


def _receiver(story: DemoStory, unit: GridUnit) -> User:
    return story.cast.one(unit, Role.DISPATCHER, Role.GRID_OFFICER, Role.DEPUTY_LEADER, Role.GRID_MANAGER)


def run(story: DemoStory) -> None:
    kinds = _Kinds()
    county = story.county
    county_receiver = story.dispatcher

    # The persona township: in force, filed with the county bureau and receipted.
    township = story.sicheng
    township_staff = story.cast.one(township, Role.DISPATCHER, Role.GRID_OFFICER)
    township_plan = _draft(story, kinds, township, "township", TOWNSHIP_PLAN, township_staff)
    version = _issued(story, township_plan, township_staff, days_ago=60)
    filing = services.version_file(version=version, by=township_staff)
    services.filing_receipt(filing=filing, by=county_receiver)

    # The persona village: in force, filed with its township and receipted; it links to the township's.
    village = story.persona_village
    village_staff = story.cast.one(village, Role.GRID_MANAGER, Role.DEPUTY_LEADER, Role.GRID_LEADER)
    village_plan = _draft(story, kinds, village, "village", VILLAGE_PLAN, village_staff, linked_plans=[township_plan])
    version = _issued(story, village_plan, village_staff, maps=True, days_ago=40)
    filing = services.version_file(version=version, by=village_staff)
    services.filing_receipt(filing=filing, by=_receiver(story, township))

    # An older plan of the same village, withdrawn with its reason.
    old = _draft(story, kinds, village, "village", {**VILLAGE_PLAN, "title": OLD_VILLAGE_PLAN}, village_staff)
    services.version_withdraw(
        version=old.versions.get(), by=story.cast.one(village, Role.GRID_LEADER), reason=WITHDRAW_REASON
    )

    # A second village of the persona township: a draft.
    others = [u for u in story.leaves_of(township) if u.pk != village.pk and u.kind == Kind.VILLAGE]
    if others:
        other = others[0]
        _draft(story, kinds, other, "village", VILLAGE_PLAN, story.cast.one(other, Role.GRID_MANAGER, Role.GRID_LEADER))

    # A second township: filed, returned once by the county bureau (to be completed and filed again).
    second = story.township("逻楼镇", 1)
    second_staff = story.cast.one(second, Role.DISPATCHER, Role.GRID_OFFICER)
    second_plan = _draft(story, kinds, second, "township", TOWNSHIP_PLAN, second_staff)
    version = _issued(story, second_plan, second_staff, days_ago=12)
    filing = services.version_file(version=version, by=second_staff)
    services.filing_return(filing=filing, by=county_receiver, reason=RETURN_REASON)

    # A third township: under review.
    third = next((u for u in story.townships if u.pk not in (township.pk, second.pk)), None)
    if third is not None:
        third_staff = story.cast.one(third, Role.DISPATCHER, Role.GRID_OFFICER)
        _reviewed(story, _draft(story, kinds, third, "township", TOWNSHIP_PLAN, third_staff), third_staff)

    # An enterprise of the park: filed, waiting for the county bureau's check.
    enterprise = next((u for u in story.leaves if u.kind == Kind.ENTERPRISE), None)
    if enterprise is not None:
        enterprise_staff = story.cast.one(enterprise, Role.GRID_MANAGER, Role.GRID_LEADER)
        plan = _draft(story, kinds, enterprise, "enterprise-comprehensive", ENTERPRISE_PLAN, enterprise_staff)
        version = _issued(story, plan, enterprise_staff, days_ago=8)
        services.version_file(version=version, by=enterprise_staff)

    # A county department's plan: in force, now being revised.
    department = story.departments.get(DEPARTMENT_PLAN["department"])
    staff = User.objects.filter(department=department, is_active=True).order_by("pk").first() if department else None
    if staff is not None:
        plan = services.plan_create(
            by=staff,
            unit=county,
            department=department,
            kind=kinds.by_code["department"],
            title=DEPARTMENT_PLAN["title"],
            leader_name=staff.get_full_name() or staff.username,
            **kinds.cover(DEPARTMENT_PLAN),
        )
        version = _reviewed(story, plan, staff, days_ago=400)
        services.version_issue(version=version, by=staff, issued_on=story.today - datetime.timedelta(days=380))
        filing = services.version_file(version=version, by=staff)
        services.filing_receipt(filing=filing, by=county_receiver)
        plan.refresh_from_db()
        services.version_open_revision(plan=plan, by=staff, summary=DEPARTMENT_PLAN["revision"])

    story.tell(
        f"应急预案：{Plan.objects.filter(unit__tree_id=county.tree_id).count()} 件"
        "（在用、修订中、退回重报、评审中、起草、待备案审核、已废止）"
    )


def present() -> bool:
    """The demo is written once: not when any plan exists."""
    return Plan.objects.exists()
