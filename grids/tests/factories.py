"""Test data for the grid: units, people and memberships, built without side doors."""

from __future__ import annotations

import datetime
import itertools
import pickle
from dataclasses import dataclass

from grids.models import Department, GridUnit, Membership, Role, Sector, User
from grids.rules import Kind, credit_code_check_char

_mobiles = itertools.count(13800000000)


def credit_code(seed: int) -> str:
    first17 = f"91451027MA{seed:07d}"
    return first17 + credit_code_check_char(first17)


def make_unit(parent: GridUnit | None, kind: str, code: str, name: str, **fields) -> GridUnit:
    unit = GridUnit(parent=parent, kind=kind, code=code, name=name, **fields)
    unit.full_clean()
    unit.save()
    return unit


def make_person(username: str, *, real_name: str = "", department: Department | None = None, **fields) -> User:
    user = User.objects.create_user(
        username=username,
        password="pw-" + username,
        real_name=real_name or username,
        mobile=fields.pop("mobile", str(next(_mobiles))),
        department=department,
        **fields,
    )
    return user


def grant(user: User, unit: GridUnit, role: str) -> Membership:
    return Membership.objects.create(user=user, unit=unit, role=role)


def square(lng: float, lat: float, size: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]],
    }


@dataclass
class World:
    """A small county and the shared personas of STYLE.md §9."""

    county: GridUnit
    township: GridUnit  # 泗城镇, holds village A and village B
    other_township: GridUnit  # 逻楼镇, holds village C
    park: GridUnit
    enterprise: GridUnit
    village_a: GridUnit
    village_b: GridUnit
    village_c: GridUnit
    department: Department
    county_dispatcher: User
    township_officer: User
    township_leader: User
    village_officer_a: User
    village_officer_b: User
    department_officer: User
    outsider: User
    admin: User

    def password(self, user: User) -> str:
        return "pw-" + user.username


def build_world() -> World:
    county = make_unit(None, Kind.COUNTY, "451027", "凌云县", boundary=square(106.4, 24.2, 0.4))
    township = make_unit(county, Kind.TOWN, "451027100000", "泗城镇", boundary=square(106.4, 24.2, 0.2))
    other = make_unit(county, Kind.TOWN, "451027101000", "逻楼镇", boundary=square(106.6, 24.2, 0.2))
    park = make_unit(county, Kind.PARK, "451027-GY01", "凌云工业园区", boundary=square(106.4, 24.4, 0.1))
    enterprise = make_unit(park, Kind.ENTERPRISE, "451027-GY01-001", "凌云茶业有限公司", credit_code=credit_code(1))
    village_a = make_unit(
        township,
        Kind.VILLAGE,
        "451027100201",
        "陇雅村",
        boundary=square(106.4, 24.2, 0.1),
        location={"type": "Point", "coordinates": [106.45, 24.25]},
    )
    village_b = make_unit(township, Kind.VILLAGE, "451027100202", "平兰村", boundary=square(106.5, 24.2, 0.1))
    village_c = make_unit(other, Kind.VILLAGE, "451027101201", "逻楼村", boundary=square(106.6, 24.2, 0.1))
    department = Department.objects.create(county=county, name="凌云县水利局", short_name="水利局")
    department.sectors.set(Sector.objects.filter(code="water"))

    county_dispatcher = make_person("county_dispatcher", real_name="韦调度")
    grant(county_dispatcher, county, Role.DISPATCHER)
    township_officer = make_person("township_officer", real_name="黄网格")
    grant(township_officer, township, Role.GRID_OFFICER)
    township_leader = make_person("township_leader", real_name="罗镇长")
    grant(township_leader, township, Role.GRID_LEADER)
    village_officer_a = make_person("village_officer_a", real_name="陆信息")
    grant(village_officer_a, village_a, Role.INFORMATION_OFFICER)
    grant(village_officer_a, village_a, Role.GRID_MANAGER)
    village_officer_b = make_person("village_officer_b", real_name="农信息")
    grant(village_officer_b, village_b, Role.INFORMATION_OFFICER)
    department_officer = make_person("department_officer", real_name="岑水利", department=department)
    outsider = make_person("outsider", real_name="路人")
    admin = User.objects.create_superuser("admin", password="pw-admin", real_name="管理员")
    return World(
        county=county,
        township=township,
        other_township=other,
        park=park,
        enterprise=enterprise,
        village_a=village_a,
        village_b=village_b,
        village_c=village_c,
        department=department,
        county_dispatcher=county_dispatcher,
        township_officer=township_officer,
        township_leader=township_leader,
        village_officer_a=village_officer_a,
        village_officer_b=village_officer_b,
        department_officer=department_officer,
        outsider=outsider,
        admin=admin,
    )


