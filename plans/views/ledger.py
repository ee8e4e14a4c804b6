"""The plan pages: thin — fetch through ``plans.access``, parse with a form, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.registry import page_sections
from grids.files import serve_file
from grids.spreadsheets import append_row, scope_export_name, start_table, xlsx_response
from plans import access, selectors, services
from plans.forms import DocumentForm, IssueForm, PlanForm, ReasonForm, ReviewForm, RevisionForm
from plans.models import Filing, PlanKind, PlanVersion, VersionState
from plans.permissions import PlanAction

PAGE_SIZE = 30


def _errors(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _filters(request) -> selectors.RegisterFilters:
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    return selectors.RegisterFilters(
        q=request.GET.get("q", "").strip()[:50],
        kind=int(kind) if kind.isdigit() else None,
        state=state if state in VersionState.values else "",
        late=request.GET.get("late") == "1",
    )


@require_GET
@login_required
def register(request):
    filters = _filters(request)
    page = Paginator(selectors.register(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for plan in page:
        latest = selectors.latest_version(plan)
        rows.append({"plan": plan, "latest": latest, "late": selectors.is_late(latest, today)})
    return render(
        request,
        "plans/list.html",
        {
            "page_obj": page,
            "rows": rows,
            "filters": filters,
            "kinds": PlanKind.objects.filter(is_active=True),
            "states": VersionState.choices,
            "may_create": access.may_create(request.user),
            "query": request.GET.urlencode(),
        },
    )


EXPORT_COLUMNS = [
    gettext_lazy("Plan"), gettext_lazy("Kind"), gettext_lazy("Owner"), gettext_lazy("Version"), gettext_lazy("State"),
    gettext_lazy("Issued on"), gettext_lazy("Filing due"), gettext_lazy("Filing number"),
    gettext_lazy("Main leader who signs"), gettext_lazy("Hazard categories"), gettext_lazy("Incident types"),
]  # fmt: skip


@require_GET
@login_required
def export(request):
    """The 预案台账 as .xlsx: the same rows as the register's filters, every string written as text."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Plan register"))
    start_table(sheet, EXPORT_COLUMNS)
    plans = selectors.register(request.user, _filters(request)).prefetch_related("versions__filings")
    for plan in plans:
        versions = list(plan.versions.all())  # prefetched with their filings
        version = next((v for v in versions if v.pk == plan.current_version_id), versions[0] if versions else None)
        numbers = [f.number for f in version.filings.all() if f.number] if version else []
        append_row(
            sheet,
            [
                plan.title,
                plan.kind.display_name,
                plan.owner_name,
                version.number if version else "",
                version.get_state_display() if version else "",
                version.issued_on if version else None,
                version.filing_due if version else None,
                "、".join(numbers),
                plan.leader_name,
                "、".join(c.display_name for c in plan.hazard_categories.all()),
                "、".join(t.display_name for t in plan.incident_types.all()),
            ],
        )
    return xlsx_response(book, scope_export_name(request.user, _("Plan register"), timezone.localdate()))


@require_http_methods(["GET", "POST"])
@login_required
def create(request):
    if not access.may_create(request.user):
        raise PermissionDenied(_("Only the unit's own people may draft its plans."))
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                by=request.user,
                unit=data["unit"],
                department=data.get("department"),
                kind=data["kind"],
                title=data["title"],
                leader_name=data["leader_name"],
                lead_department=data.get("lead_department"),
                contacts=data.get("contacts", ""),
                hazard_categories=data["hazard_categories"],
                incident_types=data["incident_types"],
                linked_plans=data["linked_plans"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def edit(request, pk: int):
    plan = access.get_plan_for_user(request.user, pk, action=PlanAction.EDIT)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.plan_update(plan=plan, by=request.user, **fields)
        except (ValidationError, services.TransitionRefused) as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/form.html", {"form": form, "plan": plan})


@require_GET
@login_required
def detail(request, pk: int):
    plan = access.get_plan_for_user(request.user, pk)
    versions = plan.versions.prefetch_related(
        "documents", "reviews", "filings__receiver_unit", "filings__receiver_department"
    ).order_by("-number")
    may_edit = access.may(request.user, PlanAction.EDIT, plan)
    may_issue = access.may(request.user, PlanAction.ISSUE, plan)
    history = sorted(
        [
            *plan.history.select_related("history_user").order_by("-history_date")[:30],
            *PlanVersion.history.filter(plan_id=plan.pk).select_related("history_user").order_by("-history_date")[:60],
        ],
        key=lambda row: row.history_date,
        reverse=True,
    )
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "extra_sections": page_sections("plan", request.user, plan),  # registered by higher apps
            "versions": versions,
            "may_edit": may_edit,
            "may_issue": may_issue,
            "history": history,
            "document_form": DocumentForm(),
            "review_form": ReviewForm(),
            "issue_form": IssueForm(initial={"issued_on": timezone.localdate()}),
            "reason_form": ReasonForm(),
            "revision_form": RevisionForm(),
            "today": timezone.localdate(),
        },
    )


