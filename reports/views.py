"""Pages of the tier reports: the inbox, monthly reports, the reporting matrix, risk consultations
and their Excel exports.

Thin, like the hazard pages: every report and consultation is fetched through its access helper
in ``reports.services`` (404 when unseen), every change goes through a service (which raises
PermissionDenied → 403 for a reader who may not act), a state refusal (``ReportRefused``) is shown
as a message, and invalid input re-renders the page with its errors (400)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from delivery import services as deliveries
from delivery.models import Delivery
from grids.models import GridUnit, within_q
from grids.scope import scope_for
from grids.web import query_without
from hazards.models import RISK_COLOURS
from reports import access, exports, forms, services
from reports.models import Consultation, Countermeasure, MonthlyReport
from reports.periods import add_months, month_start, previous_month
from reports.permissions import ReportAction
from reports.services import ReportRefused

PER_PAGE = 30
MATRIX_MONTHS = 12
MATRIX_MAX_MONTHS = 36


def _own_delivery(user, document_id: int | None) -> Delivery | None:
    """The delivery of ``document_id`` to one of the viewer's own units (or department), if any."""
    if not document_id:
        return None
    return deliveries.inbox_for(user).filter(document_id=document_id).order_by("pk").first()


def _report_units(user):
    """Units offered in the report filters: the tiers 1–2 in scope and the person's own units."""
    scope = scope_for(user)
    return (
        GridUnit.objects.filter(scope.unit_q(grants_only=True))
        .filter(Q(level__lte=1) | Q(pk__in=scope.own_unit_ids()))
        .filter(is_active=True)
        .order_by("tree_id", "lft")
    )


def _units_led(user, *, tiers: tuple[int, ...]):
    """The person's own units of the given tiers (a superuser: the counties), for matrix/overview links."""
    scope = scope_for(user)
    units = GridUnit.objects.filter(pk__in=scope.own_units_at_tiers(tiers), is_active=True)
    if 1 in tiers:
        units = units | scope.administrator_counties()
    return list(units.order_by("tree_id", "lft"))


# --- inbox ----------------------------------------------------------------------------------------


@require_GET
@login_required
def inbox(request):
    """Documents sent to the person's units (and department), newest first; unread ones bold."""
    show = "unread" if request.GET.get("show") == "unread" else "all"
    entries = deliveries.inbox_for(request.user)
    if show == "unread":
        entries = entries.filter(state=Delivery.State.DELIVERED)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    unread = deliveries.inbox_for(request.user).filter(state=Delivery.State.DELIVERED).count()
    return render(
        request,
        "reports/inbox.html",
        {
            "page_obj": page,
            "entries": page.object_list,
            "show": show,
            "unread": unread,
            "query": query_without(request, "page"),
            "State": Delivery.State,
        },
    )


def _get_delivery_for_user(user, pk: int) -> Delivery:
    delivery = deliveries.inbox_for(user).filter(pk=pk).first()
    if delivery is None:
        raise Http404(_("No such document in your inbox."))
    return delivery


@require_GET
@login_required
def delivery_open(request, pk: int):
    """Open an inbox entry: it is marked read, and the reader goes to the document itself."""
    delivery = _get_delivery_for_user(request.user, pk)
    deliveries.delivery_read(delivery=delivery, by=request.user)
    target = delivery.document.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("reports:inbox")
    return HttpResponseRedirect(target)


@require_POST
@login_required
def delivery_receipt(request, pk: int):
    """Receipt (签收) an inbox entry with one tap."""
    delivery = _get_delivery_for_user(request.user, pk)
    deliveries.delivery_receipt(delivery=delivery, by=request.user)
    messages.success(request, _("Receipted: %(title)s") % {"title": delivery.document.title})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("reports:inbox")


# --- monthly reports ------------------------------------------------------------------------------


