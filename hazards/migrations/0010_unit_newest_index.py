"""A township's or a village's newest hazards from the index (unit, found_at, id).

The list's page of fifty used to be found by walking ``found_at`` backwards through the whole
register until fifty of the scope's units turned up: for a township of a large county about 19,000
rows (88 ms at 1,000,000 hazards). On this index PostgreSQL reads each unit's newest rows and
keeps fifty (2 ms), from the index alone where the visibility map is set: so that autovacuum keeps
it set on a register that grows and changes all day, it runs on hazards after 2 % of the rows
changed or were added instead of the default 20 %."""

from django.db import migrations, models


def tune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE hazards_hazard SET (autovacuum_vacuum_scale_factor = 0.02, "
            "autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)"
        )


def untune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE hazards_hazard RESET (autovacuum_vacuum_scale_factor, "
            "autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)"
        )


class Migration(migrations.Migration):
    dependencies = [("hazards", "0009_tally_covering_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="hazard",
            index=models.Index(fields=["unit", "-found_at", "-id"], name="hazard_unit_newest"),
        ),
        migrations.RunPython(tune, untune),
    ]
