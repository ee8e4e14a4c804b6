"""Activity in the demo county (凌云县): hazards in every state, last month's reports, this month's
consultations, a warning in force, two incidents and this week's duty roster.

Used by ``manage.py seed_demo_activity`` after ``seed_demo``. Everything is done through the
services of the apps (``hazards.services``, ``reports.services``, ``dispatch.warnings``,
``dispatch.incidents``, ``dispatch.duty``), acting as the demo's own people — found through their
memberships — so every row, timeline entry, delivery and duty-log line is what the application
itself would have written. Choices come from a fixed random seed, so the same county gets the same
story; the services stamp their events with the present time, while the times things were
*found* or *happened* lie in the past.

The titles, places and notes written here are *data* (what the people would type), so they are
Chinese literals, not gettext strings.
"""

from __future__ import annotations

import datetime
import io
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from shapely.geometry import Point, shape

from dispatch.models import DutyLogEntry, DutyShift, Incident, IncidentType, Level, Warning, WarningType
from dispatch.selectors import duty as duty_selectors
from dispatch.services import duty as duty_services
from dispatch.services import incident_tiers, warning_receipts
from dispatch.services import incidents as incident_services
from dispatch.services import warnings as warning_services
from grids.demo import DEMO_COUNTY_CODE
from grids.models import Department, GridUnit, Membership, Role, User
from grids.rules import Kind
from hazards import services as hazard_services
from hazards.models import Grade, Hazard, HazardCategory, HazardCopy, Method, RootCause, Source, State
from reports import services as report_services
from reports.models import Consultation, Countermeasure, MonthlyReport
from reports.periods import month_start, period_end, previous_month

ACTIVITY_SEED = 4510272


class ActivityError(Exception):
    """The demo activity cannot be generated (no demo county)."""


# --- what the people write --------------------------------------------------------------------


@dataclass(frozen=True)
class HazardText:
    category: str
    title: str
    description: str
    place: str
    on_spot: str = ""  # what was done when it can be fixed on the spot