# --- the world built once: a snapshot of its rows, written back for each test -------------------


def _tables():
    from django.apps import apps

    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def _contents(model):
    from django.db.models import QuerySet

    return {row[0]: row for row in QuerySet(model).order_by("pk").values_list("pk", *_columns(model))}


def _columns(model):
    return [field.attname for field in model._meta.local_concrete_fields]


class WorldSnapshot:
    """``build_world()`` run once (in a transaction rolled back at once), its rows kept.

    ``restore()`` writes the same rows again, with their ids and timestamps, in a handful of
    INSERTs without signals or password hashing (compiled once: the rows never change), and
    returns a fresh copy of the ``World`` that ``build_world()`` returned (unpickled from the one
    kept, which is faster than a deep copy). Ids stay reserved: later rows get higher ones, as
    after a real build (on SQLite the AUTOINCREMENT counters are moved past them, on PostgreSQL
    the sequences already are)."""

    def __init__(self):
        from django.db import connection, transaction

        from emergency import testclock

        before = {model: _contents(model) for model in _tables()}
        self.rows: list[tuple[type, list]] = []
        with transaction.atomic():
            # A second before the test clock's instant, where each test starts: the world exists
            # before anything a test does ("the latest history record" is the test's own).
            with testclock.travel(testclock.instant() - datetime.timedelta(seconds=1)):
                self.world = build_world()
            for model, old in before.items():
                new = _contents(model)
                changed = [pk for pk, row in old.items() if new.get(pk) != row]
                if changed:
                    raise RuntimeError(f"build_world changed rows it did not create in {model._meta.db_table}")
                added = [pk for pk in new if pk not in old]
                if added:
                    from django.db.models import QuerySet

                    self.rows.append((model, list(QuerySet(model).filter(pk__in=added).order_by("pk"))))
            transaction.set_rollback(True)
        self.statements = [statement for model, objects in self.rows for statement in _inserts(model, objects)]
        self.pickled = pickle.dumps(self.world, protocol=pickle.HIGHEST_PROTOCOL)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for model, objects in self.rows:
                    top = max(obj.pk for obj in objects)
                    table = model._meta.db_table
                    cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [top, table])
                    if cursor.rowcount == 0:
                        cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top])

    def restore(self) -> World:
        from django.db import connection, transaction

        with transaction.atomic(), connection.cursor() as cursor:  # foreign keys checked at the end
            for sql, params in self.statements:
                cursor.execute(sql, params)
        return pickle.loads(self.pickled)


def _inserts(model, objects) -> list[tuple[str, tuple]]:
    """The INSERTs that ``QuerySet(model)._insert(objects, raw=True)`` runs, in batches."""
    from django.db import connection
    from django.db.models.sql import InsertQuery

    fields = model._meta.local_concrete_fields
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    statements = []
    for start in range(0, len(objects), size):
        query = InsertQuery(model)
        query.insert_values(fields, objects[start : start + size], raw=True)
        statements += query.get_compiler(connection=connection).as_sql()
    return statements
