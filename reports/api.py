"""The reports REST API (/api/v1/): monthly reports, consultations and their countermeasures, and
the inbox, read through ``reports.selectors`` and ``reports.access``, every change a service.

- ``monthly-reports/``: list (``?month=2026-10&unit=&state=``), detail; ``annotate`` (save the
  notes of a draft), ``submit`` (sign and send up), ``reissue`` (a corrected version).
- ``consultations/``: list (``?state=``), detail with the judgement list; ``record`` (the
  meeting), ``countermeasures`` (add a line), ``complete`` (send the result up).
- ``countermeasures/``: list (``?state=``), detail; ``done`` (the responsible unit reports it done).
- ``inbox/``: what was delivered to the caller's units and department (``?unread=true``),
  detail; ``read`` and ``receipt`` (签收).

No PUT, PATCH or DELETE: each change is a POST action calling one service — refused by state →
409, by role → 403, bad fields → 400, unseen → 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import RefusalsMixin, refusals, schema_only
from reports import access, selectors, services
from reports.models import Consultation, Countermeasure, MonthlyReport
from reports.permissions import ReportAction
from reports.serializers import (
    AnnotationSerializer,
    ConsultationDetailSerializer,
    ConsultationListSerializer,
    CountermeasureAddSerializer,
    CountermeasureSerializer,
    DoneSerializer,
    MonthlyQuerySerializer,
    MonthlyReportDetailSerializer,
    MonthlyReportListSerializer,
    RecordSerializer,
    ReissueSerializer,
    SubmitSerializer,
)

REFUSALS = refusals()


class ReportErrorsMixin(RefusalsMixin):
    """Service refusals as HTTP: state (``ReportRefused``) → 409, fields → 400, role → 403 (DRF)."""

    filter_backends: list = []
    conflicts = (services.ReportRefused,)

    def body(self, serializer_class, data=None) -> dict:
        body = serializer_class(data=self.request.data if data is None else data)
        body.is_valid(raise_exception=True)
        return body.validated_data


# --- monthly reports ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Monthly hazard reports in the caller's grid", parameters=[MonthlyQuerySerializer]),
    retrieve=extend_schema(summary="One monthly report with its figures"),
)
@extend_schema(tags=["monthly reports"])
class MonthlyReportViewSet(
    ReportErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Monthly hazard reports (隐患月报表). A report changes only through its actions."""

    def get_serializer_class(self):
        return MonthlyReportListSerializer if self.action == "list" else MonthlyReportDetailSerializer

    def get_queryset(self):
        if schema_only(self):
            return MonthlyReport.objects.none()
        filters = self.body(MonthlyQuerySerializer, self.request.query_params) if self.action == "list" else {}
        unit = filters.pop("unit", None)
        if unit is not None:
            unit = access.get_report_unit_for_user(self.request.user, unit)
        return selectors.monthly_reports(self.request.user, unit=unit, **filters)

    def get_object(self, permission: str | None = None) -> MonthlyReport:
        report = access.get_report_for_user(self.request.user, self.kwargs["pk"], action=permission)
        self.check_object_permissions(self.request, report)
        return report

    def _done(self, report: MonthlyReport, code: int = status.HTTP_200_OK) -> Response:
        report = access.get_report_for_user(self.request.user, report.pk)
        return Response(MonthlyReportDetailSerializer(report, context=self.get_serializer_context()).data, code)

    @extend_schema(
        summary="Save the notes of a draft (the unit's own people)",
        request=AnnotationSerializer,
        responses={200: MonthlyReportDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def annotate(self, request, pk=None):
        report = self.get_object(ReportAction.SIGN)
        data = self.body(AnnotationSerializer)
        return self._done(services.monthly_report_annotate(report=report, by=request.user, **data))

    @extend_schema(
        summary="Sign and submit a draft: it goes to the parent's inbox (the unit's own people)",
        request=SubmitSerializer,
        responses={200: MonthlyReportDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object(ReportAction.SIGN)
        data = self.body(SubmitSerializer)
        return self._done(services.monthly_report_submit(report=report, by=request.user, **data))

    @extend_schema(
        summary="Issue a corrected version of a submitted report, as a draft (the unit's own people)",
        request=ReissueSerializer,
        responses={201: MonthlyReportDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def reissue(self, request, pk=None):
        report = self.get_object(ReportAction.SIGN)
        data = self.body(ReissueSerializer)
        new = services.monthly_report_reissue(report=report, by=request.user, **data)
        return self._done(new, status.HTTP_201_CREATED)


# --- consultations -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Risk consultations in the caller's grid",
        parameters=[OpenApiParameter("state", str, enum=Consultation.State.values)],
    ),
    retrieve=extend_schema(summary="One consultation with its briefing and judgement list"),
)
@extend_schema(tags=["consultations"])
class ConsultationViewSet(ReportErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Risk consultations (风险会商研判) and their judgement lists (研判一张单)."""

    def get_serializer_class(self):
        return ConsultationListSerializer if self.action == "list" else ConsultationDetailSerializer

    def get_queryset(self):
        if schema_only(self):
            return Consultation.objects.none()
        state = self.request.query_params.get("state", "")
        return selectors.consultations(self.request.user, state=state if state in Consultation.State.values else "")

    def get_object(self, permission: str | None = None) -> Consultation:
        consultation = access.get_consultation_for_user(self.request.user, self.kwargs["pk"], action=permission)
        self.check_object_permissions(self.request, consultation)
        return consultation

    def _done(self, consultation: Consultation, code: int = status.HTTP_200_OK) -> Response:
        consultation = access.get_consultation_for_user(self.request.user, consultation.pk)
        return Response(ConsultationDetailSerializer(consultation, context=self.get_serializer_context()).data, code)

    @extend_schema(
        summary="Record the meeting: when, who took part, the trend analysis (the unit's own people)",
        request=RecordSerializer,
        responses={200: ConsultationDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        consultation = self.get_object(ReportAction.CONSULT)
        data = self.body(RecordSerializer)
        return self._done(services.consultation_record(consultation=consultation, by=request.user, **data))

    @extend_schema(
        summary="Add a line to the judgement list (the unit's own people)",
        request=CountermeasureAddSerializer,
        responses={201: CountermeasureSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"], url_path="countermeasures")
    def add_countermeasure(self, request, pk=None):
        consultation = self.get_object(ReportAction.CONSULT)
        data = self.body(CountermeasureAddSerializer)
        unit = selectors.responsible_units(consultation).filter(pk=data.pop("responsible_unit")).first()
        if unit is None:
            raise DjangoValidationError(
                {"responsible_unit": _("Choose %(unit)s or a unit under it.") % {"unit": consultation.unit.name}}
            )
        item = services.countermeasure_add(consultation=consultation, by=request.user, responsible_unit=unit, **data)
        item = access.get_countermeasure_for_user(request.user, item.pk)
        return Response(CountermeasureSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Complete the consultation: its report goes one tier up",
        request=None,
        responses={200: ConsultationDetailSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        consultation = self.get_object()
        return self._done(services.consultation_complete(consultation=consultation, by=request.user))


@extend_schema_view(
    list=extend_schema(
        summary="Countermeasures of the caller's grid and those its units are responsible for",
        parameters=[OpenApiParameter("state", str, enum=Countermeasure.State.values)],
    ),
    retrieve=extend_schema(summary="One countermeasure"),
)
@extend_schema(tags=["consultations"])
class CountermeasureViewSet(
    ReportErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Lines of the judgement lists, tracked until their responsible unit reports them done."""

    serializer_class = CountermeasureSerializer

    def get_queryset(self):
        if schema_only(self):
            return Countermeasure.objects.none()
        state = self.request.query_params.get("state", "")
        return selectors.countermeasures(self.request.user, state=state if state in Countermeasure.State.values else "")

    def get_object(self, permission: str | None = None) -> Countermeasure:
        item = access.get_countermeasure_for_user(self.request.user, self.kwargs["pk"], action=permission)
        self.check_object_permissions(self.request, item)
        return item

    @extend_schema(
        summary="Report the countermeasure done, with what was done (the responsible unit and above)",
        request=DoneSerializer,
        responses={200: CountermeasureSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        item = self.get_object(ReportAction.FINISH_COUNTERMEASURE)
        data = self.body(DoneSerializer)
        services.countermeasure_done(item=item, by=request.user, **data)
        return Response(CountermeasureSerializer(access.get_countermeasure_for_user(request.user, item.pk)).data)


# --- the inbox ---------------------------------------------------------------------------------


def register(router) -> None:
    router.register("monthly-reports", MonthlyReportViewSet, basename="monthly-reports")
    router.register("consultations", ConsultationViewSet, basename="consultations")
    router.register("countermeasures", CountermeasureViewSet, basename="countermeasures")
