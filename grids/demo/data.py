"""The demo county and the synthetic grids as data: names, codes, boxes, departments, personas.

These are *data* (like names typed into the admin), so they are Chinese literals, not gettext strings."""

from __future__ import annotations

from dataclasses import dataclass

from grids.models import Role
from grids.rules import Kind

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


Box = tuple[float, float, float, float]  # west, south, east, north


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


# --- large synthetic grids

SCALE_COUNTY_DIGITS = "99"  # 4th–5th digits of generated county codes: ``PP99NN``
MAX_SCALE_COUNTIES = 99
MAX_SCALE_TOWNSHIPS = 500  # township digits 100–599
MAX_SCALE_VILLAGES = 399  # village digits 201–599
SCALE_BATCH = 2000


VILLAGE_ROLES: tuple[tuple[str, ...], ...] = (
    (Role.GRID_MANAGER, Role.INFORMATION_OFFICER),
    (Role.GRID_LEADER,),
    (Role.DEPUTY_LEADER,),
)
COUNTY_ROLES = (Role.GRID_LEADER, Role.DISPATCHER)
TOWNSHIP_ROLES = (Role.GRID_LEADER, Role.GRID_OFFICER, Role.DISPATCHER)
