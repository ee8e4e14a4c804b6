"""Pages of the risk consultations (风险会商研判): the list, one consultation (record the meeting,
the judgement list 研判一张单, complete it), a countermeasure done, and the overview of a unit's
children for a period. Thin, like the monthly pages: objects through ``reports.access``, reads
through ``reports.selectors``, changes through ``reports.services``."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.periods import add_months, month_start
from core.registry import page_sections
from core.views import query_without
from delivery import selectors as delivery_selectors
from hazards.models import RISK_COLOURS
from reports import access, forms, selectors, services
from reports.models import Consultation, Countermeasure
from reports.permissions import ReportAction
from reports.services import ReportRefused

PER_PAGE = 30


@require_GET
@login_required
def consultation_list(request):
    """The consultations of the units in the person's grid, newest period first."""
    state = request.GET.get("state", "")
    if state not in Consultation.State.values:
        state = ""
    page = Paginator(selectors.consultations(request.user, state=state), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/consultation_list.html",
        {
            "page_obj": page,
            "consultations": page.object_list,
            "state": state,
            "states": Consultation.State.choices,
            "query": query_without(request, "page"),
            "overview_units": selectors.units_led(request.user, tiers=(1,)),
        },
    )


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
            units=selectors.responsible_units(consultation), initial={"responsible_unit": consultation.unit_id}
        )
    items = selectors.countermeasures_of(consultation)
    done_forms = done_forms or {}
    for item in items:
        item.colour = RISK_COLOURS.get(item.level, "none")
        item.may_finish = item.state == Countermeasure.State.OPEN and access.may_finish(user, item)
        item.done_form = done_forms.get(item.pk) or (
            forms.CountermeasureDoneForm(prefix=f"done-{item.pk}") if item.may_finish else None
        )
    briefing, live = selectors.live_briefing(consultation)
    trend = [
        row | {"direction": "up" if row["change"] > 0 else ("down" if row["change"] < 0 else "same")}
        for row in briefing.get("trend", [])
    ]
    return render(
        request,
        "reports/consultation_detail.html",
        {
            "consultation": consultation,
            "extra_sections": page_sections("consultation", user, consultation),  # registered by higher apps
            "briefing": briefing,
            "briefing_live": live,
            "window": [datetime.date.fromisoformat(day) for day in briefing.get("window") or []],
            "compared": [datetime.date.fromisoformat(day) for day in briefing.get("compared") or []],
            "trend": trend,
            "items": items,
            "overdue_items": sum(1 for item in items if item.is_overdue),
            "may_record": may_record,
            "record_form": record_form,
            "add_form": add_form,
            "errors": errors or [],
            "receipt": delivery_selectors.own_delivery(user, consultation.document_id),
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
    consultation = access.get_consultation_for_user(request.user, pk, action=ReportAction.CONSULT)
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
    consultation = access.get_consultation_for_user(request.user, pk, action=ReportAction.CONSULT)
    form = forms.CountermeasureForm(request.POST, units=selectors.responsible_units(consultation))
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
    item = access.get_countermeasure_for_user(request.user, pk)
    sees_consultation = access.sees_consultation_of(request.user, item)
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
    elif not access.may_finish(request.user, item):
        raise PermissionDenied(_("Only the responsible unit can report this countermeasure done."))
    if not sees_consultation:
        messages.error(request, "; ".join(m for errors in form.errors.values() for m in errors))
        return back
    return _render_consultation(request, item.consultation, done_forms={item.pk: form}, status=400)


@require_GET
@login_required
def consultation_overview(request, unit_pk: int):
    """Which units under ``unit_pk`` held their consultation of the period (?period=YYYY-MM)."""
    parent = access.get_report_unit_for_user(request.user, unit_pk)
    field = forms.MonthField(required=False)
    try:
        period = field.clean(request.GET.get("period", "")) or month_start(timezone.localdate())
    except ValidationError:
        period = month_start(timezone.localdate())
    rows = selectors.consultation_overview(user=request.user, parent=parent, period=period)
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
