"""Default reporting calendar (DOMAIN.md §3, seed 000 §5) and seasonal risk calendar."""

from django.db import migrations

RULES = [
    # kind, tier, every n months, due by day of the next period
    ("monthly_report", 3, 1, 5),
    ("monthly_report", 2, 1, 8),
    ("consultation", 2, 1, 5),
    ("consultation", 1, 3, 15),
]
SEASONS = [
    # name, category code, from (month, day), to (month, day), advice
    ("主汛期", "flood", (6, 1), (8, 31), "强降雨、山洪、地质灾害易发，落实24小时值班和危险区人员转移预案。"),
    ("汛期（前后汛）", "mountain_torrent", (4, 1), (10, 31), "关注短时强降雨，加强山洪沟、地质灾害隐患点巡查。"),
    ("森林防火期", "forest_fire", (10, 1), (4, 30), "春节、清明等节点野外用火管控，护林员上岗巡护。"),
    ("寒潮冰冻期", "snow_ice", (11, 15), (2, 28), "道路结冰、设施覆冰，防范低温冻害和一氧化碳中毒。"),
    ("高温干旱期", "drought", (7, 1), (9, 15), "人畜饮水、农业灌溉和高温作业防护。"),
    ("春季大风期", "gale", (3, 1), (5, 31), "防范大风、冰雹、雷电，加固临时构筑物。"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("reports", "ReportingRule")
    Season = apps.get_model("reports", "SeasonalRisk")
    Category = apps.get_model("hazards", "HazardCategory")
    for kind, tier, months, day in RULES:
        Rule.objects.update_or_create(kind=kind, tier=tier, defaults={"period_months": months, "deadline_day": day})
    categories = {c.code: c for c in Category.objects.all()}
    for name, code, (sm, sd), (em, ed), advice in SEASONS:
        Season.objects.update_or_create(
            name=name,
            defaults={"category": categories.get(code), "start_month": sm, "start_day": sd, "end_month": em,
                      "end_day": ed, "advice": advice},
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("hazards", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
