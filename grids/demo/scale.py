"""Large synthetic grids for benchmarks, bulk-created with their tree columns computed here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max

from grids.demo.data import (
    COUNTY_ROLES,
    MAX_SCALE_COUNTIES,
    MAX_SCALE_TOWNSHIPS,
    MAX_SCALE_VILLAGES,
    SCALE_BATCH,
    SCALE_COUNTY_DIGITS,
    TOWNSHIP_ROLES,
    VILLAGE_ROLES,
    Box,
)
from grids.demo.generate import Generator, SeedError, centre, existing_mobiles, grid_shape, rectangle, split
from grids.models import GridUnit, Membership, Role, User
from grids.rules import Kind


@dataclass
class ScaleResult:
    county_codes: list[str]
    tree_ids: list[int]
    units: int
    people: int
    memberships: int


def scale_county_codes(*, prefix: str, counties: int) -> list[str]:
    return [f"{prefix}{SCALE_COUNTY_DIGITS}{number:02d}" for number in range(1, counties + 1)]


def _batched(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def build_scale(
    *, counties: int, townships: int, villages: int, people: int, prefix: str = "45", boundaries: bool = True
) -> ScaleResult:
    """Bulk-create ``counties`` × ``townships`` × ``villages`` units with their MPTT columns computed here.

    Each county is its own tree; siblings are in code order, as ``order_insertion_by`` would
    put them, so ``GridUnit.objects.rebuild()`` leaves every row as it is. No history rows.
    """
    if not (len(prefix) == 2 and prefix.isdigit() and prefix != "00"):
        raise SeedError(f"the province prefix must be two digits, not {prefix!r}")
    for value, low, high, what in (
        (counties, 1, MAX_SCALE_COUNTIES, "counties"),
        (townships, 1, MAX_SCALE_TOWNSHIPS, "townships"),
        (villages, 1, MAX_SCALE_VILLAGES, "villages"),
        (people, 0, 50, "people"),
    ):
        if not low <= value <= high:
            raise SeedError(f"{what} must be between {low} and {high}, not {value}")
    codes = scale_county_codes(prefix=prefix, counties=counties)
    clash = sorted(GridUnit.objects.filter(code__in=codes).values_list("code", flat=True))
    if clash:
        raise SeedError(f"county codes already exist: {', '.join(clash)}; delete them or use another --prefix")

    gen = Generator(f"scale-{prefix}", taken_mobiles=existing_mobiles() if people else ())
    first_tree = (GridUnit.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1
    tree_ids = list(range(first_tree, first_tree + counties))
    town_span = 2 * (villages + 1)  # lft..rght width of a township with its villages
    county_rows, township_rows = [], []
    for index, (code, tree_id) in enumerate(zip(codes, tree_ids, strict=True)):
        box: Box = (100.0 + (index % 10), 22.0 + index // 10, 100.9 + (index % 10), 22.9 + index // 10)
        county_rows.append(
            GridUnit(
                code=code,
                name=gen.place("县", unique=False),
                kind=Kind.COUNTY,
                tree_id=tree_id,
                lft=1,
                rght=2 * (1 + townships * (1 + villages)),
                level=0,
                **_geometry(box, boundaries),
            )
        )
    GridUnit.objects.bulk_create(county_rows, batch_size=SCALE_BATCH)

    town_boxes_by_county = []
    for county in county_rows:
        cells = split(_box_of(county), *grid_shape(townships)) if boundaries else []
        town_boxes_by_county.append(cells)
        for j in range(townships):
            lft = 2 + j * town_span
            township_rows.append(
                GridUnit(
                    parent_id=county.pk,
                    code=f"{county.code}{100 + j:03d}000",
                    name=gen.place("镇" if j % 3 == 0 else "乡", unique=False),
                    kind=Kind.TOWN if j % 3 == 0 else Kind.TOWNSHIP,
                    tree_id=county.tree_id,
                    lft=lft,
                    rght=lft + town_span - 1,
                    level=1,
                    **_geometry(cells[j] if boundaries else None, boundaries),
                )
            )
    GridUnit.objects.bulk_create(township_rows, batch_size=SCALE_BATCH)

    village_rows = []
    for township in township_rows:
        cells = split(_box_of(township), *grid_shape(villages)) if boundaries else []
        for k in range(villages):
            lft = township.lft + 1 + 2 * k
            population = gen.rng.randint(600, 4000)
            village_rows.append(
                GridUnit(
                    parent_id=township.pk,
                    code=f"{township.code[:9]}{201 + k:03d}",
                    name=gen.place("村", unique=False),
                    kind=Kind.VILLAGE,
                    tree_id=township.tree_id,
                    lft=lft,
                    rght=lft + 1,
                    level=2,
                    population=population,
                    households=population // 4,
                    **_geometry(cells[k] if boundaries else None, boundaries),
                )
            )
    for batch in _batched(village_rows, SCALE_BATCH):
        GridUnit.objects.bulk_create(batch)

    expected = {0: counties, 1: counties * townships, 2: counties * townships * villages}
    for level, count in expected.items():
        found = GridUnit.objects.filter(tree_id__in=tree_ids, level=level).count()
        if found != count:
            raise SeedError(f"tree check failed: {found} units at level {level}, expected {count}")

    user_count = membership_count = 0
    if people:
        user_count, membership_count = _scale_people(gen, county_rows, township_rows, village_rows, people)
    return ScaleResult(
        county_codes=codes,
        tree_ids=tree_ids,
        units=len(county_rows) + len(township_rows) + len(village_rows),
        people=user_count,
        memberships=membership_count,
    )


def _geometry(box: Box | None, boundaries: bool) -> dict:
    if not boundaries or box is None:
        return {}
    return {"boundary": rectangle(box), "location": centre(box)}


def _box_of(unit: GridUnit) -> Box:
    ring = unit.boundary["coordinates"][0]
    return (ring[0][0], ring[0][1], ring[2][0], ring[2][1])


def _scale_people(
    gen: Generator, counties: list[GridUnit], townships: list[GridUnit], villages: list[GridUnit], per_village: int
) -> tuple[int, int]:
    """People for a generated grid: a few per county and township, ``per_village`` per village."""
    plan: list[tuple[GridUnit, tuple[str, ...]]] = []
    plan += [(unit, (role,)) for unit in counties for role in COUNTY_ROLES]
    plan += [(unit, (role,)) for unit in townships for role in TOWNSHIP_ROLES]
    for unit in villages:
        for k in range(per_village):
            plan.append((unit, VILLAGE_ROLES[k] if k < len(VILLAGE_ROLES) else (Role.INFORMATION_OFFICER,)))
    users = []
    for _unit, _roles in plan:
        mobile = gen.mobile()
        users.append(User(username=mobile, mobile=mobile, real_name=gen.person_name(), password=make_password(None)))
    for batch in _batched(users, SCALE_BATCH):
        User.objects.bulk_create(batch)
    memberships = [
        Membership(user_id=user.pk, unit_id=unit.pk, role=role)
        for user, (unit, roles) in zip(users, plan, strict=True)
        for role in roles
    ]
    for batch in _batched(memberships, SCALE_BATCH * 2):
        Membership.objects.bulk_create(batch)
    return len(users), len(memberships)
