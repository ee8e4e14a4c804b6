"""The evacuation lists (转移避险) of two villages of the persona township: danger zones drawn on
the map, households with vulnerable persons, shelters (one closed), and too few places in the
township's open shelters — the shortfall the capacity page shows. Written through the import
service, as a village officer would (a workbook made from the tables below), then the zones'
outlines through ``zone_set_boundary``. The Chinese text is data (what the people would type)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from grids.demo_story import DemoStory
from grids.models import Role
from grids.rules import Kind
from plans import services
from plans.models import DangerZone, Shelter
from plans.services.evacuation_import import HOUSEHOLD_SHEET, SHELTER_SHEET, ZONE_SHEET

ZONES = [
    # category, name, description, duty phone
    ("山洪", "{v}后山洪沟口", "山洪沟出口两侧低洼处，汛期易受洪水冲击", "0776-7612{n}01"),
    ("地质灾害", "{v}屯后滑坡体", "屯后山体有裂缝，坡脚有农户居住", "0776-7612{n}01"),
]
SHELTERS = [
    # name, capacity, place, manager, phone, facilities, state
    ("{v}小学安置点", 20, "{v}小学教学楼", "覃校长", "1387761{n}001", "饮用水、棉被、应急照明、医药箱", "开放"),
    ("{v}村委会安置点", 12, "{v}村委会二楼", "黄主任", "1387761{n}002", "饮用水、折叠床", "关闭"),
]
HOUSEHOLDS = [
    # head, house number, zone index, persons, vulnerable, notes, route
    ("韦德明", "{v}一组3号", 0, 6, 2, "85岁老人卧床、孕妇1人，需担架和专人护送", "沿村道向东600米至{v}小学"),
    ("陆秀英", "{v}一组5号", 0, 4, 1, "独居老人（78岁）听力差，需上门叫醒", "沿村道向东600米至{v}小学"),
    ("罗志强", "{v}一组8号", 0, 5, 0, "", "沿村道向东600米至{v}小学"),
    ("黄玉兰", "{v}二组2号", 1, 7, 3, "残疾人1人（轮椅）、儿童2人", "经屯前机耕路向南至{v}小学"),
    ("农光辉", "{v}二组6号", 1, 5, 1, "慢性病患者1人，需携带药品", "经屯前机耕路向南至{v}小学"),
    ("班海燕", "{v}二组9号", 1, 6, 0, "", "经屯前机耕路向南至{v}小学"),
]
SIGNAL = "村广播、铜锣（急促连敲）、手摇报警器"
CADRES = [("岑国华", "13877610{n}11"), ("梁永福", "13877610{n}12")]


def _workbook(village, n: int) -> bytes:
    v = village.name.removesuffix("村").removesuffix("社区")
    lng, lat = (village.location or {}).get("coordinates", (None, None)) if village.location else (None, None)
    zones = [[c, name.format(v=v), d, phone.format(n=n)] for c, name, d, phone in ZONES]
    shelters = [
        [
            name.format(v=v),
            capacity,
            place.format(v=v),
            "" if lng is None else round(lng + 0.002 * i, 6),
            "" if lat is None else round(lat + 0.001 * i, 6),
            manager,
            phone.format(n=n),
            facilities,
            state,
        ]  # fmt: skip
        for i, (name, capacity, place, manager, phone, facilities, state) in enumerate(SHELTERS)
    ]
    households = []
    for i, (head, number, zone, persons, vulnerable, notes, route) in enumerate(HOUSEHOLDS):
        cadre, phone = CADRES[zone]
        households.append(
            [
                head,
                number.format(v=v),
                zones[zone][0],
                zones[zone][1],
                f"1397761{n}{i:03d}",
                persons,
                vulnerable,
                notes,
                cadre,
                phone.format(n=n),
                route.format(v=v),
                shelters[0][0],
                SIGNAL,
            ]  # fmt: skip
        )
    return services.write_workbook({ZONE_SHEET: zones, SHELTER_SHEET: shelters, HOUSEHOLD_SHEET: households})


def _square(lng: float, lat: float, size: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[lng, lat], [lng + size, lat], [lng + size, lat + size],
                                                [lng, lat + size], [lng, lat]]]}  # fmt: skip


def present() -> bool:
    return DangerZone.objects.exists()


def run(story: DemoStory) -> None:
    from grids.demo_story import point_in

    township = story.sicheng
    villages = [u for u in story.leaves_of(township) if u.kind in (Kind.VILLAGE, Kind.COMMUNITY)]
    chosen = [story.persona_village] + [u for u in villages if u.pk != story.persona_village.pk][:1]
    for n, village in enumerate(chosen, start=1):
        officer = story.cast.one(village, Role.GRID_MANAGER, Role.INFORMATION_OFFICER, Role.GRID_LEADER)
        result = services.evacuation_import(
            by=officer, unit=village, data=_workbook(village, n), filename="转移避险名单.xlsx"
        )
        if not result.ok:
            raise RuntimeError("; ".join(str(e) for e in result.errors))
        for zone in DangerZone.objects.filter(unit=village).order_by("pk"):
            lng, lat = point_in(village, story.rng)
            if lng is not None:
                services.zone_set_boundary(zone=zone, by=officer, boundary=_square(lng, lat, 0.004))
        for shelter in Shelter.objects.filter(unit=village, lng__isnull=True):
            shelter.lng, shelter.lat = point_in(village, story.rng)
            if shelter.lng is not None:
                shelter.save(update_fields=["lng", "lat"])
    story.tell(
        _(
            "Evacuation: lists of %(villages)s (danger zones, households with vulnerable persons, shelters); %(town)s short of places."
        )
        % {"villages": "、".join(v.name for v in chosen), "town": township.name}
    )
