"""The hazards' part of the demo county's activity: ~60 hazards over the last six months, in every
state of the loop, and four special ones (a supervised mountain torrent, a county landslide, a
park's chemicals, an escalated road). Registered from ``hazards/apps.py`` as the first demo step.

The titles, places and notes are *data* (what the people would type), so they are Chinese
literals, not gettext strings; they are in ``hazards/demo_texts.py``.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import partial

from django.utils import timezone
from django.utils.translation import gettext as _

from grids.demo_story import DemoStory, days_ago, point_in
from grids.models import Role, User
from grids.rules import Kind
from hazards import services as hazard_services
from hazards.demo_texts import (
    ACCEPT_NOTE,
    CHEMICALS,
    COMMUNITY_COMMITTEE,
    CONFIRM_NOTE,
    CONTINGENCY,
    DEFAULT_MEASURE,
    ENTERPRISE_HAZARDS,
    EVIDENCE_NOTES,
    LANDSLIDE,
    LANDSLIDE_TOWNSHIP,
    LEC_CHOICES,
    LS_CHOICES,
    MEASURES,
    PLACE_PARTS,
    REJECT_REASONS,
    ROAD,
    ROAD_ESCALATION,
    ROAD_TOWNSHIP,
    STATE_PLAN,
    TORRENT,
    TORRENT_PLAN,
    TORRENT_SUPERVISION,
    TORRENT_TOWNSHIP,
    VILLAGE_COMMITTEE,
    VILLAGE_HAZARDS,
    HazardText,
)
from hazards.models import Grade, Hazard, HazardCategory, HazardCopy, Method, RootCause, Source, State

DEMO_ORDER = 10  # before the reports (their figures count these hazards) and dispatch


def _grading(story: DemoStory, family: str) -> dict:
    if family == "natural":
        likelihood, severity = story.rng.choice(LS_CHOICES)
        return {"risk_method": Method.LS, "risk_inputs": {"ls_l": likelihood, "ls_s": severity}}
    likelihood, exposure, consequence = story.rng.choice(LEC_CHOICES)
    return {"risk_method": Method.LEC, "risk_inputs": {"lec_l": likelihood, "lec_e": exposure, "lec_c": consequence}}


class HazardDemo:
    """Writes the hazards, step by step, through ``hazards.services``, as the demo's own people."""

    def __init__(self, story: DemoStory) -> None:
        self.story = story
        self.categories = {c.code: c for c in HazardCategory.objects.filter(is_active=True)}
        self.overdue_deadlines: set[datetime.date] = set()

    def report(
        self,
        unit,
        text: HazardText,
        *,
        found_at: datetime.datetime,
        with_photo: bool = False,
        on_spot: bool = False,
    ) -> Hazard:
        story = self.story
        lng, lat = point_in(unit, story.rng)
        enterprise = unit.kind == Kind.ENTERPRISE
        place = text.place if enterprise else f"{story.rng.choice(PLACE_PARTS)}{text.place}"
        source = Source.SELF_CHECK if enterprise else story.rng.choice([Source.PATROL] * 4 + [Source.REPORT])
        hazard, _created = hazard_services.hazard_report(
            by=story.cast.reporter(unit),
            unit=unit,
            category=self.categories[text.category],
            title=text.title,
            description=text.description,
            lng=lng,
            lat=lat,
            address=f"{unit.name}{place}",
            source=source,
            found_at=found_at,
            photos=story.photos() if with_photo else (),
            fixed_on_spot=on_spot,
            evidence_photos=story.photos() if on_spot else (),
            evidence_note=text.on_spot,
        )
        return hazard

    def confirm(self, hazard: Hazard, *, by: User, grade: str = Grade.GENERAL, **grading) -> Hazard:
        grading = grading or _grading(self.story, hazard.family)
        root_cause = self.story.rng.choice(list(RootCause.values)) if hazard.family == "production" else ""
        return hazard_services.hazard_confirm(
            hazard=hazard, by=by, grade=grade, root_cause=root_cause, note=CONFIRM_NOTE, **grading
        )

    def plan(self, hazard: Hazard, *, by: User, deadline: datetime.date, funds: Decimal | None = None) -> Hazard:
        story = self.story
        unit = hazard.unit
        leader = story.cast.one(unit, Role.GRID_LEADER)
        responsible = (
            unit.name
            if unit.kind == Kind.ENTERPRISE
            else f"{unit.name}{COMMUNITY_COMMITTEE if unit.kind == Kind.COMMUNITY else VILLAGE_COMMITTEE}"
        )
        return hazard_services.hazard_plan(
            hazard=hazard,
            by=by,
            measures=MEASURES.get(hazard.category.code, DEFAULT_MEASURE),
            responsible_unit=responsible,
            responsible_person=leader.real_name,
            responsible_phone=leader.mobile,
            deadline=deadline,
            contingency=CONTINGENCY[hazard.family],
            funds=funds if funds is not None else Decimal(story.rng.choice([0, 2000, 5000, 8000, 15000, 30000])),
        )

    def evidence(self, hazard: Hazard) -> Hazard:
        story = self.story
        return hazard_services.hazard_submit_evidence(
            hazard=hazard,
            by=story.cast.reporter(hazard.unit),
            note=story.rng.choice(EVIDENCE_NOTES),
            photos=story.photos(),
        )

    def hazards(self) -> int:
        """~60 hazards over the last six months, in every state of the loop, reported in the order
        they were found (so their numbers run with the dates); then the overdue job. Returns the
        number of hazards it marked overdue."""
        story = self.story
        spans = {state: span for state, _count, span in STATE_PLAN}
        weights = [
            3 if u.parent_id == story.sicheng.pk else (0.6 if u.kind == Kind.ENTERPRISE else 1) for u in story.leaves
        ]
        persona_states = {"reported", "overdue", "awaiting", "closed", "fixed"}
        steps: list[tuple[datetime.datetime, Callable[[], None]]] = []
        for index, state in enumerate(state for state, count, _span in STATE_PLAN for _i in range(count)):
            if state in persona_states:  # the persona's village gets one of each of these
                persona_states.discard(state)
                unit = story.persona_village
            else:
                unit = story.rng.choices(story.leaves, weights)[0]
            pool = ENTERPRISE_HAZARDS if unit.kind == Kind.ENTERPRISE else VILLAGE_HAZARDS
            if state == "fixed":
                pool = tuple(t for t in pool if t.on_spot) or pool
            text = story.rng.choice(pool)
            found_at = days_ago(story.now, story.rng, *spans[state])
            steps.append((found_at, partial(self.ordinary, state, unit, text, found_at, with_photo=index % 4 == 0)))
        for method, span in (
            (self.supervised_torrent, (70, 80)),
            (self.county_landslide, (30, 40)),
            (self.park_chemicals, (4, 8)),
            (self.escalated_road, (12, 18)),
        ):
            found_at = days_ago(story.now, story.rng, *span)
            steps.append((found_at, partial(self.in_its_time, method, found_at)))
        for _found_at, step in sorted(steps, key=lambda item: item[0]):
            step()
        # The overdue job, run the morning after each deadline passed (so each mark has its own date).
        overdue = 0
        for deadline in sorted(self.overdue_deadlines):
            morning = timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(1, 0)))
            with story.at(morning + datetime.timedelta(days=1)):
                overdue += len(hazard_services.mark_overdue(today=deadline + datetime.timedelta(days=1)))
        return overdue

    def in_its_time(self, method: Callable[[datetime.datetime], None], found_at: datetime.datetime) -> None:
        """One of the story's named hazards, handled within a day of being found."""
        with self.story.at(self.story.after(found_at, 0.1, 0.9)):
            method(found_at)

    def ordinary(self, state: str, unit, text: HazardText, found_at: datetime.datetime, *, with_photo: bool) -> None:
        """One hazard of a village or enterprise taken by its township or park to ``state``."""
        story = self.story
        # Each step of the loop happens at its own time after the one before (``story.at``).
        moment = found_at + datetime.timedelta(minutes=story.rng.randint(5, 90))
        if state == "fixed":
            with story.at(moment):
                self.report(unit, text, found_at=found_at, on_spot=True)
            return
        with story.at(moment):
            hazard = self.report(unit, text, found_at=found_at, with_photo=with_photo)
        owner = story.owner(unit)
        ruler = story.cast.ruler(owner)
        if state == "reported":
            return
        moment = story.after(moment, 0.2, 2)
        if state == "rejected":
            with story.at(moment):
                hazard_services.hazard_reject(hazard=hazard, by=ruler, reason=story.rng.choice(REJECT_REASONS))
            return
        with story.at(moment):
            hazard = self.confirm(hazard, by=ruler)
        if state == "confirmed":
            return
        moment = story.after(moment, 0.5, 3)
        planned_on = timezone.localdate(moment)
        if state == "overdue":  # a deadline that passed before today
            deadline = min(planned_on + datetime.timedelta(days=story.rng.randint(7, 30)), story.today)
            deadline = max(planned_on, deadline - datetime.timedelta(days=1))
            self.overdue_deadlines.add(deadline)
        elif state == "rectifying":  # still within its deadline today
            deadline = max(
                planned_on + datetime.timedelta(days=story.rng.randint(7, 60)),
                story.today + datetime.timedelta(days=story.rng.randint(3, 30)),
            )
        else:
            deadline = planned_on + datetime.timedelta(days=story.rng.randint(3, 30))
        with story.at(moment):
            hazard = self.plan(hazard, by=ruler, deadline=deadline)
        if state in ("rectifying", "overdue"):
            return
        moment = story.after(moment, 1, max(1, (deadline - planned_on).days))
        with story.at(moment):
            hazard = self.evidence(hazard)
        if state == "closed":
            with story.at(story.after(moment, 0.3, 3)):
                hazard_services.hazard_accept(hazard=hazard, by=story.cast.acceptor(owner), note=ACCEPT_NOTE)

    def supervised_torrent(self, found_at: datetime.datetime) -> None:
        """A major mountain-torrent hazard in 下甲镇, owned by the county, listed for supervision
        (挂牌督办) with 水利局, which replies to its copy."""
        story = self.story
        village = story.first_village(story.township(*TORRENT_TOWNSHIP))
        torrent = self.report(village, TORRENT, found_at=found_at, with_photo=True)
        torrent = self.confirm(
            torrent,
            by=story.cast.ruler(story.owner(village)),
            grade=Grade.MAJOR,
            risk_method=Method.LS,
            risk_inputs={"ls_l": "4", "ls_s": "5"},
        )
        leader = story.cast.one(village, Role.GRID_LEADER)
        torrent = hazard_services.hazard_plan(
            hazard=torrent,
            by=story.dispatcher,
            responsible_person=leader.real_name,
            responsible_phone=leader.mobile,
            deadline=story.today + datetime.timedelta(days=75),
            funds=Decimal("1200000"),
            **TORRENT_PLAN,
        )
        water = story.departments[TORRENT_SUPERVISION["department"]]
        hazard_services.hazard_supervise(
            hazard=torrent,
            by=story.cast.one(story.county, Role.DEPUTY_LEADER, Role.GRID_LEADER),
            department=water,
            deadline=story.today + datetime.timedelta(days=75),
            requirements=TORRENT_SUPERVISION["requirements"],
            order_no=TORRENT_SUPERVISION["order_no"].format(year=story.today.year),
        )
        staff = User.objects.filter(department=water, is_active=True)
        replier = staff.filter(username="department_officer").first() or staff.order_by("pk").first()
        hazard_services.hazard_copy_feedback(
            copy=HazardCopy.objects.get(hazard=torrent, department=water),
            by=replier,
            feedback=TORRENT_SUPERVISION["feedback"],
        )

    def county_landslide(self, found_at: datetime.datetime) -> None:
        """A major landslide in 伶站瑶族乡: the county rectifies it (copied to 自然资源局)."""
        story = self.story
        village = story.first_village(story.township(*LANDSLIDE_TOWNSHIP))
        slide = self.report(village, LANDSLIDE, found_at=found_at, with_photo=True)
        slide = self.confirm(
            slide,
            by=story.cast.ruler(story.owner(village)),
            grade=Grade.MAJOR,
            risk_method=Method.LEC,
            risk_inputs={"lec_l": "6", "lec_e": "6", "lec_c": "15"},
        )
        self.plan(
            slide, by=story.dispatcher, deadline=story.today + datetime.timedelta(days=45), funds=Decimal("350000")
        )

    def park_chemicals(self, found_at: datetime.datetime) -> None:
        """A major hazard in an enterprise of the park, confirmed and waiting for the county's plan."""
        story = self.story
        enterprise = next(u for u in story.leaves if u.parent_id == story.park.pk)
        chemicals = self.report(enterprise, CHEMICALS, found_at=found_at)
        self.confirm(
            chemicals,
            by=story.cast.ruler(story.park),
            grade=Grade.MAJOR,
            risk_method=Method.LEC,
            risk_inputs={"lec_l": "3", "lec_e": "6", "lec_c": "40"},
        )

    def escalated_road(self, found_at: datetime.datetime) -> None:
        """A general hazard 沙里瑶族乡 cannot fund, passed up to the county."""
        story = self.story
        village = story.first_village(story.township(*ROAD_TOWNSHIP))
        road = self.report(village, ROAD, found_at=found_at)
        owner = story.owner(village)
        road = self.confirm(
            road,
            by=story.cast.ruler(owner),
            risk_method=Method.LEC,
            risk_inputs={"lec_l": "3", "lec_e": "6", "lec_c": "15"},
        )
        hazard_services.hazard_escalate(hazard=road, by=story.cast.ruler(owner), reason=ROAD_ESCALATION)


def state_counts(counts: Counter) -> Iterable[tuple[str, int]]:
    """(state label, count) in the order of the loop."""
    return [(str(label), counts[value]) for value, label in State.choices if counts[value]]


def demo_hazards(story: DemoStory) -> None:
    """The demo step: write the hazards, and tell how many of each state, overdue, major and supervised."""
    overdue = HazardDemo(story).hazards()
    hazards = Hazard.objects.filter(unit__tree_id=story.county.tree_id)
    counts = Counter(hazards.values_list("state", flat=True))
    states = "、".join(f"{label} {count}" for label, count in state_counts(counts))
    story.tell(
        _("hazards: %(total)d (%(states)s); %(overdue)d overdue, %(major)d major, %(supervised)d under supervision")
        % {
            "total": sum(counts.values()),
            "states": states,
            "overdue": overdue,
            "major": hazards.filter(grade=Grade.MAJOR).count(),
            "supervised": hazards.filter(supervised=True).count(),
        }
    )


def demo_present() -> bool:
    """The demo is written once: not when any hazard exists."""
    return Hazard.objects.exists()
