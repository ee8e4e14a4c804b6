"""The grid's REST API (/api/v1/): thin viewsets over ``grids.scope`` (reads) and ``grids.services`` (writes).

Every queryset starts from the caller's scope, so a unit, person or membership outside it is a 404.
Detail objects of units come through ``get_unit_for_user`` (404 when unseen, 403 when read-only).
A Django ``ValidationError`` raised by a service becomes a 400 with its messages per field.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ServiceErrorsMixin, schema_only
from grids import limits, selectors, services
from grids.choices import ScopedFilterBackend
from grids.models import Department, GridUnit, Membership, Role, Sector, User, within_q
from grids.rules import TIER_OF_KIND, Kind
from grids.scope import PERMISSIONS, Action, get_unit_for_user, is_administrator, scope_for, visible_people
from grids.serializers import (
    DepartmentSerializer,
    GridUnitSerializer,
    MembershipSerializer,
    MeSerializer,
    PersonSerializer,
    SectorSerializer,
    UnitMoveSerializer,
)


class ReadOnlyUnlessSuperuser(permissions.IsAuthenticated):
    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or is_administrator(request.user)


class IntegerFilter(filters.NumberFilter):
    field_class = limits.BoundedIntegerFormField


# --- units ------------------------------------------------------------------------------------


class GridUnitFilter(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(choices=Kind.choices)
    level = IntegerFilter(field_name="level", help_text="MPTT depth: 0 county, 1 township or park, 2 village.")
    tier = IntegerFilter(method="filter_tier", help_text="1 county, 2 township or park, 3 village or enterprise.")
    parent = IntegerFilter(method="filter_parent", help_text="Only the direct children of this unit.")
    is_active = filters.BooleanFilter()
    code = filters.CharFilter()
    under = IntegerFilter(method="filter_under", help_text="Only this unit and its subtree (404 if not visible).")

    class Meta:
        model = GridUnit
        fields = ["kind", "level", "tier", "parent", "is_active", "code", "under"]

    def filter_parent(self, queryset, name, value: int):
        return queryset.filter(parent_id=value)

    def filter_tier(self, queryset, name, value: int):
        return queryset.filter(kind__in=[kind for kind, tier in TIER_OF_KIND.items() if tier == value])

    def filter_under(self, queryset, name, value: int):
        unit = get_unit_for_user(self.request.user, value)
        return queryset.filter(within_q(unit))


@extend_schema(tags=["units"])
class GridUnitViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Grid units in the caller's scope. No hard delete: deactivate a unit instead."""

    serializer_class = GridUnitSerializer
    filter_backends = [ScopedFilterBackend, SearchFilter]
    filterset_class = GridUnitFilter
    search_fields = ["name", "code"]

    def get_queryset(self):
        if schema_only(self):
            return GridUnit.objects.none()
        children = (
            GridUnit.objects.filter(parent=OuterRef("pk"))
            .order_by()
            .values("parent")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            scope_for(self.request.user)
            .units()
            .select_related("parent")
            .annotate(children_total=Coalesce(Subquery(children, output_field=IntegerField()), 0))
            .order_by("tree_id", "lft")
        )

    def get_object(self) -> GridUnit:
        needed = Action.VIEW if self.action == "retrieve" else Action.MANAGE_GRID
        unit = get_unit_for_user(self.request.user, self.kwargs["pk"], action=needed)
        self.check_object_permissions(self.request, unit)
        return unit

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        parent = data.pop("parent", None)  # optional in the schema: a county has none
        serializer.instance = services.unit_create(by=self.request.user, parent=parent, **data)

    def perform_update(self, serializer) -> None:
        fields = {k: v for k, v in serializer.validated_data.items() if k != "parent"}
        serializer.instance = services.unit_update(by=self.request.user, unit=serializer.instance, **fields)

    @extend_schema(request=None, responses=GridUnitSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Retire the unit: it keeps its code and records and leaves the active grid."""
        unit = services.unit_deactivate(by=request.user, unit=self.get_object())
        return Response(self.get_serializer(unit).data)

    @extend_schema(request=UnitMoveSerializer, responses=GridUnitSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the unit with its subtree under another parent (which the caller must manage).

        Give ``code`` to change the unit's code with the move (its subtree is re-coded with it).
        """
        unit = self.get_object()
        body = UnitMoveSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        unit = services.unit_move(
            by=request.user, unit=unit, new_parent=body.validated_data["parent"], code=body.validated_data.get("code")
        )
        return Response(self.get_serializer(unit).data)


# --- departments, sectors ---------------------------------------------------------------------


@extend_schema(tags=["departments"])
class DepartmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """County departments of the counties in scope. Only a superuser may add or change one."""

    serializer_class = DepartmentSerializer
    permission_classes = [ReadOnlyUnlessSuperuser]
    filterset_fields = ["county", "is_active"]

    def get_queryset(self):
        if schema_only(self):
            return Department.objects.none()
        departments = Department.objects.select_related("county").prefetch_related("sectors")
        return scope_for(self.request.user).filter(departments, "county").order_by("county_id", "name")


@extend_schema(tags=["sectors"])
class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """Supervision sectors (水利, 交通, 林草 …): a fixed list, read-only."""

    queryset = Sector.objects.all()
    serializer_class = SectorSerializer
    pagination_class = None


# --- people and memberships -------------------------------------------------------------------


def _units_in_scope(request):
    if request is None:  # the schema
        return GridUnit.objects.none()
    return scope_for(request.user).units()


def _departments_in_scope(request):
    if request is None:
        return Department.objects.none()
    return scope_for(request.user).filter(Department.objects.all(), "county")


class PersonFilter(filters.FilterSet):
    """Choices come from the caller's scope: a unit or department beyond it is a 400, never rows
    (a foreign unit would tell which of one's people also hold a role there)."""

    unit = filters.ModelChoiceFilter(
        queryset=_units_in_scope, method="filter_unit", help_text="People holding an active role in this unit."
    )
    department = filters.ModelChoiceFilter(queryset=_departments_in_scope)

    class Meta:
        model = User
        fields = ["department", "unit"]

    def filter_unit(self, queryset, name, value: GridUnit):
        if value is None:
            return queryset
        return queryset.filter(pk__in=Membership.objects.active().filter(unit=value).values("user_id"))


@extend_schema(tags=["people"])
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People in scope with their roles in the units the caller sees. Managed by import and admin."""

    serializer_class = PersonSerializer
    filter_backends = [ScopedFilterBackend, SearchFilter]
    filterset_class = PersonFilter
    search_fields = ["username", "real_name", "mobile"]

    def get_queryset(self):
        if schema_only(self):
            return User.objects.none()
        user = self.request.user
        roles = scope_for(user).filter(Membership.objects.active(), "unit").select_related("unit")
        return (
            visible_people(user)
            .select_related("department")
            .prefetch_related(Prefetch("memberships", queryset=roles))
            .order_by("username")
        )


class MembershipFilter(filters.FilterSet):
    role = filters.ChoiceFilter(choices=Role.choices)
    unit = IntegerFilter(method="filter_unit", help_text="Roles held in this unit.")
    user = IntegerFilter(method="filter_user", help_text="Roles held by this person.")

    class Meta:
        model = Membership
        fields = ["unit", "user", "role", "is_active"]

    def filter_unit(self, queryset, name, value: int):
        return queryset.filter(unit_id=value)

    def filter_user(self, queryset, name, value: int):
        return queryset.filter(user_id=value)


@extend_schema(tags=["memberships"])
class MembershipViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Roles held in the units in scope. Granting needs MANAGE_GRID on the unit; revoke, never delete."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def get_queryset(self):
        if schema_only(self):
            return Membership.objects.none()
        memberships = Membership.objects.select_related("unit", "user")
        return scope_for(self.request.user).filter(memberships, "unit")

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.membership_grant(
            by=self.request.user, user=data["user"], unit=data["unit"], role=data["role"], note=data.get("note", "")
        )

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """End the membership (its history stays)."""
        membership = services.membership_revoke(by=request.user, membership=self.get_object())
        return Response(self.get_serializer(membership).data)


# --- the caller -------------------------------------------------------------------------------


@extend_schema(tags=["me"], responses=MeSerializer)
class MeView(APIView):
    """The caller: their roles, the top of their scope, and what they may do somewhere."""

    def get(self, request):
        user = request.user
        scope = scope_for(user)
        may = {str(name): scope.may_anywhere(name) for name in PERMISSIONS}
        can_view = scope.sees_anything()
        may[str(Action.VIEW)] = can_view
        data = {
            "id": user.pk,
            "username": user.username,
            "real_name": user.real_name,
            "is_superuser": user.is_superuser,  # access: data
            "department_id": user.department_id,
            "memberships": selectors.memberships_of(user),
            "top_units": list(scope.top_units().values_list("pk", flat=True)),
            "can_view": can_view,
            "can_manage_grid": scope.may_anywhere(Action.MANAGE_GRID),
            "may": may,
        }
        return Response(MeSerializer(data).data)
