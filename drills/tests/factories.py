"""Test data for drills, made through the services (no side doors)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from drills import services
from drills.models import EvaluationIndicator


def drill(world, *, by=None, organiser=None, unit=None, planned_date=None, **fields):
    """A planned drill; by default the township's own comprehensive live drill, a week ahead."""
    unit = unit or world.township
    fields.setdefault("form", "live")
    fields.setdefault("scope", "comprehensive")
    fields.setdefault("scenario", "暴雨引发山洪，转移沿河群众")
    return services.drill_plan(
        by=by or world.township_officer,
        organiser=organiser or unit,
        unit=unit,
        title=fields.pop("title", f"{unit.name}防汛应急演练"),
        planned_date=planned_date or timezone.localdate() + datetime.timedelta(days=7),
        **fields,
    )


def blind(world, **fields):
    """The county's double-blind drill of the township."""
    return drill(
        world, by=world.county_dispatcher, organiser=world.county, unit=world.township, double_blind=True, **fields
    )


def held(world, the_drill, *, by=None, held_at=None):
    by = by or world.township_officer
    if the_drill.double_blind:
        services.drill_start(drill=the_drill, by=by)
    return services.drill_record_held(
        drill=the_drill,
        by=by,
        held_at=held_at or timezone.now() - datetime.timedelta(hours=1),
        place="河堤",
        headcount=40,
        participants="镇应急队、村民",
        narrative="09:00 发出警报；09:20 转移完成",
    )


def scores(form: str, value: int = 90) -> dict[int, int]:
    return {i.pk: value for i in EvaluationIndicator.objects.filter(form=form, is_active=True)}


def evaluated(world, the_drill, *, by=None, value=90):
    by = by or world.township_officer
    return services.drill_evaluate(drill=the_drill, by=by, scores=scores(the_drill.form, value), report="评估报告")
