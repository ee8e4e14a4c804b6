"""Demo patrols: a month of patrols in the persona's township with gaps (a village that skips a
week, one that is late), each village's points taken from its hazards plus two drawn ones, and one
or two routes per village (the first asked for weekly by a county rule; the patrols of every other
village run on it, some leaving a point out, so the compliance table shows routes patrolled and
missed). The rows are written back-dated (``started_at``/``server_time`` in the past), which no
service does."""

from __future__ import annotations

import datetime

from grids.models import Role
from patrols import services
from patrols.models import CheckIn, Patrol, PatrolPoint, PatrolRoute, PatrolRule, PointSource

DEMO_ORDER = 75  # after the hazards and plans, whose points it patrols
DAYS = 30
DRAWN = ("村委会后山边坡", "河道拦水坝")  # demo text: two points drawn on the map in each village
NOTES = ("正常", "正常，已提醒村民远离河道", "正常")
ROUTES = ("日常巡查路线", "沿河防汛路线")  # demo text: the whole round, and the drawn points alone
ROUTE_NOTES = "从村委会出发，按顺序巡查各点，最后回到村委会。"
ROUTE_EVERY_DAYS = 7


def run(story) -> None:
    villages = [u for u in story.leaves if story.parents.get(u.parent_id) == story.sicheng][:4] or story.leaves[:4]
    made = 0
    for index, village in enumerate(villages):
        officer = story.cast.one(village, Role.INFORMATION_OFFICER, Role.GRID_MANAGER, Role.GRID_LEADER)
        services.points_sync(unit=village, by=story.dispatcher)
        location = village.location or {}
        lng, lat = (location.get("coordinates") or [106.4, 24.2])[:2]
        for n, name in enumerate(DRAWN):
            PatrolPoint.objects.get_or_create(
                unit=village, name=name,
                defaults={"lng": lng + 0.002 * (n + 1), "lat": lat + 0.001 * (n + 1), "source": PointSource.DRAWN},
            )  # fmt: skip
        points = list(village.patrol_points.filter(active=True))
        route = _routes(story, village, points)
        for back in range(DAYS, 0, -1):
            day = story.now - datetime.timedelta(days=back)
            if back % 7 != index % 7 and story.rng.random() > 0.25:
                continue  # about one patrol a week
            if index == 1 and 10 <= back <= 18:
                continue  # the gap: a village that did not patrol for a week
            started = day.replace(hour=8 + index, minute=story.rng.randrange(60))
            patrol = Patrol.objects.create(
                unit=village, officer=officer, started_at=started, state=Patrol.State.FINISHED,
                route=route if index % 2 == 0 else None,
                finished_at=started + datetime.timedelta(minutes=50), note=NOTES[back % len(NOTES)],
            )  # fmt: skip
            for k, point in enumerate(points):
                if story.rng.random() < 0.15:
                    continue  # a point skipped
                far = story.rng.random() < 0.1
                when = started + datetime.timedelta(minutes=10 * (k + 1))
                CheckIn.objects.create(
                    patrol=patrol, point=point, lng=point.lng + (0.01 if far else 0.0002), lat=point.lat,
                    distance_m=1000 if far else 20, within_tolerance=not far, client_time=when, server_time=when,
                    note="",
                )  # fmt: skip
            made += 1
    story.tell(f"巡查：{len(villages)} 个村近 {DAYS} 天 {made} 次巡查（有漏巡的村）")


def _routes(story, village, points):
    """The village's routes: every point in order, and the drawn points alone; a county rule asks
    for the first weekly. Returns the first."""
    first = services.route_save(by=story.dispatcher, unit=village, name=ROUTES[0], notes=ROUTE_NOTES, points=points)
    drawn = [point for point in points if point.source == PointSource.DRAWN]
    if len(drawn) >= 2 and len(drawn) < len(points):
        services.route_save(by=story.dispatcher, unit=village, name=ROUTES[1], points=drawn)
    since = story.now - datetime.timedelta(days=DAYS + 1)
    PatrolRoute.objects.filter(unit=village).update(created_at=since)  # back-dated with the patrols
    first.created_at = since
    PatrolRule.objects.get_or_create(
        county=story.county, unit_kind=village.kind, route=first, defaults={"interval_days": ROUTE_EVERY_DAYS}
    )
    return first


def present() -> bool:
    return Patrol.objects.exists()
