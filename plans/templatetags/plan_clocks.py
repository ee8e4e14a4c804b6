"""``{% plan_clock_panel %}``: the clocks, evaluations, drills and open revision triggers of the plan
on its page (templates/plans/detail.html), with the forms for its owner. A fixed number of queries."""

from django import template
from django.utils import timezone

from plans.forms import DrillForm, EvaluationForm, TriggerForm
from plans.models import VersionState
from plans.services.clock_notices import notice_days, status_of
from plans.services.clocks import plan_clocks, repeats_review_and_filing

register = template.Library()


@register.inclusion_tag("plans/clock_panel.html", takes_context=True)
def plan_clock_panel(context):
    plan = context["plan"]
    today = timezone.localdate()
    clocks = plan_clocks(plan)
    live = plan.current_version_id is not None and plan.current_version.state in (
        VersionState.IN_FORCE,
        VersionState.REVISING,
    )
    minor = [
        v
        for v in context.get("versions", [])
        if v.state in (VersionState.DRAFT, VersionState.REVIEW, VersionState.ISSUED)
        and not repeats_review_and_filing(v)
    ]
    return {
        "plan": plan,
        "live": live,
        "days": notice_days(),
        "cells": [
            ("evaluation", clocks.evaluation_due, status_of(clocks.evaluation_due, today)),
            ("drill", clocks.drill_due, status_of(clocks.drill_due, today)),
        ],
        "triggers": list(plan.revision_triggers.filter(closed_at__isnull=True).select_related("raised_by")),
        "evaluations": list(plan.evaluations.all()[:5]),
        "drills": list(plan.drill_records.all()[:5]),
        "may_edit": context.get("may_edit"),
        "may_issue": context.get("may_issue"),
        "minor_versions": minor,
        "evaluation_form": EvaluationForm(initial={"held_on": today}, prefix=None),
        "drill_form": DrillForm(initial={"held_on": today}),
        "trigger_form": TriggerForm(),
        "csrf_token": context.get("csrf_token"),
    }
