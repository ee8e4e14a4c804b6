"""The demo county's activity (``manage.py seed_demo_activity``): the shared context and the runner.

Each app writes its own part in its own ``demo.py`` (``hazards/demo.py``, ``reports/demo.py``,
``dispatch/demo.py``) and registers it from its ``AppConfig.ready()`` with
``core.registry.register_demo(name, run, order=…)``. ``build_activity()`` runs the registered
steps in order, each given one ``DemoStory``: the county and its units, the clock, one random
generator with a fixed seed (so the same county gets the same story), the cast of people (found
through their memberships) and the summary lines the command prints. It imports no feature app.

Everything is done through the services of the apps, acting as the demo's own people, so every
row, timeline entry, delivery and duty-log line is what the application itself would have written.
The services stamp their events with the present time; a step that happened in the past runs
inside ``story.at(moment)``, which sets the clock back to that moment (time-machine) so that the
rows, timelines, closures and deliveries it writes carry their own dates: the dashboard's trend
and last month's reports then look like a county's real half year.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import random
from collections import defaultdict

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from shapely.geometry import Point, shape

from core.registry import demo_steps
from grids.demo import DEMO_COUNTY_CODE
from grids.models import Department, GridUnit, Membership, Role, User
from grids.rules import Kind

ACTIVITY_SEED = 4510272
PERSONA_TOWNSHIP = "泗城镇"  # the persona township (grids.demo.DEMO_TOWNSHIPS)


class ActivityError(Exception):
    """The demo activity cannot be generated (no demo county, nobody in a role)."""


# --- people --------------------------------------------------------------------------------------


class Cast:
    """The demo's people, found through their active memberships (one query), one ``User`` object
    per person so each person's scope is computed once."""

    def __init__(self, county: GridUnit) -> None:
        self.users: dict[int, User] = {}
        self.holders: dict[tuple[int, str], list[User]] = defaultdict(list)
        self.notes: dict[tuple[int, int, str], str] = {}
        memberships = (
            Membership.objects.active()
            .filter(unit__tree_id=county.tree_id)
            .select_related("user")
            .order_by("unit__lft", "role", "id")
        )
        for membership in memberships:
            user = self.users.setdefault(membership.user_id, membership.user)
            self.holders[(membership.unit_id, membership.role)].append(user)
            self.notes[(membership.unit_id, user.pk, membership.role)] = membership.note

    def all(self, unit: GridUnit, role: str) -> list[User]:
        return self.holders.get((unit.pk, role), [])

    def one(self, unit: GridUnit, *roles: str) -> User:
        """The first holder of the first of ``roles`` that anyone holds in ``unit``."""
        for role in roles:
            people = self.all(unit, role)
            if people:
                return people[0]
        raise ActivityError(f"nobody holds {'/'.join(roles)} in {unit.name}")

    def post(self, unit: GridUnit, note: str) -> User:
        """The dispatcher of ``unit`` whose membership note names the post (``A岗`` / ``B岗``)."""
        for user in self.all(unit, Role.DISPATCHER):
            if self.notes.get((unit.pk, user.pk, Role.DISPATCHER)) == note:
                return user
        return self.one(unit, Role.DISPATCHER)

    def reporter(self, unit: GridUnit) -> User:
        """Who reports in a village, community or enterprise: its information officer."""
        return self.one(unit, Role.INFORMATION_OFFICER, Role.GRID_MANAGER, Role.GRID_LEADER)

    def ruler(self, unit: GridUnit) -> User:
        """Who rules on hazards at a township or park: its grid officer (安监站)."""
        return self.one(unit, Role.GRID_OFFICER, Role.DISPATCHER, Role.DEPUTY_LEADER)

    def acceptor(self, unit: GridUnit) -> User:
        return self.one(unit, Role.DEPUTY_LEADER, Role.GRID_OFFICER)


# --- helpers -------------------------------------------------------------------------------------


