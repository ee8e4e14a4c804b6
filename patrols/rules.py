"""Which patrol rule applies to a unit on a day, and how its days fall into windows.

A rule applies to a unit on a day when its unit kind is the unit's, it is in use, its county is the
unit's county (or it names none), its season (if any) contains the day, and — if it names a warning
level — a warning of that level or higher (I is the highest) is in force over the unit that day.
Of the rules that apply, the one with the shortest interval sets the day's interval. A rule naming a
route is the route's alone: the village's windows come from the rules without a route, each route's
from the rules naming it. A county's own
season of a kind stands in for the general one (``county`` empty) of that kind.

Everything here works on rows already loaded (``RuleBook``): the compliance table and the daily job
load them once, whatever the number of villages and days."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from patrols.models import PatrolRule, Season


@dataclass
class WarningSpan:
    """A warning in force from ``start`` to ``end`` (dates) of level ``level`` over these units
    (their tree ranges: ``(tree_id, lft, rght)``)."""

    level: int
    start: datetime.date
    end: datetime.date
    areas: list[tuple[int, int, int]]

    def covers(self, unit) -> bool:
        return any(t == unit.tree_id and lft <= unit.lft and unit.rght <= rght for t, lft, rght in self.areas)


@dataclass
class RuleBook:
    rules: list[PatrolRule]
    seasons: list[Season]
    warnings: list[WarningSpan] = field(default_factory=list)

    def season_for(self, season: Season, county_id: int) -> Season:
        """The county's own season of the rule's season kind, if it has one."""
        for own in self.seasons:
            if own.county_id == county_id and own.kind == season.kind:
                return own
        return season

    def warning_level(self, unit, day: datetime.date) -> int | None:
        """The highest level (lowest number) of a warning in force over ``unit`` on ``day``."""
        levels = [w.level for w in self.warnings if w.start <= day <= w.end and w.covers(unit)]
        return min(levels) if levels else None

    def applying(self, unit, county_id: int, day: datetime.date, route_id: int | None = None) -> list[PatrolRule]:
        """The rules of ``unit`` on ``day``: those of the village itself (no route), or with
        ``route_id`` those of that route only."""
        level = None
        level_known = False
        found = []
        for rule in self.rules:
            if rule.route_id != route_id:
                continue
            if not rule.active or rule.unit_kind != unit.kind:
                continue
            if rule.county_id is not None and rule.county_id != county_id:
                continue
            if rule.season_id is not None and not self.season_for(rule.season, county_id).contains(day):
                continue
            if rule.warning_level is not None:
                if not level_known:
                    level, level_known = self.warning_level(unit, day), True
                if level is None or level > rule.warning_level:
                    continue
            found.append(rule)
        return found

    def interval(self, unit, county_id: int, day: datetime.date, route_id: int | None = None) -> int | None:
        """Days between patrols of ``unit`` (or of its route ``route_id``) asked for on ``day``
        (``None``: no rule applies)."""
        rules = self.applying(unit, county_id, day, route_id)
        return min(rule.interval_days for rule in rules) if rules else None


@dataclass(frozen=True)
class Window:
    start: datetime.date
    end: datetime.date  # last day of the window, included
    interval: int


def windows(
    book: RuleBook, unit, county_id: int, start: datetime.date, end: datetime.date, route_id: int | None = None
) -> Iterable[Window]:
    """The patrol windows of ``unit`` (or of its route ``route_id``) from ``start`` to ``end`` (both
    included): each begins on a day a rule applies and lasts the interval of that day, cut at ``end``."""
    day = start
    while day <= end:
        interval = book.interval(unit, county_id, day, route_id)
        if interval is None:
            day += datetime.timedelta(days=1)
            continue
        last = min(day + datetime.timedelta(days=interval - 1), end)
        yield Window(day, last, interval)
        day = last + datetime.timedelta(days=1)
