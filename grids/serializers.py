"""Serializers of the grid API: they parse and render; every write goes through ``grids.services``."""

from __future__ import annotations

from functools import partial
from types import MethodType

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grids import limits
from grids.choices import limit_choices
from grids.models import Department, GridUnit, Membership, Role, Sector, User
from grids.rules import Kind

GEOJSON_POLYGON = {
    "type": "object",
    "nullable": True,
    "description": "GeoJSON Polygon or MultiPolygon, longitude then latitude.",
    "properties": {
        "type": {"type": "string", "enum": ["Polygon", "MultiPolygon"]},
        "coordinates": {"type": "array", "items": {}},
    },
}
GEOJSON_POINT = {
    "type": "object",
    "nullable": True,
    "description": "GeoJSON Point, longitude then latitude.",
    "properties": {
        "type": {"type": "string", "enum": ["Point"]},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3},
    },
}


class ScopedRelatedFieldsMixin:
    """Every writable related field (a unit, person, department, hazard or document chosen by its
    id) *offers* only rows the caller may see: the choices it renders (the browsable API's forms)
    come from ``grids.choices``, cut down per request. Every serializer with such a field inherits
    it (checked by ``grids/tests/test_browsable_api.py``).

    The ids it *accepts* are still checked by the services, which answer as everywhere else: 404
    for what the caller cannot see, 403 (with the reason in Chinese) for what they may see but not
    do there. Validating against the scoped rows instead would turn those into a bare 400, and would
    refuse a manager granting a first role to a new person (nobody sees a person without a role)."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for field in fields.values():
            relation = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            if isinstance(relation, serializers.RelatedField) and not relation.read_only:
                relation.get_choices = MethodType(partial(_scoped_choices, user=user), relation)
        return fields


def _scoped_choices(relation: serializers.RelatedField, cutoff=None, *, user) -> dict:
    queryset = relation.get_queryset()
    if queryset is None:
        return {}
    queryset = queryset.none() if user is None else limit_choices(user, queryset)
    if cutoff is not None:
        queryset = queryset[:cutoff]
    return {relation.to_representation(item): relation.display_value(item) for item in queryset}


@extend_schema_field(GEOJSON_POLYGON)
class BoundaryField(serializers.JSONField):
    pass


@extend_schema_field(GEOJSON_POINT)
class LocationField(serializers.JSONField):
    pass


class GridUnitSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    """A grid unit. ``parent`` is set on creation only: moving a unit is the ``move`` action."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    tier = serializers.IntegerField(
        read_only=True, help_text=_("1 county, 2 township or park, 3 village or enterprise.")
    )
    parent = serializers.PrimaryKeyRelatedField(queryset=GridUnit.objects.all(), allow_null=True, required=False)
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)
    boundary = BoundaryField(required=False, allow_null=True)
    location = LocationField(required=False, allow_null=True)
    children_count = serializers.SerializerMethodField(help_text=_("Number of direct child units."))
    descendant_count = serializers.SerializerMethodField(help_text=_("Number of units in the subtree below this one."))

    class Meta:
        model = GridUnit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "tier",
            "level",
            "parent",
            "parent_code",
            "credit_code",
            "population",
            "households",
            "address",
            "is_active",
            "boundary",
            "location",
            "children_count",
            "descendant_count",
        ]
        read_only_fields = ["level"]
        # Uniqueness and the code rules are checked by the service (full_clean), with their own messages.
        extra_kwargs = {"code": {"validators": []}, "credit_code": {"validators": []}}
        validators: list = []

    def get_children_count(self, unit: GridUnit) -> int:
        annotated = getattr(unit, "children_total", None)
        if annotated is not None:
            return annotated
        return unit.get_children().count()  # detail views only; lists annotate it in the same query

    def get_descendant_count(self, unit: GridUnit) -> int:
        return unit.descendant_total

    def validate(self, attrs):
        if self.instance is not None and "parent" in attrs and attrs["parent"] != self.instance.parent:
            raise serializers.ValidationError({"parent": _("To change the parent unit use the move action.")})
        return attrs


class UnitMoveSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=GridUnit.objects.all(), allow_null=True, help_text=_("The new parent unit (which you must manage).")
    )
    code = serializers.CharField(
        required=False,
        max_length=limits.max_length(GridUnit, "code"),
        help_text=_(
            "Optional new code of the unit, checked against the new parent (e.g. a village moved to another "
            "township: 451027101202). The codes of the units below it change with it."
        ),
    )


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name", "order"]


class DepartmentSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    county = serializers.PrimaryKeyRelatedField(queryset=GridUnit.objects.filter(level=0))
    county_name = serializers.CharField(source="county.name", read_only=True)
    sectors = serializers.PrimaryKeyRelatedField(queryset=Sector.objects.all(), many=True, required=False)

    class Meta:
        model = Department
        fields = ["id", "county", "county_name", "name", "short_name", "sectors", "phone", "is_active"]


class PersonMembershipSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "unit", "unit_name", "role", "role_display"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    memberships = PersonMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "mobile", "position", "department", "memberships"]
        read_only_fields = fields


class MembershipSerializer(ScopedRelatedFieldsMixin, serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=GridUnit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "user_name", "unit", "unit_name", "role", "role_display", "is_active", "since", "note"]
        read_only_fields = ["is_active", "since"]
        validators: list = []  # granting again re-activates (membership_grant is idempotent)


class MeMembershipSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    tier = serializers.IntegerField(source="unit.tier", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "unit", "unit_name", "unit_code", "tier", "role", "role_display"]
        read_only_fields = fields


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    real_name = serializers.CharField()
    is_superuser = serializers.BooleanField()  # access: data
    department = serializers.IntegerField(allow_null=True, source="department_id")
    memberships = MeMembershipSerializer(many=True)
    top_units = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("The highest units in scope, each standing for its subtree.")
    )
    can_view = serializers.BooleanField(help_text=_("Whether any unit is in scope."))
    can_manage_grid = serializers.BooleanField(help_text=_("Whether the caller may manage units somewhere."))
    may = serializers.DictField(
        child=serializers.BooleanField(),
        help_text=_("Every registered action: whether the caller may do it somewhere."),
    )
