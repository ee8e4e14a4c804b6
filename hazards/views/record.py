"""Pages of one hazard: the phone's report, "my hazards", the detail page with its timeline, and
the loop's steps posted from it. Thin: every hazard is fetched through hazards.access, every change
goes through hazards.services, and a refusal is shown the way the service words it."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.idempotency import key_was_used
from core.views import run_service
from grids import limits
from grids.files import serve_file
from grids.models import Department, GridUnit
from grids.outside import question_for
from grids.scope import scope_for
from hazards import forms, services
from hazards.access import get_hazard_for_user, may, reportable_units, visible_hazards
from hazards.models import OPEN_STATES, Grade, Hazard, HazardCopy, HazardPhoto, RiskFactorOption, State
from hazards.permissions import HazardAction
from hazards.services import TransitionRefused
from hazards.services.photos import photo_ensure_thumbnail

MINE_PER_PAGE = 20


# --- reporting ----------------------------------------------------------------------------------


def _reportable_units(user):
    return reportable_units(user)


def _default_unit(user, units) -> GridUnit | None:
    """The unit a report starts in: the lowest unit where the person holds a role that may report
    (their village or enterprise), else the first unit they may report in."""
    held = scope_for(user).units_granting(HazardAction.REPORT)
    return units.filter(pk__in=held).order_by("-level", "tree_id", "lft").first() or units.first()


@require_http_methods(["GET", "POST"])
@login_required
def report(request):
    units = _reportable_units(request.user)
    # A POST needs no default unit (the form checks the one sent): the roles held, read once per
    # request, answer whether there is anywhere to report without a query.
    if request.method == "POST":
        default, allowed = None, bool(scope_for(request.user).units_granting(HazardAction.REPORT))
    else:
        default = _default_unit(request.user, units)
        allowed = default is not None
    if not allowed:
        raise PermissionDenied(_("You hold no role in a grid, so there is nowhere you can report a hazard."))
    if request.method == "POST":
        form = forms.ReportForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            data = form.cleaned_data
            response = run_service(
                request,
                lambda: services.hazard_report(
                    by=request.user,
                    unit=data["unit"],
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    lng=data["lng"],
                    lat=data["lat"],
                    address=data["address"],
                    source=data["source"],
                    photos=data["photos"],
                    client_key=data["client_key"],
                    fixed_on_spot=data["fixed_on_spot"],
                    evidence_photos=data["evidence_photos"],
                    evidence_note=data["evidence_note"],
                ),
                success_message=_reported_message,
                success_level=lambda outcome: messages.SUCCESS if outcome[1] else messages.INFO,
                redirect_to=lambda outcome: (
                    _return_to(request, request.POST.get("return")) or reverse("hazards:detail", args=[outcome[0].pk])
                ),
                form=form,
            )
            if response is not None:
                return response
    else:
        form = forms.ReportForm(units=units, initial=_initial_from_query(request.GET, default))
        if request.GET.get("key"):  # a key the caller keeps (a patrol's check-in): not replaced on the phone
            form.fields["client_key"].widget.attrs["data-keep"] = "1"
    choices = list(units[:2])
    return render(
        request,
        "hazards/report.html",
        {
            "form": form,
            "single_unit": choices[0] if len(choices) == 1 else None,
            "return_to": _return_to(request, request.POST.get("return") or request.GET.get("return")),
        },
    )


def _initial_from_query(query, default: GridUnit) -> dict:
    """The report form started from another page (a patrol point's 发现隐患): ``?lat=&lng=&title=
    &address=&unit=&key=&return=``; a value that does not parse is left out (the form checks the rest)."""
    initial: dict = {"client_key": uuid.uuid4(), "unit": default.pk}
    try:
        lng, lat = float(query["lng"]), float(query["lat"])
        if limits.is_lng(lng) and limits.is_lat(lat):
            initial.update(lng=lng, lat=lat)
    except (KeyError, ValueError):
        pass
    for name in ("title", "address"):
        if query.get(name):
            initial[name] = query[name][: limits.max_length(Hazard, name)]
    if query.get("unit", "").isdigit():
        initial["unit"] = int(query["unit"])
    with contextlib.suppress(KeyError, ValueError):
        initial["client_key"] = uuid.UUID(query["key"])
    return initial


def _return_to(request, url: str | None) -> str:
    """A page of this site to go back to after the report (only a local path), or ''."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return ""


def _reported_message(outcome: tuple[Hazard, bool]) -> str:
    hazard, created = outcome
    if created:
        return _("Hazard %(number)s reported. The township will see it at once.") % {"number": hazard.number}
    return _("This report was already received as %(number)s.") % {"number": hazard.number}


@require_GET
@login_required
def propose_unit(request):
    """JSON {id, name, question}: the village or enterprise of the user's scope containing the point,
    and the question to ask when the point lies outside that unit's boundary (else "")."""
    units = _reportable_units(request.user)
    default = _default_unit(request.user, units)
    if default is None:
        raise PermissionDenied(_("You hold no role in a grid, so there is nowhere you can report a hazard."))
    try:
        lng, lat = float(request.GET["lng"]), float(request.GET["lat"])
        if not (limits.is_lng(lng) and limits.is_lat(lat)):
            raise ValueError
    except (KeyError, ValueError):
        return JsonResponse({"error": _("Give a longitude and a latitude.")}, status=400)
    unit = services.propose_unit(user=request.user, lng=lng, lat=lat, default=default)
    if unit.pk != default.pk and not units.filter(pk=unit.pk).exists():
        unit = default
    question, _other = question_for(unit, lng, lat, units)
    return JsonResponse({"id": unit.pk, "name": unit.name, "question": question})


# --- lists --------------------------------------------------------------------------------------


@require_GET
@login_required
def mine(request):
    """What I reported, and the open hazards of my own village(s) or enterprise(s)."""
    scope = scope_for(request.user)
    own_units = scope.own_units_at_tiers({3})
    hazards = (
        visible_hazards(request.user)
        .filter(Q(reporter=request.user) | Q(unit_id__in=own_units, state__in=OPEN_STATES))
        .select_related("category", "unit")
        .order_by("-found_at", "-id")
    )
    page = Paginator(hazards, MINE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "hazards/mine.html", {"page": page, "hazards": page.object_list})


# --- one hazard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of the loop as the detail page offers it."""

    permission: str
    states: tuple[str, ...]
    form: Callable[..., object]
    run: Callable[..., object]
    done: str
    title: str


def _confirm_form(hazard, data=None, files=None, *, options=(), **_kwargs):
    return forms.ConfirmForm(data, options=options, family=hazard.family, prefix="confirm")


def _supervise_form(hazard, data=None, files=None, **_kwargs):
    return forms.SuperviseForm(data, departments=_county_departments(hazard), prefix="supervise")


def _simple(form_class, prefix):
    def build(hazard, data=None, files=None, **_kwargs):
        return form_class(data, files, prefix=prefix)

    return build


STEPS: dict[str, Step] = {
    "confirm": Step(
        HazardAction.RULE,
        (State.REPORTED,),
        _confirm_form,
        lambda h, by, d: services.hazard_confirm(hazard=h, by=by, **d),
        gettext_lazy("Hazard confirmed."),
        gettext_lazy("Confirm and grade"),
    ),
    "reject": Step(
        HazardAction.RULE,
        (State.REPORTED,),
        _simple(forms.RejectForm, "reject"),
        lambda h, by, d: services.hazard_reject(hazard=h, by=by, reason=d["reason"]),
        gettext_lazy("Report not confirmed as a hazard."),
        gettext_lazy("Not a hazard"),
    ),
    "plan": Step(
        HazardAction.RULE,
        (State.CONFIRMED,),
        _simple(forms.PlanForm, "plan"),
        lambda h, by, d: services.hazard_plan(hazard=h, by=by, **d),
        gettext_lazy("Five-in-place set; rectification started."),
        gettext_lazy("Set the five-in-place"),
    ),
    "evidence": Step(
        HazardAction.EVIDENCE,
        (State.RECTIFYING,),
        _simple(forms.EvidenceForm, "evidence"),
        lambda h, by, d: services.hazard_submit_evidence(
            hazard=h, by=by, note=d["note"], photos=d["photos"], client_key=d.get("client_key")
        ),
        gettext_lazy("Evidence sent; the hazard awaits acceptance."),
        gettext_lazy("Report it rectified"),
    ),
    "accept": Step(
        HazardAction.RULE,
        (State.AWAITING_ACCEPTANCE,),
        _simple(forms.AcceptForm, "accept"),
        lambda h, by, d: services.hazard_accept(hazard=h, by=by, note=d["note"]),
        gettext_lazy("Rectification accepted; the hazard is closed."),
        gettext_lazy("Accept and close"),
    ),
    "fail": Step(
        HazardAction.RULE,
        (State.AWAITING_ACCEPTANCE,),
        _simple(forms.FailForm, "fail"),
        lambda h, by, d: services.hazard_fail_acceptance(hazard=h, by=by, reason=d["reason"]),
        gettext_lazy("Sent back for more rectification."),
        gettext_lazy("Not accepted"),
    ),
    "escalate": Step(
        HazardAction.RULE,
        tuple(OPEN_STATES),
        _simple(forms.EscalateForm, "escalate"),
        lambda h, by, d: services.hazard_escalate(hazard=h, by=by, reason=d["reason"]),
        gettext_lazy("Hazard passed up one tier."),
        gettext_lazy("Pass up one tier"),
    ),
    "supervise": Step(
        HazardAction.SUPERVISE,
        (State.CONFIRMED, State.RECTIFYING, State.AWAITING_ACCEPTANCE),
        _supervise_form,
        lambda h, by, d: services.hazard_supervise(
            hazard=h,
            by=by,
            department=d["department"],
            deadline=d["deadline"],
            requirements=d["requirements"],
            order_no=d["order_no"],
        ),
        gettext_lazy("Hazard put under listed supervision."),
        gettext_lazy("Listed supervision"),
    ),
}


def _step_open(slug: str, hazard: Hazard) -> bool:
    """Whether the hazard's state (and grade) lets the step be taken now."""
    step = STEPS[slug]
    if hazard.state not in step.states:
        return False
    if slug == "escalate":
        return hazard.owner_unit.parent_id is not None
    if slug == "supervise":
        return hazard.grade == Grade.MAJOR and not hazard.supervised
    return True


def _allowed_steps(user, hazard: Hazard) -> list[str]:
    return [slug for slug, step in STEPS.items() if _step_open(slug, hazard) and may(user, step.permission, hazard)]


def _county_departments(hazard: Hazard):
    return Department.objects.filter(county__tree_id=hazard.unit.tree_id, county__level=0, is_active=True).order_by(
        "name"
    )


def _may_reply(user, copy: HazardCopy) -> bool:
    return scope_for(user).serves_department(copy.department_id)


def _render_detail(
    request, hazard: Hazard, *, bound: dict | None = None, feedback_bound: dict | None = None, status: int = 200
):
    user = request.user
    bound = bound or {}
    feedback_bound = feedback_bound or {}
    allowed = _allowed_steps(user, hazard)
    options = list(RiskFactorOption.objects.all()) if "confirm" in allowed else ()
    action_forms = []
    for slug in allowed:
        form = bound.get(slug)
        if form is None:
            form = STEPS[slug].form(hazard, options=options)
        action_forms.append({"slug": slug, "title": STEPS[slug].title, "form": form})
    photos = list(hazard.photos.all())
    copies = list(hazard.copies.select_related("department", "feedback_by").order_by("created_at", "id"))
    copy_rows = []
    for copy in copies:
        form = None
        if _may_reply(user, copy):
            form = feedback_bound.get(copy.pk) or forms.FeedbackForm(
                initial={"feedback": copy.feedback}, prefix=f"copy{copy.pk}"
            )
        copy_rows.append({"copy": copy, "form": form})
    unit = hazard.unit
    features = []
    if unit.boundary:
        features.append(
            {
                "type": "Feature",
                "geometry": unit.boundary,
                "properties": {"id": unit.pk, "name": unit.name, "role": "self"},
            }
        )
    points = []
    if hazard.lng is not None and hazard.lat is not None:
        points.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [hazard.lng, hazard.lat]},
                "properties": {"name": hazard.title},
            }
        )
    context = {
        "hazard": hazard,
        "report_photos": [p for p in photos if p.kind == HazardPhoto.Kind.REPORT],
        "evidence_photos": [p for p in photos if p.kind == HazardPhoto.Kind.EVIDENCE],
        "events": hazard.events.select_related("by", "from_unit", "to_unit"),
        "copies": copy_rows,
        "action_forms": action_forms,
        "map_data": {"type": "FeatureCollection", "features": features},
        "points": points,
        "tile_url": settings.MAP_TILE_URL,
        "has_plan": bool(hazard.measures or hazard.deadline),
    }
    return render(request, "hazards/detail.html", context, status=status)


