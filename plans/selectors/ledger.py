"""Reads of the plan register: they take the user and filter through ``plans.access``; the number
of queries does not grow with the number of plans (one for the page, one per prefetched relation)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from plans.access import filings_awaiting, visible_plans
from plans.models import Filing, Plan, PlanVersion, VersionState


@dataclass
class RegisterFilters:
    q: str = ""
    kind: int | None = None
    state: str = ""
    late: bool = False


def register(user, filters: RegisterFilters | None = None) -> QuerySet[Plan]:
    """The 预案台账 the person sees, each plan with its versions (latest first) and kinds."""
    filters = filters or RegisterFilters()
    plans = visible_plans(user).select_related("unit", "department", "kind", "current_version", "lead_department")
    if filters.q:
        plans = plans.filter(Q(title__icontains=filters.q) | Q(unit__name__icontains=filters.q))
    if filters.kind:
        plans = plans.filter(kind_id=filters.kind)
    if filters.state:
        plans = plans.filter(versions__state=filters.state).distinct()
    if filters.late:
        plans = plans.filter(versions__filings__late=True).distinct()
    return plans.prefetch_related(
        Prefetch("versions", queryset=PlanVersion.objects.order_by("-number")),
        "hazard_categories",
        "incident_types",
        "linked_plans",
    )


def latest_version(plan: Plan) -> PlanVersion | None:
    versions = list(plan.versions.all())  # prefetched, latest first
    return versions[0] if versions else None


def is_late(version: PlanVersion | None, today) -> bool:
    """Issued and not filed by its due date (or filed after it)."""
    if version is None or not version.filing_due:
        return False
    return version.state == VersionState.ISSUED and today > version.filing_due


def awaiting(user) -> QuerySet[Filing]:
    return filings_awaiting(user).select_related(
        "version__plan__unit", "version__plan__department", "version__plan__kind", "receiver_unit",
        "receiver_department",
    ).order_by("filed_at", "pk")  # fmt: skip
