"""What the generators share: refusals, boxes cut into GeoJSON shapes, seeded names and mobiles,
and the people to create before anything touches the database."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from simple_history.utils import bulk_create_with_history

from grids.demo.data import GIVEN_CHARS, PLACE_FIRST, PLACE_SECOND, SURNAMES, Box
from grids.models import Department, GridUnit, Membership, User
from grids.rules import CREDIT_CODE_CHARS, MOBILE_RE, credit_code_check_char


class SeedError(Exception):
    """The generator refuses to run (the data it would create is already there, bad arguments)."""


# --- geometry ----------------------------------------------------------------------------------


def rectangle(box: Box) -> dict:
    """A GeoJSON Polygon for a lon/lat box (counter-clockwise, closed)."""
    west, south, east, north = box
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


def centre(box: Box) -> dict:
    """A GeoJSON Point at the middle of a box."""
    west, south, east, north = box
    return {"type": "Point", "coordinates": [round((west + east) / 2, 6), round((south + north) / 2, 6)]}


def split(box: Box, cols: int, rows: int) -> list[Box]:
    """Cut a box into ``cols`` × ``rows`` cells that tile it exactly, north-west first, row by row."""
    west, south, east, north = box
    xs = [round(west + (east - west) * k / cols, 6) for k in range(cols)] + [east]
    ys = [round(north - (north - south) * k / rows, 6) for k in range(rows)] + [south]
    return [(xs[c], ys[r + 1], xs[c + 1], ys[r]) for r in range(rows) for c in range(cols)]


def inset(box: Box, fraction: float) -> Box:
    """A box shrunk by ``fraction`` of its size on every side."""
    west, south, east, north = box
    dx, dy = (east - west) * fraction, (north - south) * fraction
    return (round(west + dx, 6), round(south + dy, 6), round(east - dx, 6), round(north - dy, 6))


def grid_shape(count: int) -> tuple[int, int]:
    """Columns and rows of a near-square grid with room for ``count`` cells."""
    cols = max(1, math.ceil(math.sqrt(count)))
    return cols, max(1, math.ceil(count / cols))


# --- people and names --------------------------------------------------------------------------


class Generator:
    """Names, mobile numbers and codes from one seeded random source; mobiles never repeat."""

    def __init__(self, seed: int | str, *, taken_mobiles: Iterable[str] = ()) -> None:
        self.rng = random.Random(seed)
        self.mobiles: set[str] = set(taken_mobiles)
        self.places: set[str] = set()

    def person_name(self) -> str:
        given_length = 1 if self.rng.random() < 0.3 else 2
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN_CHARS) for _i in range(given_length))

    def mobile(self) -> str:
        while True:
            number = f"1{self.rng.randint(3, 9)}{self.rng.randrange(10**9):09d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def place(self, suffix: str, *, unique: bool = True) -> str:
        """A two-syllable place name with its suffix (村, 镇 …); unique among this generator's names."""
        for _attempt in range(1000):
            name = self.rng.choice(PLACE_FIRST) + self.rng.choice(PLACE_SECOND) + suffix
            if not unique or name not in self.places:
                self.places.add(name)
                return name
        raise SeedError(f"ran out of place names ending in {suffix}")

    def credit_code(self, division: str) -> str:
        """A valid 统一社会信用代码 of a company (91) registered in ``division``."""
        body = "MA5" + "".join(self.rng.choice(CREDIT_CODE_CHARS) for _i in range(6))
        first17 = f"91{division}{body}"
        return first17 + credit_code_check_char(first17)


def existing_mobiles() -> set[str]:
    """Mobiles (and mobile-like usernames) already in the database, which generated people avoid."""
    mobiles = set(User.objects.exclude(mobile="").values_list("mobile", flat=True))
    usernames = User.objects.filter(username__regex=MOBILE_RE.pattern).values_list("username", flat=True)
    return mobiles | set(usernames)


@dataclass
class Cast:
    """People to create and the memberships they will hold, before anything touches the database."""

    users: list[User] = field(default_factory=list)
    roles: list[tuple[User, GridUnit, str, str]] = field(default_factory=list)  # user, unit, role, note

    def person(
        self,
        gen: Generator,
        *,
        position: str,
        username: str = "",
        password: str | None = None,
        department: Department | None = None,
    ) -> User:
        mobile = gen.mobile()
        user = User(
            username=username or mobile,
            real_name=gen.person_name(),
            mobile=mobile,
            position=position,
            department=department,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        self.users.append(user)
        return user

    def grant(self, user: User, unit: GridUnit, role: str, note: str = "") -> None:
        self.roles.append((user, unit, role, note))

    def save(self, *, reason: str) -> tuple[int, int]:
        users = bulk_create_with_history(self.users, User, batch_size=1000, default_change_reason=reason)
        by_username = {user.username: user for user in users}
        memberships = [
            Membership(user=by_username[user.username], unit=unit, role=role, note=note)
            for user, unit, role, note in self.roles
        ]
        bulk_create_with_history(memberships, Membership, batch_size=1000, default_change_reason=reason)
        return len(users), len(memberships)