@require_GET
@login_required
def monthly_list(request):
    """The monthly reports of the units in the person's grid, newest month first."""
    units = _report_units(request.user)
    form = forms.MonthlyFilterForm(request.GET or None, units=units)
    reports = (
        scope_for(request.user).filter(MonthlyReport.objects.all(), "unit", grants_only=True).select_related("unit")
    )
    state = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["month"]:
            reports = reports.filter(period=data["month"])
        if data["unit"]:
            unit = data["unit"]
            reports = reports.filter(within_q(unit, "unit__"))
        state = data["state"]
    reports = reports.filter(state=state) if state else reports.exclude(state=MonthlyReport.State.SUPERSEDED)
    page = Paginator(reports.order_by("-period", "unit__tree_id", "unit__lft", "-version"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/monthly_list.html",
        {
            "form": form,
            "page_obj": page,
            "reports": page.object_list,
            "query": query_without(request, "page"),
            "matrix_units": _units_led(request.user, tiers=(1, 2)),
        },
    )


def _render_monthly(request, report: MonthlyReport, *, sign_form=None, reissue_form=None, status: int = 200):
    user = request.user
    may_sign = access.may_sign(user, report)
    if sign_form is None and may_sign and report.state == MonthlyReport.State.DRAFT:
        sign_form = forms.MonthlySignForm(initial={"annotation": report.annotation, "signer_name": user.real_name})
    if reissue_form is None and may_sign and report.state == MonthlyReport.State.SUBMITTED:
        reissue_form = forms.ReissueForm()
    versions = list(
        MonthlyReport.objects.filter(unit_id=report.unit_id, period=report.period)
        .exclude(pk=report.pk)
        .only("pk", "version", "state", "submitted_at", "correction_reason")
        .order_by("-version")
    )
    tables = exports.report_tables(report)
    return render(
        request,
        "reports/monthly_detail.html",
        {
            "report": report,
            "tables": tables,
            "children": _children_with_reporting(report, tables["children"]),
            "may_sign": may_sign,
            "sign_form": sign_form,
            "reissue_form": reissue_form,
            "versions": versions,
            "receipt": _own_delivery(user, report.document_id),
            "State": MonthlyReport.State,
            "is_late": report.is_late,
        },
        status=status,
    )


def _children_with_reporting(report: MonthlyReport, children: list[dict] | None) -> list[dict] | None:
    """A tier-2 report's units: whether each has reported is frozen at submission; until then it
    is read live (one query)."""
    if not children or all(child.get("reported") is not None for child in children):
        return children
    submitted = set(
        MonthlyReport.objects.filter(
            period=report.period, unit_id__in=[c["id"] for c in children], state=MonthlyReport.State.SUBMITTED
        ).values_list("unit_id", flat=True)
    )
    return [
        child if child.get("reported") is not None else child | {"reported": child["id"] in submitted}
        for child in children
    ]


@require_GET
@login_required
def monthly_detail(request, pk: int):
    report = access.get_report_for_user(request.user, pk)
    return _render_monthly(request, report)


@require_POST
@login_required
def monthly_submit(request, pk: int):
    """Save the notes of a draft ("save"), or sign and submit it ("submit")."""
    report = access.get_report_for_user(request.user, pk)
    form = forms.MonthlySignForm(request.POST)
    submitting = request.POST.get("action") != "save"
    if form.is_valid():
        data = form.cleaned_data
        try:
            if submitting:
                services.monthly_report_submit(
                    report=report, by=request.user, signer_name=data["signer_name"], annotation=data["annotation"]
                )
            else:
                services.monthly_report_annotate(report=report, by=request.user, annotation=data["annotation"])
        except ReportRefused as exc:
            messages.error(request, str(exc))
            return redirect("reports:monthly_detail", pk=report.pk)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            if submitting:
                messages.success(
                    request,
                    _("Submitted. %(unit)s has it in its inbox.")
                    % {"unit": report.unit.parent.name if report.unit.parent else "—"},
                )
            else:
                messages.success(request, _("Notes saved."))
            return redirect("reports:monthly_detail", pk=report.pk)
    elif not access.may_sign(request.user, report):
        raise PermissionDenied(_("Only the people of %(unit)s can change its report.") % {"unit": report.unit.name})
    return _render_monthly(request, report, sign_form=form, status=400)


@require_POST
@login_required
def monthly_reissue(request, pk: int):
    """Issue a corrected version of a submitted report; the old one is kept."""
    report = access.get_report_for_user(request.user, pk)
    form = forms.ReissueForm(request.POST)
    if not access.may_sign(request.user, report):
        raise PermissionDenied(_("Only the people of %(unit)s can correct its report.") % {"unit": report.unit.name})
    if form.is_valid():
        try:
            new = services.monthly_report_reissue(report=report, by=request.user, reason=form.cleaned_data["reason"])
        except ReportRefused as exc:
            messages.error(request, str(exc))
            return redirect("reports:monthly_detail", pk=report.pk)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Version %(version)d opened as a draft: check it and submit it.") % {"version": new.version}
            )
            return redirect("reports:monthly_detail", pk=new.pk)
    return _render_monthly(request, report, reissue_form=form, status=400)


