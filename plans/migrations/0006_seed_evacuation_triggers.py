"""Which warning types call for which hazard categories' evacuation lists (a rule table; an
administrator edits it in the admin). A warning type or category missing here is skipped."""

from django.db import migrations

TRIGGERS = {
    # warning type code: hazard category codes
    "rainstorm": ("flood", "mountain_torrent", "geological", "waterlogging"),
    "typhoon": ("flood", "mountain_torrent", "geological", "waterlogging", "gale"),
    "flood": ("flood",),
    "mountain_torrent": ("mountain_torrent",),
    "geological": ("geological",),
    "earthquake": ("earthquake", "geological"),
    "forest_fire_danger": ("forest_fire",),
    "gale": ("gale",),
    "thunderstorm_gale": ("gale",),
    "snowstorm": ("snow_ice",),
}


def seed(apps, schema_editor):
    WarningType = apps.get_model("dispatch", "WarningType")
    Category = apps.get_model("hazards", "HazardCategory")
    Trigger = apps.get_model("plans", "EvacuationTrigger")
    types = {t.code: t for t in WarningType.objects.filter(code__in=TRIGGERS)}
    categories = {c.code: c for c in Category.objects.all()}
    for type_code, codes in TRIGGERS.items():
        for code in codes:
            if type_code in types and code in categories:
                Trigger.objects.get_or_create(warning_type=types[type_code], category=categories[code])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_evacuation_lists"),
        ("dispatch", "0002_seed_rules"),
        ("hazards", "0002_seed_rules"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
