"""What the demo's people write about hazards: titles, places, notes and the share of each state.

These are *data* (what the people would type), so they are Chinese literals, not gettext strings.
``hazards/demo.py`` tells the story with them.
"""

from __future__ import annotations

from dataclasses import dataclass

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

CONFIRM_NOTE = "经现场核实，情况属实。"
ACCEPT_NOTE = "经现场验收，整改到位，同意销号。"
DEFAULT_MEASURE = "落实专人负责，限期整改到位。"

# The four special hazards (see ``HazardDemo.supervised_torrent`` and the next three).
TORRENT = HazardText(
    "mountain_torrent",
    "山洪沟下游居民区防洪能力不足",
    "山洪沟穿屯而过，沟道狭窄弯曲，两岸有农户37户、152人，往年汛期曾漫溢进屯。",
    "山洪沟",
)
TORRENT_PLAN = {
    "measures": "实施山洪沟治理工程：拓宽疏浚沟道800米，新建护岸挡墙，安装雨量和水位监测预警设施。",
    "responsible_unit": "凌云县水利局",
    "contingency": "汛期落实“叫应”机制和危险区人员转移预案，雨量超预警值立即转移沟边群众。",
}
TORRENT_SUPERVISION = {
    "department": "水利局",
    "requirements": "县水利局牵头督办，每半月报告一次工程进展，汛前完成主体工程。",
    "order_no": "凌安督〔{year}〕1号",
    "feedback": "已派技术人员现场踏勘，治理工程已列入今年山洪灾害防治项目，正在开展初步设计。",
}
LANDSLIDE = HazardText(
    "geological",
    "滑坡隐患点坡体变形加剧",
    "滑坡体后缘拉张裂缝扩大至20厘米，前缘有鼓胀，威胁坡下农户12户、53人。",
    "后山",
)
CHEMICALS = HazardText(
    "hazardous_chemicals",
    "危化品仓库未落实双人双锁管理",
    "仓库内存放次氯酸钠、液碱约6吨，与包装材料混存，未设防泄漏围堰。",
    "危化品仓库",
)
ROAD = HazardText(
    "road_traffic",
    "通屯公路临崖路段无防护设施",
    "约1.2公里临崖路段无护栏，外侧落差30余米，为学生上下学必经之路。",
    "通屯公路",
)
ROAD_ESCALATION = "整治需资金约80万元，超出乡级能力，请县交通运输局统筹安排。"
# Townships of the special hazards (a fallback index into the townships when renamed).
TORRENT_TOWNSHIP, LANDSLIDE_TOWNSHIP, ROAD_TOWNSHIP = ("下甲镇", -1), ("伶站瑶族乡", 1), ("沙里瑶族乡", 2)
VILLAGE_COMMITTEE, COMMUNITY_COMMITTEE = "村委会", "居委会"