@require_GET
@login_required
def monthly_export(request, pk: int):
    report = access.get_report_for_user(request.user, pk)
    workbook = exports.monthly_report_workbook(report)
    filename = f"monthly-report-{report.unit.code}-{report.period:%Y%m}-v{report.version}.xlsx"
    return exports.xlsx_response(workbook, filename)


# --- the matrix -----------------------------------------------------------------------------------


def _matrix_months(request) -> list[datetime.date]:
    try:
        count = int(request.GET.get("months", MATRIX_MONTHS))
    except ValueError:
        count = MATRIX_MONTHS
    count = max(1, min(count, MATRIX_MAX_MONTHS))
    last = previous_month(timezone.localdate())
    return [add_months(last, -i) for i in range(count - 1, -1, -1)]


def _matrix(request, unit_pk: int):
    parent = GridUnit.objects.filter(pk=unit_pk).first()
    if parent is None:
        raise Http404(_("No such unit."))
    months = _matrix_months(request)
    rows = services.report_matrix(user=request.user, parent=parent, months=months)
    return parent, months, rows


@require_GET
@login_required
def matrix(request, unit_pk: int):
    """The units under ``unit_pk`` × the last months (newest first), coloured by how each one reported."""
    parent, months, rows = _matrix(request, unit_pk)
    counts = {key: 0 for key in exports.STATUSES}
    for row in rows:
        for cell in row["cells"]:
            counts[cell["status"]] += 1
            cell["label"] = exports.STATUSES[cell["status"]][0]
        row["cells"].reverse()  # newest month first: on a phone the month that matters is on screen
    months = months[::-1]
    legend = [item | {"count": counts[item["status"]]} for item in exports.status_legend()]
    return render(
        request,
        "reports/matrix.html",
        {
            "parent": parent,
            "months": months,
            "rows": rows,
            "legend": legend,
            "month_count": len(months),
            "month_choices": (6, 12, 24),
            "up": parent.parent
            if parent.parent_id and scope_for(request.user).can_see_by_grant(parent.parent)
            else None,
        },
    )


@require_GET
@login_required
def matrix_export(request, unit_pk: int):
    parent, months, rows = _matrix(request, unit_pk)
    workbook = exports.matrix_workbook(parent, rows, months)
    return exports.xlsx_response(workbook, f"reporting-matrix-{parent.code}-{months[-1]:%Y%m}.xlsx")


# --- consultations --------------------------------------------------------------------------------


@require_GET
@login_required
def consultation_list(request):
    """The consultations of the units in the person's grid, newest period first."""
    consultations = (
        scope_for(request.user)
        .filter(Consultation.objects.all(), "unit", grants_only=True)
        .select_related("unit")
        .annotate(
            measures=Count("countermeasures"),
            open_measures=Count("countermeasures", filter=Q(countermeasures__state="open")),
        )
        .order_by("-period_start", "unit__tree_id", "unit__lft")
    )
    state = request.GET.get("state", "")
    if state in Consultation.State.values:
        consultations = consultations.filter(state=state)
    else:
        state = ""
    page = Paginator(consultations, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/consultation_list.html",
        {
            "page_obj": page,
            "consultations": page.object_list,
            "state": state,
            "states": Consultation.State.choices,
            "query": query_without(request, "page"),
            "overview_units": _units_led(request.user, tiers=(1,)),
        },
    )


