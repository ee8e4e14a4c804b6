"""Spreadsheets of grid units and of people with their roles: template, export, import.

The import reads the whole file, checks every row and reports each bad one with its row number
and the reason in Chinese; it saves nothing unless every row is good, and then saves all rows in
one transaction. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids import limits, rules
from grids.models import Department, GridUnit, Membership, Role, User
from grids.rules import Kind
from grids.scope import Action, forget_scope, is_administrator, scope_for
from grids.spreadsheets import append_row, csv_unescape, write_csv_row, write_csv_rows

MAX_ROWS = 50_000

# (field, Chinese header, accepted aliases). Headers stay Chinese whatever the interface language:
# the files travel between Chinese offices.
UNIT_COLUMNS = [
    ("code", "代码", ("code", "网格代码", "区划代码")),
    ("name", "名称", ("name", "网格名称")),
    ("kind", "类型", ("kind", "网格类型")),
    ("parent_code", "上级代码", ("parent_code", "上级网格代码")),
    ("credit_code", "统一社会信用代码", ("credit_code",)),
    ("population", "人口", ("population", "人口数")),
    ("households", "户数", ("households",)),
    ("longitude", "经度", ("longitude", "lng")),
    ("latitude", "纬度", ("latitude", "lat")),
    ("address", "地址", ("address",)),
    ("is_active", "状态", ("is_active", "启用")),
]
PEOPLE_COLUMNS = [
    ("mobile", "手机号", ("mobile", "手机", "手机号码")),
    ("real_name", "姓名", ("real_name", "name")),
    ("position", "职务", ("position",)),
    ("department", "部门", ("department",)),
    ("unit_code", "网格代码", ("unit_code", "代码")),
    ("role", "角色", ("role",)),
]
COLUMNS = {"units": UNIT_COLUMNS, "people": PEOPLE_COLUMNS}

KIND_BY_LABEL = {
    "县": Kind.COUNTY,
    "旗": Kind.BANNER,
    "乡": Kind.TOWNSHIP,
    "镇": Kind.TOWN,
    "苏木": Kind.SUMU,
    "街道": Kind.STREET,
    "工业园区": Kind.PARK,
    "园区": Kind.PARK,
    "村": Kind.VILLAGE,
    "嘎查": Kind.GACHA,
    "社区": Kind.COMMUNITY,
    "企业": Kind.ENTERPRISE,
}
LABEL_BY_KIND = {kind: label for label, kind in KIND_BY_LABEL.items() if label != "园区"}
ROLE_BY_LABEL = {
    "网格长": Role.GRID_LEADER,
    "副网格长": Role.DEPUTY_LEADER,
    "网格管理员": Role.GRID_MANAGER,
    "网格员": Role.GRID_OFFICER,
    "信息员": Role.INFORMATION_OFFICER,
    "调度员": Role.DISPATCHER,
}
LABEL_BY_ROLE = {role: label for label, role in ROLE_BY_LABEL.items()}
ACTIVE_WORDS = {
    "": True,
    "启用": True,
    "是": True,
    "在用": True,
    "1": True,
    "true": True,
    "停用": False,
    "否": False,
    "撤销": False,
    "0": False,
    "false": False,
}


class FileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""


@dataclass
class RowError:
    row: int
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


# --- reading ------------------------------------------------------------------------------------


def read_rows(data: bytes, filename: str, dataset: str) -> list[tuple[int, dict[str, str]]]:
    """(row number as the user sees it, {field: text}) for every non-empty data row."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _xlsx_rows(data)
    elif name.endswith(".csv"):
        table = _csv_rows(data)
    else:
        raise FileError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
    try:
        header = next(table)
    except StopIteration:
        raise FileError(_("The file is empty.")) from None
    fields = _match_header(header, COLUMNS[dataset])
    rows = []
    for number, values in enumerate(table, start=2):
        cells = {f: _text(values[i]) if i < len(values) else "" for i, f in fields.items()}
        if any(cells.values()):
            rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise FileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    if not rows:
        raise FileError(_("The file has a header but no data rows."))
    return rows


