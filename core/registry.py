"""Hooks that let an app contribute to another without the other importing it.

The apps import one way, down the layer order of ``docs/architecture.md``; where a lower app
needs something of a higher one it reads a registry here, and the higher app registers into it
from its ``AppConfig.ready()``:

- **demo steps** (``register_demo``): each app's demo data, run in ``order`` by the demo command
  (``manage.py seed_demo_activity``), which imports no app;
- **briefing sections** (``register_briefing_section``): what a consultation's briefing shows
  besides the hazards (dispatch adds the warnings and incidents of the previous period);
- **warning links and evacuation checks** (``register_warning_link``, ``register_evacuation_check``):
  what a warning's page shows besides the warning (plans adds the village's evacuation list for the
  warning's hazard categories and compares the evacuation figures reported with that list).
- **page sections** (``register_page_section``): what a page of a lower app shows from a higher
  one, by place: ``"incident"`` (supplies adds what was issued to it), ``"consultation"`` (the
  consultation page), ``"plan"`` (a plan's page, with its reviews), ``"drill"`` (a drill's page:
  the library's 转为案例), ``"monthly_report"``, and the person's own ``"home"`` page and ``"inbox"``
  (``obj`` is None: patrols adds the presence checks waiting for an answer);
  ``register_incident_section`` is the incident's shorthand;
- **map layers** (``register_map_layer``): what the risk map draws besides the hazards (plans adds
  the danger zones and the shelters of the evacuation lists).

Registering twice under the same name replaces the first (``ready()`` may run more than once in
tests); nothing here touches the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    run: Callable[[Any], None]  # run(story): writes its part through the services, tells its summary
    present: Callable[[], bool]  # is this step's data already there? (then the demo is not written again)


@dataclass(frozen=True)
class BriefingSection:
    name: str
    order: int
    # build(units, start, end) -> {unit id: {key: value}}: merged into each unit's briefing
    build: Callable[[list, datetime.date, datetime.date], dict[int, dict[str, Any]]]


@dataclass(frozen=True)
class PageSection:
    name: str
    order: int
    template: str  # included in the page with ``section`` = what ``build`` answered
    # build(user, obj) -> a template context (a dict), or None when there is nothing to show
    build: Callable[[Any, Any], dict[str, Any] | None]


_demo_steps: dict[str, DemoStep] = {}
_briefing_sections: dict[str, BriefingSection] = {}


def register_demo(
    name: str, run: Callable[[Any], None], *, order: int, present: Callable[[], bool] = lambda: False
) -> None:
    """Add a demo step: ``run(story)`` is called once, in ``order`` (lowest first), while the
    demo county's activity is written (``story``, a ``grids.demo_story.DemoStory``, carries the
    county, the clock, the random generator, the cast of people and the summary lines).
    ``present()`` says whether the step's data is already there: then no step runs."""
    _demo_steps[name] = DemoStep(name=name, order=order, run=run, present=present)


def demo_steps() -> list[DemoStep]:
    """The registered demo steps, in order."""
    return sorted(_demo_steps.values(), key=lambda step: (step.order, step.name))


def register_briefing_section(
    name: str,
    build: Callable[[list, datetime.date, datetime.date], dict[int, dict[str, Any]]],
    *,
    order: int = 100,
) -> None:
    """Add a section to the consultation briefings: ``build(units, start, end)`` answers, for
    each unit id, the keys it adds to that unit's briefing for the period [start, end]."""
    _briefing_sections[name] = BriefingSection(name=name, order=order, build=build)


def briefing_sections() -> list[BriefingSection]:
    """The registered briefing sections, in order."""
    return sorted(_briefing_sections.values(), key=lambda section: (section.order, section.name))


# --- what a person may do, for the links of the home page and the navigation -----------------

_desk_checks: dict[str, Callable[[Any], bool]] = {}


def register_desk_check(name: str, check: Callable[[Any], bool]) -> None:
    """Add ``may.<name>`` to every page (``grids.context.desk``): ``check(user)`` answers whether
    the page a link leads to is allowed for the person, from the app's access module. A link is
    shown only when its check says yes."""
    _desk_checks[name] = check


def desk_check(name: str) -> Callable[[Any], bool] | None:
    """The registered check ``name`` (None when no app registered it)."""
    return _desk_checks.get(name)


# --- the warning page (dispatch) --------------------------------------------------------------------


@dataclass(frozen=True)
class WarningLink:
    label: str
    url: str


@dataclass(frozen=True)
class WarningHook:
    name: str
    order: int
    # links(user, warning, units) -> [WarningLink]: extra links for the person's own units that received it
    links: Callable[[Any, Any, list], list[WarningLink]] | None
    # check(warning, figures) -> {unit id: [message]}: remarks on the evacuation figures {unit: evacuated}
    check: Callable[[Any, dict], dict[int, list[str]]] | None


_warning_hooks: dict[str, WarningHook] = {}