@require_GET
@login_required
def detail(request, pk: int):
    return _render_detail(request, get_hazard_for_user(request.user, pk))


@require_POST
@login_required
def act(request, pk: int, action: str):
    """Take one step of the loop; the slug names the step (confirm, reject, plan, evidence, …)."""
    step = STEPS.get(action)
    if step is None:
        raise Http404(_("No such step."))
    hazard = get_hazard_for_user(request.user, pk, action=step.permission)
    if action == "evidence" and key_was_used(request.user, request.POST.get("evidence-client_key")):
        messages.info(request, _("This was already received."))  # the phone's queue sent it again
        return redirect("hazards:detail", pk=hazard.pk)
    if not _step_open(action, hazard):
        messages.error(
            request,
            _("This hazard is now “%(state)s”; that step is no longer possible. The page shows the latest.")
            % {"state": hazard.get_state_display()},
        )
        return redirect("hazards:detail", pk=hazard.pk)
    extra = {"options": list(RiskFactorOption.objects.all())} if action == "confirm" else {}
    form = step.form(hazard, request.POST, request.FILES, **extra)
    if form.is_valid():
        data = form.service_kwargs() if hasattr(form, "service_kwargs") else form.cleaned_data
        response = run_service(
            request,
            lambda: step.run(hazard, request.user, data),
            success_message=str(step.done),
            redirect_to=reverse("hazards:detail", args=[hazard.pk]),
            refusals=(TransitionRefused,),
            form=form,
        )
        if response is not None:
            return response
    return _render_detail(request, hazard, bound={action: form}, status=400)


