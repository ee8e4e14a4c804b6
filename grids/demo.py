"""Generated grids: the demo county (凌云县) and large synthetic grids for benchmarks.

Used by the ``seed_demo`` and ``seed_scale`` management commands. Everything is generated from a
fixed random seed, so the demo county is the same on every machine and every run.

The names, positions and notes written here are *data* (like names typed into the admin), so they
are Chinese literals, not gettext strings; only the few labels printed by the commands are translated.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from grids.models import Department, GridUnit, Membership, Role, Sector, User
from grids.rules import CREDIT_CODE_CHARS, MOBILE_RE, Kind, credit_code_check_char


class SeedError(Exception):
    """The generator refuses to run (the data it would create is already there, bad arguments)."""


# --- name lists --------------------------------------------------------------------------------

SURNAMES = "韦黄罗陆农岑蓝班梁李杨王覃莫赵刘陈吴潘邓何周卢廖盘苏谢唐冯许马陶颜蒙龙甘邹"
GIVEN_CHARS = (
    "建国明华志强秀丽海军桂芳春玉文德福兰英红平勇宁进成光金荣学美忠林凤世永立新杰波琳"
    "雪梅燕云霞涛斌辉俊敏慧静婷亮刚峰超鹏飞洪清贵朝信益振东"
)
# Syllables of Zhuang and Yao place names of western Guangxi (陇雅, 平兰, 那合, 百朝 …).
PLACE_FIRST = "陇平那百板弄伏六岜果坡谷达念浪加览峒林汤伶逻下朝沙玉上中新高"
PLACE_SECOND = "雅兰门合里洞烈兴蒙坤怀布凤安和令孟王桃江洪宽乐平坡达良化"

DEMO_SEED = 451027
DEMO_CREATED_REASON = "demo seed"


# --- geometry ----------------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # west, south, east, north


def rectangle(box: Box) -> dict:
    """A GeoJSON Polygon for a lon/lat box (counter-clockwise, closed)."""
    west, south, east, north = box
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


def centre(box: Box) -> dict:
    """A GeoJSON Point at the middle of a box."""
    west, south, east, north = box
    return {"type": "Point", "coordinates": [round((west + east) / 2, 6), round((south + north) / 2, 6)]}


def split(box: Box, cols: int, rows: int) -> list[Box]:
    """Cut a box into ``cols`` × ``rows`` cells that tile it exactly, north-west first, row by row."""
    west, south, east, north = box
    xs = [round(west + (east - west) * k / cols, 6) for k in range(cols)] + [east]
    ys = [round(north - (north - south) * k / rows, 6) for k in range(rows)] + [south]
    return [(xs[c], ys[r + 1], xs[c + 1], ys[r]) for r in range(rows) for c in range(cols)]


def inset(box: Box, fraction: float) -> Box:
    """A box shrunk by ``fraction`` of its size on every side."""
    west, south, east, north = box
    dx, dy = (east - west) * fraction, (north - south) * fraction
    return (round(west + dx, 6), round(south + dy, 6), round(east - dx, 6), round(north - dy, 6))


def grid_shape(count: int) -> tuple[int, int]:
    """Columns and rows of a near-square grid with room for ``count`` cells."""
    cols = max(1, math.ceil(math.sqrt(count)))
    return cols, max(1, math.ceil(count / cols))


# --- people and names --------------------------------------------------------------------------


class Generator:
    """Names, mobile numbers and codes from one seeded random source; mobiles never repeat."""

    def __init__(self, seed: int | str, *, taken_mobiles: Iterable[str] = ()) -> None:
        self.rng = random.Random(seed)
        self.mobiles: set[str] = set(taken_mobiles)
        self.places: set[str] = set()

    def person_name(self) -> str:
        given_length = 1 if self.rng.random() < 0.3 else 2
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN_CHARS) for _i in range(given_length))

    def mobile(self) -> str:
        while True:
            number = f"1{self.rng.randint(3, 9)}{self.rng.randrange(10**9):09d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def place(self, suffix: str, *, unique: bool = True) -> str:
        """A two-syllable place name with its suffix (村, 镇 …); unique among this generator's names."""
        for _attempt in range(1000):
            name = self.rng.choice(PLACE_FIRST) + self.rng.choice(PLACE_SECOND) + suffix
            if not unique or name not in self.places:
                self.places.add(name)
                return name
        raise SeedError(f"ran out of place names ending in {suffix}")

    def credit_code(self, division: str) -> str:
        """A valid 统一社会信用代码 of a company (91) registered in ``division``."""
        body = "MA5" + "".join(self.rng.choice(CREDIT_CODE_CHARS) for _i in range(6))
        first17 = f"91{division}{body}"
        return first17 + credit_code_check_char(first17)


