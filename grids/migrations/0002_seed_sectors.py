"""The supervision sectors of county departments (DOMAIN.md §1, §2). Editable in the admin."""

from django.db import migrations

SECTORS = [
    ("emergency", "应急管理（工贸、危化品、非煤矿山）"),
    ("water", "水利（防汛抗旱、山洪）"),
    ("natural_resources", "自然资源（地质灾害）"),
    ("forestry", "林业和草原（森林草原防灭火）"),
    ("meteorology", "气象"),
    ("transport", "交通运输"),
    ("road_traffic", "道路交通安全（公安）"),
    ("housing", "住房城乡建设（建筑施工、城镇燃气）"),
    ("fire", "消防安全"),
    ("special_equipment", "特种设备（市场监管）"),
    ("agriculture", "农业农村"),
    ("education", "教育（校园安全）"),
    ("health", "卫生健康"),
    ("ecology", "生态环境"),
    ("earthquake", "防震减灾"),
    ("tourism", "文化旅游"),
    ("energy", "能源、电力"),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("grids", "Sector")
    for order, (code, name) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("grids", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