@require_POST
@login_required
def copy_feedback(request, pk: int):
    """A department records what it did about a hazard copied to it (反馈)."""
    copy = get_object_or_404(HazardCopy.objects.select_related("department"), pk=pk)
    hazard = get_hazard_for_user(request.user, copy.hazard_id)
    if not _may_reply(request.user, copy):
        raise PermissionDenied(_("Only the department the hazard was copied to can reply."))
    form = forms.FeedbackForm(request.POST, prefix=f"copy{copy.pk}")
    if form.is_valid():
        response = run_service(
            request,
            lambda: services.hazard_copy_feedback(copy=copy, by=request.user, feedback=form.cleaned_data["feedback"]),
            success_message=_("Your department's feedback is recorded."),
            redirect_to=reverse("hazards:detail", args=[hazard.pk]),
            form=form,
        )
        if response is not None:
            return response
    return _render_detail(request, hazard, feedback_bound={copy.pk: form}, status=400)


@require_GET
@login_required
def photo(request, pk: int):
    """A photo of a hazard the user may see; never a public media URL."""
    item = get_object_or_404(HazardPhoto.objects.only("id", "hazard_id", "image", "processing"), pk=pk)
    get_hazard_for_user(request.user, item.hazard_id)
    _ready_or_404(item)
    return serve_file(request, item.image, content_type="image/jpeg")


@require_GET
@login_required
def photo_thumb(request, pk: int):
    """The thumbnail (at most 320 px) of a photo the user may see; made on first request for a photo
    stored before thumbnails were (``manage.py make_thumbnails`` makes them all at once)."""
    item = get_object_or_404(HazardPhoto.objects.only("id", "hazard_id", "image", "thumbnail", "processing"), pk=pk)
    get_hazard_for_user(request.user, item.hazard_id)
    _ready_or_404(item)
    photo_ensure_thumbnail(item)
    return serve_file(request, item.thumbnail or item.image, content_type="image/jpeg")


# --- helpers ------------------------------------------------------------------------------------


def _ready_or_404(item: HazardPhoto) -> None:
    """A photo the worker has not processed yet is processed now; one it could not read is a 404
    that says so (the file as sent, with its EXIF, is never served)."""
    if not services.photo_ready(item):
        raise Http404(_("This photo could not be read when it was sent."))