def _responsible_units(consultation: Consultation):
    unit = consultation.unit
    return GridUnit.objects.within(unit).filter(is_active=True).order_by("lft")


def _render_consultation(
    request,
    consultation: Consultation,
    *,
    record_form=None,
    add_form=None,
    done_forms=None,
    errors=None,
    status: int = 200,
):
    user = request.user
    scope = scope_for(user)
    may_record = access.may_record(user, consultation) and consultation.state == Consultation.State.OPEN
    if may_record and record_form is None:
        record_form = forms.ConsultationRecordForm(
            initial={
                "held_on": consultation.held_on or timezone.localdate(),
                "participants": consultation.participants,
                "summary": consultation.summary,
            }
        )
    if may_record and add_form is None:
        add_form = forms.CountermeasureForm(
            units=_responsible_units(consultation), initial={"responsible_unit": consultation.unit_id}
        )
    today = timezone.localdate()
    items = list(consultation.countermeasures.select_related("category", "responsible_unit").order_by("deadline", "id"))
    done_forms = done_forms or {}
    for item in items:
        item.is_overdue = item.state == Countermeasure.State.OPEN and (
            item.overdue_since is not None or item.deadline < today
        )
        item.colour = RISK_COLOURS.get(item.level, "none")
        item.may_finish = item.state == Countermeasure.State.OPEN and scope.can(
            ReportAction.FINISH_COUNTERMEASURE, item.responsible_unit
        )
        item.done_form = done_forms.get(item.pk) or (
            forms.CountermeasureDoneForm(prefix=f"done-{item.pk}") if item.may_finish else None
        )
    briefing = consultation.briefing or {}
    trend = [
        row | {"direction": "up" if row["change"] > 0 else ("down" if row["change"] < 0 else "same")}
        for row in briefing.get("trend", [])
    ]
    return render(
        request,
        "reports/consultation_detail.html",
        {
            "consultation": consultation,
            "briefing": briefing,
            "compared": [datetime.date.fromisoformat(day) for day in briefing.get("compared") or []],
            "trend": trend,
            "items": items,
            "overdue_items": sum(1 for item in items if item.is_overdue),
            "may_record": may_record,
            "record_form": record_form,
            "add_form": add_form,
            "errors": errors or [],
            "receipt": _own_delivery(user, consultation.document_id),
            "State": Consultation.State,
        },
        status=status,
    )


@require_GET
@login_required
def consultation_detail(request, pk: int):
    consultation = access.get_consultation_for_user(request.user, pk)
    return _render_consultation(request, consultation)


@require_POST
@login_required
def consultation_record(request, pk: int):
    """Record the meeting: when it was held, who took part, the trend analysis."""
    consultation = access.get_consultation_for_user(request.user, pk)
    if not access.may_record(request.user, consultation):
        raise PermissionDenied(
            _("Only the people of %(unit)s can record its consultation.") % {"unit": consultation.unit.name}
        )
    form = forms.ConsultationRecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.consultation_record(
                consultation=consultation,
                by=request.user,
                held_on=data["held_on"],
                participants=data["participants"],
                summary=data["summary"],
            )
        except ReportRefused as exc:
            messages.error(request, str(exc))
            return redirect("reports:consultation_detail", pk=consultation.pk)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting record saved."))
            return redirect("reports:consultation_detail", pk=consultation.pk)
    return _render_consultation(request, consultation, record_form=form, status=400)


