"""The demo county (凌云县): its townships, park, villages, departments and people."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from grids.demo.data import (
    DEMO_CELLS,
    DEMO_COUNTY_BOX,
    DEMO_COUNTY_CODE,
    DEMO_COUNTY_NAME,
    DEMO_CREATED_REASON,
    DEMO_DEPARTMENTS,
    DEMO_ENTERPRISES,
    DEMO_PARK,
    DEMO_PARK_CELL,
    DEMO_SEED,
    DEMO_STAFF_PER_DEPARTMENT,
    DEMO_TOWNSHIPS,
    PERSONAS,
    VILLAGE_GRIDS,
    Box,
)
from grids.demo.generate import Cast, Generator, SeedError, centre, existing_mobiles, inset, rectangle, split
from grids.models import Department, GridUnit, Role, Sector, User
from grids.rules import Kind


@dataclass
class DemoResult:
    county: GridUnit
    units: int
    people: int
    memberships: int
    departments: int
    personas: list[tuple[str, str, str]]  # username, role, unit or department


def _make_unit(parent: GridUnit | None, *, kind: str, code: str, name: str, box: Box, **fields) -> GridUnit:
    unit = GridUnit(
        parent=parent, kind=kind, code=code, name=name, boundary=rectangle(box), location=centre(box), **fields
    )
    unit.full_clean()
    unit._change_reason = DEMO_CREATED_REASON
    unit.save()
    return unit


@transaction.atomic
def build_demo(*, password: str) -> DemoResult | None:
    """Build 凌云县 with its townships, park, villages, departments and people; None if units exist.

    The four persona accounts (``PERSONAS``) get ``password``; everyone else an unusable one.
    """
    if GridUnit.objects.exists():
        return None
    taken = set(User.objects.filter(username__in=PERSONAS).values_list("username", flat=True))
    if taken:
        raise SeedError(f"these accounts already exist: {', '.join(sorted(taken))}")
    gen = Generator(DEMO_SEED, taken_mobiles=existing_mobiles())
    cast = Cast()
    personas: list[tuple[str, str, str]] = []

    # Villages first (in memory), so townships and the county can carry their population totals.
    township_cells = split(DEMO_COUNTY_BOX, 3, 3)
    plans = []
    for township, (col, row) in zip(DEMO_TOWNSHIPS, DEMO_CELLS, strict=True):
        count = township.size
        names = list(township.communities) + list(township.first_villages)
        gen.places.update(names)
        while len(names) < count:
            names.append(gen.place("村"))
        villages = []
        for index, name in enumerate(names):
            community = index < len(township.communities)
            number = index + 1 if community else 201 + index - len(township.communities)
            population = gen.rng.randint(2500, 8000) if community else gen.rng.randint(800, 3600)
            villages.append(
                {
                    "kind": Kind.COMMUNITY if community else Kind.VILLAGE,
                    "code": f"{township.code[:9]}{number:03d}",
                    "name": name,
                    "population": population,
                    "households": round(population / gen.rng.uniform(3.2, 4.3)),
                    "address": f"{DEMO_COUNTY_NAME}{township.name}{name}",
                }
            )
        plans.append((township, township_cells[row * 3 + col], villages))

    county = _make_unit(
        None,
        kind=Kind.COUNTY,
        code=DEMO_COUNTY_CODE,
        name=DEMO_COUNTY_NAME,
        box=DEMO_COUNTY_BOX,
        population=sum(v["population"] for _t, _b, vs in plans for v in vs),
        households=sum(v["households"] for _t, _b, vs in plans for v in vs),
        address="广西壮族自治区百色市凌云县",
    )
    units = 1

    # County tier: leaders, dispatcher, departments and their staff.
    leader = cast.person(gen, position="县长")
    cast.grant(leader, county, Role.GRID_LEADER)
    for title in ("常务副县长", "副县长"):
        cast.grant(cast.person(gen, position=title), county, Role.DEPUTY_LEADER)
    dispatcher = cast.person(
        gen, position="县应急管理局指挥中心调度员", username="county_dispatcher", password=password
    )
    cast.grant(dispatcher, county, Role.DISPATCHER, "24小时值班")
    personas.append((dispatcher.username, str(Role.DISPATCHER.label), county.name))
    departments = []
    for name, short_name, sector_codes in DEMO_DEPARTMENTS:
        department = Department.objects.create(
            county=county, name=name, short_name=short_name, phone=f"0776-76{gen.rng.randrange(10**5):05d}"
        )
        department.sectors.set(Sector.objects.filter(code__in=sector_codes))
        departments.append(department)
        head = cast.person(gen, position=f"{short_name}局长", department=department)
        cast.grant(head, county, Role.GRID_MANAGER, short_name)
        for index in range(DEMO_STAFF_PER_DEPARTMENT):
            persona = short_name == "水利局" and index == 0
            staff = cast.person(
                gen,
                position=f"{short_name}安全监管股工作人员",
                department=department,
                username="department_officer" if persona else "",
                password=password if persona else None,
            )
            if persona:
                personas.append((staff.username, _("Department staff"), department.name))

    # Townships and their villages.
    first_township = True
    for township, box, villages in plans:
        unit = _make_unit(
            county,
            kind=township.kind,
            code=township.code,
            name=township.name,
            box=box,
            population=sum(v["population"] for v in villages),
            households=sum(v["households"] for v in villages),
            address=f"{DEMO_COUNTY_NAME}{township.name}",
        )
        units += 1
        _staff_tier2(cast, gen, unit, head_titles=("党委书记", "镇长" if township.kind == Kind.TOWN else "乡长"))
        officer = cast.person(
            gen,
            position=f"{township.name}安监站工作人员",
            username="township_officer" if first_township else "",
            password=password if first_township else None,
        )
        cast.grant(officer, unit, Role.GRID_OFFICER)
        if first_township:
            personas.append((officer.username, str(Role.GRID_OFFICER.label), unit.name))
        cols, rows = VILLAGE_GRIDS[len(villages)]
        first_village = first_township
        for village, cell in zip(villages, split(box, cols, rows), strict=True):
            child = _make_unit(unit, box=cell, **village)
            units += 1
            is_persona = first_village and child.kind == Kind.VILLAGE
            _staff_tier3_village(
                cast,
                gen,
                child,
                username="village_officer" if is_persona else "",
                password=password if is_persona else None,
            )
            if is_persona:
                personas.append(("village_officer", str(Role.INFORMATION_OFFICER.label), child.name))
                first_village = False
        first_township = False

    # The industrial park, in a cell of its own, and its enterprises along their red lines.
    park_box = split(DEMO_COUNTY_BOX, 3, 3)[DEMO_PARK_CELL[1] * 3 + DEMO_PARK_CELL[0]]
    park_code, park_name = DEMO_PARK
    park = _make_unit(
        county, kind=Kind.PARK, code=park_code, name=park_name, box=park_box, address=f"{DEMO_COUNTY_NAME}{park_name}"
    )
    units += 1
    _staff_tier2(cast, gen, park, head_titles=("管委会主任",))
    cast.grant(cast.person(gen, position=f"{park_name}安全环保部工作人员"), park, Role.GRID_OFFICER)
    for index, (name, cell) in enumerate(zip(DEMO_ENTERPRISES, split(park_box, 2, 2), strict=True), start=1):
        enterprise = _make_unit(
            park,
            kind=Kind.ENTERPRISE,
            code=f"{park_code}-{index:03d}",
            name=name,
            box=inset(cell, 0.1),
            credit_code=gen.credit_code(DEMO_COUNTY_CODE),
            address=f"{DEMO_COUNTY_NAME}{park_name}",
        )
        units += 1
        cast.grant(cast.person(gen, position="总经理"), enterprise, Role.GRID_LEADER)
        cast.grant(cast.person(gen, position="安全管理员"), enterprise, Role.INFORMATION_OFFICER)

    people, memberships = cast.save(reason=DEMO_CREATED_REASON)
    return DemoResult(
        county=county,
        units=units,
        people=people,
        memberships=memberships,
        departments=len(departments),
        personas=personas,
    )


def _staff_tier2(cast: Cast, gen: Generator, unit: GridUnit, *, head_titles: tuple[str, ...]) -> None:
    """Leaders, executive deputy and the two dispatchers (A and B posts) of a township or park."""
    for title in head_titles:
        cast.grant(cast.person(gen, position=f"{unit.name}{title}"), unit, Role.GRID_LEADER)
    cast.grant(cast.person(gen, position=f"{unit.name}常务副职"), unit, Role.DEPUTY_LEADER)
    for post in ("A岗", "B岗"):
        cast.grant(cast.person(gen, position=f"{unit.name}应急办值班员"), unit, Role.DISPATCHER, post)


def _staff_tier3_village(cast: Cast, gen: Generator, unit: GridUnit, *, username: str, password: str | None) -> None:
    """Party secretary (leader), director (deputy) and one cadre who is grid manager and information officer."""
    committee = "居委会" if unit.kind == Kind.COMMUNITY else "村委会"
    cast.grant(cast.person(gen, position=f"{unit.name}党支部书记"), unit, Role.GRID_LEADER)
    cast.grant(cast.person(gen, position=f"{unit.name}{committee}主任"), unit, Role.DEPUTY_LEADER)
    cadre = cast.person(gen, position=f"{unit.name}{committee}干部", username=username, password=password)
    cast.grant(cadre, unit, Role.GRID_MANAGER)
    cast.grant(cadre, unit, Role.INFORMATION_OFFICER)
