"""Every change of a regulation: written, its citing plans linked, files attached, replaced or
repealed. **Replacing or repealing a regulation raises a revision trigger** (case: laws and
regulations changed) on every plan in force that cites it, through ``plans.services.clocks.trigger_raise``
keyed by the regulation, so it is raised once however often it is asked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids import limits
from grids.models import GridUnit, User
from library import access
from library.models import Regulation, RegulationFile
from library.services.common import TransitionRefused, attach, clean_texts, save_new, save_step
from plans.access import visible_plans
from plans.models import Plan, TriggerCase, TriggerSource
from plans.services.clocks import LIVE_STATES, trigger_raise

TEXTS = ("title", "number", "issuer", "summary")


def _locked(regulation: Regulation | int) -> Regulation:
    pk = regulation.pk if isinstance(regulation, Regulation) else regulation
    return Regulation.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)


def _check_edit(by: User, unit: GridUnit) -> None:
    if not access.may_edit(by, unit):
        raise access.refuse_edit()


def _clean(fields: dict) -> dict:
    cleaned = clean_texts(Regulation, fields, TEXTS)
    for name, message in (("title", _("Give the regulation's title.")), ("issuer", _("Say who issued it."))):
        if name in cleaned and not cleaned[name]:
            raise ValidationError({name: message})
    if "kind" in fields:
        if fields["kind"] not in Regulation.Kind.values:
            raise ValidationError({"kind": _("Choose the kind of regulation.")})
        cleaned["kind"] = fields["kind"]
    for name in ("issued_on", "effective_on"):
        if name in fields:
            cleaned[name] = limits.bound_date(name, fields[name])
    issued, effective = cleaned.get("issued_on"), cleaned.get("effective_on")
    if issued and effective and effective < issued:
        raise ValidationError({"effective_on": _("It cannot take effect before it was issued.")})
    return cleaned


def _checked_plans(by: User, plans) -> list[Plan]:
    plans = list(plans)
    seen = set(visible_plans(by).filter(pk__in=[p.pk for p in plans]).values_list("pk", flat=True))
    if any(p.pk not in seen for p in plans):
        raise ValidationError({"plans": _("Choose plans you can see.")})
    return plans


@transaction.atomic
def regulation_create(*, by: User, unit: GridUnit, plans=(), **fields) -> Regulation:
    """A regulation kept by ``unit`` (in force), with the plans that cite it."""
    _check_edit(by, unit)
    cleaned = _clean({"title": "", "issuer": "", "kind": "", **fields})
    regulation = Regulation(unit=unit, created_by=by, **cleaned)
    save_new(regulation, "created", by)
    regulation.plans.set(_checked_plans(by, plans))
    return regulation


@transaction.atomic
def regulation_update(*, regulation: Regulation, by: User, plans=None, **fields) -> Regulation:
    """Change a regulation's particulars and the plans that cite it (its status changes only by
    ``regulation_replace`` / ``regulation_repeal``). Plans the person cannot see keep their link."""
    regulation = _locked(regulation)
    _check_edit(by, regulation.unit)
    cleaned = _clean(fields)
    if ("issued_on" in cleaned) != ("effective_on" in cleaned):
        issued = cleaned.get("issued_on", regulation.issued_on)
        effective = cleaned.get("effective_on", regulation.effective_on)
        if issued and effective and effective < issued:
            raise ValidationError({"effective_on": _("It cannot take effect before it was issued.")})
    for name, value in cleaned.items():
        setattr(regulation, name, value)
    if cleaned:
        save_step(regulation, list(cleaned), "edited", by)
    if plans is not None:
        chosen = _checked_plans(by, plans)
        hidden = list(regulation.plans.exclude(pk__in=visible_plans(by).values("pk")))
        regulation.plans.set(chosen + hidden)
    return regulation


def _raise_triggers(regulation: Regulation, by: User, note: str) -> int:
    plans = list(regulation.plans.filter(current_version__state__in=LIVE_STATES).order_by("pk"))
    for plan in plans:
        trigger_raise(
            plan=plan, case=TriggerCase.LAWS, source=TriggerSource.REGULATION,
            source_key=f"regulation:{regulation.pk}", note=note, by=by,
        )  # fmt: skip
    return len(plans)


@transaction.atomic
def regulation_replace(*, regulation: Regulation, by: User, replaced_by: Regulation) -> int:
    """现行有效 → 已修订(被替代) by ``replaced_by`` (a regulation in force the person sees); every plan
    in force citing it gets a revision trigger. Answers the number of plans concerned."""
    regulation = _locked(regulation)
    _check_edit(by, regulation.unit)
    if regulation.status != Regulation.Status.IN_FORCE:
        raise TransitionRefused(_("Only a regulation in force can be replaced."))
    if replaced_by is None or replaced_by.pk == regulation.pk:
        raise ValidationError({"replaced_by": _("Choose the regulation that replaces it.")})
    if not access.visible_regulations(by).filter(pk=replaced_by.pk, status=Regulation.Status.IN_FORCE).exists():
        raise ValidationError({"replaced_by": _("Choose a regulation in force that you can see.")})
    regulation.status = Regulation.Status.REPLACED
    regulation.replaced_by = replaced_by
    save_step(regulation, ["status", "replaced_by"], "replaced", by)
    note = _("%(old)s has been replaced by %(new)s: check the plan against it.") % {
        "old": str(regulation), "new": str(replaced_by),
    }  # fmt: skip
    return _raise_triggers(regulation, by, note)


@transaction.atomic
def regulation_repeal(*, regulation: Regulation, by: User) -> int:
    """现行有效 → 已废止; every plan in force citing it gets a revision trigger."""
    regulation = _locked(regulation)
    _check_edit(by, regulation.unit)
    if regulation.status != Regulation.Status.IN_FORCE:
        raise TransitionRefused(_("Only a regulation in force can be repealed."))
    regulation.status = Regulation.Status.REPEALED
    save_step(regulation, ["status"], "repealed", by)
    return _raise_triggers(regulation, by, _("%(old)s has been repealed: check the plan.") % {"old": str(regulation)})


@transaction.atomic
def regulation_attach(*, regulation: Regulation, by: User, upload) -> RegulationFile:
    regulation = _locked(regulation)
    _check_edit(by, regulation.unit)
    return attach(RegulationFile, owner_field="regulation", owner=regulation, upload=upload, by=by)
