"""Every change of a case: made from an incident or a drill, written, published, files attached.

Each is a transaction that locks the case row, checks the person's right through the scope
(``library.access``) and writes the state with its history entry."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.models import Incident, IncidentReport
from drills.models import DONE_STATES, Drill
from grids import limits
from grids.models import GridUnit, User, above_q
from library import access
from library.models import Case, CaseAttachment
from library.services.common import TransitionRefused, attach, clean_texts, save_new, save_step
from plans.models import Plan
from plans.services.clocks import LIVE_STATES

PARTS = ("cause", "measures", "handling", "lessons", "problems", "suggestions", "expert_opinion")
TEXTS = ("title", *PARTS)
NEEDED_TO_PUBLISH = ("cause", "handling", "lessons")


def _locked(case: Case | int) -> Case:
    pk = case.pk if isinstance(case, Case) else case
    return Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)


def _check_edit(by: User, unit: GridUnit) -> None:
    if not access.may_edit(by, unit):
        raise access.refuse_edit()


def _plan_categories(plans) -> list[int]:
    return sorted(
        set(Plan.hazard_categories.through.objects.filter(plan__in=plans).values_list("hazardcategory_id", flat=True))
    )


def _already(source) -> ValidationError:
    return ValidationError(_("This %(what)s is already a case in the library.") % {"what": source._meta.verbose_name})


@transaction.atomic
def case_from_incident(*, incident: Incident, by: User) -> Case:
    """转为案例: a closed incident (its final report made) becomes a draft case of the incident's
    unit, prefilled from the reports; the incident's unit's writers (and the tiers above) may."""
    incident = Incident.objects.select_for_update(of=("self",)).select_related("unit", "type").get(pk=incident.pk)
    _check_edit(by, incident.unit)
    if not incident.is_final:
        raise TransitionRefused(_("Only a closed incident (its final report made) becomes a case."))
    if Case.objects.filter(incident=incident).exists():
        raise _already(incident)
    reports = list(incident.reports.order_by("at", "id"))
    final = next((r for r in reports if r.kind == IncidentReport.Kind.FINAL), None)
    handling = "\n".join(f"{r.get_kind_display()}{r.sequence or ''}：{r.text}" for r in reports)
    plans = Plan.objects.filter(above_q(incident.unit, "unit__"), incident_types=incident.type_id)
    case = Case(
        title=incident.title, source=Case.Source.INCIDENT, incident=incident, unit=incident.unit,
        incident_type=incident.type, occurred_on=timezone.localdate(incident.occurred_at),
        cause=incident.description, measures=incident.measures, handling=handling,
        problems=_("The final report names a problem in the emergency plan.") if final and final.names_plan_problem else "",
        created_by=by,
    )  # fmt: skip
    for name in PARTS:
        setattr(case, name, getattr(case, name)[: Case._meta.get_field(name).max_length])
    return _save_new_case(case, by, _plan_categories(plans.filter(current_version__state__in=LIVE_STATES)))


@transaction.atomic
def case_from_drill(*, drill: Drill, by: User) -> Case:
    """转为案例: a held drill becomes a draft case of the drilled unit, prefilled from its record,
    its evaluation and its findings."""
    drill = Drill.objects.select_for_update(of=("self",)).select_related("unit").get(pk=drill.pk)
    _check_edit(by, drill.unit)
    if drill.state not in DONE_STATES:
        raise TransitionRefused(_("Only a drill that has been held becomes a case."))
    if Case.objects.filter(drill=drill).exists():
        raise _already(drill)
    evaluation = getattr(drill, "evaluation", None)
    findings = list(drill.findings.order_by("id"))
    day = timezone.localdate(drill.held_at) if drill.held_at else drill.planned_date
    case = Case(
        title=drill.title, source=Case.Source.DRILL, drill=drill, unit=drill.unit, drill_form=drill.form,
        occurred_on=day, cause=drill.scenario, measures=drill.subjects, handling=drill.narrative,
        lessons=(evaluation.summary or evaluation.report) if evaluation else "",
        problems="\n".join(f"{f.get_kind_display()}：{f.description}" for f in findings),
        suggestions="\n".join(f.closing_note for f in findings if f.closing_note),
        created_by=by,
    )  # fmt: skip
    for name in PARTS:
        setattr(case, name, getattr(case, name)[: Case._meta.get_field(name).max_length])
    return _save_new_case(case, by, _plan_categories(drill.linked_plans.all()))


def _save_new_case(case: Case, by: User, categories: list[int]) -> Case:
    try:
        with transaction.atomic():
            save_new(case, "created from its source", by)
    except IntegrityError:  # made at the same moment by another request: the constraint held
        raise ValidationError(_("This source is already a case in the library.")) from None
    if categories:
        case.hazard_categories.set(categories)
    return case


def _clean(fields: dict) -> dict:
    cleaned = clean_texts(Case, fields, TEXTS)
    if "title" in cleaned and not cleaned["title"]:
        raise ValidationError({"title": _("Give the case a title.")})
    if "occurred_on" in fields:
        cleaned["occurred_on"] = limits.bound_date("occurred_on", fields["occurred_on"])
        if cleaned["occurred_on"] is None:
            raise ValidationError({"occurred_on": _("Give the date of the case.")})
        if cleaned["occurred_on"] > timezone.localdate():
            raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    for name in ("incident_type", "drill_form"):
        if name in fields:
            cleaned[name] = fields[name] or (None if name == "incident_type" else "")
    return cleaned


@transaction.atomic
def case_create(*, by: User, unit: GridUnit, hazard_categories=(), **fields) -> Case:
    """A case written by hand (an older event, a case of another county): a draft of ``unit``."""
    _check_edit(by, unit)
    cleaned = _clean({"title": "", "occurred_on": None, **fields})
    case = Case(unit=unit, source=Case.Source.OTHER, created_by=by, **cleaned)
    save_new(case, "created", by)
    case.hazard_categories.set(list(hazard_categories))
    return case


@transaction.atomic
def case_update(*, case: Case, by: User, hazard_categories=None, **fields) -> Case:
    """Change the text, type, date and categories of a case (draft or published)."""
    case = _locked(case)
    _check_edit(by, case.unit)
    cleaned = _clean(fields)
    for name, value in cleaned.items():
        setattr(case, name, value)
    if cleaned:
        save_step(case, list(cleaned), "edited", by)
    if hazard_categories is not None:
        case.hazard_categories.set(list(hazard_categories))
    return case


@transaction.atomic
def case_publish(*, case: Case, by: User) -> Case:
    """草稿 → 已发布: the township or the county, once the cause, the handling and the lessons are written."""
    case = _locked(case)
    if not access.may_publish(by, case.unit):
        raise PermissionDenied(_("A case is published by its township or the county."))
    if case.state != Case.State.DRAFT:
        raise TransitionRefused(_("This case has already been published."))
    missing = [
        str(Case._meta.get_field(name).verbose_name) for name in NEEDED_TO_PUBLISH if not getattr(case, name).strip()
    ]
    if missing:
        raise ValidationError(_("Write these parts before publishing: %(parts)s.") % {"parts": "、".join(missing)})
    case.state = Case.State.PUBLISHED
    case.published_at = timezone.now()
    save_step(case, ["state", "published_at"], "published", by)
    return case


@transaction.atomic
def case_attach(*, case: Case, by: User, upload) -> CaseAttachment:
    """Attach a file (PDF, Word, OFD, JPEG, PNG; checked by its content) to the case."""
    case = _locked(case)
    _check_edit(by, case.unit)
    return attach(CaseAttachment, owner_field="case", owner=case, upload=upload, by=by)
