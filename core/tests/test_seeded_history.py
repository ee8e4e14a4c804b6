"""Every row a seed migration wrote into a table that keeps history (django-simple-history) has its
"created" history row: the admin's history of a rule starts from its seeded value."""

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db


def historied_models():
    return [m for m in apps.get_models() if hasattr(m._meta, "simple_history_manager_attribute")]


def test_every_seeded_row_of_a_table_with_history_has_its_created_row():
    seeded, missing = 0, {}
    for model in historied_models():
        pk = model._meta.pk.attname
        rows = set(model._default_manager.values_list("pk", flat=True))
        created = set(model.history.model.objects.filter(history_type="+").values_list(pk, flat=True))
        seeded += len(rows)
        if rows - created:
            missing[model._meta.label] = len(rows - created)
    assert seeded > 200  # the rule tables are seeded
    assert not missing, f"seeded rows without a history row: {missing}"