def _xlsx_rows(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileError(_("This is not a readable Excel .xlsx file. Save it again as .xlsx and retry.")) from None
    sheet = book.worksheets[0]
    return (list(row) for row in sheet.iter_rows(values_only=True))


def _csv_rows(data: bytes) -> Iterator[list]:
    # Excel in China saves CSV as GBK (GB18030); everything else as UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError(_("The CSV file's text encoding is not UTF-8 or GBK."))
    return iter([[csv_unescape(value) for value in row] for row in csv.reader(io.StringIO(text))])


def _match_header(header: list, columns) -> dict[int, str]:
    names = [_text(cell) for cell in header]
    positions: dict[int, str] = {}
    for field_name, title, aliases in columns:
        for i, name in enumerate(names):
            if name == title or name in aliases:
                positions[i] = field_name
                break
    missing = [title for field_name, title, _aliases in columns[:2] if field_name not in positions.values()]
    if missing:
        raise FileError(
            _("The first row must be the header of the template; missing column(s): %(cols)s.")
            % {"cols": "、".join(missing)}
        )
    return positions


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _messages(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


# --- units --------------------------------------------------------------------------------------


def import_units(*, by: User, data: bytes, filename: str) -> ImportResult:
    try:
        rows = read_rows(data, filename, "units")
    except FileError as exc:
        return ImportResult(errors=[RowError(0, str(exc))])
    result = ImportResult()
    forget_scope(by)
    scope = scope_for(by)
    codes_in_file: dict[str, int] = {}
    for number, cells in rows:
        if cells["code"] in codes_in_file:
            result.errors.append(
                RowError(
                    number,
                    _("Code %(code)s is already in row %(row)d.")
                    % {"code": cells["code"], "row": codes_in_file[cells["code"]]},
                )
            )
        elif cells["code"]:
            codes_in_file[cells["code"]] = number
    wanted = set(codes_in_file) | {cells["parent_code"] for _n, cells in rows if cells.get("parent_code")}
    existing = {u.code: u for u in GridUnit.objects.filter(code__in=wanted)}
    by_code = {cells["code"]: cells for _n, cells in rows}
    credit_owner = dict(
        GridUnit.objects.exclude(credit_code="")
        .filter(credit_code__in=[c.get("credit_code", "").upper() for _n, c in rows if c.get("credit_code")])
        .values_list("credit_code", "code")
    )
    plans = []
    for number, cells in rows:
        try:
            plans.append((number, _plan_unit(cells, existing, by_code, scope, credit_owner)))
        except ValidationError as exc:
            result.errors.append(RowError(number, _messages(exc)))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    with transaction.atomic(), GridUnit.objects.delay_mptt_updates():
        saved = dict(existing)
        for _number, plan in sorted(plans, key=lambda p: rules.TIER_OF_KIND[p[1]["kind"]]):
            _apply_unit(plan, saved, result)
    forget_scope(by)
    return result


def _plan_unit(cells, existing, by_code, scope, credit_owner) -> dict:
    code, name = cells["code"], cells["name"]
    if not code or not name:
        raise ValidationError(_("Code and name are required."))
    kind_text = cells.get("kind", "")
    kind = KIND_BY_LABEL.get(kind_text) or (kind_text if kind_text in Kind.values else None)
    if kind is None:
        raise ValidationError(
            _("Unknown kind “%(kind)s”; use one of: %(kinds)s.")
            % {"kind": kind_text, "kinds": "、".join(LABEL_BY_KIND.values())}
        )
    parent_code = cells.get("parent_code", "")
    parent_kind = None
    if parent_code:
        if parent_code in existing:
            parent_kind = existing[parent_code].kind
        elif parent_code in by_code:
            parent_text = by_code[parent_code].get("kind", "")
            parent_kind = KIND_BY_LABEL.get(parent_text) or (parent_text if parent_text in Kind.values else None)
        else:
            raise ValidationError(
                _("Parent code %(code)s is neither in the system nor in this file.") % {"code": parent_code}
            )
    rules.check_placement(kind=kind, parent_kind=parent_kind)
    rules.check_code(kind=kind, code=code, parent_code=parent_code or None)
    credit_code = cells.get("credit_code", "").upper()
    if kind == Kind.ENTERPRISE:
        if not credit_code:
            raise ValidationError(_("An enterprise grid needs its unified social credit code."))
        rules.check_credit_code(credit_code)
        if credit_owner.get(credit_code, code) != code:
            raise ValidationError(
                _("Credit code %(value)s already belongs to unit %(code)s.")
                % {"value": credit_code, "code": credit_owner[credit_code]}
            )
    elif credit_code:
        raise ValidationError(_("Only an enterprise grid has a unified social credit code."))
    fields = {
        "name": name,
        "kind": kind,
        "credit_code": credit_code,
        "population": _count(cells.get("population", ""), _("population"), "population"),
        "households": _count(cells.get("households", ""), _("households"), "households"),
        "address": cells.get("address", ""),
        "location": _point(cells.get("longitude", ""), cells.get("latitude", "")),
        "is_active": _active(cells.get("is_active", "")),
    }
    current = existing.get(code)
    if current is not None:
        if current.kind != kind:
            raise ValidationError(
                _("Unit %(code)s exists as a %(kind)s; the import cannot change its kind.")
                % {"code": code, "kind": current.get_kind_display()}
            )
        current_parent = current.parent.code if current.parent_id else ""
        if current_parent != parent_code:
            raise ValidationError(
                _("Unit %(code)s stands under %(parent)s; move it in the admin, not by import.")
                % {"code": code, "parent": current_parent or "—"}
            )
        if fields["location"] is None:
            fields["location"] = current.location  # an empty cell keeps the point drawn on the map
    # Scope: the importer must manage the parent (or, for a new parent in this file, its nearest
    # existing ancestor); only a superuser may add a county.
    anchor_code = parent_code
    while anchor_code and anchor_code not in existing:
        anchor_code = by_code[anchor_code].get("parent_code", "")
    anchor = existing.get(anchor_code) if anchor_code else None
    target = current or anchor
    if target is None and not is_administrator(scope.user):
        raise ValidationError(_("Only an administrator may add a county."))
    if target is not None and not scope.can(Action.MANAGE_GRID, target):
        raise ValidationError(_("You may not change units under %(code)s.") % {"code": anchor_code or code})
    return {"code": code, "parent_code": parent_code, "fields": fields, "kind": kind}


def _apply_unit(plan: dict, saved: dict[str, GridUnit], result: ImportResult) -> None:
    unit = saved.get(plan["code"])
    fields = plan["fields"]
    if unit is None:
        unit = GridUnit(code=plan["code"], parent=saved.get(plan["parent_code"]), **fields)
        unit._change_reason = _("import")
        unit.save()
        saved[unit.code] = unit
        result.created += 1
        return
    changed = [name for name, value in fields.items() if getattr(unit, name) != value]
    if not changed:
        result.unchanged += 1
        return
    for name in changed:
        setattr(unit, name, fields[name])
    unit._change_reason = _("import")
    unit.save(update_fields=changed)
    result.updated += 1


def _count(text: str, label, field: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(_("%(label)s must be a whole number, not “%(value)s”.") % {"label": label, "value": text})
    try:
        return limits.check_int(int(text), GridUnit, field)
    except ValidationError as exc:  # beyond the column: refused on its row, never a database error
        raise ValidationError(
            _("%(field)s: %(problem)s") % {"field": label, "problem": " ".join(exc.messages)}
        ) from None


def _point(lng: str, lat: str) -> dict | None:
    if not lng and not lat:
        return None
    try:
        x, y = float(lng), float(lat)
    except ValueError:
        raise ValidationError(
            _("Longitude and latitude must both be numbers in degrees, e.g. 106.56 and 24.35.")
        ) from None
    if not (73 <= x <= 136 and 3 <= y <= 54):
        raise ValidationError(
            _("The point %(lng)s, %(lat)s is outside China; check longitude and latitude are not swapped.")
            % {"lng": lng, "lat": lat}
        )
    return {"type": "Point", "coordinates": [x, y]}


def _active(text: str) -> bool:
    value = ACTIVE_WORDS.get(text.lower())
    if value is None:
        raise ValidationError(_("Status must be 启用 or 停用, not “%(value)s”.") % {"value": text})
    return value


# --- people -------------------------------------------------------------------------------------


def import_people(*, by: User, data: bytes, filename: str) -> ImportResult:
    try:
        rows = read_rows(data, filename, "people")
    except FileError as exc:
        return ImportResult(errors=[RowError(0, str(exc))])
    result = ImportResult()
    forget_scope(by)
    scope = scope_for(by)
    units = {u.code: u for u in GridUnit.objects.filter(code__in={c.get("unit_code", "") for _n, c in rows})}
    departments = {(d.county_id, d.name): d for d in Department.objects.all()} | {
        (d.county_id, d.short_name): d for d in Department.objects.exclude(short_name="")
    }
    roots = dict(
        GridUnit.objects.filter(level=0, tree_id__in={u.tree_id for u in units.values()}).values_list("tree_id", "pk")
    )
    counties = {u.pk: roots.get(u.tree_id) for u in units.values()}
    people: dict[str, dict] = {}
    grants: list[tuple[str, GridUnit, str]] = []
    for number, cells in rows:
        try:
            mobile, person, grant = _plan_person(cells, units, departments, counties, scope)
        except ValidationError as exc:
            result.errors.append(RowError(number, _messages(exc)))
            continue
        earlier = people.get(mobile)
        if earlier and (earlier["real_name"], earlier["position"], earlier["department"]) != (
            person["real_name"],
            person["position"],
            person["department"],
        ):
            result.errors.append(
                RowError(
                    number,
                    _("Mobile %(mobile)s appears in row %(row)d with a different name, position or department.")
                    % {"mobile": mobile, "row": earlier["row"]},
                )
            )
            continue
        people.setdefault(mobile, {**person, "row": number})
        if grant:
            grants.append((mobile, *grant))
    users = {u.mobile: u for u in User.objects.filter(mobile__in=people)}
    taken = set(
        User.objects.filter(username__in=[m for m in people if m not in users]).values_list("username", flat=True)
    )
    for mobile in sorted(taken):
        result.errors.append(
            RowError(
                people[mobile]["row"],
                _("The user name %(mobile)s is taken by another account; correct that account's mobile number first.")
                % {"mobile": mobile},
            )
        )
    existing = set(
        Membership.objects.filter(user__in=users.values()).values_list("user_id", "unit_id", "role", "is_active")
    )
    result.errors += _refused_people(by, scope, people, grants, users, existing)
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    with transaction.atomic():
        for mobile, person in people.items():
            person.pop("row")
            user = users.get(mobile)
            if user is None:
                user = User(username=mobile, mobile=mobile, password=make_password(None), **person)
                user.save()
                users[mobile] = user
                result.created += 1
                continue
            changed = [f for f, v in person.items() if _current(user, f) != (v.pk if isinstance(v, Department) else v)]
            if changed:
                for f in changed:
                    setattr(user, f, person[f])
                user.save(update_fields=changed)
                result.updated += 1
            else:
                result.unchanged += 1
        active = {(u, unit, r) for u, unit, r, a in existing if a}
        inactive = {(u, unit, r) for u, unit, r, a in existing if not a}
        new = []
        for mobile, unit, role in grants:
            key = (users[mobile].pk, unit.pk, role)
            if key in active:
                continue
            if key in inactive:
                Membership.objects.filter(user_id=key[0], unit_id=key[1], role=role).update(is_active=True)
            else:
                new.append(Membership(user=users[mobile], unit=unit, role=role))
            active.add(key)
        for membership in new:
            membership.save()  # one by one so that each gets its history entry
    return result


def _refused_people(by, scope, people, grants, users, existing) -> list[RowError]:
    """The scope of the import (``GridScope.may_manage_person``): a row may create a person, or
    change one the importer manages — every role they hold (and those the file gives them, each
    already checked to lie in a unit the importer manages) inside the importer's manageable
    subtree; never oneself. A row that would change nothing is let through (an export re-imported).
    A department is set only by a manager of its county (tier 1), and never on oneself."""
    errors = []
    active = {(u, unit, r) for u, unit, r, a in existing if a}
    new_roles: dict[str, bool] = {}
    for mobile, unit, role in grants:
        user = users.get(mobile)
        if user is not None and (user.pk, unit.pk, role) not in active:
            new_roles[mobile] = True
    changing = {}
    for mobile, person in people.items():
        user = users.get(mobile)
        if user is None:
            continue
        differs = any(_current(user, f) != (v.pk if isinstance(v, Department) else v) for f, v in _fields(person))
        if differs or new_roles.get(mobile):
            changing[mobile] = user
    manageable = set(
        scope.manageable_people().filter(pk__in=[u.pk for u in changing.values()]).values_list("pk", flat=True)
    )
    for mobile, person in people.items():
        user = users.get(mobile)
        row = person["row"]
        department = person["department"]
        if department is not None and (user is None or user.department_id != department.pk):
            if user is not None and user.pk == by.pk:
                errors.append(RowError(row, _("You cannot put yourself in a department by import.")))
                continue
            if not scope.may_set_department(department):
                errors.append(
                    RowError(
                        row,
                        _("Only a manager of the county may place people in the department “%(name)s”.")
                        % {"name": department.name},
                    )
                )
                continue
        if mobile not in changing or changing[mobile].pk in manageable:
            continue
        if user.pk == by.pk:
            message = _("You cannot change your own name, position, department or roles by import.")
        else:
            message = _(
                "The person with mobile %(mobile)s also holds a role outside the units you manage "
                "(or has no role you manage); you may not change them or give them roles."
            ) % {"mobile": mobile}
        errors.append(RowError(row, message))
    return errors


def _fields(person: dict):
    return [(f, v) for f, v in person.items() if f != "row"]


def _current(user: User, field_name: str):
    return user.department_id if field_name == "department" else getattr(user, field_name)


def _plan_person(cells, units, departments, counties, scope):
    mobile = cells.get("mobile", "")
    rules.check_mobile(mobile)
    real_name = cells.get("real_name", "")
    if not real_name:
        raise ValidationError(_("The name is required."))
    unit_code, role_text = cells.get("unit_code", ""), cells.get("role", "")
    grant = None
    unit = None
    if unit_code or role_text:
        unit = units.get(unit_code)
        if unit is None or not scope.can_see(unit):  # another county's unit: as if it did not exist
            raise ValidationError(
                _("No grid unit has the code “%(code)s”; import the units first.") % {"code": unit_code}
            )
        role = ROLE_BY_LABEL.get(role_text) or (role_text if role_text in Role.values else None)
        if role is None:
            raise ValidationError(
                _("Unknown role “%(role)s”; use one of: %(roles)s.")
                % {"role": role_text, "roles": "、".join(ROLE_BY_LABEL)}
            )
        if not scope.can(Action.MANAGE_GRID, unit):
            raise ValidationError(_("You may not assign roles in %(unit)s.") % {"unit": unit.name})
        grant = (unit, role)
    elif not is_administrator(scope.user):
        raise ValidationError(_("Give the grid code and role of this person."))
    department = None
    department_name = cells.get("department", "")
    if department_name:
        county_id = counties.get(unit.pk) if unit else None
        matches = [
            d for (c, n), d in departments.items() if n == department_name and (county_id is None or c == county_id)
        ]
        if not matches:
            raise ValidationError(_("No department named “%(name)s” in this county.") % {"name": department_name})
        department = matches[0]
    return mobile, {"real_name": real_name, "position": cells.get("position", ""), "department": department}, grant


# --- templates and exports ----------------------------------------------------------------------


def unit_rows(units: Iterable[GridUnit]) -> Iterator[list]:
    for unit in units:
        point = (unit.location or {}).get("coordinates") or ["", ""]
        yield [
            unit.code,
            unit.name,
            LABEL_BY_KIND.get(unit.kind, unit.kind),
            unit.parent_code or "",
            unit.credit_code,
            unit.population if unit.population is not None else "",
            unit.households if unit.households is not None else "",
            point[0],
            point[1],
            unit.address,
            "启用" if unit.is_active else "停用",
        ]


def people_rows(memberships: Iterable[Membership]) -> Iterator[list]:
    for m in memberships:
        user = m.user
        yield [
            user.mobile,
            user.real_name,
            user.position,
            user.department.name if user.department_id else "",
            m.unit.code,
            LABEL_BY_ROLE[m.role],
        ]


TEMPLATE_EXAMPLES = {
    "units": [
        ["451027", "凌云县", "县", "", "", "", "", "106.56", "24.35", "", "启用"],
        ["451027100000", "泗城镇", "镇", "451027", "", "", "", "", "", "", "启用"],
        ["451027100201", "陇雅村", "村", "451027100000", "", "1260", "315", "106.55", "24.36", "", "启用"],
        ["451027-GY01", "凌云工业园区", "工业园区", "451027", "", "", "", "", "", "", "启用"],
        [
            "451027-GY01-001",
            "凌云茶业有限公司",
            "企业",
            "451027-GY01",
            "91451027MA5KX00007",
            "",
            "",
            "",
            "",
            "",
            "启用",
        ],
    ],
    "people": [
        ["13807760001", "黄明", "村党支部书记", "", "451027100201", "网格长"],
        ["13807760002", "陆芳", "村委委员", "", "451027100201", "网格管理员"],
        ["13807760002", "陆芳", "村委委员", "", "451027100201", "信息员"],
    ],
}


def headers(dataset: str) -> list[str]:
    return [title for _f, title, _a in COLUMNS[dataset]]


def write_table(dataset: str, rows: Iterable[list], fmt: str) -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        write_csv_row(writer, headers(dataset))
        write_csv_rows(writer, rows)
        return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet({"units": "网格", "people": "人员"}[dataset])
    append_row(sheet, headers(dataset))
    for row in rows:
        append_row(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_import(*, by: User, dataset: str, data: bytes, filename: str) -> ImportResult:
    if dataset == "units":
        return import_units(by=by, data=data, filename=filename)
    return import_people(by=by, data=data, filename=filename)
