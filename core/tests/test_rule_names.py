"""Rule rows in both languages (issue 17 item 13): ``core.models.RuleName`` gives every seeded rule
table an English name, filled by the apps' ``*_name_en`` migrations; ``display_name`` and
``str()`` follow the interface language."""

from __future__ import annotations

from django.apps import apps
from django.utils import translation

from core.models import RuleName
from dispatch.models import WarningType


def rule_models():
    return [model for model in apps.get_models() if issubclass(model, RuleName)]


def test_every_rule_table_of_the_brief_has_an_english_name():
    names = {model._meta.label for model in rule_models()}
    assert {
        "hazards.HazardCategory",
        "dispatch.WarningType",
        "dispatch.IncidentType",
        "supplies.SupplyClass",
        "supplies.SupplyCategory",
        "resources.Speciality",
        "drills.UnitCategory",
        "drills.DrillRequirement",
        "drills.EvaluationIndicator",
        "drills.ConclusionBand",
        "plans.PlanKind",
        "patrols.Season",
    } <= names


def test_every_seeded_row_got_its_english_name(db):
    for model in rule_models():
        rows = list(model.objects.values_list("name", "name_en"))
        assert rows, model
        missing = [name for name, english in rows if not english]
        assert not missing, (model._meta.label, missing)


def test_display_name_follows_the_language_and_falls_back_to_chinese(db):
    rainstorm = WarningType.objects.get(code="rainstorm")
    with translation.override("zh-hans"):
        assert (rainstorm.display_name, str(rainstorm)) == ("暴雨", "暴雨")
    with translation.override("en"):
        assert (rainstorm.display_name, str(rainstorm)) == ("Rainstorm", "Rainstorm")
        rainstorm.name_en = ""
        assert rainstorm.display_name == "暴雨"


def test_the_migration_keeps_an_administrators_own_english_name(db):
    from importlib import import_module

    migration = import_module("dispatch.migrations.0011_name_en")
    step = migration.Migration.operations[-2]  # warning types
    WarningType.objects.filter(code="rainstorm").update(name_en="Heavy rain")
    WarningType.objects.filter(code="typhoon").update(name_en="")
    step.code(apps, None)
    assert WarningType.objects.get(code="rainstorm").name_en == "Heavy rain"
    assert WarningType.objects.get(code="typhoon").name_en == "Typhoon"
