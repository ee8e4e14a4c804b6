"""Default rule tables (RULES.md §1, DOMAIN.md §2). An administrator edits them in the admin."""

from decimal import Decimal

from django.db import migrations

CATEGORIES = [
    # code, name, family, sector code
    ("flood", "洪涝", "natural", "water"),
    ("mountain_torrent", "山洪", "natural", "water"),
    ("geological", "地质灾害（崩塌、滑坡、泥石流）", "natural", "natural_resources"),
    ("waterlogging", "城镇内涝", "natural", "housing"),
    ("forest_fire", "森林草原火灾", "natural", "forestry"),
    ("snow_ice", "暴雪、低温冰冻", "natural", "meteorology"),
    ("gale", "大风、冰雹、雷电", "natural", "meteorology"),
    ("drought", "干旱", "natural", "water"),
    ("earthquake", "地震", "natural", "earthquake"),
    ("road_traffic", "道路交通", "production", "road_traffic"),
    ("fire", "消防安全", "production", "fire"),
    ("construction", "建筑施工", "production", "housing"),
    ("self_built_housing", "自建房安全", "production", "housing"),
    ("hazardous_chemicals", "危险化学品", "production", "emergency"),
    ("mine", "矿山", "production", "emergency"),
    ("industry_trade", "工贸企业（机械、粉尘、有限空间）", "production", "emergency"),
    ("town_gas", "城镇燃气", "production", "housing"),
    ("special_equipment", "特种设备", "production", "special_equipment"),
    ("crowded_places", "人员密集场所", "production", "fire"),
    ("water_transport", "水上交通", "production", "transport"),
    ("other", "其他", "production", None),
]

LEC = {
    "lec_l": [(10, "完全可以预料"), (6, "相当可能"), (3, "可能，但不经常"), (1, "可能性小，完全意外"),
              (Decimal("0.5"), "很不可能，可以设想"), (Decimal("0.2"), "极不可能"), (Decimal("0.1"), "实际不可能")],
    "lec_e": [(10, "连续暴露"), (6, "每天工作时间内暴露"), (3, "每周一次，或偶然暴露"), (2, "每月一次暴露"),
              (1, "每年几次暴露"), (Decimal("0.5"), "非常罕见的暴露")],
    "lec_c": [(100, "大灾难，许多人死亡（10人以上死亡）"), (40, "灾难，数人死亡（3～9人死亡）"),
              (15, "非常严重，一人死亡（1～2人死亡）"), (7, "严重，重伤"), (3, "重大，致残"), (1, "引人注目，需要救护")],
    "ls_l": [(5, "无防范、监测、控制措施，或危害不能被发现，或经常发生"), (4, "危害不易发现，无检测系统，或措施未有效执行"),
             (3, "无保护措施或未严格按程序执行，或过去曾发生类似事故"), (2, "危害能及时发现并定期监测，或措施能有效执行，或偶尔发生"),
             (1, "有充分有效的防范、控制、监测、保护措施，极不可能发生")],
    "ls_s": [(5, "死亡；违反法律法规；损失50万元以上"), (4, "丧失劳动能力；潜在违法；损失25万元以上"),
             (3, "截肢、骨折等；不符合上级或行业规定；损失10万元以上"), (2, "轻微受伤；不符合企业规程；损失10万元以下"),
             (1, "无伤亡、无损失")],
}

# D ≥ 320 red; 160 ≤ D < 320 orange; 70 ≤ D < 160 yellow; below blue. Matrix variant A.
BANDS = [("lec", 1, 320), ("lec", 2, 160), ("lec", 3, 70), ("lec", 4, 0),
         ("ls", 1, 20), ("ls", 2, 9), ("ls", 3, 4), ("ls", 4, 0)]


def seed(apps, schema_editor):
    Sector = apps.get_model("grids", "Sector")
    Category = apps.get_model("hazards", "HazardCategory")
    Option = apps.get_model("hazards", "RiskFactorOption")
    Band = apps.get_model("hazards", "RiskBand")
    sectors = {s.code: s for s in Sector.objects.all()}
    for order, (code, name, family, sector) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code, defaults={"name": name, "family": family, "sector": sectors.get(sector), "order": order}
        )
    for factor, values in LEC.items():
        for value, label in values:
            Option.objects.update_or_create(factor=factor, value=Decimal(value), defaults={"label": label})
    for method, level, score in BANDS:
        Band.objects.update_or_create(method=method, level=level, defaults={"min_score": Decimal(score)})


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial"), ("grids", "0002_seed_sectors")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