ACTIONS = {"submit_review", "review", "issue", "file", "open_revision", "withdraw", "document"}


@require_POST
@login_required
def act(request, pk: int, action: str):
    """One transition of a version, from the buttons of the plan page."""
    right = PlanAction.ISSUE if action in {"issue", "withdraw"} else PlanAction.EDIT
    version = access.get_version_for_user(request.user, pk, action=right)  # 404 unseen, 403 not allowed
    if action not in ACTIONS:
        raise Http404(_("No such action."))
    by = request.user
    try:
        if action == "submit_review":
            services.version_submit_review(version=version, by=by)
        elif action == "review":
            form = ReviewForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_errors(ValidationError(form.errors)))
            services.review_record_add(version=version, by=by, **form.cleaned_data)
        elif action == "issue":
            form = IssueForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_errors(ValidationError(form.errors)))
            services.version_issue(version=version, by=by, **form.cleaned_data)
        elif action == "file":
            services.version_file(version=version, by=by)
        elif action == "open_revision":
            form = RevisionForm(request.POST)
            form.is_valid()
            services.version_open_revision(plan=version.plan, by=by, **form.cleaned_data)
        elif action == "withdraw":
            services.version_withdraw(version=version, by=by, reason=request.POST.get("reason", ""))
        elif action == "document":
            form = DocumentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(_errors(ValidationError(form.errors)))
            services.document_add(
                version=version, by=by, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
    except (ValidationError, services.TransitionRefused) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("plans:detail", version.plan_id)


@require_GET
@login_required
def document(request, pk: int):
    """A plan document, after the plan's own access check, under the name it was uploaded with."""
    doc = access.get_document_for_user(request.user, pk)
    return serve_file(request, doc.file, download_name=doc.original_name)


@require_GET
@login_required
def filings(request):
    """Filings awaiting the person's own receiving unit or department."""
    waiting = selectors.awaiting(request.user)
    return render(request, "plans/filings.html", {"filings": waiting, "reason_form": ReasonForm()})


@require_GET
@login_required
def filing_detail(request, pk: int):
    filing = access.get_filing_for_user(request.user, pk)
    return render(
        request,
        "plans/filing_detail.html",
        {
            "filing": filing,
            "may_decide": filing.state == Filing.State.PENDING and access.may_receive(request.user, filing),
            "reason_form": ReasonForm(),
            "documents": filing.version.documents.all(),
        },
    )


@require_POST
@login_required
def filing_decide(request, pk: int, action: str):
    filing = access.get_filing_for_user(request.user, pk, receive=True)  # 404 unseen, 403 not the receiver
    if action not in {"receipt", "return"}:
        raise Http404(_("No such action."))
    try:
        if action == "receipt":
            services.filing_receipt(filing=filing, by=request.user)
        else:
            services.filing_return(filing=filing, by=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, services.TransitionRefused) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("plans:filing_detail", filing.pk)


@require_GET
@login_required
def filing_print(request, pk: int):
    """The printable 备案回执 of a receipted filing."""
    filing = access.get_filing_for_user(request.user, pk)
    if filing.state != Filing.State.RECEIPTED:
        raise PermissionDenied(_("Only a receipted filing has a receipt."))
    return render(request, "plans/filing_print.html", {"filing": filing})
