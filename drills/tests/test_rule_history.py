"""The seeded drill rule rows start their history at their seeded values (migration 0005)."""

import pytest

from drills.models import ConclusionBand, DrillRequirement, EvaluationIndicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [DrillRequirement, EvaluationIndicator, ConclusionBand])
def test_every_seeded_rule_row_has_its_first_history_row(model):
    rows = set(model.objects.values_list("pk", flat=True))
    assert rows
    created = set(model.history.filter(history_type="+").values_list("id", flat=True))
    assert rows <= created