def demo_photo(rng: random.Random, name: str) -> SimpleUploadedFile:
    """A small JPEG of coloured rectangles (a stand-in for a phone photo)."""
    background = tuple(rng.randint(90, 200) for _i in range(3))
    image = Image.new("RGB", (480, 360), background)
    draw = ImageDraw.Draw(image)
    for _i in range(rng.randint(3, 6)):
        x, y = rng.randint(0, 400), rng.randint(0, 300)
        colour = tuple(rng.randint(20, 240) for _j in range(3))
        draw.rectangle((x, y, x + rng.randint(30, 160), y + rng.randint(20, 120)), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def point_in(unit: GridUnit, rng: random.Random) -> tuple[float | None, float | None]:
    """A random point inside the unit's boundary (its representative point after 50 misses)."""
    if not unit.boundary:
        return None, None
    polygon = shape(unit.boundary)
    west, south, east, north = polygon.bounds
    for _attempt in range(50):
        candidate = Point(rng.uniform(west, east), rng.uniform(south, north))
        if polygon.contains(candidate):
            return round(candidate.x, 6), round(candidate.y, 6)
    inside = polygon.representative_point()
    return round(inside.x, 6), round(inside.y, 6)


def days_ago(now: datetime.datetime, rng: random.Random, low: float, high: float) -> datetime.datetime:
    """A working-hours time ``low``–``high`` days before ``now`` (never in the future)."""
    local = timezone.localtime(now)
    moment = local - datetime.timedelta(days=rng.uniform(low, high))
    if high >= 1:
        moment = moment.replace(hour=rng.randint(8, 17), minute=rng.randrange(60), second=0, microsecond=0)
    return min(moment, local - datetime.timedelta(minutes=20))


# --- the story -----------------------------------------------------------------------------------


class DemoStory:
    """What every demo step shares: the county and its units, the clock, the random generator,
    the cast, and the summary lines (``tell``) the command prints after the first one."""

    def __init__(self, county: GridUnit, *, now: datetime.datetime | None = None) -> None:
        self.county = county
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.rng = random.Random(ACTIVITY_SEED)
        self.cast = Cast(county)
        units = list(county.get_descendants().filter(is_active=True).order_by("lft"))
        self.townships = [u for u in units if u.level == 1 and u.kind != Kind.PARK]
        self.park = next(u for u in units if u.kind == Kind.PARK)
        self.leaves = [u for u in units if u.level == 2]
        self.parents = {u.pk: u for u in units if u.level == 1}
        self.departments = {d.short_name: d for d in Department.objects.filter(county=county)}
        self.dispatcher = self.cast.one(county, Role.DISPATCHER)
        self.persona_village = self._persona_village()
        self.sicheng = self.township(PERSONA_TOWNSHIP, 0)
        self.lines: list[str] = []
        self.photo_count = 0

    def _persona_village(self) -> GridUnit:
        user = User.objects.filter(username="village_officer").first()
        if user is not None:
            membership = Membership.objects.active().filter(user=user, unit__level=2).select_related("unit").first()
            if membership is not None:
                return membership.unit
        return next(u for u in self.leaves if u.kind == Kind.VILLAGE)

    @contextlib.contextmanager
    def at(self, moment: datetime.datetime):
        """Run what follows with the clock at ``moment`` (never later than the story's present)."""
        with time_machine.travel(min(moment, self.now), tick=False):
            yield

    def after(self, moment: datetime.datetime, low: float, high: float) -> datetime.datetime:
        """A working-hours time ``low``–``high`` days after ``moment``, and at least 20 minutes before
        the story's present."""
        later = timezone.localtime(moment) + datetime.timedelta(days=self.rng.uniform(low, high))
        if high >= 1:
            later = later.replace(hour=self.rng.randint(8, 17), minute=self.rng.randrange(60), second=0, microsecond=0)
        return max(moment, min(later, timezone.localtime(self.now) - datetime.timedelta(minutes=20)))

    def tell(self, line: str) -> None:
        """Add a line to the summary the command prints."""
        self.lines.append(line)

    def photos(self, count: int = 1) -> list[SimpleUploadedFile]:
        items = []
        for _i in range(count):
            self.photo_count += 1
            items.append(demo_photo(self.rng, f"demo-{self.photo_count:03d}.jpg"))
        return items

    def owner(self, unit: GridUnit) -> GridUnit:
        return self.parents[unit.parent_id]

    def township(self, name: str, fallback: int) -> GridUnit:
        return next((u for u in self.townships if u.name == name), self.townships[fallback])

    def first_village(self, township: GridUnit) -> GridUnit:
        children = self.leaves_of(township)
        return next((u for u in children if u.kind == Kind.VILLAGE), children[0])

    def leaves_of(self, township: GridUnit) -> list[GridUnit]:
        return [u for u in self.leaves if u.parent_id == township.pk]


def demo_county() -> GridUnit | None:
    return GridUnit.objects.filter(code=DEMO_COUNTY_CODE, level=0).first()


def build_activity(*, now: datetime.datetime | None = None) -> DemoStory | None:
    """Run the registered demo steps in the demo county; None (and nothing written) when a step's
    data is already there. Raises ``ActivityError`` when the demo county is not there."""
    steps = demo_steps()
    if any(step.present() for step in steps):
        return None
    county = demo_county()
    if county is None:
        raise ActivityError(f"the demo county 凌云县 ({DEMO_COUNTY_CODE}) does not exist: run seed_demo first")
    with transaction.atomic():
        story = DemoStory(county, now=now)
        for step in steps:
            step.run(story)
    return story
