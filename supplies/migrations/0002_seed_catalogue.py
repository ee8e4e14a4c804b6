"""The catalogue: GB/T 38565-2020 top classes (RULES.md §6.1), the 13 traditional categories (§6.2)
and the typical county items (§6.3), with example reserve norms for townships and villages.

The standard's mid and sub classes were not retrieved (§6.1), so the seeded items sit under mid
class 99 (收容类目) of their top class: ``<class>99<group><n>``; the administrator re-codes them
from the standard's table in the admin. Shelf lives, maintenance intervals and norms are examples
for the county to adjust."""

from django.db import migrations

CLASSES = [("1", "基本生活保障物资"), ("2", "应急装备及配套物资"), ("3", "工程材料与机械加工设备")]

CATEGORIES = [
    "防护用品", "生命救助", "生命支持", "救援运载", "临时食宿", "污染清理", "动力燃料",
    "工程设备", "器材工具", "照明设备", "通讯广播", "交通运输", "工程材料",
]  # fmt: skip

# group -> [(name, spec, unit, top class, traditional category, shelf life days, maintenance days)]
ITEMS = {
    "生活类": [
        ("帐篷", "12 m² 单帐篷", "顶", "1", "临时食宿", None, None),
        ("棉帐篷", "12 m² 棉帐篷", "顶", "1", "临时食宿", None, None),
        ("棉被", "", "床", "1", "临时食宿", None, None),
        ("毛毯", "", "床", "1", "临时食宿", None, None),
        ("棉大衣", "", "件", "1", "临时食宿", None, None),
        ("睡袋", "", "个", "1", "临时食宿", None, None),
        ("折叠床", "", "张", "1", "临时食宿", None, None),
        ("折叠桌椅", "", "套", "1", "临时食宿", None, None),
        ("夏凉被", "毛巾被", "床", "1", "临时食宿", None, None),
        ("家庭应急包", "17 件", "个", "1", "生命支持", 1095, None),
        ("冲锋衣", "", "件", "1", "防护用品", None, None),
        ("场地照明灯", "", "台", "2", "照明设备", None, 180),
        ("移动厕所", "", "座", "1", "临时食宿", None, None),
        ("饮用水", "550 ml × 24 瓶", "箱", "1", "生命支持", 365, None),
        ("方便食品", "", "箱", "1", "生命支持", 270, None),
        ("取暖炉", "", "台", "1", "临时食宿", None, 365),
    ],
    "救生/防汛抢险类": [
        ("救生衣", "成人", "件", "2", "生命救助", None, None),
        ("救生圈", "", "个", "2", "生命救助", None, None),
        ("冲锋舟", "", "艘", "2", "救援运载", None, 90),
        ("橡皮艇", "", "艘", "2", "救援运载", None, 90),
        ("舷外机", "", "台", "2", "动力燃料", None, 90),
        ("编织袋", "", "条", "3", "工程材料", None, None),
        ("麻袋", "", "条", "3", "工程材料", None, None),
        ("土工布", "", "m²", "3", "工程材料", None, None),
        ("防管涌土工滤垫", "", "块", "3", "工程材料", None, None),
        ("木桩", "", "根", "3", "工程材料", None, None),
        ("铅丝", "", "kg", "3", "工程材料", None, None),
        ("块石", "", "m³", "3", "工程材料", None, None),
        ("抽水泵", "", "台", "2", "工程设备", None, 90),
        ("发电机组", "", "台", "2", "动力燃料", None, 90),
        ("抢险照明灯", "", "台", "2", "照明设备", None, 180),
        ("救生抛投器", "", "具", "2", "生命救助", None, 180),
    ],
    "消防扑火/森林防灭火类": [
        ("风力灭火机", "", "台", "2", "器材工具", None, 90),
        ("二号工具", "", "把", "2", "器材工具", None, None),
        ("灭火水泵", "", "台", "2", "工程设备", None, 90),
        ("灭火器", "干粉 4 kg", "具", "2", "器材工具", 1825, 365),
        ("油锯", "", "台", "2", "器材工具", None, 90),
        ("割灌机", "", "台", "2", "器材工具", None, 90),
        ("阻燃服", "", "套", "2", "防护用品", None, None),
        ("头盔", "", "顶", "2", "防护用品", None, None),
        ("防火手套", "", "副", "2", "防护用品", None, None),
    ],
    "医疗防疫类": [
        ("急救包", "", "个", "2", "生命救助", 1095, None),
        ("担架", "", "副", "2", "生命救助", None, None),
        ("消毒液", "500 ml", "瓶", "2", "污染清理", 730, None),
        ("口罩", "医用外科", "只", "2", "防护用品", 1095, None),
        ("防护服", "", "套", "2", "防护用品", 1095, None),
        ("体温计", "", "支", "2", "生命支持", None, None),
    ],
    "通信照明类": [
        ("卫星电话", "", "部", "2", "通讯广播", None, 90),
        ("对讲机", "", "部", "2", "通讯广播", None, 90),
        ("应急广播", "大喇叭", "套", "2", "通讯广播", None, 180),
        ("移动照明灯塔", "", "台", "2", "照明设备", None, 90),
        ("手电", "头灯", "个", "2", "照明设备", None, None),
    ],
    "工程抢险/装备类": [
        ("挖掘机", "", "台", "3", "工程设备", None, 90),
        ("装载机", "", "台", "3", "工程设备", None, 90),
        ("破拆工具组", "", "套", "2", "器材工具", None, 180),
        ("生命探测仪", "", "台", "2", "生命救助", None, 180),
    ],
}

# (tier, item name, at least, per 1,000 residents)
NORMS = [
    (2, "救生衣", 50, 5), (2, "编织袋", 2000, 0), (2, "帐篷", 10, 1), (2, "棉被", 50, 5),
    (2, "抽水泵", 2, 0), (2, "发电机组", 1, 0), (2, "手电", 20, 0), (2, "急救包", 10, 0),
    (3, "救生衣", 10, 0), (3, "编织袋", 200, 0), (3, "手电", 5, 0), (3, "应急广播", 1, 0),
]  # fmt: skip


def seed(apps, schema_editor):
    SupplyClass = apps.get_model("supplies", "SupplyClass")
    SupplyCategory = apps.get_model("supplies", "SupplyCategory")
    SupplyItem = apps.get_model("supplies", "SupplyItem")
    ReserveNorm = apps.get_model("supplies", "ReserveNorm")
    classes = {code: SupplyClass.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in CLASSES}
    categories = {
        name: SupplyCategory.objects.get_or_create(name=name, defaults={"order": n * 10})[0]
        for n, name in enumerate(CATEGORIES, start=1)
    }
    items = {}
    for group_no, (group, rows) in enumerate(ITEMS.items(), start=1):
        for n, (name, spec, unit, top, category, shelf, interval) in enumerate(rows, start=1):
            items[name], _ = SupplyItem.objects.get_or_create(
                code=f"{top}99{group_no:02d}{n:02d}",
                defaults={
                    "name": name,
                    "spec": spec,
                    "unit_of_measure": unit,
                    "supply_class": classes[top],
                    "category": categories[category],
                    "group": group,
                    "shelf_life_days": shelf,
                    "needs_maintenance": interval is not None,
                    "maintenance_interval_days": interval,
                },
            )
    for tier, name, quantity, per_thousand in NORMS:
        ReserveNorm.objects.get_or_create(
            tier=tier,
            unit_kind="",
            item=items[name],
            defaults={"quantity": quantity, "per_thousand": per_thousand, "rule": "示例标准，由县应急管理局调整"},
        )


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