VILLAGE_HAZARDS = (
    HazardText(
        "geological", "屯后山体出现裂缝", "连续降雨后山体出现裂缝，长约15米、宽2至5厘米，坡脚有农户4户。", "屯后山"
    ),
    HazardText("geological", "公路边坡落石", "村道K2+300处边坡有松动岩块，近期已有小块落石滚落路面。", "村道边坡"),
    HazardText("geological", "房后切坡未支护", "农户建房切坡高约6米，未做挡土墙，坡面有渗水。", "农户房后"),
    HazardText("mountain_torrent", "山洪沟行洪断面被堵", "沟道内堆放竹木和建筑垃圾，行洪断面缩小约一半。", "山洪沟"),
    HazardText("mountain_torrent", "山洪危险区内新建房屋", "山洪沟出口处新建砖房一栋，位于危险区范围内。", "沟口"),
    HazardText("flood", "山塘坝体渗水", "山塘坝体背水坡下部有渗水点两处，坝顶有细小裂缝。", "山塘"),
    HazardText("flood", "河堤局部塌陷", "河堤迎水面局部塌陷约8米，汛期存在溃堤风险。", "河堤"),
    HazardText(
        "forest_fire",
        "林区边缘堆放大量秸秆",
        "林缘地带堆放秸秆、杂草，距离林地不足20米。",
        "林缘",
        "已组织群众当场清运秸秆，设置防火警示牌。",
    ),
    HazardText(
        "forest_fire",
        "祭扫野外用火",
        "发现群众在林区坟地焚烧纸钱，未清理周边可燃物。",
        "坟山",
        "已当场劝阻并熄灭余火，宣讲森林防火规定。",
    ),
    HazardText("road_traffic", "村道急弯处缺少警示标志", "连续急弯下坡路段无警示标志和减速带，视距不良。", "村道急弯"),
    HazardText("road_traffic", "临水临崖路段无护栏", "约200米临崖路段无防护栏，外侧为10余米深沟。", "临崖路段"),
    HazardText(
        "fire",
        "楼道内电动车充电",
        "自建房楼道内停放电动车并飞线充电，堵塞疏散通道。",
        "自建房楼道",
        "已当场劝离电动车，拆除飞线。",
    ),
    HazardText("fire", "私拉乱接电线", "农户厨房电线私拉乱接，线路老化破损，靠近柴草堆。", "农户厨房"),
    HazardText("self_built_housing", "老旧自建房墙体开裂", "三层砖混自建房外墙出现多条斜向裂缝，仍有人居住。", "屯内"),
    HazardText("self_built_housing", "经营性自建房违规加层", "临街自建房在原三层上加建一层彩钢房用于出租。", "街边"),
    HazardText(
        "construction", "施工现场脚手架无防护网", "村委办公楼改造工地脚手架未挂安全网，无人员佩戴安全帽。", "施工工地"
    ),
    HazardText(
        "town_gas",
        "餐馆液化气瓶与灶具间距不足",
        "餐馆液化气瓶紧靠灶具，软管老化，未安装报警器。",
        "街上餐馆",
        "已当场更换软管、移开气瓶。",
    ),
    HazardText(
        "crowded_places",
        "集市安全出口被占用",
        "圩日集市摊位占用消防通道和安全出口。",
        "集市",
        "已当场清理摊位，恢复通道畅通。",
    ),
    HazardText("water_transport", "渡口救生衣配备不足", "渡船核载12人，船上仅有救生衣5件。", "渡口"),
    HazardText("hazardous_chemicals", "农资店违规储存农药", "农资店将农药与化肥、食品混存，无通风设施。", "农资店"),
    HazardText(
        "waterlogging",
        "排水沟堵塞",
        "街道排水沟被泥沙和垃圾堵塞，雨后路面积水30厘米。",
        "街道",
        "已组织人员当场清淤疏通。",
    ),
)
ENTERPRISE_HAZARDS = (
    HazardText(
        "industry_trade",
        "粉碎车间粉尘清扫不及时",
        "茶叶粉碎车间地面和设备表面积尘较厚，未按规定清扫。",
        "粉碎车间",
        "已当场组织清扫积尘。",
    ),
    HazardText(
        "industry_trade", "有限空间未设置警示标识", "污水池、发酵罐等有限空间未设置警示标识，未建立作业审批。", "厂区"
    ),
    HazardText("special_equipment", "杀青锅炉超期未检验", "燃煤锅炉定期检验已过期3个月，仍在使用。", "锅炉房"),
    HazardText(
        "fire",
        "成品仓库消防通道堆放货物",
        "成品仓库内消防通道堆放包装箱，灭火器过期。",
        "成品仓库",
        "已当场清理通道，更换灭火器。",
    ),
)
PLACE_PARTS = ("一组", "二组", "三组", "四组", "五组", "上屯", "下屯", "新屯", "老屯")
REJECT_REASONS = (
    "经现场核查，该处为施工临时堆放，已于当日清理完毕，不构成隐患。",
    "经核实，该处已在县级隐患台账中登记整改，属重复上报。",
    "经现场查看，裂缝为路面伸缩缝，边坡稳定，不构成隐患。",
    "经核查，该设备已于上月检验合格，检验标志未及时张贴。",
)
EVIDENCE_NOTES = (
    "已按整改方案完成整改，附整改后现场照片。",
    "整改已完成，警示标志已设置到位。",
    "已完成清理和加固，请镇里验收。",
)
CONTINGENCY = {
    "natural": "雨天安排专人巡查监测，发现险情立即鸣锣示警并组织危险区群众转移。",
    "production": "整改期间设置警示标志和隔离措施，停止相关作业，确保人员安全。",
}
MEASURES = {
    "geological": "设置警示牌和监测桩，雨季落实群测群防员每日巡查，组织专业队伍削坡减载。",
    "mountain_torrent": "清理沟道堆积物，恢复行洪断面，设置山洪危险区警示牌。",
    "flood": "对渗水部位开挖导渗、坝体灌浆加固，汛期降低库容运行。",
    "forest_fire": "清运可燃物，开设防火隔离带，设置森林防火宣传牌。",
    "road_traffic": "增设警示标志、减速带和波形护栏，纳入农村公路安防工程。",
    "fire": "拆除私拉电线，规范线路敷设，配置灭火器并开展消防宣传。",
    "self_built_housing": "委托鉴定，人员搬离，落实加固或拆除措施。",
    "construction": "脚手架全封闭挂网，作业人员佩戴安全防护用品，项目负责人每日检查。",
    "town_gas": "更换软管，加装可燃气体报警器，气瓶与灶具保持安全间距。",
    "crowded_places": "划定摊位线，清理消防通道，安排专人值守。",
    "water_transport": "按核载人数配齐救生衣，张贴乘船须知，严禁超载。",
    "hazardous_chemicals": "农药单独存放，设置通风设施和专用货架，建立进销台账。",
    "waterlogging": "清淤疏通排水沟，汛前组织一次全面排查。",
    "industry_trade": "建立粉尘清扫制度和有限空间作业审批，设置警示标识并开展培训。",
    "special_equipment": "停用锅炉，委托特检机构检验合格后方可使用。",
}
LEC_CHOICES = (  # (L, E, C): D and its band (RULES.md §1: ≥320 red, ≥160 orange, ≥70 yellow)
    ("1", "6", "7"),  # 42 blue
    ("3", "3", "7"),  # 63 blue
    ("3", "6", "7"),  # 126 yellow
    ("3", "3", "15"),  # 135 yellow
    ("6", "6", "7"),  # 252 orange
    ("3", "6", "15"),  # 270 orange
)
LS_CHOICES = (("1", "3"), ("2", "2"), ("2", "3"), ("3", "3"), ("4", "3"))  # blue, yellow, yellow, orange, orange

# The share of each state among the ordinary hazards, and how long ago they were found (days).
STATE_PLAN = (
    ("closed", 15, (25, 180)),
    ("fixed", 6, (3, 170)),
    ("rectifying", 9, (20, 160)),
    ("overdue", 4, (40, 170)),
    ("awaiting", 6, (10, 120)),
    ("confirmed", 5, (2, 40)),
    ("rejected", 4, (5, 150)),
    ("reported", 7, (0, 9)),
)


# --- people --------------------------------------------------------------------------------------


class Cast:
    """The demo's people, found through their active memberships (one query), one ``User`` object
    per person so each person's scope is computed once."""

    def __init__(self, county: GridUnit) -> None:
        self.users: dict[int, User] = {}
        self.holders: dict[tuple[int, str], list[User]] = defaultdict(list)
        self.notes: dict[tuple[int, int, str], str] = {}
        memberships = (
            Membership.objects.active()
            .filter(unit__tree_id=county.tree_id)
            .select_related("user")
            .order_by("unit__lft", "role", "id")
        )
        for membership in memberships:
            user = self.users.setdefault(membership.user_id, membership.user)
            self.holders[(membership.unit_id, membership.role)].append(user)
            self.notes[(membership.unit_id, user.pk, membership.role)] = membership.note

    def all(self, unit: GridUnit, role: str) -> list[User]:
        return self.holders.get((unit.pk, role), [])

    def one(self, unit: GridUnit, *roles: str) -> User:
        """The first holder of the first of ``roles`` that anyone holds in ``unit``."""
        for role in roles:
            people = self.all(unit, role)
            if people:
                return people[0]
        raise ActivityError(f"nobody holds {'/'.join(roles)} in {unit.name}")

    def post(self, unit: GridUnit, note: str) -> User:
        """The dispatcher of ``unit`` whose membership note names the post (``A岗`` / ``B岗``)."""
        for user in self.all(unit, Role.DISPATCHER):
            if self.notes.get((unit.pk, user.pk, Role.DISPATCHER)) == note:
                return user
        return self.one(unit, Role.DISPATCHER)

    def reporter(self, unit: GridUnit) -> User:
        """Who reports in a village, community or enterprise: its information officer."""
        return self.one(unit, Role.INFORMATION_OFFICER, Role.GRID_MANAGER, Role.GRID_LEADER)

    def ruler(self, unit: GridUnit) -> User:
        """Who rules on hazards at a township or park: its grid officer (安监站)."""
        return self.one(unit, Role.GRID_OFFICER, Role.DISPATCHER, Role.DEPUTY_LEADER)

    def acceptor(self, unit: GridUnit) -> User:
        return self.one(unit, Role.DEPUTY_LEADER, Role.GRID_OFFICER)


