"""Default rule tables: warning types and their colours (RULES.md §4.2), acknowledgement times,
accident grading (RULES.md §3.2), reporting deadlines (seed 001), incident types (RULES.md §3.1)."""

from decimal import Decimal

from django.db import migrations

WARNING_TYPES = [
    # code, name, source, levels (1 red … 4 blue), feed code, CAP category
    ("typhoon", "台风", "met", [1, 2, 3, 4], "01", "Met"),
    ("rainstorm", "暴雨", "met", [1, 2, 3, 4], "02", "Met"),
    ("snowstorm", "暴雪", "met", [1, 2, 3, 4], "03", "Met"),
    ("cold_wave", "寒潮", "met", [1, 2, 3, 4], "04", "Met"),
    ("gale", "大风", "met", [1, 2, 3, 4], "05", "Met"),
    ("sandstorm", "沙尘暴", "met", [1, 2, 3], "06", "Met"),
    ("heat", "高温", "met", [1, 2, 3], "07", "Met"),
    ("drought", "干旱", "met", [1, 2], "08", "Met"),
    ("lightning", "雷电", "met", [1, 2, 3], "09", "Met"),
    ("hail", "冰雹", "met", [1, 2], "10", "Met"),
    ("frost", "霜冻", "met", [2, 3, 4], "11", "Met"),
    ("fog", "大雾", "met", [1, 2, 3], "12", "Met"),
    ("haze", "霾", "met", [1, 2, 3], "13", "Met"),
    ("road_icing", "道路结冰", "met", [1, 2, 3], "14", "Met"),
    ("forest_fire_danger", "森林火险", "fire", [1, 2, 3], "15", "Fire"),
    ("thunderstorm_gale", "雷雨大风", "met", [1, 2, 3, 4], "16", "Met"),
    ("flood", "洪水", "flood", [1, 2, 3, 4], "", "Met"),
    ("mountain_torrent", "山洪灾害", "flood", [1, 2, 3, 4], "", "Met"),
    ("geological", "地质灾害气象风险", "geo", [1, 2, 3, 4], "", "Geo"),
    ("earthquake", "地震", "quake", [1, 2, 3, 4], "", "Geo"),
]
ACK_RULES = [(1, 15, 30), (2, 20, 40), (3, 30, 60)]
THRESHOLDS = [(1, 30, 100, "10000"), (2, 10, 50, "5000"), (3, 3, 10, "1000"), (4, 1, 1, "0")]
DEADLINES = [(1, 20, 40), (2, 20, 40), (3, 20, 40), (4, 60, 120)]
INCIDENT_TYPES = [
    ("natural", "flood_drought", "水旱灾害", False), ("natural", "meteorological", "气象灾害", False),
    ("natural", "earthquake", "地震灾害", False), ("natural", "geological", "地质灾害", False),
    ("natural", "forest_fire", "森林草原火灾", False), ("natural", "biological", "生物灾害", False),
    ("accident", "industrial", "工矿商贸企业安全事故", True), ("accident", "traffic", "交通运输事故", True),
    ("accident", "fire", "火灾事故", True), ("accident", "construction", "建筑施工事故", True),
    ("accident", "hazardous_chemicals", "危险化学品事故", True), ("accident", "public_facility", "公共设施和设备事故", True),
    ("accident", "environment", "环境污染和生态破坏事件", False),
    ("health", "epidemic", "传染病疫情", False), ("health", "food_safety", "食品安全和职业危害", False),
    ("health", "animal_epidemic", "动物疫情", False),
    ("social", "mass_incident", "群体性事件", False), ("social", "criminal", "刑事案件", False),
    ("social", "other_social", "其他社会安全事件", False),
]


def seed(apps, schema_editor):
    WarningType = apps.get_model("dispatch", "WarningType")
    for order, (code, name, source, levels, feed, category) in enumerate(WARNING_TYPES, start=1):
        WarningType.objects.update_or_create(code=code, defaults={
            "name": name, "source": source, "levels": levels, "feed_code": feed, "cap_category": category, "order": order})
    Ack = apps.get_model("dispatch", "AcknowledgementRule")
    for tier, remind, parent in ACK_RULES:
        Ack.objects.update_or_create(tier=tier, defaults={"remind_after_minutes": remind, "tell_parent_after_minutes": parent})
    Threshold = apps.get_model("dispatch", "AccidentThreshold")
    for level, deaths, injuries, loss in THRESHOLDS:
        Threshold.objects.update_or_create(level=level, defaults={
            "min_deaths": deaths, "min_serious_injuries": injuries, "min_direct_loss": Decimal(loss)})
    Deadline = apps.get_model("dispatch", "ReportingDeadline")
    for level, phone, written in DEADLINES:
        Deadline.objects.update_or_create(level=level, defaults={"phone_minutes": phone, "written_minutes": written})
    IncidentType = apps.get_model("dispatch", "IncidentType")
    for order, (category, code, name, production) in enumerate(INCIDENT_TYPES, start=1):
        IncidentType.objects.update_or_create(code=code, defaults={
            "category": category, "name": name, "production_safety": production, "order": order})


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
