"""The library demo: cases from the demo's closed incidents and held drills, and hand-written
cases of earlier events, most of them published; fifteen regulations, one of which (the 2013
plan-management measures) is replaced by its 2024 successor, raising a revision trigger on the
county plans in force that cite it. Nothing here depends on the date it runs."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from dispatch.models import Incident, IncidentType
from drills.models import DONE_STATES, Drill
from grids.models import Role
from hazards.models import HazardCategory
from library import services
from library.models import Case, Regulation
from plans.models import Plan
from plans.services.clocks import LIVE_STATES

DEMO_ORDER = 70  # after the incidents, plans, drills and supplies

CASES = [
    # title, incident type code, years ago, cause, handling, lessons, problems, suggestions
    (
        "县城“6·18”暴雨内涝",
        "flood_drought",
        3,
        "短时强降雨 120 mm，城区排水管网能力不足",
        "启动防汛Ⅳ级应急响应，转移低洼群众 320 人，抽排积水 14 小时",
        "预警发布早、群众转移快是零伤亡的关键",
        "地下车库、低洼路段预警覆盖不全",
        "建立易涝点清单，汛前逐点落实责任人",
    ),
    (
        "某乡镇山体滑坡",
        "geological",
        4,
        "连续降雨诱发后山滑坡",
        "提前撤离受威胁 12 户 45 人，设置警戒区",
        "群测群防员每日巡查发现裂缝是提前撤离的前提",
        "监测点位偏少",
        "加密地灾隐患点监测，落实“三查”制度",
    ),
    (
        "春节期间森林火灾",
        "forest_fire",
        2,
        "村民上坟烧纸引发山火",
        "扑火队 2 小时内到场，4 小时扑灭明火，清理余火 1 天",
        "野外用火管控要抓祭祀高峰",
        "护林员巡护路线与祭祀点不重合",
        "清明、春节期间在坟山设临时卡点",
    ),
    (
        "国道客车侧翻",
        "traffic",
        5,
        "雨天路滑、车速过快",
        "交警、医疗、消防联合救援，伤员 1 小时内全部送医",
        "多部门联动机制运转顺畅",
        "事故路段缺少警示标志",
        "对急弯陡坡路段增设警示和防护设施",
    ),
    (
        "化工园区泄漏险情",
        "hazardous_chemicals",
        1,
        "储罐法兰垫片老化",
        "企业先期处置堵漏，园区疏散下风向 500 米内人员",
        "企业应急队先期处置是控制险情的关键",
        "周边群众疏散路线不清",
        "园区编制并公示疏散路线图，每年演练",
    ),
]
REGULATIONS = [
    # title, kind, number, issuer, issued, effective
    ("中华人民共和国突发事件应对法", "law", "主席令第25号", "全国人民代表大会常务委员会", (2024, 6, 28), (2024, 11, 1)),
    ("中华人民共和国安全生产法", "law", "主席令第88号", "全国人民代表大会常务委员会", (2021, 6, 10), (2021, 9, 1)),
    ("中华人民共和国防洪法", "law", "主席令第48号", "全国人民代表大会常务委员会", (2016, 7, 2), (2016, 7, 2)),
    ("中华人民共和国森林法", "law", "主席令第39号", "全国人民代表大会常务委员会", (2019, 12, 28), (2020, 7, 1)),
    ("生产安全事故应急条例", "administrative", "国务院令第708号", "国务院", (2019, 2, 17), (2019, 4, 1)),
    ("地质灾害防治条例", "administrative", "国务院令第394号", "国务院", (2003, 11, 24), (2004, 3, 1)),
    ("森林防火条例", "administrative", "国务院令第541号", "国务院", (2008, 12, 1), (2009, 1, 1)),
    ("生产安全事故应急预案管理办法", "departmental", "应急管理部令第2号", "应急管理部", (2019, 7, 11), (2019, 9, 1)),
    (
        "广西壮族自治区突发事件应对条例",
        "local",
        "",
        "广西壮族自治区人民代表大会常务委员会",
        (2019, 3, 29),
        (2019, 6, 1),
    ),
    (
        "应急物资分类及编码",
        "standard",
        "GB/T 38565-2020",
        "国家市场监督管理总局 国家标准化管理委员会",
        (2020, 3, 31),
        (2020, 10, 1),
    ),
    (
        "生产经营单位生产安全事故应急预案编制导则",
        "standard",
        "GB/T 29639-2020",
        "国家市场监督管理总局 国家标准化管理委员会",
        (2020, 9, 29),
        (2021, 4, 1),
    ),
    ("生产安全事故应急演练基本规范", "standard", "AQ/T 9007-2019", "应急管理部", (2019, 8, 12), (2020, 2, 1)),
    (
        "国务院办公厅关于加强基层应急队伍建设的意见",
        "normative",
        "国办发〔2009〕59号",
        "国务院办公厅",
        (2009, 10, 18),
        (2009, 10, 18),
    ),
]
OLD_MEASURES = (
    "突发事件应急预案管理办法",
    "normative",
    "国办发〔2013〕101号",
    "国务院办公厅",
    (2013, 10, 25),
    (2013, 10, 25),
)
NEW_MEASURES = (
    "突发事件应急预案管理办法",
    "normative",
    "国办发〔2024〕5号",
    "国务院办公厅",
    (2024, 1, 31),
    (2024, 1, 31),
)


def _author(story, unit):
    return story.cast.one(unit, Role.DISPATCHER, Role.GRID_MANAGER, Role.GRID_OFFICER, Role.GRID_LEADER)


def _publish(case, by) -> bool:
    try:
        services.case_publish(case=case, by=by)
    except ValidationError:  # a case whose lessons are not yet written stays a draft
        return False
    return True


def run(story) -> None:
    county, today, by = story.county, story.today, story.dispatcher
    made = published = 0
    for incident in Incident.objects.filter(unit__tree_id=county.tree_id, is_final=True).order_by("pk")[:4]:
        case = services.case_from_incident(incident=incident, by=by)
        services.case_update(case=case, by=by, lessons="先期处置及时，信息报送规范。")
        made += 1
        published += _publish(case, by)
    for drill in Drill.objects.filter(unit__tree_id=county.tree_id, state__in=DONE_STATES).order_by("pk")[:2]:
        case = services.case_from_drill(drill=drill, by=by)
        services.case_update(case=case, by=by, cause=case.cause or "演练情景", handling=case.handling or "按脚本推演")
        made += 1
        published += _publish(case, by)
    types = {t.code: t for t in IncidentType.objects.all()}
    categories = list(HazardCategory.objects.filter(is_active=True).order_by("order", "pk"))
    for i, (title, code, years, cause, handling, lessons, problems, suggestions) in enumerate(CASES):
        case = services.case_create(
            by=by, unit=county, title=title, incident_type=types.get(code),
            occurred_on=datetime.date(today.year - years, 1 + (i * 2) % 12, 10 + i),
            hazard_categories=categories[i % len(categories) : i % len(categories) + 1] if categories else [],
            cause=cause, handling=handling, lessons=lessons, problems=problems, suggestions=suggestions,
        )  # fmt: skip
        made += 1
        if i != len(CASES) - 1:  # the last one stays a draft
            published += _publish(case, by)
    for title, kind, number, issuer, issued, effective in REGULATIONS:
        services.regulation_create(
            by=by, unit=county, title=title, kind=kind, number=number, issuer=issuer,
            issued_on=datetime.date(*issued), effective_on=datetime.date(*effective),
        )  # fmt: skip
    plans = list(Plan.objects.filter(unit=county, current_version__state__in=LIVE_STATES).order_by("pk")[:2])
    old = services.regulation_create(
        by=by, unit=county, title=OLD_MEASURES[0], kind=OLD_MEASURES[1], number=OLD_MEASURES[2],
        issuer=OLD_MEASURES[3], issued_on=datetime.date(*OLD_MEASURES[4]), effective_on=datetime.date(*OLD_MEASURES[5]),
        plans=plans,
    )  # fmt: skip
    new = services.regulation_create(
        by=by, unit=county, title=NEW_MEASURES[0], kind=NEW_MEASURES[1], number=NEW_MEASURES[2],
        issuer=NEW_MEASURES[3], issued_on=datetime.date(*NEW_MEASURES[4]), effective_on=datetime.date(*NEW_MEASURES[5]),
        plans=plans,
    )  # fmt: skip
    triggered = services.regulation_replace(regulation=old, by=by, replaced_by=new)
    story.tell(
        f"案例库：{made} 个案例（{published} 个已发布）；法规库：{Regulation.objects.filter(unit=county).count()} 部，"
        f"{old.number} 被 {new.number} 替代，{triggered} 个预案提出修订"
    )


def present() -> bool:
    """The demo is written once: not when any case or regulation exists."""
    return Case.objects.exists() or Regulation.objects.exists()
