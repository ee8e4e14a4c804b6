"""Pages of the duty desk (值班值守): the roster calendar (week grid, a day list on a phone, month
list), adding, changing and removing shifts, copying last week; the duty log: writing an entry, the
handover note, the searchable archive, its Excel export and the printable day sheet (值班记录).

Thin: every centre, shift and entry comes through the access helpers of ``dispatch.access``
(404 unseen, 403 not allowed), every change goes through its services, and a refusal is shown
the way the service words it."""

from __future__ import annotations

import datetime
import io
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import add_service_errors, query_without
from dispatch import access
from dispatch.forms.duty import (
    DATE_INPUT_FORMATS,
    HandoverForm,
    LogEntryChangeForm,
    LogEntryForm,
    LogFilterForm,
    ShiftForm,
    WeekCopyForm,
)
from dispatch.models import DutyLogEntry
from dispatch.permissions import DispatchAction
from dispatch.selectors import duty as duty_selectors
from dispatch.services import duty
from grids import limits
from grids.scope import scope_for
from grids.spreadsheets import append_row, attachment, export_name, start_table

LOG_PAGE_SIZE = 50
EXPORT_MAX_ROWS = 100_000  # settings.DUTY_LOG_EXPORT_MAX_ROWS overrides
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _parse_date(value: str | None) -> datetime.date | None:
    try:
        return limits.BoundedDateFormField(input_formats=DATE_INPUT_FORMATS, required=False).clean(
            (value or "").strip()
        )
    except ValidationError:
        return None


def _naive(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


# --- the roster calendar --------------------------------------------------------------------------


def _default_centre(user, centres):
    """The person's own centre (the lowest one they belong to), else the first they can see."""
    visible = {c.pk for c in centres}
    for centre in duty_selectors.relevant_centres(user):
        if centre.pk in visible:
            return centre
    return centres[0] if centres else None


@require_GET
@login_required
def calendar(request):
    centres = list(access.visible_centres(request.user)[:500])
    if request.GET.get("unit"):
        centre = access.get_centre_for_user(request.user, request.GET["unit"])
        if centre.pk not in {c.pk for c in centres}:
            centres.insert(0, centre)
    else:
        centre = _default_centre(request.user, centres)
    today = timezone.localdate()
    context = {"centres": centres, "centre": centre, "today": today}
    if centre is None:
        return render(request, "dispatch/duty/calendar.html", context)

    view = "month" if request.GET.get("view") == "month" else "week"
    if view == "month":
        month = _parse_month(request.GET.get("month")) or today.replace(day=1)
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        start, end = duty_selectors.day_range(month, (next_month - month).days)
        shifts = list(duty_selectors.shifts_between(request.user, start, end, unit=centre))
        context.update(
            month=month,
            previous=(month - datetime.timedelta(days=1)).replace(day=1).strftime("%Y-%m"),
            next=next_month.strftime("%Y-%m"),
        )
    else:
        monday = duty_selectors.week_start(_parse_date(request.GET.get("week")) or today)
        start, end = duty_selectors.day_range(monday, 7)
        shifts = list(duty_selectors.shifts_between(request.user, start, end, unit=centre))
        days = [{"date": monday + datetime.timedelta(days=n), "shifts": []} for n in range(7)]
        for shift in shifts:
            index = max((timezone.localtime(shift.starts_at).date() - monday).days, 0)
            days[index]["shifts"].append(shift)
        context.update(
            monday=monday,
            sunday=monday + datetime.timedelta(days=6),
            days=days,
            previous=(monday - duty_selectors.WEEK).isoformat(),
            next=(monday + duty_selectors.WEEK).isoformat(),
        )
    now = timezone.now()
    context.update(
        view=view,
        shifts=shifts,
        now=now,
        on_duty=duty_selectors.on_duty_now([centre], at=now).get(centre.pk),
        may_manage=scope_for(request.user).can(DispatchAction.DUTY, centre),
        may_write=access.may_write_log(request.user, centre),
        copy_form=WeekCopyForm(initial={"week": context.get("monday") or duty_selectors.week_start(today)}),
    )
    return render(request, "dispatch/duty/calendar.html", context)


def _parse_month(value: str | None) -> datetime.date | None:
    """2026-01, 2026/1 or 2026年1月."""
    match = re.fullmatch(r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*月?", (value or "").strip())
    if not match or not 1 <= int(match[2]) <= 12 or not limits.MIN_YEAR <= int(match[1]) <= limits.MAX_YEAR:
        return None
    return datetime.date(int(match[1]), int(match[2]), 1)


def _calendar_url(centre, when: datetime.datetime | datetime.date | None = None) -> str:
    query = {"unit": centre.pk}
    if when is not None:
        day = timezone.localtime(when).date() if isinstance(when, datetime.datetime) else when
        query["week"] = duty_selectors.week_start(day).isoformat()
    return f"{reverse('dispatch:duty_calendar')}?{urlencode(query)}"


@require_http_methods(["GET", "POST"])
@login_required
def shift_add(request, unit_pk: int):
    centre = access.get_centre_for_user(request.user, unit_pk, write=True)
    if request.method == "POST":
        form = ShiftForm(request.POST, unit=centre)
        if form.is_valid():
            try:
                shift = duty.duty_shift_add(by=request.user, unit=centre, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The shift is on the roster."))
                return redirect(_calendar_url(centre, shift.starts_at))
    else:
        form = ShiftForm(unit=centre, initial=_next_shift_times(centre))
    return render(request, "dispatch/duty/shift_form.html", {"form": form, "centre": centre, "shift": None})


def _next_shift_times(centre) -> dict:
    """Start the form where the roster ends (else tomorrow 08:00), for 24 hours."""
    last = centre.duty_shifts.order_by("-ends_at").values_list("ends_at", flat=True).first()
    if last is None or last < timezone.now():
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        last = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(8)))
    return {"starts_at": timezone.localtime(last), "ends_at": timezone.localtime(last + datetime.timedelta(hours=24))}


@require_http_methods(["GET", "POST"])
@login_required
def shift_edit(request, pk: int):
    shift = access.get_shift_for_user(request.user, pk, write=True)
    centre = shift.unit
    if request.method == "POST":
        form = ShiftForm(request.POST, unit=centre)
        if form.is_valid():
            try:
                shift = duty.duty_shift_change(by=request.user, shift=shift, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The shift was changed."))
                return redirect(_calendar_url(centre, shift.starts_at))
    else:
        form = ShiftForm(
            unit=centre,
            initial={
                "starts_at": timezone.localtime(shift.starts_at),
                "ends_at": timezone.localtime(shift.ends_at),
                "leader": shift.leader_id,
                "post_a": shift.post_a_id,
                "post_b": shift.post_b_id,
                "note": shift.note,
            },
        )
    return render(request, "dispatch/duty/shift_form.html", {"form": form, "centre": centre, "shift": shift})


@require_POST
@login_required
def shift_delete(request, pk: int):
    shift = access.get_shift_for_user(request.user, pk, write=True)
    try:
        duty.duty_shift_remove(by=request.user, shift=shift)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The shift was taken off the roster."))
    return redirect(_calendar_url(shift.unit, shift.starts_at))


@require_POST
@login_required
def week_copy(request, unit_pk: int):
    centre = access.get_centre_for_user(request.user, unit_pk, write=True)
    form = WeekCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_calendar_url(centre))
    week = form.cleaned_data["week"]
    try:
        result = duty.duty_week_copy(by=request.user, unit=centre, week=week)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(created)s shifts copied from the week before; %(skipped)s were already on the roster.")
            % {"created": len(result.created), "skipped": result.skipped},
        )
    return redirect(_calendar_url(centre, week))


