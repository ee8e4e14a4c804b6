"""The plan REST API (/api/v1/): read through ``plans.access``, every change a service.

- ``plans/``: list, retrieve, create (a plan with its first draft version), ``open-revision``.
- ``plan-versions/``: retrieve (documents, reviews, filings) and the transitions as POST actions:
  ``documents`` (multipart), ``submit-review``, ``review``, ``issue``, ``file``, ``withdraw``.
- ``plan-filings/``: the filings the caller sees (``?awaiting=1``: those waiting for the caller's
  own unit or department), ``receipt`` and ``return``.
Refused by state → 409, by role → 403, bad fields → 400, unseen → 404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api import RefusalsMixin, refusals, schema_only
from plans import access, selectors, services
from plans.models import Filing, Plan, PlanVersion
from plans.permissions import PlanAction
from plans.serializers import (
    DocumentBodySerializer,
    EmergencyPlanSerializer,
    EmptySerializer,
    FilingSerializer,
    IssueBodySerializer,
    PlanCreateSerializer,
    PlanVersionSerializer,
    ReasonBodySerializer,
    ReviewBodySerializer,
    RevisionBodySerializer,
)


class PlanErrorsMixin(RefusalsMixin):
    conflicts = (services.TransitionRefused,)


REFUSALS = refusals(conflict=_("The plan's state does not allow this."))


@extend_schema_view(
    list=extend_schema(summary="The plan register in the caller's scope"),
    retrieve=extend_schema(summary="One plan"),
)
@extend_schema(tags=["plans"])
class PlanViewSet(
    PlanErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = EmergencyPlanSerializer

    def get_queryset(self):
        if schema_only(self):
            return Plan.objects.none()
        return selectors.register(self.request.user)

    def get_object(self):
        return access.get_plan_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(summary="Register a plan (its first version is a draft)", request=PlanCreateSerializer,
                   responses={201: EmergencyPlanSerializer, **REFUSALS})  # fmt: skip
    def create(self, request, *args, **kwargs):
        body = PlanCreateSerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        plan = services.plan_create(by=request.user, **body.validated_data)
        return Response(EmergencyPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Open a revision of a plan in force", request=RevisionBodySerializer,
                   responses={201: PlanVersionSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="open-revision")
    def open_revision(self, request, pk=None):
        plan = access.get_plan_for_user(request.user, pk, action=PlanAction.EDIT)
        body = RevisionBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = services.version_open_revision(plan=plan, by=request.user, **body.validated_data)
        return Response(PlanVersionSerializer(version).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["plans"])
@extend_schema_view(retrieve=extend_schema(summary="One version with its documents, reviews and filings"))
class PlanVersionViewSet(PlanErrorsMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PlanVersionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if schema_only(self):
            return PlanVersion.objects.none()
        return PlanVersion.objects.filter(plan__in=access.visible_plans(self.request.user))

    def get_object(self, permission: str | None = None) -> PlanVersion:
        return access.get_version_for_user(self.request.user, self.kwargs["pk"], action=permission)

    def _transition(self, request, permission, body_class, service):
        version = self.get_object(permission)
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        service(version=version, by=request.user, **body.validated_data)
        version = PlanVersion.objects.prefetch_related("documents", "reviews", "filings").get(pk=version.pk)
        return Response(PlanVersionSerializer(version).data)

    @extend_schema(summary="Attach a document (checked by content)", request={"multipart/form-data": DocumentBodySerializer},
                   responses={200: PlanVersionSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        version = self.get_object(PlanAction.EDIT)
        body = DocumentBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.document_add(
            version=version, by=request.user, kind=body.validated_data["kind"], upload=body.validated_data["file"]
        )
        return Response(PlanVersionSerializer(version).data)

    @extend_schema(summary="Send a draft to review", request=EmptySerializer,
                   responses={200: PlanVersionSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="submit-review")
    def submit_review(self, request, pk=None):
        return self._transition(request, PlanAction.EDIT, EmptySerializer, services.version_submit_review)

    @extend_schema(summary="Record a review (experts, opinions, handling)", request=ReviewBodySerializer,
                   responses={200: PlanVersionSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._transition(request, PlanAction.EDIT, ReviewBodySerializer, services.review_record_add)

    @extend_schema(summary="Sign and issue (the owner's main leader)", request=IssueBodySerializer,
                   responses={200: PlanVersionSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._transition(request, PlanAction.ISSUE, IssueBodySerializer, services.version_issue)

    @extend_schema(summary="File with the tier above", request=EmptySerializer,
                   responses={200: PlanVersionSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        return self._transition(request, PlanAction.EDIT, EmptySerializer, services.version_file)

    @extend_schema(summary="Withdraw (废止) with a reason", request=ReasonBodySerializer,
                   responses={200: PlanVersionSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._transition(request, PlanAction.ISSUE, ReasonBodySerializer, services.version_withdraw)


@extend_schema(tags=["plans"])
@extend_schema_view(
    list=extend_schema(summary="Filings the caller sees (awaiting=1: those waiting for the caller)"),
    retrieve=extend_schema(summary="One filing"),
)
class FilingViewSet(PlanErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FilingSerializer

    def get_queryset(self):
        if schema_only(self):
            return Filing.objects.none()
        if self.request.query_params.get("awaiting") == "1":
            queryset = selectors.awaiting(self.request.user)
        else:
            queryset = access.filings_for(self.request.user)
        return queryset.select_related("receiver_unit", "receiver_department", "version")

    def get_object(self, receive: bool = False) -> Filing:
        return access.get_filing_for_user(self.request.user, self.kwargs["pk"], receive=receive)

    @extend_schema(summary="Issue the filing receipt (备案回执) with its number", request=EmptySerializer,
                   responses={200: FilingSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def receipt(self, request, pk=None):
        filing = services.filing_receipt(filing=self.get_object(receive=True), by=request.user)
        return Response(FilingSerializer(filing).data)

    @extend_schema(summary="Return the filing to its owner with reasons", request=ReasonBodySerializer,
                   responses={200: FilingSerializer, **REFUSALS})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        filing = self.get_object(receive=True)
        body = ReasonBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        filing = services.filing_return(filing=filing, by=request.user, **body.validated_data)
        return Response(FilingSerializer(filing).data)