@require_POST
@login_required
def countermeasure_add(request, pk: int):
    """Add a line to the judgement list (研判一张单)."""
    consultation = access.get_consultation_for_user(request.user, pk)
    if not access.may_record(request.user, consultation):
        raise PermissionDenied(
            _("Only the people of %(unit)s can record its consultation.") % {"unit": consultation.unit.name}
        )
    form = forms.CountermeasureForm(request.POST, units=_responsible_units(consultation))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.countermeasure_add(
                consultation=consultation,
                by=request.user,
                risk=data["risk"],
                level=data["level"],
                trend=data["trend"],
                measure=data["measure"],
                responsible_unit=data["responsible_unit"],
                deadline=data["deadline"],
                category=data["category"],
            )
        except ReportRefused as exc:
            messages.error(request, str(exc))
            return redirect("reports:consultation_detail", pk=consultation.pk)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("Added to the judgement list."))
            return redirect(reverse("reports:consultation_detail", args=[consultation.pk]) + "#judgement")
    return _render_consultation(request, consultation, add_form=form, status=400)


@require_POST
@login_required
def consultation_complete(request, pk: int):
    """Complete the consultation: its report goes one tier up."""
    consultation = access.get_consultation_for_user(request.user, pk)
    try:
        done = services.consultation_complete(consultation=consultation, by=request.user)
    except ReportRefused as exc:
        messages.error(request, str(exc))
        return redirect("reports:consultation_detail", pk=consultation.pk)
    except ValidationError as exc:
        return _render_consultation(request, consultation, errors=exc.messages, status=400)
    if done.unit.parent_id:
        messages.success(request, _("Completed and sent to %(unit)s.") % {"unit": done.unit.parent.name})
    else:
        messages.success(request, _("Completed."))
    return redirect("reports:consultation_detail", pk=consultation.pk)


@require_POST
@login_required
def countermeasure_done(request, pk: int):
    """The responsible unit reports a countermeasure done, with what was done."""
    item = get_object_or_404(
        Countermeasure.objects.select_related(
            "consultation", "consultation__unit", "consultation__unit__parent", "responsible_unit"
        ),
        pk=pk,
    )
    scope = scope_for(request.user)
    sees_consultation = scope.can_see_by_grant(item.consultation.unit)
    if not (sees_consultation or scope.can_see_by_grant(item.responsible_unit)):
        raise Http404(_("No such countermeasure."))
    back = (
        redirect("reports:consultation_detail", pk=item.consultation_id)
        if sees_consultation
        else redirect("reports:consultation_list")
    )
    form = forms.CountermeasureDoneForm(request.POST, prefix=f"done-{item.pk}")
    if form.is_valid():
        try:
            services.countermeasure_done(item=item, by=request.user, note=form.cleaned_data["note"])
        except ReportRefused as exc:
            messages.error(request, str(exc))
            return back
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("Countermeasure marked done."))
            return back
    elif not scope.can(ReportAction.FINISH_COUNTERMEASURE, item.responsible_unit):
        raise PermissionDenied(_("Only the responsible unit can report this countermeasure done."))
    if not sees_consultation:
        messages.error(request, "; ".join(m for errors in form.errors.values() for m in errors))
        return back
    return _render_consultation(request, item.consultation, done_forms={item.pk: form}, status=400)


@require_GET
@login_required
def consultation_overview(request, unit_pk: int):
    """Which units under ``unit_pk`` held their consultation of the period (?period=YYYY-MM)."""
    parent = GridUnit.objects.filter(pk=unit_pk).first()
    if parent is None:
        raise Http404(_("No such unit."))
    field = forms.MonthField(required=False)
    try:
        period = field.clean(request.GET.get("period", "")) or month_start(timezone.localdate())
    except ValidationError:
        period = month_start(timezone.localdate())
    rows = services.consultation_overview(user=request.user, parent=parent, period=period)
    held = sum(1 for row in rows if row["consultation"] and row["consultation"].held_on)
    completed = sum(
        1 for row in rows if row["consultation"] and row["consultation"].state == Consultation.State.COMPLETED
    )
    return render(
        request,
        "reports/consultation_overview.html",
        {
            "parent": parent,
            "rows": rows,
            "period": period,
            "held": held,
            "completed": completed,
            "previous": add_months(period, -1),
            "next": add_months(period, 1),
            "State": Consultation.State,
        },
    )
