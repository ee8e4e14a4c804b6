"""One "created" history row for every rule row the seed migrations wrote, so that the admin's
history of a seeded rule starts from its seeded value (as hazards' and drills' do)."""

from django.db import migrations

from core.migration_ops import first_history


class Migration(migrations.Migration):
    dependencies = [("patrols", "0002_seed_rules")]

    operations = [first_history("patrols", "Season", "PatrolRule")]
