"""The supplies demo: the county's depot with every catalogue item in one or two lots (several
thousand pieces), a reserve point in every township and in the persona village, lots expiring soon
and an expired one, and a transfer from the county depot to the persona township in transit.
Written through the services by the demo's own people."""

from __future__ import annotations

import datetime

from grids.models import Role
from supplies import services
from supplies.models import Depot, Lot, SupplyItem

DEMO_ORDER = 60  # after the plans

COUNTY_DEPOT = {
    "name": "县应急物资储备库",
    "address": "县城工业大道 18 号",
    "manager_name": "覃库管",
    "phone": "0776-7612119",
    "capacity_notes": "库房 2 栋，1,200 m²；可停放冲锋舟 6 艘",
}
TOWNSHIP_POINT = "{name}应急物资储备点"
VILLAGE_POINT = "{name}应急物资储备点"
POINT_MANAGER = "{name}保管员"
STORAGE_PLACES = ["一号库 A 区", "一号库 B 区", "二号库", "器材间", "露天料场"]
SOURCES = ["procured", "procured", "procured", "allocated", "donated"]
TOWNSHIP_STOCK = [("救生衣", 30), ("编织袋", 1500), ("手电", 20), ("帐篷", 8), ("棉被", 40), ("急救包", 6)]
VILLAGE_STOCK = [("救生衣", 12), ("编织袋", 300), ("手电", 6), ("应急广播", 1)]
TRANSFER_REASON = "汛期暴雨预警，补充乡镇防汛物资"
TRANSFER_LINES = [("编织袋", 1000), ("救生衣", 40)]
TRANSFER_NEED = dict(TRANSFER_LINES)  # each lot of these holds a whole line, whatever the random draw


def _keeper(story, unit):
    return story.cast.one(
        unit, Role.DISPATCHER, Role.GRID_MANAGER, Role.GRID_OFFICER, Role.INFORMATION_OFFICER, Role.GRID_LEADER
    )


def _depot(unit, kind, name, manager_name, phone="0776-7610000", **fields) -> Depot:
    lng, lat = (unit.location or {}).get("coordinates", (None, None))
    return Depot.objects.create(
        unit=unit, kind=kind, name=name, manager_name=manager_name, phone=phone, lng=lng, lat=lat, **fields
    )