def existing_mobiles() -> set[str]:
    """Mobiles (and mobile-like usernames) already in the database, which generated people avoid."""
    mobiles = set(User.objects.exclude(mobile="").values_list("mobile", flat=True))
    usernames = User.objects.filter(username__regex=MOBILE_RE.pattern).values_list("username", flat=True)
    return mobiles | set(usernames)


@dataclass
class _Cast:
    """People to create and the memberships they will hold, before anything touches the database."""

    users: list[User] = field(default_factory=list)
    roles: list[tuple[User, GridUnit, str, str]] = field(default_factory=list)  # user, unit, role, note

    def person(
        self,
        gen: Generator,
        *,
        position: str,
        username: str = "",
        password: str | None = None,
        department: Department | None = None,
    ) -> User:
        mobile = gen.mobile()
        user = User(
            username=username or mobile,
            real_name=gen.person_name(),
            mobile=mobile,
            position=position,
            department=department,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        self.users.append(user)
        return user

    def grant(self, user: User, unit: GridUnit, role: str, note: str = "") -> None:
        self.roles.append((user, unit, role, note))

    def save(self, *, reason: str) -> tuple[int, int]:
        users = bulk_create_with_history(self.users, User, batch_size=1000, default_change_reason=reason)
        by_username = {user.username: user for user in users}
        memberships = [
            Membership(user=by_username[user.username], unit=unit, role=role, note=note)
            for user, unit, role, note in self.roles
        ]
        bulk_create_with_history(memberships, Membership, batch_size=1000, default_change_reason=reason)
        return len(users), len(memberships)


# --- the demo county ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoTownship:
    code: str
    name: str
    kind: str
    size: int  # villages and communities; a key of VILLAGE_GRIDS
    communities: tuple[str, ...] = ()
    first_villages: tuple[str, ...] = ()


DEMO_COUNTY_CODE = "451027"
DEMO_COUNTY_NAME = "凌云县"
DEMO_COUNTY_BOX: Box = (106.20, 24.05, 106.92, 24.65)  # centre 106.56, 24.35
DEMO_TOWNSHIPS = (
    DemoTownship(
        "451027100000", "泗城镇", Kind.TOWN, 12, ("城东社区", "城西社区", "城南社区", "城北社区"), ("陇雅村", "平兰村")
    ),
    DemoTownship("451027101000", "逻楼镇", Kind.TOWN, 10, ("逻楼社区",)),
    DemoTownship("451027102000", "加尤镇", Kind.TOWN, 9, ("加尤社区",)),
    DemoTownship("451027103000", "下甲镇", Kind.TOWN, 10, ("下甲社区",)),
    DemoTownship("451027200000", "伶站瑶族乡", Kind.TOWNSHIP, 8),
    DemoTownship("451027201000", "朝里瑶族乡", Kind.TOWNSHIP, 9),
    DemoTownship("451027202000", "沙里瑶族乡", Kind.TOWNSHIP, 8),
    DemoTownship("451027203000", "玉洪瑶族乡", Kind.TOWNSHIP, 8),
)
DEMO_PARK = ("451027-GY01", "凌云县工业园区")
DEMO_ENTERPRISES = (
    "广西凌云浪伏茶业有限公司",
    "凌云县白毫茶叶加工有限公司",
    "凌云县泗水建材有限责任公司",
    "凌云县岑王老山桑蚕丝绸有限公司",
)
# County cells (column, row of a 3 × 3 grid, north-west first): 泗城镇 at the centre, the park east of it.
DEMO_CELLS = ((1, 1), (0, 0), (1, 0), (2, 0), (0, 1), (0, 2), (1, 2), (2, 2))
DEMO_PARK_CELL = (2, 1)
VILLAGE_GRIDS = {8: (4, 2), 9: (3, 3), 10: (5, 2), 12: (4, 3)}  # villages per township -> cols, rows
# name, short name, sector codes (grids.migrations.0002_seed_sectors)
DEMO_DEPARTMENTS = (
    ("凌云县应急管理局", "应急管理局", ("emergency", "fire")),
    ("凌云县水利局", "水利局", ("water",)),
    ("凌云县自然资源局", "自然资源局", ("natural_resources",)),
    ("凌云县交通运输局", "交通运输局", ("transport",)),
    ("凌云县公安局", "公安局", ("road_traffic",)),
    ("凌云县住房和城乡建设局", "住房和城乡建设局", ("housing",)),
    ("凌云县林业局", "林业局", ("forestry",)),
    ("凌云县气象局", "气象局", ("meteorology",)),
    ("凌云县市场监督管理局", "市场监督管理局", ("special_equipment",)),
)
DEMO_STAFF_PER_DEPARTMENT = 2
PERSONAS = ("county_dispatcher", "township_officer", "village_officer", "department_officer")


@dataclass
class DemoResult:
    county: GridUnit
    units: int
    people: int
    memberships: int
    departments: int
    personas: list[tuple[str, str, str]]  # username, role, unit or department


def _make_unit(parent: GridUnit | None, *, kind: str, code: str, name: str, box: Box, **fields) -> GridUnit:
    unit = GridUnit(
        parent=parent, kind=kind, code=code, name=name, boundary=rectangle(box), location=centre(box), **fields
    )
    unit.full_clean()
    unit._change_reason = DEMO_CREATED_REASON
    unit.save()
    return unit


@transaction.atomic
def build_demo(*, password: str) -> DemoResult | None:
    """Build 凌云县 with its townships, park, villages, departments and people; None if units exist.

    The four persona accounts (``PERSONAS``) get ``password``; everyone else an unusable one.
    """
    if GridUnit.objects.exists():
        return None
    taken = set(User.objects.filter(username__in=PERSONAS).values_list("username", flat=True))
    if taken:
        raise SeedError(f"these accounts already exist: {', '.join(sorted(taken))}")
    gen = Generator(DEMO_SEED, taken_mobiles=existing_mobiles())
    cast = _Cast()
    personas: list[tuple[str, str, str]] = []

    # Villages first (in memory), so townships and the county can carry their population totals.
    township_cells = split(DEMO_COUNTY_BOX, 3, 3)
    plans = []
    for township, (col, row) in zip(DEMO_TOWNSHIPS, DEMO_CELLS, strict=True):
        count = township.size
        names = list(township.communities) + list(township.first_villages)
        gen.places.update(names)
        while len(names) < count:
            names.append(gen.place("村"))
        villages = []
        for index, name in enumerate(names):
            community = index < len(township.communities)
            number = index + 1 if community else 201 + index - len(township.communities)
            population = gen.rng.randint(2500, 8000) if community else gen.rng.randint(800, 3600)
            villages.append(
                {
                    "kind": Kind.COMMUNITY if community else Kind.VILLAGE,
                    "code": f"{township.code[:9]}{number:03d}",
                    "name": name,
                    "population": population,
                    "households": round(population / gen.rng.uniform(3.2, 4.3)),
                    "address": f"{DEMO_COUNTY_NAME}{township.name}{name}",
                }
            )
        plans.append((township, township_cells[row * 3 + col], villages))

    county = _make_unit(
        None,
        kind=Kind.COUNTY,
        code=DEMO_COUNTY_CODE,
        name=DEMO_COUNTY_NAME,
        box=DEMO_COUNTY_BOX,
        population=sum(v["population"] for _t, _b, vs in plans for v in vs),
        households=sum(v["households"] for _t, _b, vs in plans for v in vs),
        address="广西壮族自治区百色市凌云县",
    )
    units = 1

    # County tier: leaders, dispatcher, departments and their staff.
    leader = cast.person(gen, position="县长")
    cast.grant(leader, county, Role.GRID_LEADER)
    for title in ("常务副县长", "副县长"):
        cast.grant(cast.person(gen, position=title), county, Role.DEPUTY_LEADER)
    dispatcher = cast.person(
        gen, position="县应急管理局指挥中心调度员", username="county_dispatcher", password=password
    )
    cast.grant(dispatcher, county, Role.DISPATCHER, "24小时值班")
    personas.append((dispatcher.username, str(Role.DISPATCHER.label), county.name))
    departments = []
    for name, short_name, sector_codes in DEMO_DEPARTMENTS:
        department = Department.objects.create(
            county=county, name=name, short_name=short_name, phone=f"0776-76{gen.rng.randrange(10**5):05d}"
        )
        department.sectors.set(Sector.objects.filter(code__in=sector_codes))
        departments.append(department)
        head = cast.person(gen, position=f"{short_name}局长", department=department)
        cast.grant(head, county, Role.GRID_MANAGER, short_name)
        for index in range(DEMO_STAFF_PER_DEPARTMENT):
            persona = short_name == "水利局" and index == 0
            staff = cast.person(
                gen,
                position=f"{short_name}安全监管股工作人员",
                department=department,
                username="department_officer" if persona else "",
                password=password if persona else None,
            )
            if persona:
                personas.append((staff.username, _("Department staff"), department.name))

    # Townships and their villages.
    first_township = True
    for township, box, villages in plans:
        unit = _make_unit(
            county,
            kind=township.kind,
            code=township.code,
            name=township.name,
            box=box,
            population=sum(v["population"] for v in villages),
            households=sum(v["households"] for v in villages),
            address=f"{DEMO_COUNTY_NAME}{township.name}",
        )
        units += 1
        _staff_tier2(cast, gen, unit, head_titles=("党委书记", "镇长" if township.kind == Kind.TOWN else "乡长"))
        officer = cast.person(
            gen,
            position=f"{township.name}安监站工作人员",
            username="township_officer" if first_township else "",
            password=password if first_township else None,
        )
        cast.grant(officer, unit, Role.GRID_OFFICER)
        if first_township:
            personas.append((officer.username, str(Role.GRID_OFFICER.label), unit.name))
        cols, rows = VILLAGE_GRIDS[len(villages)]
        first_village = first_township
        for village, cell in zip(villages, split(box, cols, rows), strict=True):
            child = _make_unit(unit, box=cell, **village)
            units += 1
            is_persona = first_village and child.kind == Kind.VILLAGE
            _staff_tier3_village(
                cast,
                gen,
                child,
                username="village_officer" if is_persona else "",
                password=password if is_persona else None,
            )
            if is_persona:
                personas.append(("village_officer", str(Role.INFORMATION_OFFICER.label), child.name))
                first_village = False
        first_township = False

    # The industrial park, in a cell of its own, and its enterprises along their red lines.
    park_box = split(DEMO_COUNTY_BOX, 3, 3)[DEMO_PARK_CELL[1] * 3 + DEMO_PARK_CELL[0]]
    park_code, park_name = DEMO_PARK
    park = _make_unit(
        county, kind=Kind.PARK, code=park_code, name=park_name, box=park_box, address=f"{DEMO_COUNTY_NAME}{park_name}"
    )
    units += 1
    _staff_tier2(cast, gen, park, head_titles=("管委会主任",))
    cast.grant(cast.person(gen, position=f"{park_name}安全环保部工作人员"), park, Role.GRID_OFFICER)
    for index, (name, cell) in enumerate(zip(DEMO_ENTERPRISES, split(park_box, 2, 2), strict=True), start=1):
        enterprise = _make_unit(
            park,
            kind=Kind.ENTERPRISE,
            code=f"{park_code}-{index:03d}",
            name=name,
            box=inset(cell, 0.1),
            credit_code=gen.credit_code(DEMO_COUNTY_CODE),
            address=f"{DEMO_COUNTY_NAME}{park_name}",
        )
        units += 1
        cast.grant(cast.person(gen, position="总经理"), enterprise, Role.GRID_LEADER)
        cast.grant(cast.person(gen, position="安全管理员"), enterprise, Role.INFORMATION_OFFICER)

    people, memberships = cast.save(reason=DEMO_CREATED_REASON)
    return DemoResult(
        county=county,
        units=units,
        people=people,
        memberships=memberships,
        departments=len(departments),
        personas=personas,
    )


def _staff_tier2(cast: _Cast, gen: Generator, unit: GridUnit, *, head_titles: tuple[str, ...]) -> None:
    """Leaders, executive deputy and the two dispatchers (A and B posts) of a township or park."""
    for title in head_titles:
        cast.grant(cast.person(gen, position=f"{unit.name}{title}"), unit, Role.GRID_LEADER)
    cast.grant(cast.person(gen, position=f"{unit.name}常务副职"), unit, Role.DEPUTY_LEADER)
    for post in ("A岗", "B岗"):
        cast.grant(cast.person(gen, position=f"{unit.name}应急办值班员"), unit, Role.DISPATCHER, post)


def _staff_tier3_village(cast: _Cast, gen: Generator, unit: GridUnit, *, username: str, password: str | None) -> None:
    """Party secretary (leader), director (deputy) and one cadre who is grid manager and information officer."""
    committee = "居委会" if unit.kind == Kind.COMMUNITY else "村委会"
    cast.grant(cast.person(gen, position=f"{unit.name}党支部书记"), unit, Role.GRID_LEADER)
    cast.grant(cast.person(gen, position=f"{unit.name}{committee}主任"), unit, Role.DEPUTY_LEADER)
    cadre = cast.person(gen, position=f"{unit.name}{committee}干部", username=username, password=password)
    cast.grant(cadre, unit, Role.GRID_MANAGER)
    cast.grant(cadre, unit, Role.INFORMATION_OFFICER)


# --- large synthetic grids ---------------------------------------------------------------------


@dataclass
class ScaleResult:
    county_codes: list[str]
    tree_ids: list[int]
    units: int
    people: int
    memberships: int


SCALE_COUNTY_DIGITS = "99"  # 4th–5th digits of generated county codes: ``PP99NN``
MAX_SCALE_COUNTIES = 99
MAX_SCALE_TOWNSHIPS = 500  # township digits 100–599
MAX_SCALE_VILLAGES = 399  # village digits 201–599
SCALE_BATCH = 2000


def scale_county_codes(*, prefix: str, counties: int) -> list[str]:
    return [f"{prefix}{SCALE_COUNTY_DIGITS}{number:02d}" for number in range(1, counties + 1)]


def _batched(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def build_scale(
    *, counties: int, townships: int, villages: int, people: int, prefix: str = "45", boundaries: bool = True
) -> ScaleResult:
    """Bulk-create ``counties`` × ``townships`` × ``villages`` units with their MPTT columns computed here.

    Each county is its own tree; siblings are in code order, as ``order_insertion_by`` would
    put them, so ``GridUnit.objects.rebuild()`` leaves every row as it is. No history rows.
    """
    if not (len(prefix) == 2 and prefix.isdigit() and prefix != "00"):
        raise SeedError(f"the province prefix must be two digits, not {prefix!r}")
    for value, low, high, what in (
        (counties, 1, MAX_SCALE_COUNTIES, "counties"),
        (townships, 1, MAX_SCALE_TOWNSHIPS, "townships"),
        (villages, 1, MAX_SCALE_VILLAGES, "villages"),
        (people, 0, 50, "people"),
    ):
        if not low <= value <= high:
            raise SeedError(f"{what} must be between {low} and {high}, not {value}")
    codes = scale_county_codes(prefix=prefix, counties=counties)
    clash = sorted(GridUnit.objects.filter(code__in=codes).values_list("code", flat=True))
    if clash:
        raise SeedError(f"county codes already exist: {', '.join(clash)}; delete them or use another --prefix")

    gen = Generator(f"scale-{prefix}", taken_mobiles=existing_mobiles() if people else ())
    first_tree = (GridUnit.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1
    tree_ids = list(range(first_tree, first_tree + counties))
    town_span = 2 * (villages + 1)  # lft..rght width of a township with its villages
    county_rows, township_rows = [], []
    for index, (code, tree_id) in enumerate(zip(codes, tree_ids, strict=True)):
        box: Box = (100.0 + (index % 10), 22.0 + index // 10, 100.9 + (index % 10), 22.9 + index // 10)
        county_rows.append(
            GridUnit(
                code=code,
                name=gen.place("县", unique=False),
                kind=Kind.COUNTY,
                tree_id=tree_id,
                lft=1,
                rght=2 * (1 + townships * (1 + villages)),
                level=0,
                **_geometry(box, boundaries),
            )
        )
    GridUnit.objects.bulk_create(county_rows, batch_size=SCALE_BATCH)

    town_boxes_by_county = []
    for county in county_rows:
        cells = split(_box_of(county), *grid_shape(townships)) if boundaries else []
        town_boxes_by_county.append(cells)
        for j in range(townships):
            lft = 2 + j * town_span
            township_rows.append(
                GridUnit(
                    parent_id=county.pk,
                    code=f"{county.code}{100 + j:03d}000",
                    name=gen.place("镇" if j % 3 == 0 else "乡", unique=False),
                    kind=Kind.TOWN if j % 3 == 0 else Kind.TOWNSHIP,
                    tree_id=county.tree_id,
                    lft=lft,
                    rght=lft + town_span - 1,
                    level=1,
                    **_geometry(cells[j] if boundaries else None, boundaries),
                )
            )
    GridUnit.objects.bulk_create(township_rows, batch_size=SCALE_BATCH)

    village_rows = []
    for township in township_rows:
        cells = split(_box_of(township), *grid_shape(villages)) if boundaries else []
        for k in range(villages):
            lft = township.lft + 1 + 2 * k
            population = gen.rng.randint(600, 4000)
            village_rows.append(
                GridUnit(
                    parent_id=township.pk,
                    code=f"{township.code[:9]}{201 + k:03d}",
                    name=gen.place("村", unique=False),
                    kind=Kind.VILLAGE,
                    tree_id=township.tree_id,
                    lft=lft,
                    rght=lft + 1,
                    level=2,
                    population=population,
                    households=population // 4,
                    **_geometry(cells[k] if boundaries else None, boundaries),
                )
            )
    for batch in _batched(village_rows, SCALE_BATCH):
        GridUnit.objects.bulk_create(batch)

    expected = {0: counties, 1: counties * townships, 2: counties * townships * villages}
    for level, count in expected.items():
        found = GridUnit.objects.filter(tree_id__in=tree_ids, level=level).count()
        if found != count:
            raise SeedError(f"tree check failed: {found} units at level {level}, expected {count}")

    user_count = membership_count = 0
    if people:
        user_count, membership_count = _scale_people(gen, county_rows, township_rows, village_rows, people)
    return ScaleResult(
        county_codes=codes,
        tree_ids=tree_ids,
        units=len(county_rows) + len(township_rows) + len(village_rows),
        people=user_count,
        memberships=membership_count,
    )


def _geometry(box: Box | None, boundaries: bool) -> dict:
    if not boundaries or box is None:
        return {}
    return {"boundary": rectangle(box), "location": centre(box)}


def _box_of(unit: GridUnit) -> Box:
    ring = unit.boundary["coordinates"][0]
    return (ring[0][0], ring[0][1], ring[2][0], ring[2][1])


VILLAGE_ROLES: tuple[tuple[str, ...], ...] = (
    (Role.GRID_MANAGER, Role.INFORMATION_OFFICER),
    (Role.GRID_LEADER,),
    (Role.DEPUTY_LEADER,),
)
COUNTY_ROLES = (Role.GRID_LEADER, Role.DISPATCHER)
TOWNSHIP_ROLES = (Role.GRID_LEADER, Role.GRID_OFFICER, Role.DISPATCHER)


def _scale_people(
    gen: Generator, counties: list[GridUnit], townships: list[GridUnit], villages: list[GridUnit], per_village: int
) -> tuple[int, int]:
    """People for a generated grid: a few per county and township, ``per_village`` per village."""
    plan: list[tuple[GridUnit, tuple[str, ...]]] = []
    plan += [(unit, (role,)) for unit in counties for role in COUNTY_ROLES]
    plan += [(unit, (role,)) for unit in townships for role in TOWNSHIP_ROLES]
    for unit in villages:
        for k in range(per_village):
            plan.append((unit, VILLAGE_ROLES[k] if k < len(VILLAGE_ROLES) else (Role.INFORMATION_OFFICER,)))
    users = []
    for _unit, _roles in plan:
        mobile = gen.mobile()
        users.append(User(username=mobile, mobile=mobile, real_name=gen.person_name(), password=make_password(None)))
    for batch in _batched(users, SCALE_BATCH):
        User.objects.bulk_create(batch)
    memberships = [
        Membership(user_id=user.pk, unit_id=unit.pk, role=role)
        for user, (unit, roles) in zip(users, plan, strict=True)
        for role in roles
    ]
    for batch in _batched(memberships, SCALE_BATCH * 2):
        Membership.objects.bulk_create(batch)
    return len(users), len(memberships)
