"""Seed the patrol rule tables. The seasons are assumed (汛期 1 May – 30 September, 防火期
1 October – 30 April) and the intervals a starting point: each county edits them in the admin."""

from django.db import migrations

SEASONS = [
    ("汛期", "flood", 5, 1, 9, 30),
    ("防火期", "fire", 10, 1, 4, 30),
]
# unit kind, season kind (None: all year), warning level in force at least (None: any time), points, every N days
RULES = [
    (None, None, "any", 7),  # each village weekly
    ("fire", None, "any", 5),
    ("flood", None, "hazard", 3),
    (None, 4, "hazard", 1),  # daily while any warning (blue or above) is in force over it
]
KINDS = ("village", "gacha", "community")


def seed(apps, schema_editor):
    Season = apps.get_model("patrols", "Season")
    PatrolRule = apps.get_model("patrols", "PatrolRule")
    seasons = {}
    for name, kind, sm, sd, em, ed in SEASONS:
        seasons[kind], _ = Season.objects.get_or_create(
            county=None, kind=kind,
            defaults={"name": name, "start_month": sm, "start_day": sd, "end_month": em, "end_day": ed},
        )  # fmt: skip
    if PatrolRule.objects.exists():
        return
    PatrolRule.objects.bulk_create(
        [
            PatrolRule(unit_kind=kind, season=seasons.get(season), warning_level=level, point_source=source, interval_days=days)
            for kind in KINDS
            for season, level, source, days in RULES
        ]
    )


def unseed(apps, schema_editor):
    apps.get_model("patrols", "PatrolRule").objects.all().delete()
    apps.get_model("patrols", "Season").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("patrols", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
