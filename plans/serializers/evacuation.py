"""Serializers of the evacuation API: zones, shelters, households (the vulnerable persons' details
and phones only for the village and its township: ``plans.access.may_see_private``), the import's
body and answer, and the capacity per township."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grids import limits
from plans import access
from plans.models import DangerZone, Household, Shelter


class DangerZoneSerializer(serializers.ModelSerializer):
    category_code = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    category_name_en = serializers.CharField(source="category.name_en", read_only=True)

    class Meta:
        model = DangerZone
        fields = ["id", "unit", "category", "category_code", "category_name", "category_name_en", "name", "description", "boundary",
                  "duty_phone"]  # fmt: skip
        read_only_fields = fields


class ShelterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shelter
        fields = ["id", "unit", "name", "place", "lng", "lat", "capacity", "manager_name", "manager_phone",
                  "facilities", "is_open"]  # fmt: skip
        read_only_fields = fields


class HouseholdSerializer(serializers.ModelSerializer):
    """``phone`` and ``vulnerable_notes`` are null for a caller outside the village and its township."""

    unit = serializers.IntegerField(source="zone.unit_id", read_only=True)
    phone = serializers.SerializerMethodField()
    vulnerable_notes = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "zone", "unit", "head_name", "address", "phone", "persons", "vulnerable", "vulnerable_notes",
                  "cadre_name", "cadre_phone", "route", "shelter", "signal"]  # fmt: skip
        read_only_fields = fields

    def _private(self, household) -> bool:
        request = self.context.get("request")
        return request is not None and access.may_see_private(request.user, household.zone.unit)

    def get_phone(self, household) -> str | None:
        return household.phone if self._private(household) else None

    def get_vulnerable_notes(self, household) -> str | None:
        return household.vulnerable_notes if self._private(household) else None


class ShelterStateBodySerializer(serializers.Serializer):
    is_open = serializers.BooleanField(label=pgettext_lazy("shelter", "open"))


class EvacuationImportBodySerializer(serializers.Serializer):
    file = serializers.FileField(label=_("Workbook"), help_text=_("The template's workbook (.xlsx), at most 10 MB."))

    def validate_file(self, upload):
        if upload.size > limits.IMPORT_MAX_BYTES:
            raise serializers.ValidationError(_("The file is larger than 10 MB; split it into several files."))
        return upload


class SheetRowErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    message = serializers.CharField()


class EvacuationImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    deleted = serializers.IntegerField()
    errors = SheetRowErrorSerializer(many=True)


class CategoryPersonsSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    persons = serializers.IntegerField()


class TownshipCapacitySerializer(serializers.Serializer):
    township = serializers.IntegerField(source="township.pk")
    township_name = serializers.CharField(source="township.name")
    persons = serializers.IntegerField()
    vulnerable = serializers.IntegerField()
    households = serializers.IntegerField()
    capacity = serializers.IntegerField()
    shortfall = serializers.IntegerField()
    by_category = serializers.SerializerMethodField()

    @extend_schema_field(CategoryPersonsSerializer(many=True))
    def get_by_category(self, row) -> list[dict]:
        return [{"category": pk, "persons": persons} for pk, persons in sorted(row.persons_by_category.items())]