def register_warning_link(name: str, links: Callable[[Any, Any, list], list[WarningLink]], *, order: int = 100) -> None:
    """Add links to a warning's page: ``links(user, warning, units)`` answers, for the person's own
    units that received the warning, the ``WarningLink``s to show (a village's evacuation list for
    the warning's hazard categories). It must cost a fixed number of queries."""
    hook = _warning_hooks.get(name)
    _warning_hooks[name] = WarningHook(name, order, links, hook.check if hook else None)


def register_evacuation_check(
    name: str, check: Callable[[Any, dict], dict[int, list[str]]], *, order: int = 100
) -> None:
    """Check the evacuation figures reported for a warning: ``check(warning, {unit: evacuated})``
    answers ``{unit id: [remarks]}`` shown beside the figures — a remark, never a refusal."""
    hook = _warning_hooks.get(name)
    _warning_hooks[name] = WarningHook(name, order, hook.links if hook else None, check)


def _hooks() -> list[WarningHook]:
    return sorted(_warning_hooks.values(), key=lambda hook: (hook.order, hook.name))


def warning_links(user, warning, units: list) -> list[WarningLink]:
    """Every registered hook's links for ``user``'s own ``units`` that received ``warning``."""
    return [link for hook in _hooks() if hook.links for link in hook.links(user, warning, units)]


def evacuation_remarks(warning, figures: dict) -> dict[int, list[str]]:
    """Every registered check's remarks on the figures ``{unit: people evacuated}``, by unit id."""
    remarks: dict[int, list[str]] = {}
    for hook in _hooks():
        if hook.check and figures:
            for unit_id, lines in hook.check(warning, figures).items():
                remarks.setdefault(unit_id, []).extend(lines)
    return remarks


# --- plan evaluations (plans) ---------------------------------------------------------------------

_evaluation_gates: dict[str, Callable[[int], list[str]]] = {}


def register_evaluation_gate(name: str, gate: Callable[[int], list[str]]) -> None:
    """Add a reason a plan may not be marked evaluated yet: ``gate(plan_id)`` answers the messages
    (empty when nothing stands in the way). drills registers the open findings against the plan."""
    _evaluation_gates[name] = gate


def evaluation_blockers(plan_id: int) -> list[str]:
    """Every registered gate's messages for ``plan_id``."""
    return [message for name in sorted(_evaluation_gates) for message in _evaluation_gates[name](plan_id)]


PAGE_PLACES = ("incident", "consultation", "plan", "drill", "monthly_report", "home", "inbox")
_page_sections: dict[str, dict[str, PageSection]] = {place: {} for place in PAGE_PLACES}


def register_page_section(
    place: str, name: str, build: Callable[[Any, Any], dict[str, Any] | None], *, template: str, order: int = 100
) -> None:
    """Add a section to a page of a lower app (``place`` is one of ``PAGE_PLACES``): ``build(user,
    obj)`` answers the context of ``template`` (reading through the higher app's own access helpers),
    or ``None`` to show nothing. It must not grow its queries with the object's rows."""
    if place not in _page_sections:
        raise ValueError(f"unknown page place {place!r}; one of {PAGE_PLACES}")
    _page_sections[place][name] = PageSection(name=name, order=order, template=template, build=build)


def page_sections(place: str, user, obj) -> list[dict[str, Any]]:
    """The sections registered for ``place`` with something to show, in order: ``{"template", "section"}``."""
    shown = []
    for section in sorted(_page_sections[place].values(), key=lambda s: (s.order, s.name)):
        context = section.build(user, obj)
        if context is not None:
            shown.append({"template": section.template, "section": context})
    return shown


def register_incident_section(
    name: str, build: Callable[[Any, Any], dict[str, Any] | None], *, template: str, order: int = 100
) -> None:
    """``register_page_section("incident", …)``."""
    register_page_section("incident", name, build, template=template, order=order)


def incident_sections(user, incident) -> list[dict[str, Any]]:
    """The registered incident sections with something to show, in order: ``{"template", "section"}``."""
    return page_sections("incident", user, incident)


@dataclass(frozen=True)
class MapLayer:
    name: str
    order: int
    # build(user) -> {"label": str, "kind": "areas" | "points", "features": [GeoJSON features]}
    # read through the higher app's scope, in a constant number of queries; or None to draw nothing
    build: Callable[[Any], dict[str, Any] | None]


_map_layers: dict[str, MapLayer] = {}


def register_map_layer(name: str, build: Callable[[Any], dict[str, Any] | None], *, order: int = 100) -> None:
    """Add an overlay to the risk map (``/hazards/map/``), switched on and off in its layer control."""
    _map_layers[name] = MapLayer(name=name, order=order, build=build)


def map_layers(user) -> list[dict[str, Any]]:
    """The registered map overlays with something to draw, in order: ``{"name", "label", "kind", "features"}``."""
    shown = []
    for layer in sorted(_map_layers.values(), key=lambda item: (item.order, item.name)):
        built = layer.build(user)
        if built is not None:
            shown.append({"name": layer.name, **built})
    return shown