def run(story) -> None:
    rng, today = story.rng, story.today
    county_keeper = story.dispatcher
    county_depot = _depot(story.county, Depot.Kind.DEPOT, **COUNTY_DEPOT)
    pieces = lots = 0
    for item in SupplyItem.objects.filter(is_active=True).order_by("code"):
        for _n in range(rng.choice((1, 2))):
            shelf = item.shelf_life_days
            expiry = today + datetime.timedelta(days=rng.randint(60, shelf)) if shelf else None
            quantity = rng.choice((5, 10, 20, 50, 100, 200)) * (10 if item.unit_of_measure in ("条", "m²") else 1)
            quantity = max(quantity, TRANSFER_NEED.get(item.name, 0))  # the transfer below always finds its stock
            services.stock_receive(
                depot=county_depot, item=item, quantity=quantity, by=county_keeper,
                source=rng.choice(SOURCES), expiry_date=expiry, storage_place=rng.choice(STORAGE_PLACES),
                document_no=f"入库-{today.year}-{lots + 1:03d}",
            )  # fmt: skip
            pieces, lots = pieces + quantity, lots + 1
    water = SupplyItem.objects.get(name="饮用水")
    for days, quantity in ((12, 80), (-20, 40)):  # one lot expiring within 30 days, one expired
        services.stock_receive(
            depot=county_depot, item=water, quantity=quantity, by=county_keeper,
            production_date=today + datetime.timedelta(days=days - 365), expiry_date=today + datetime.timedelta(days=days),
            storage_place=STORAGE_PLACES[0],
        )  # fmt: skip
        pieces, lots = pieces + quantity, lots + 1
    pump = county_depot.lots.filter(item__name="抽水泵").first()
    if pump:
        services.lot_set_maintenance(lot=pump, under_maintenance=True, by=county_keeper)
    items = {i.name: i for i in SupplyItem.objects.filter(name__in={n for n, _q in TOWNSHIP_STOCK + VILLAGE_STOCK})}
    for township in story.townships:
        keeper = _keeper(story, township)
        point = _depot(township, Depot.Kind.POINT, TOWNSHIP_POINT.format(name=township.name),
                       POINT_MANAGER.format(name=township.name))  # fmt: skip
        for name, quantity in TOWNSHIP_STOCK:
            services.stock_receive(depot=point, item=items[name], quantity=quantity, by=keeper,
                                   expiry_date=today + datetime.timedelta(days=rng.randint(20, 900)))  # fmt: skip
    village = story.persona_village
    keeper = _keeper(story, village)
    point = _depot(village, Depot.Kind.POINT, VILLAGE_POINT.format(name=village.name),
                   POINT_MANAGER.format(name=village.name))  # fmt: skip
    for name, quantity in VILLAGE_STOCK:
        services.stock_receive(depot=point, item=items[name], quantity=quantity, by=keeper)
    township = story.sicheng
    transfer = services.transfer_request(
        by=_keeper(story, township), to_unit=township, source_unit=story.county,
        lines=[(SupplyItem.objects.get(name=n), q) for n, q in TRANSFER_LINES], urgency="urgent",
        reason=TRANSFER_REASON,
    )  # fmt: skip
    services.transfer_approve(transfer=transfer, by=county_keeper, source_depot=county_depot)
    services.transfer_dispatch(transfer=transfer, by=county_keeper)
    agreements = _agreements(story, county_keeper)
    story.tell(
        f"物资：县储备库 {lots} 个批次、{pieces} 件；{len(story.townships)} 个乡镇储备点和 {village.name}储备点；"
        f"调拨单 {transfer.number} 在途；协议储备 {agreements} 份"
    )


AGREEMENTS = [
    # supplier, contract, lines, days left, hours
    ("凌云县惠民商贸有限公司", "凌应急协储〔2026〕1号", [("方便食品", 2000), ("饮用水", 3000), ("棉被", 500)], 300, 4),
    ("百色市安达帐篷厂", "凌应急协储〔2026〕2号", [("帐篷", 200), ("折叠床", 300)], 20, 12),  # lapses within 30 days
    ("凌云县路桥工程有限公司", "凌应急产储〔2026〕1号", [("挖掘机", 4), ("装载机", 2)], 500, 2),
]


def _agreements(story, by) -> int:
    """The county's agreement reserves (one lapsing soon) and an overdue check of the pump."""
    today = story.today
    names = {n for _s, _c, lines, _d, _h in AGREEMENTS for n, _q in lines}
    items = {i.name: i for i in SupplyItem.objects.filter(name__in=names)}
    made = 0
    for supplier, contract, lines, days, hours in AGREEMENTS:
        lines = [(items[n], q) for n, q in lines if n in items]
        if not lines:
            continue
        services.agreement_create(
            by=by, unit=story.county, supplier=supplier, contact_name="联络员", phone="0776-7613000",
            contract_no=contract, valid_from=today - datetime.timedelta(days=30),
            valid_until=today + datetime.timedelta(days=days), response_hours=hours, lines=lines,
            method="capacity" if "产储" in contract else "agreement",
        )  # fmt: skip
        made += 1
    generator = Lot.objects.filter(depot__unit=story.county, item__name="发电机组").select_related("item").first()
    if generator:  # last checked one interval and five days ago: overdue
        done = today - datetime.timedelta(days=generator.item.maintenance_interval_days + 5)
        services.maintenance_record(lot=generator, by=by, done_on=done, kind="maintenance", note="季度保养")
    return made


def present() -> bool:
    """The demo is written once: not when any depot exists."""
    return Depot.objects.exists()
