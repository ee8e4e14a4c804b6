"""One "created" history row for every drill rule row the seed migrations wrote (the requirement
table, the evaluation indicators and bands, the unit categories), as hazards and reports have, so
that the admin's history of a rule starts from its seeded value."""

from django.db import migrations

RULE_TABLES = ("UnitCategory", "CategorisedUnit", "DrillRequirement", "EvaluationIndicator", "ConclusionBand")


def first_history(apps, schema_editor):
    from django.utils import timezone

    now = timezone.now()
    for name in RULE_TABLES:
        model, historical = apps.get_model("drills", name), apps.get_model("drills", f"Historical{name}")
        if historical.objects.exists():
            continue
        kept = {f.attname for f in historical._meta.concrete_fields}
        fields = [f.attname for f in model._meta.concrete_fields if f.attname in kept]
        historical.objects.bulk_create(
            [
                historical(history_date=now, history_type="+", **{f: getattr(row, f) for f in fields})
                for row in model.objects.all()
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("drills", "0004_drillmedia_thumbnail")]

    operations = [migrations.RunPython(first_history, migrations.RunPython.noop)]