# --- helpers -------------------------------------------------------------------------------------


def demo_photo(rng: random.Random, name: str) -> SimpleUploadedFile:
    """A small JPEG of coloured rectangles (a stand-in for a phone photo)."""
    background = tuple(rng.randint(90, 200) for _i in range(3))
    image = Image.new("RGB", (480, 360), background)
    draw = ImageDraw.Draw(image)
    for _i in range(rng.randint(3, 6)):
        x, y = rng.randint(0, 400), rng.randint(0, 300)
        colour = tuple(rng.randint(20, 240) for _j in range(3))
        draw.rectangle((x, y, x + rng.randint(30, 160), y + rng.randint(20, 120)), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def point_in(unit: GridUnit, rng: random.Random) -> tuple[float | None, float | None]:
    """A random point inside the unit's boundary (its representative point after 50 misses)."""
    if not unit.boundary:
        return None, None
    polygon = shape(unit.boundary)
    west, south, east, north = polygon.bounds
    for _attempt in range(50):
        candidate = Point(rng.uniform(west, east), rng.uniform(south, north))
        if polygon.contains(candidate):
            return round(candidate.x, 6), round(candidate.y, 6)
    inside = polygon.representative_point()
    return round(inside.x, 6), round(inside.y, 6)


def days_ago(now: datetime.datetime, rng: random.Random, low: float, high: float) -> datetime.datetime:
    """A working-hours time ``low``–``high`` days before ``now`` (never in the future)."""
    local = timezone.localtime(now)
    moment = local - datetime.timedelta(days=rng.uniform(low, high))
    if high >= 1:
        moment = moment.replace(hour=rng.randint(8, 17), minute=rng.randrange(60), second=0, microsecond=0)
    return min(moment, local - datetime.timedelta(minutes=20))


def _grading(rng: random.Random, family: str) -> dict:
    if family == "natural":
        likelihood, severity = rng.choice(LS_CHOICES)
        return {"risk_method": Method.LS, "risk_inputs": {"ls_l": likelihood, "ls_s": severity}}
    likelihood, exposure, consequence = rng.choice(LEC_CHOICES)
    return {"risk_method": Method.LEC, "risk_inputs": {"lec_l": likelihood, "lec_e": exposure, "lec_c": consequence}}


# --- the result ----------------------------------------------------------------------------------


@dataclass
class ActivityResult:
    county: GridUnit
    hazards: Counter = field(default_factory=Counter)  # state -> count
    overdue: int = 0
    major: int = 0
    supervised: int = 0
    reports: Counter = field(default_factory=Counter)  # monthly report state -> count
    consultations: int = 0
    countermeasures: int = 0
    warning: Warning | None = None
    warning_units: int = 0
    warning_acknowledged: int = 0
    incidents: int = 0
    shifts: int = 0
    log_entries: int = 0


# --- the story ---------------------------------------------------------------------------------


class Story:
    """Writes the activity, step by step, through the services."""

    def __init__(self, county: GridUnit, *, now: datetime.datetime | None = None) -> None:
        self.county = county
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.rng = random.Random(ACTIVITY_SEED)
        self.cast = Cast(county)
        units = list(county.get_descendants().filter(is_active=True).order_by("lft"))
        self.townships = [u for u in units if u.level == 1 and u.kind != Kind.PARK]
        self.park = next(u for u in units if u.kind == Kind.PARK)
        self.leaves = [u for u in units if u.level == 2]
        self.parents = {u.pk: u for u in units if u.level == 1}
        self.categories = {c.code: c for c in HazardCategory.objects.filter(is_active=True)}
        self.departments = {d.short_name: d for d in Department.objects.filter(county=county)}
        self.dispatcher = self.cast.one(county, Role.DISPATCHER)
        self.persona_village = self._persona_village()
        self.sicheng = self._township("泗城镇", 0)  # the persona township (grids.demo.DEMO_TOWNSHIPS)
        self.result = ActivityResult(county=county)
        self.photo_count = 0

    def _persona_village(self) -> GridUnit:
        user = User.objects.filter(username="village_officer").first()
        if user is not None:
            membership = Membership.objects.active().filter(user=user, unit__level=2).select_related("unit").first()
            if membership is not None:
                return membership.unit
        return next(u for u in self.leaves if u.kind == Kind.VILLAGE)

    def photos(self, count: int = 1) -> list[SimpleUploadedFile]:
        items = []
        for _i in range(count):
            self.photo_count += 1
            items.append(demo_photo(self.rng, f"demo-{self.photo_count:03d}.jpg"))
        return items

    def owner(self, unit: GridUnit) -> GridUnit:
        return self.parents[unit.parent_id]

    # --- hazards ------------------------------------------------------------------------------

    def report(
        self,
        unit: GridUnit,
        text: HazardText,
        *,
        found_at: datetime.datetime,
        with_photo: bool = False,
        on_spot: bool = False,
    ) -> Hazard:
        lng, lat = point_in(unit, self.rng)
        enterprise = unit.kind == Kind.ENTERPRISE
        place = text.place if enterprise else f"{self.rng.choice(PLACE_PARTS)}{text.place}"
        source = Source.SELF_CHECK if enterprise else self.rng.choice([Source.PATROL] * 4 + [Source.REPORT])
        hazard, _created = hazard_services.hazard_report(
            by=self.cast.reporter(unit),
            unit=unit,
            category=self.categories[text.category],
            title=text.title,
            description=text.description,
            lng=lng,
            lat=lat,
            address=f"{unit.name}{place}",
            source=source,
            found_at=found_at,
            photos=self.photos() if with_photo else (),
            fixed_on_spot=on_spot,
            evidence_photos=self.photos() if on_spot else (),
            evidence_note=text.on_spot,
        )
        return hazard

    def confirm(self, hazard: Hazard, *, by: User, grade: str = Grade.GENERAL, **grading) -> Hazard:
        grading = grading or _grading(self.rng, hazard.family)
        root_cause = self.rng.choice(list(RootCause.values)) if hazard.family == "production" else ""
        return hazard_services.hazard_confirm(
            hazard=hazard, by=by, grade=grade, root_cause=root_cause, note="经现场核实，情况属实。", **grading
        )

    def plan(self, hazard: Hazard, *, by: User, deadline: datetime.date, funds: Decimal | None = None) -> Hazard:
        unit = hazard.unit
        leader = self.cast.one(unit, Role.GRID_LEADER)
        responsible = (
            unit.name
            if unit.kind == Kind.ENTERPRISE
            else f"{unit.name}{'居委会' if unit.kind == Kind.COMMUNITY else '村委会'}"
        )
        return hazard_services.hazard_plan(
            hazard=hazard,
            by=by,
            measures=MEASURES.get(hazard.category.code, "落实专人负责，限期整改到位。"),
            responsible_unit=responsible,
            responsible_person=leader.real_name,
            responsible_phone=leader.mobile,
            deadline=deadline,
            contingency=CONTINGENCY[hazard.family],
            funds=funds if funds is not None else Decimal(self.rng.choice([0, 2000, 5000, 8000, 15000, 30000])),
        )

    def evidence(self, hazard: Hazard) -> Hazard:
        return hazard_services.hazard_submit_evidence(
            hazard=hazard,
            by=self.cast.reporter(hazard.unit),
            note=self.rng.choice(EVIDENCE_NOTES),
            photos=self.photos(),
        )

    def hazards(self) -> None:
        """~60 hazards over the last six months, in every state of the loop, reported in the order
        they were found (so their numbers run with the dates); then the overdue job."""
        spans = {state: span for state, _count, span in STATE_PLAN}
        weights = [
            3 if u.parent_id == self.sicheng.pk else (0.6 if u.kind == Kind.ENTERPRISE else 1) for u in self.leaves
        ]
        persona_states = {"reported", "overdue", "awaiting", "closed", "fixed"}
        steps: list[tuple[datetime.datetime, Callable[[], None]]] = []
        for index, state in enumerate(state for state, count, _span in STATE_PLAN for _i in range(count)):
            if state in persona_states:  # the persona's village gets one of each of these
                persona_states.discard(state)
                unit = self.persona_village
            else:
                unit = self.rng.choices(self.leaves, weights)[0]
            pool = ENTERPRISE_HAZARDS if unit.kind == Kind.ENTERPRISE else VILLAGE_HAZARDS
            if state == "fixed":
                pool = tuple(t for t in pool if t.on_spot) or pool
            text = self.rng.choice(pool)
            found_at = days_ago(self.now, self.rng, *spans[state])
            steps.append((found_at, partial(self.ordinary, state, unit, text, found_at, with_photo=index % 4 == 0)))
        for method, span in (
            (self.supervised_torrent, (70, 80)),
            (self.county_landslide, (30, 40)),
            (self.park_chemicals, (4, 8)),
            (self.escalated_road, (12, 18)),
        ):
            found_at = days_ago(self.now, self.rng, *span)
            steps.append((found_at, partial(method, found_at)))
        for _found_at, step in sorted(steps, key=lambda item: item[0]):
            step()
        self.result.overdue = len(hazard_services.mark_overdue(today=self.today + datetime.timedelta(days=1)))

    def ordinary(
        self, state: str, unit: GridUnit, text: HazardText, found_at: datetime.datetime, *, with_photo: bool
    ) -> None:
        """One hazard of a village or enterprise taken by its township or park to ``state``."""
        if state == "fixed":
            self.report(unit, text, found_at=found_at, on_spot=True)
            return
        hazard = self.report(unit, text, found_at=found_at, with_photo=with_photo)
        owner = self.owner(unit)
        ruler = self.cast.ruler(owner)
        if state == "reported":
            return
        if state == "rejected":
            hazard_services.hazard_reject(hazard=hazard, by=ruler, reason=self.rng.choice(REJECT_REASONS))
            return
        hazard = self.confirm(hazard, by=ruler)
        if state == "confirmed":
            return
        if state == "overdue":
            deadline = self.today  # the earliest the plan allows; mark_overdue then runs for tomorrow
        elif state == "rectifying":
            deadline = self.today + datetime.timedelta(days=self.rng.randint(7, 60))
        else:
            deadline = self.today + datetime.timedelta(days=self.rng.randint(3, 30))
        hazard = self.plan(hazard, by=ruler, deadline=deadline)
        if state in ("rectifying", "overdue"):
            return
        hazard = self.evidence(hazard)
        if state == "closed":
            hazard_services.hazard_accept(
                hazard=hazard, by=self.cast.acceptor(owner), note="经现场验收，整改到位，同意销号。"
            )

    def _township(self, name: str, fallback: int) -> GridUnit:
        return next((u for u in self.townships if u.name == name), self.townships[fallback])

    def supervised_torrent(self, found_at: datetime.datetime) -> None:
        """A major mountain-torrent hazard in 下甲镇, owned by the county, listed for supervision
        (挂牌督办) with 水利局, which replies to its copy."""
        village = self._first_village(self._township("下甲镇", -1))
        torrent = self.report(
            village,
            HazardText(
                "mountain_torrent",
                "山洪沟下游居民区防洪能力不足",
                "山洪沟穿屯而过，沟道狭窄弯曲，两岸有农户37户、152人，往年汛期曾漫溢进屯。",
                "山洪沟",
            ),
            found_at=found_at,
            with_photo=True,
        )
        torrent = self.confirm(
            torrent,
            by=self.cast.ruler(self.owner(village)),
            grade=Grade.MAJOR,
            risk_method=Method.LS,
            risk_inputs={"ls_l": "4", "ls_s": "5"},
        )
        leader = self.cast.one(village, Role.GRID_LEADER)
        torrent = hazard_services.hazard_plan(
            hazard=torrent,
            by=self.dispatcher,
            measures="实施山洪沟治理工程：拓宽疏浚沟道800米，新建护岸挡墙，安装雨量和水位监测预警设施。",
            responsible_unit="凌云县水利局",
            responsible_person=leader.real_name,
            responsible_phone=leader.mobile,
            deadline=self.today + datetime.timedelta(days=75),
            contingency="汛期落实“叫应”机制和危险区人员转移预案，雨量超预警值立即转移沟边群众。",
            funds=Decimal("1200000"),
        )
        water = self.departments["水利局"]
        hazard_services.hazard_supervise(
            hazard=torrent,
            by=self.cast.one(self.county, Role.DEPUTY_LEADER, Role.GRID_LEADER),
            department=water,
            deadline=self.today + datetime.timedelta(days=75),
            requirements="县水利局牵头督办，每半月报告一次工程进展，汛前完成主体工程。",
            order_no=f"凌安督〔{self.today.year}〕1号",
        )
        staff = User.objects.filter(department=water, is_active=True)
        replier = staff.filter(username="department_officer").first() or staff.order_by("pk").first()
        hazard_services.hazard_copy_feedback(
            copy=HazardCopy.objects.get(hazard=torrent, department=water),
            by=replier,
            feedback="已派技术人员现场踏勘，治理工程已列入今年山洪灾害防治项目，正在开展初步设计。",
        )

    def county_landslide(self, found_at: datetime.datetime) -> None:
        """A major landslide in 伶站瑶族乡: the county rectifies it (copied to 自然资源局)."""
        village = self._first_village(self._township("伶站瑶族乡", 1))
        slide = self.report(
            village,
            HazardText(
                "geological",
                "滑坡隐患点坡体变形加剧",
                "滑坡体后缘拉张裂缝扩大至20厘米，前缘有鼓胀，威胁坡下农户12户、53人。",
                "后山",
            ),
            found_at=found_at,
            with_photo=True,
        )
        slide = self.confirm(
            slide,
            by=self.cast.ruler(self.owner(village)),
            grade=Grade.MAJOR,
            risk_method=Method.LEC,
            risk_inputs={"lec_l": "6", "lec_e": "6", "lec_c": "15"},
        )
        self.plan(slide, by=self.dispatcher, deadline=self.today + datetime.timedelta(days=45), funds=Decimal("350000"))

    def park_chemicals(self, found_at: datetime.datetime) -> None:
        """A major hazard in an enterprise of the park, confirmed and waiting for the county's plan."""
        enterprise = next(u for u in self.leaves if u.parent_id == self.park.pk)
        chemicals = self.report(
            enterprise,
            HazardText(
                "hazardous_chemicals",
                "危化品仓库未落实双人双锁管理",
                "仓库内存放次氯酸钠、液碱约6吨，与包装材料混存，未设防泄漏围堰。",
                "危化品仓库",
            ),
            found_at=found_at,
        )
        self.confirm(
            chemicals,
            by=self.cast.ruler(self.park),
            grade=Grade.MAJOR,
            risk_method=Method.LEC,
            risk_inputs={"lec_l": "3", "lec_e": "6", "lec_c": "40"},
        )

    def escalated_road(self, found_at: datetime.datetime) -> None:
        """A general hazard 沙里瑶族乡 cannot fund, passed up to the county."""
        village = self._first_village(self._township("沙里瑶族乡", 2))
        road = self.report(
            village,
            HazardText(
                "road_traffic",
                "通屯公路临崖路段无防护设施",
                "约1.2公里临崖路段无护栏，外侧落差30余米，为学生上下学必经之路。",
                "通屯公路",
            ),
            found_at=found_at,
        )
        owner = self.owner(village)
        road = self.confirm(
            road,
            by=self.cast.ruler(owner),
            risk_method=Method.LEC,
            risk_inputs={"lec_l": "3", "lec_e": "6", "lec_c": "15"},
        )
        hazard_services.hazard_escalate(
            hazard=road,
            by=self.cast.ruler(owner),
            reason="整治需资金约80万元，超出乡级能力，请县交通运输局统筹安排。",
        )

    def _first_village(self, township: GridUnit) -> GridUnit:
        children = [u for u in self.leaves if u.parent_id == township.pk]
        return next((u for u in children if u.kind == Kind.VILLAGE), children[0])

    # --- monthly reports and consultations -------------------------------------------------------

    def monthly_reports(self) -> None:
        """Last month's reports, compiled by the job; signed and submitted: most villages of 泗城镇
        (not the persona's village), half of 逻楼镇's, all of 加尤镇's, and those two townships.
        The rest, 泗城镇 itself among them, stay drafts."""
        report_services.monthly_job(today=self.today)
        period = previous_month(self.today)
        reports = {
            r.unit_id: r
            for r in MonthlyReport.objects.filter(
                period=period, state=MonthlyReport.State.DRAFT, unit__tree_id=self.county.tree_id
            )
        }
        townships = {u.name: u for u in self.townships}
        submitting: list[GridUnit] = []
        for name, share in (("泗城镇", 8), ("逻楼镇", 5), ("加尤镇", 9)):
            township = townships.get(name)
            if township is None:
                continue
            children = [u for u in self.leaves if u.parent_id == township.pk and u.pk != self.persona_village.pk]
            submitting += children[:share]
        submitting += [townships[name] for name in ("逻楼镇", "加尤镇") if name in townships]
        for unit in submitting:  # villages before their townships
            report = reports.get(unit.pk)
            if report is None:
                continue
            signer = self.cast.one(unit, Role.GRID_LEADER)
            by = self.cast.reporter(unit) if unit.level == 2 else self.cast.ruler(unit)
            report_services.monthly_report_submit(
                report=report, by=by, signer_name=signer.real_name, annotation="本月隐患排查整改情况如上，请审阅。"
            )
        self.result.reports = Counter(
            MonthlyReport.objects.filter(period=period, unit__tree_id=self.county.tree_id).values_list(
                "state", flat=True
            )
        )

    def consultations(self) -> None:
        """This month's consultations opened with their briefings; 泗城镇 records its meeting and
        two countermeasures (left open)."""
        first = month_start(self.today)
        report_services.consultations_open(today=first)
        consultation = Consultation.objects.filter(
            unit=self.sicheng, period_start__lte=self.today, period_end__gte=self.today
        ).first()
        self.result.consultations = Consultation.objects.filter(
            period_start=first, unit__tree_id=self.county.tree_id
        ).count()
        if consultation is None or consultation.state != Consultation.State.OPEN:
            return
        chair = self.cast.one(self.sicheng, Role.GRID_LEADER)
        held_on = min(self.today, first + datetime.timedelta(days=5))
        report_services.consultation_record(
            consultation=consultation,
            by=chair,
            held_on=held_on,
            participants="镇党委、镇政府、镇应急办、派出所、自然资源所、水利站、林业站、各村（社区）党支部书记；县气象局专家列席。",
            summary="上月全镇隐患排查整改总体平稳，个别村整改进度偏慢，存在逾期未整改隐患；"
            "本月需重点防范季节性风险，逐村落实巡查和预警“叫应”责任。",
        )
        flood_season = 4 <= self.today.month <= 10
        lines = (
            [
                (
                    "强降雨引发山洪、地质灾害风险",
                    "geological",
                    2,
                    Countermeasure.Trend.RISING,
                    "对全镇23处地质灾害隐患点和4条山洪沟逐一落实监测员，强降雨期间24小时巡查。",
                    self.sicheng,
                ),
                (
                    "城区低洼地段内涝风险",
                    "waterlogging",
                    3,
                    Countermeasure.Trend.STEADY,
                    "汛前完成城区排水管网清淤，备足抽水泵和沙袋。",
                    self.leaves_of(self.sicheng)[0],
                ),
            ]
            if flood_season
            else [
                (
                    "秋冬季森林火灾风险",
                    "forest_fire",
                    2,
                    Countermeasure.Trend.RISING,
                    "护林员全员上岗，重点时段林区入口设卡，严管野外用火。",
                    self.sicheng,
                ),
                (
                    "低温冰冻道路结冰风险",
                    "snow_ice",
                    3,
                    Countermeasure.Trend.STEADY,
                    "备足防滑物资，结冰路段设置警示标志，必要时实施交通管制。",
                    self.leaves_of(self.sicheng)[0],
                ),
            ]
        )
        for risk, category, level, trend, measure, unit in lines:
            report_services.countermeasure_add(
                consultation=consultation,
                by=chair,
                risk=risk,
                level=level,
                trend=trend,
                measure=measure,
                responsible_unit=unit,
                deadline=period_end(first, 1),
                category=self.categories.get(category),
            )
            self.result.countermeasures += 1

    def leaves_of(self, township: GridUnit) -> list[GridUnit]:
        return [u for u in self.leaves if u.parent_id == township.pk]

    # --- dispatch --------------------------------------------------------------------------------

    def warning(self) -> Warning:
        """A rainstorm warning (yellow, the next 24 h) from the county to 泗城镇 and 逻楼镇; the
        townships and some villages acknowledge it, the persona's village and others do not yet."""
        townships = {u.name: u for u in self.townships}
        areas = [townships.get("泗城镇", self.townships[0]), townships.get("逻楼镇", self.townships[1])]
        draft = warning_services.warning_draft(
            by=self.dispatcher,
            issuer_unit=self.county,
            type=WarningType.objects.get(code="rainstorm"),
            level=Level.III,
            title="",
            sender_name="凌云县应急管理局",
            content="凌云县气象台预计，未来24小时泗城镇、逻楼镇将出现暴雨，局部大暴雨，累计雨量50～100毫米，"
            "最大小时雨强40毫米，山洪、地质灾害和城乡内涝风险高。",
            instructions="1. 各乡镇、村（社区）加强值班值守，保持通信畅通；2. 对地质灾害隐患点、山洪沟、"
            "病险山塘开展巡查，危险区群众提前转移；3. 暂停户外作业和涉水活动，车辆绕行易积水路段。",
            valid_from=self.now,
            valid_to=self.now + datetime.timedelta(hours=24),
            areas=areas,
        )
        warning = warning_services.warning_issue(warning=draft, by=self.dispatcher)
        sicheng, luolou = areas
        warning_receipts.warning_acknowledge(warning=warning, unit=sicheng, by=self.cast.post(sicheng, "A岗"))
        warning_receipts.warning_add_local_instruction(
            warning=warning,
            unit=sicheng,
            by=self.cast.post(sicheng, "A岗"),
            text="各村（社区）立即组织网格员对辖区地灾点、山洪沟开展一次全面巡查，18时前向镇应急办报告巡查情况。",
        )
        acknowledging = [u for u in self.leaves_of(sicheng) if u.pk != self.persona_village.pk][:6]
        acknowledging += self.leaves_of(luolou)[:3]
        for unit in acknowledging:
            warning_receipts.warning_acknowledge(warning=warning, unit=unit, by=self.cast.reporter(unit))
        self.result.warning = warning
        self.result.warning_units = 2 + len(self.leaves_of(sicheng)) + len(self.leaves_of(luolou))
        self.result.warning_acknowledged = 1 + len(acknowledging)
        return warning

    def incidents(self) -> tuple[Incident, Incident]:
        """A road accident reported by the persona's village 80 minutes ago, confirmed and forwarded
        by 泗城镇 (the county still to confirm it); a small forest fire put out and closed with the
        final report. Both well inside the reporting deadlines."""
        village = self.persona_village
        township = self.owner(village)
        occurred = self.now - datetime.timedelta(minutes=80)
        lng, lat = point_in(village, self.rng)
        crash, _created = incident_services.incident_first_report(
            by=self.cast.reporter(village),
            unit=village,
            type=IncidentType.objects.get(code="traffic"),
            title=f"{village.name}村道一辆农用三轮车侧翻",
            occurred_at=occurred,
            place=f"{village.name}二组村道急弯处",
            lng=lng,
            lat=lat,
            description="一辆载有化肥的农用三轮车在下坡急弯处侧翻，驾驶员及乘车人2人受伤，车辆损毁。",
            reporter_phone=self.cast.reporter(village).mobile or "0776-7612345",
            injured=2,
            direct_loss="0.8",
            measures="已拨打120，伤者送县人民医院；现场设置警示标志，疏导过往车辆。",
        )
        township_post = self.cast.post(township, "A岗")
        incident_tiers.incident_record_phone(
            incident=crash, unit=township, by=township_post, at=occurred + datetime.timedelta(minutes=12)
        )
        incident_tiers.incident_confirm(incident=crash, unit=township, by=township_post)
        incident_tiers.incident_forward(incident=crash, unit=township, by=township_post)
        incident_tiers.incident_record_phone(
            incident=crash, unit=self.county, by=self.dispatcher, at=occurred + datetime.timedelta(minutes=25)
        )
        incident_services.incident_follow_up(
            incident=crash,
            by=self.cast.ruler(township),
            text="伤者已送县人民医院救治，生命体征平稳；事故车辆已拖离，道路恢复通行。交警正在调查事故原因。",
            figures={"injured": 2, "serious_injuries": 0},
        )

        forest_township = next((u for u in self.townships if u.name == "朝里瑶族乡"), self.townships[-1])
        village = self._first_village(forest_township)
        fire_start = self.now - datetime.timedelta(minutes=100)
        lng, lat = point_in(village, self.rng)
        fire, _created = incident_services.incident_first_report(
            by=self.cast.reporter(village),
            unit=village,
            type=IncidentType.objects.get(code="forest_fire"),
            title=f"{village.name}后山发生森林火情",
            occurred_at=fire_start,
            place=f"{village.name}后山松林",
            lng=lng,
            lat=lat,
            level=Level.IV,
            description="村民烧田埂杂草引燃后山松林，火场面积约5亩，无人员被困。",
            reporter_phone=self.cast.reporter(village).mobile or "0776-7612345",
            measures="村护林队和民兵20人已赶赴现场扑救。",
        )
        post = self.cast.post(forest_township, "A岗")
        incident_tiers.incident_record_phone(
            incident=fire, unit=forest_township, by=post, at=fire_start + datetime.timedelta(minutes=8)
        )
        incident_tiers.incident_forward(incident=fire, unit=forest_township, by=post)
        incident_tiers.incident_record_phone(
            incident=fire, unit=self.county, by=self.dispatcher, at=fire_start + datetime.timedelta(minutes=20)
        )
        incident_tiers.incident_confirm(incident=fire, unit=self.county, by=self.dispatcher)
        incident_services.incident_final(
            incident=fire,
            by=self.cast.ruler(forest_township),
            text="明火已全部扑灭，过火面积约0.3公顷，无人员伤亡；已留守8人看守火场防止复燃，肇事村民已移交森林公安处理。",
            figures={"direct_loss": "0.5"},
        )
        self.result.incidents = 2
        return crash, fire

    def duty(self, warning: Warning, crash: Incident, fire: Incident) -> None:
        """This week's 24-hour shifts (08:30 to 08:30) at the county and 泗城镇, with the county
        dispatcher and 泗城镇's A post on duty now, and a few lines in each duty log."""
        first_start = timezone.make_aware(
            datetime.datetime.combine(
                duty_selectors.week_start(self.today) - datetime.timedelta(days=1), datetime.time(8, 30)
            )
        )
        starts = [first_start + datetime.timedelta(days=k) for k in range(8)]
        current = max(k for k, start in enumerate(starts) if start <= self.now)
        county, sicheng = self.county, self.sicheng
        county_leaders = self.cast.all(county, Role.GRID_LEADER) + self.cast.all(county, Role.DEPUTY_LEADER)
        emergency = self.departments.get("应急管理局")
        heads = {user.pk for user in self.cast.all(county, Role.GRID_MANAGER)}
        staff = [
            user
            for user in User.objects.filter(department=emergency, is_active=True).order_by("pk")
            if emergency and user.pk not in heads
        ]
        county_posts = [self.dispatcher, *staff] if staff else [self.dispatcher]
        sicheng_leaders = self.cast.all(sicheng, Role.GRID_LEADER) + self.cast.all(sicheng, Role.DEPUTY_LEADER)
        sicheng_posts = [self.cast.post(sicheng, "A岗"), self.cast.post(sicheng, "B岗"), self.cast.ruler(sicheng)]
        sicheng_posts = list(dict.fromkeys(sicheng_posts))
        for k, start in enumerate(starts):
            turn = k - current
            a = county_posts[turn % len(county_posts)]
            b = county_posts[(turn + 1) % len(county_posts)] if len(county_posts) > 1 else None
            duty_services.duty_shift_add(
                by=self.dispatcher,
                unit=county,
                starts_at=start,
                ends_at=start + datetime.timedelta(days=1),
                leader=county_leaders[k % len(county_leaders)],
                post_a=a,
                post_b=b,
            )
            a = sicheng_posts[turn % len(sicheng_posts)]
            duty_services.duty_shift_add(
                by=self.cast.post(sicheng, "A岗"),
                unit=sicheng,
                starts_at=start,
                ends_at=start + datetime.timedelta(days=1),
                leader=sicheng_leaders[k % len(sicheng_leaders)],
                post_a=a,
                post_b=sicheng_posts[(turn + 1) % len(sicheng_posts)],
            )
        self.result.shifts = DutyShift.objects.filter(unit__in=[county, sicheng]).count()

        patrol_at = max(starts[current], self.now - datetime.timedelta(hours=1))
        sicheng_post = self.cast.post(sicheng, "A岗")
        entries = [
            (
                self.dispatcher,
                county,
                DutyLogEntry.Kind.HANDOVER,
                starts[current],
                "交接班：夜间全县平稳，无突发事件报告",
                "在办事项：挂牌督办重大隐患1件、县级在办重大隐患3件；值班电话、卫星电话测试正常。",
                "",
                None,
                None,
            ),
            (
                self.dispatcher,
                county,
                DutyLogEntry.Kind.CALL,
                fire.occurred_at + datetime.timedelta(minutes=20),
                f"{fire.unit.parent.name}电话报告{fire.title}",
                "已通知县林业局、消防救援大队做好增援准备。",
                f"{fire.unit.parent.name}应急办 {self.cast.post(fire.unit.parent, 'A岗').real_name}",
                None,
                fire,
            ),
            (
                self.dispatcher,
                county,
                DutyLogEntry.Kind.CALL,
                crash.occurred_at + datetime.timedelta(minutes=25),
                f"{sicheng.name}电话报告{crash.title}",
                "已通知县公安局交警大队、县卫健局。",
                f"{sicheng.name}应急办 {sicheng_post.real_name}",
                None,
                crash,
            ),
            (
                self.dispatcher,
                county,
                DutyLogEntry.Kind.WARNING,
                self.now,
                f"向{sicheng.name}等发布暴雨黄色预警",
                "已电话通知各乡镇应急办值班人员，要求逐级传达到村到户。",
                "",
                warning,
                None,
            ),
            (
                sicheng_post,
                sicheng,
                DutyLogEntry.Kind.CALL,
                crash.occurred_at + datetime.timedelta(minutes=12),
                f"{crash.unit.name}网格员报告{crash.title}",
                "已派镇派出所、卫生院赶赴现场，同时电话报告县应急管理局。",
                f"{crash.unit.name}网格员 {crash.reporter.real_name}",
                None,
                crash,
            ),
            (
                sicheng_post,
                sicheng,
                DutyLogEntry.Kind.OTHER,
                patrol_at,
                "组织各村（社区）开展地灾隐患点和山洪沟巡查",
                "",
                "",
                None,
                None,
            ),
        ]
        for by, unit, kind, at, summary, details, caller, linked_warning, incident in entries:
            duty_services.duty_log_add(
                by=by,
                unit=unit,
                kind=kind,
                at=min(at, self.now),
                summary=summary,
                details=details,
                caller=caller,
                warning=linked_warning,
                incident=incident,
            )
        self.result.log_entries = DutyLogEntry.objects.filter(unit__in=[county, sicheng]).count()

    # --- all of it -------------------------------------------------------------------------------

    def tell(self) -> ActivityResult:
        self.hazards()
        self.monthly_reports()
        self.consultations()
        warning = self.warning()
        crash, fire = self.incidents()
        self.duty(warning, crash, fire)
        hazards = Hazard.objects.filter(unit__tree_id=self.county.tree_id)
        self.result.hazards = Counter(hazards.values_list("state", flat=True))
        self.result.major = hazards.filter(grade=Grade.MAJOR).count()
        self.result.supervised = hazards.filter(supervised=True).count()
        return self.result


def demo_county() -> GridUnit | None:
    return GridUnit.objects.filter(code=DEMO_COUNTY_CODE, level=0).first()


def build_activity(*, now: datetime.datetime | None = None) -> ActivityResult | None:
    """Write the demo activity into the demo county; None (and nothing written) when any hazard
    already exists. Raises ``ActivityError`` when the demo county is not there."""
    if Hazard.objects.exists():
        return None
    county = demo_county()
    if county is None:
        raise ActivityError("the demo county 凌云县 (451027) does not exist: run seed_demo first")
    with transaction.atomic():
        return Story(county, now=now).tell()


def state_counts(result: ActivityResult) -> Iterable[tuple[str, int]]:
    """(state label, count) in the order of the loop."""
    return [(str(label), result.hazards[value]) for value, label in State.choices if result.hazards[value]]
