"""The coverage API's serializers (read-only): one row per unit, one gap per unit and category."""

from __future__ import annotations

from rest_framework import serializers


class CoveragePlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class CoverageCellSerializer(serializers.Serializer):
    plan_kind = serializers.CharField(source="kind.code")
    plan_kind_name = serializers.CharField(source="kind.name")
    plan_kind_name_en = serializers.CharField(source="kind.name_en")
    required = serializers.BooleanField()
    gap = serializers.BooleanField()
    plans = CoveragePlanSerializer(many=True, help_text="The plans of this kind in force at the unit.")


class CoverageRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    unit_code = serializers.CharField(source="unit.code")
    unit_kind = serializers.CharField(source="unit.kind")
    township = serializers.IntegerField(source="head.pk", help_text="The unit's township or park.")
    township_name = serializers.CharField(source="head.name")
    cells = CoverageCellSerializer(many=True)


class HazardGapSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    township = serializers.IntegerField(source="head.pk")
    township_name = serializers.CharField(source="head.name")
    source = serializers.CharField(help_text='"hazard" (an open hazard category) or "incident" (an incident type).')
    category = serializers.CharField(source="category.code", help_text="Hazard category or incident type code.")
    category_name = serializers.CharField(source="category.name")
    category_name_en = serializers.CharField(source="category.name_en")
    count = serializers.IntegerField(help_text="Open hazards, or incidents in the period, that make the gap.")
    url = serializers.CharField(help_text="The hazard or incident list of the site, filtered to them.")
