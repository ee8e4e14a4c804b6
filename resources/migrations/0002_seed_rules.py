"""Default rule tables: rescue specialities (with the hazard categories and incident types they
serve), the required strength per team kind, and the roles each tier must have reachable
(DOMAIN.md §1, §8). An administrator edits them in the admin."""

from django.db import migrations

SPECIALITIES = [
    # code, name, hazard category codes, incident type codes
    ("flood", "防汛抗洪", ["flood", "mountain_torrent", "waterlogging"], ["flood_drought"]),
    ("forest_fire", "森林草原灭火", ["forest_fire"], ["forest_fire"]),
    ("geological", "地质灾害救援", ["geological", "earthquake"], ["geological", "earthquake"]),
    ("hazardous_chemicals", "危险化学品处置", ["hazardous_chemicals", "town_gas"], ["hazardous_chemicals"]),
    ("medical", "医疗救护", [], ["traffic", "industrial", "construction", "public_facility"]),
    ("fire", "消防灭火", ["fire", "crowded_places"], ["fire"]),
    ("water_rescue", "水上救援", ["water_transport", "flood"], ["traffic", "flood_drought"]),
    ("general", "综合救援", ["road_traffic", "construction", "self_built_housing", "mine", "industry_trade"],
     ["traffic", "industrial", "construction"]),
]  # fmt: skip

STRENGTH = [("brigade", 30, 20), ("squadron", 10, 6), ("vanguard", 5, 3), ("enterprise", 5, 3), ("social", 5, 2)]

REQUIRED_ROLES = {
    1: ["grid_leader", "deputy_leader", "dispatcher", "information_officer"],
    2: ["grid_leader", "deputy_leader", "grid_officer", "information_officer", "dispatcher"],
    3: ["grid_leader", "grid_officer", "information_officer"],
}


def seed(apps, schema_editor):
    Speciality = apps.get_model("resources", "Speciality")
    StrengthRule = apps.get_model("resources", "StrengthRule")
    RequiredRole = apps.get_model("resources", "RequiredRole")
    HazardCategory = apps.get_model("hazards", "HazardCategory")
    IncidentType = apps.get_model("dispatch", "IncidentType")
    for order, (code, name, categories, types) in enumerate(SPECIALITIES, start=1):
        speciality, _created = Speciality.objects.update_or_create(code=code, defaults={"name": name, "order": order})
        speciality.hazard_categories.set(HazardCategory.objects.filter(code__in=categories))
        speciality.incident_types.set(IncidentType.objects.filter(code__in=types))
    for kind, members, on_duty in STRENGTH:
        StrengthRule.objects.update_or_create(kind=kind, defaults={"min_members": members, "min_on_duty": on_duty})
    for tier, roles in REQUIRED_ROLES.items():
        for order, role in enumerate(roles, start=1):
            RequiredRole.objects.update_or_create(tier=tier, role=role, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
        ("hazards", "0002_seed_rules"),
        ("dispatch", "0002_seed_rules"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