# --- the duty log ---------------------------------------------------------------------------------


def _log_filters(request) -> tuple[LogFilterForm, dict]:
    centres = access.visible_centres(request.user)
    data = {key: value for key, value in request.GET.items() if key != "page"}
    form = LogFilterForm(data or None, centres=centres)
    if not form.is_bound:
        return form, {}
    form.is_valid()
    if "unit" in form.errors:
        raise Http404(_("No such dispatch centre."))
    cleaned = {key: value for key, value in getattr(form, "cleaned_data", {}).items() if value not in (None, "")}
    return form, cleaned


@require_GET
@login_required
def log(request):
    form, values = _log_filters(request)
    entries = duty_selectors.search_log(request.user, **values)
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    centres = access.writable_centres(request.user)
    print_centre = values.get("unit") or (centres[0] if centres else access.visible_centres(request.user).first())
    return render(
        request,
        "dispatch/duty/log.html",
        {
            "form": form,
            "page_obj": page,
            "entries": page.object_list,
            "query": query_without(request, "page"),
            "may_write": bool(centres),
            "print_centre": print_centre,
            "print_date": values.get("date_from") or timezone.localdate(),
            "editable_ids": access.editable_entry_ids(request.user, page.object_list),
        },
    )


@require_GET
@login_required
def log_export(request):
    """The filtered archive as an Excel file, written row by row."""
    from openpyxl import Workbook

    _form, values = _log_filters(request)
    limit = int(getattr(settings, "DUTY_LOG_EXPORT_MAX_ROWS", EXPORT_MAX_ROWS))
    entries = duty_selectors.search_log(request.user, **values)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Duty log"))
    start_table(
        sheet,
        [
            _("Time"),
            _("Dispatch centre"),
            _("Kind"),
            _("Summary"),
            _("Caller and number"),
            _("Details"),
            _("Written by"),
        ],
    )
    for written, entry in enumerate(entries.iterator(chunk_size=2000)):
        if written >= limit:
            append_row(
                sheet, [_("Only the first %(count)s entries were exported; narrow the filters.") % {"count": limit}]
            )
            break
        append_row(
            sheet,
            [
                _naive(entry.at),
                entry.unit.name,
                entry.get_kind_display(),
                entry.summary,
                entry.caller,
                entry.details,
                entry.by.display_name if entry.by else _("Written automatically"),
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = attachment(export_name(_("Duty log"), "", timezone.localdate()))
    return response


@require_http_methods(["GET", "POST"])
@login_required
def log_add(request):
    centres = access.writable_centres(request.user)
    if not centres:
        raise PermissionDenied(
            _("You are not on duty and hold no role in a dispatch centre, so you cannot write in a duty log.")
        )
    if request.method == "POST":
        form = LogEntryForm(request.POST, centres=centres)
        if form.is_valid():
            try:
                entry = duty.duty_log_add(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The entry is in the duty log."))
                return redirect(f"{reverse('dispatch:duty_log')}?{urlencode({'unit': entry.unit_id})}")
    else:
        initial = {
            "at": timezone.localtime().replace(second=0, microsecond=0),
            "kind": request.GET.get("kind") or DutyLogEntry.Kind.CALL,
        }
        wanted = request.GET.get("unit")
        initial["unit"] = next((c.pk for c in centres if str(c.pk) == wanted), centres[0].pk)
        form = LogEntryForm(initial=initial, centres=centres)
    return render(request, "dispatch/duty/log_form.html", {"form": form, "entry": None})


@require_http_methods(["GET", "POST"])
@login_required
def log_edit(request, pk: int):
    entry = access.get_entry_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = LogEntryChangeForm(request.POST)
        if form.is_valid():
            try:
                duty.duty_log_change(by=request.user, entry=entry, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The entry was corrected."))
                return redirect(f"{reverse('dispatch:duty_log')}?{urlencode({'unit': entry.unit_id})}")
    else:
        form = LogEntryChangeForm(
            initial={
                "at": timezone.localtime(entry.at),
                "kind": entry.kind,
                "summary": entry.summary,
                "caller": entry.caller,
                "details": entry.details,
            }
        )
    return render(
        request, "dispatch/duty/log_form.html", {"form": form, "entry": entry, "until": access.editable_until(entry)}
    )


@require_http_methods(["GET", "POST"])
@login_required
def handover(request, unit_pk: int):
    centre = access.get_centre_for_user(request.user, unit_pk)
    if not access.may_write_log(request.user, centre):
        raise PermissionDenied(
            _("Only the people of %(unit)s and those on duty there may write in its duty log.") % {"unit": centre.name}
        )
    context = duty_selectors.handover_context(request.user, centre)
    if request.method == "POST":
        form = HandoverForm(request.POST)
        if form.is_valid():
            try:
                duty.duty_log_add(by=request.user, unit=centre, kind=DutyLogEntry.Kind.HANDOVER, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The handover note is in the duty log."))
                return redirect(f"{reverse('dispatch:duty_log')}?{urlencode({'unit': centre.pk})}")
    else:
        form = HandoverForm(initial={"summary": _("Handover")})
    return render(request, "dispatch/duty/handover.html", {"form": form, "centre": centre, **context})


@require_GET
@login_required
def log_print(request, unit_pk: int):
    """The day sheet (值班记录) of one centre: that day's shifts and entries, with signature lines."""
    centre = access.get_centre_for_user(request.user, unit_pk)
    day = _parse_date(request.GET.get("date")) or timezone.localdate()
    start, end = duty_selectors.day_range(day, 1)
    shifts = list(duty_selectors.shifts_between(request.user, start, end, unit=centre))
    entries = list(
        DutyLogEntry.objects.filter(unit=centre, at__gte=start, at__lt=end).select_related("by").order_by("at", "id")
    )
    return render(
        request,
        "dispatch/duty/print_day.html",
        {
            "centre": centre,
            "day": day,
            "shifts": shifts,
            "entries": entries,
            "printed_at": timezone.now(),
            "previous": (day - datetime.timedelta(days=1)).isoformat(),
            "next": (day + datetime.timedelta(days=1)).isoformat(),
        },
    )


urlpatterns = [
    path("duty/", calendar, name="duty_calendar"),
    path("duty/centres/<int:unit_pk>/shifts/new/", shift_add, name="duty_shift_add"),
    path("duty/centres/<int:unit_pk>/copy-week/", week_copy, name="duty_week_copy"),
    path("duty/shifts/<int:pk>/edit/", shift_edit, name="duty_shift_edit"),
    path("duty/shifts/<int:pk>/delete/", shift_delete, name="duty_shift_delete"),
    path("duty/log/", log, name="duty_log"),
    path("duty/log/export.xlsx", log_export, name="duty_log_export"),
    path("duty/log/new/", log_add, name="duty_log_add"),
    path("duty/log/<int:pk>/edit/", log_edit, name="duty_log_edit"),
    path("duty/centres/<int:unit_pk>/handover/", handover, name="duty_handover"),
    path("duty/centres/<int:unit_pk>/log/print/", log_print, name="duty_log_print"),
]
