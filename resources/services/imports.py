"""Teams, members and experts from one Excel workbook (they live in Excel today): three sheets,
队伍, 队员 and 专家, Chinese headers (``grids.importing.reading``). Every row of every sheet is
checked first; a bad row is reported with its sheet and row number in Chinese and nothing is
saved. Rows are matched by their natural keys (a team: unit code + name; a member: team + name;
an expert: unit code + name + phone): importing the same file again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dispatch.models import IncidentType
from grids import limits
from grids.importing.reading import FileError, messages_text, table_rows, xlsx_sheets
from grids.models import GridUnit, User
from hazards.models import HazardCategory
from resources import access
from resources.models import Expert, Speciality, Team, TeamKind, TeamMember

TEAM_SHEET, MEMBER_SHEET, EXPERT_SHEET = "队伍", "队员", "专家"
TEAM_COLUMNS = [
    ("name", "队伍名称", ("名称", "name")),
    ("unit", "所属单位编码", ("单位编码", "unit")),
    ("kind", "类型", ("kind",)),
    ("force", "力量", ("force",)),
    ("specialities", "专业", ("specialities",)),
    ("on_duty", "在岗人数", ("on_duty",)),
    ("readiness", "状态", ("readiness",)),
    ("base_address", "驻地", ("base_address",)),
    ("lng", "经度", ("lng", "longitude")),
    ("lat", "纬度", ("lat", "latitude")),
    ("leader_name", "队长", ("leader_name",)),
    ("leader_phone", "队长电话", ("leader_phone",)),
    ("duty_phone", "值班电话", ("duty_phone",)),
]
MEMBER_COLUMNS = [
    ("team", "队伍名称", ("team",)),
    ("unit", "所属单位编码", ("单位编码", "unit")),
    ("name", "姓名", ("name",)),
    ("role", "队内职务", ("职务", "role")),
    ("phone", "电话", ("phone",)),
    ("username", "账号", ("username",)),
]
EXPERT_COLUMNS = [
    ("name", "姓名", ("name",)),
    ("unit", "所属单位编码", ("单位编码", "unit")),
    ("speciality", "专业", ("speciality",)),
    ("employer", "工作单位", ("employer",)),
    ("title", "职称", ("title",)),
    ("phone", "电话", ("phone",)),
    ("phone_2", "其他电话", ("phone_2",)),
    ("hazard_categories", "隐患类别", ("hazard_categories",)),
    ("incident_types", "事件类型", ("incident_types",)),
    ("availability", "状态", ("availability",)),
]
SHEETS = {TEAM_SHEET: TEAM_COLUMNS, MEMBER_SHEET: MEMBER_COLUMNS, EXPERT_SHEET: EXPERT_COLUMNS}
SEPARATORS = ("、", "，", ",", ";", "；")
# The Chinese words of the file format (the template's columns), whatever the interface language.
WORDS = {
    "大队": "brigade", "综合应急救援大队": "brigade", "中队": "squadron", "乡镇中队": "squadron", "分队": "vanguard",
    "村级分队": "vanguard", "企业": "enterprise", "企业队伍": "enterprise", "社会": "social", "社会队伍": "social",
    "综合": "comprehensive", "民兵": "militia", "预备役": "reservist", "公安": "police", "医疗": "medical",
    "消防": "fire", "志愿者": "volunteer", "其他": "other", "待命": "ready", "就绪": "ready", "执行任务": "on_mission",
    "休整": "resting", "不可用": "unavailable", "队长": "captain", "副队长": "deputy", "队员": "member",
    "医护": "medic", "驾驶员": "driver", "联络员": "liaison", "可联系": "available", "忙碌": "busy", "外出": "away",
}  # fmt: skip


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    teams: int = 0
    members: int = 0
    experts: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _error(sheet: str, row: int, message: str) -> str:
    return _("Sheet “%(sheet)s”, row %(row)d: %(message)s") % {"sheet": sheet, "row": row, "message": message}


def _split(text: str) -> list[str]:
    for sep in SEPARATORS[1:]:
        text = text.replace(sep, SEPARATORS[0])
    return [part.strip() for part in text.split(SEPARATORS[0]) if part.strip()]


def _choice(choices, text: str, default: str, label: str) -> str:
    if not text:
        return default
    values = [value for value, _name in choices]
    if WORDS.get(text) in values:
        return WORDS[text]
    for value, name in choices:
        if text in (value, str(name)) or text in str(name):
            return value
    raise ValidationError(_("%(field)s “%(value)s” is not one of the choices.") % {"field": label, "value": text})


def _lookup(rows, names: list[str], label: str) -> list:
    found, missing = [], []
    for name in names:
        match = rows.get(name) or rows.get(name.split("（")[0])
        (found if match else missing).append(match or name)
    if missing:
        raise ValidationError(_("Unknown %(field)s: %(names)s.") % {"field": label, "names": "、".join(missing)})
    return found


def _number(text: str, label: str, *, decimal: bool = False):
    if not text:
        return None
    try:
        return float(text) if decimal else int(float(text))
    except ValueError:
        raise ValidationError(_("%(field)s “%(value)s” is not a number.") % {"field": label, "value": text}) from None


def teams_import(*, by: User, data: bytes, filename: str) -> ImportResult:
    """Check the whole workbook, then write it (see the module's docstring)."""
    result = ImportResult()
    if not filename.lower().endswith(".xlsx"):
        result.errors.append(_("Upload an Excel file (.xlsx) made from the template."))
        return result
    if len(data) > limits.IMPORT_MAX_BYTES:
        result.errors.append(_("The file is too large."))
        return result
    try:
        sheets = xlsx_sheets(data)
        if not any(name in sheets for name in SHEETS):
            raise FileError(_("The workbook has none of the sheets 队伍, 队员, 专家; use the template."))
        tables = {
            name: table_rows(sheets[name], columns, allow_empty=True) if name in sheets else []
            for name, columns in SHEETS.items()
        }
    except FileError as exc:
        result.errors.append(str(exc))
        return result
    units = {
        u.code: u for u in access.edit_units(by).filter(code__in={c["unit"] for t in tables.values() for _n, c in t})
    }
    specialities = {s.name: s for s in Speciality.objects.all()} | {s.code: s for s in Speciality.objects.all()}
    categories = {c.name: c for c in HazardCategory.objects.filter(is_active=True)}
    categories |= {c.code: c for c in categories.values()} | {c.name.split("（")[0]: c for c in categories.values()}
    types = {t.name: t for t in IncidentType.objects.all()} | {t.code: t for t in IncidentType.objects.all()}
    plan: list[tuple] = []

    def unit_of(code: str) -> GridUnit:
        if code not in units:
            raise ValidationError(_("Unit code “%(code)s” is not a unit whose teams you keep.") % {"code": code})
        return units[code]

    team_keys: dict[tuple[int, str], Team] = {}
    for number, cells in tables[TEAM_SHEET]:
        try:
            unit = unit_of(cells["unit"])
            team = Team.objects.filter(unit=unit, name=cells["name"]).first() or Team(unit=unit, name=cells["name"])
            team.kind = _choice(TeamKind.choices, cells.get("kind", ""), "", _("kind"))
            team.force = _choice(Team.Force.choices, cells.get("force", ""), Team.Force.COMPREHENSIVE, _("force"))
            team.readiness = _choice(
                Team.Readiness.choices, cells.get("readiness", ""), Team.Readiness.READY, _("readiness")
            )
            team.on_duty = _number(cells.get("on_duty", ""), _("headcount on duty")) or 0
            team.lng = _number(cells.get("lng", ""), _("longitude"), decimal=True)
            team.lat = _number(cells.get("lat", ""), _("latitude"), decimal=True)
            for name in ("base_address", "leader_name", "leader_phone", "duty_phone"):
                setattr(team, name, cells.get(name, ""))
            chosen = _lookup(specialities, _split(cells.get("specialities", "")), _("speciality"))
            team.full_clean(validate_unique=False)
            team_keys[(unit.pk, team.name)] = team
            plan.append(("team", team, chosen))
        except ValidationError as exc:
            result.errors.append(_error(TEAM_SHEET, number, messages_text(exc)))
    people = {
        u.username: u for u in User.objects.filter(username__in={c.get("username") for _n, c in tables[MEMBER_SHEET]})
    }
    for number, cells in tables[MEMBER_SHEET]:
        try:
            unit = unit_of(cells["unit"])
            team = team_keys.get((unit.pk, cells["team"])) or Team.objects.filter(unit=unit, name=cells["team"]).first()
            if team is None:
                raise ValidationError(_("No team “%(name)s” in this unit.") % {"name": cells["team"]})
            person = None
            if cells.get("username"):
                person = people.get(cells["username"])
                if person is None:
                    raise ValidationError(_("No person with the user name “%(name)s”.") % {"name": cells["username"]})
            member = TeamMember(team=team, name=cells.get("name", ""), phone=cells.get("phone", ""), person=person)
            member.role = _choice(TeamMember.Role.choices, cells.get("role", ""), TeamMember.Role.MEMBER, _("role"))
            member.full_clean(exclude=["team"], validate_unique=False)
            plan.append(("member", member, None))
        except ValidationError as exc:
            result.errors.append(_error(MEMBER_SHEET, number, messages_text(exc)))
    for number, cells in tables[EXPERT_SHEET]:
        try:
            unit = unit_of(cells["unit"])
            expert = Expert.objects.filter(unit=unit, name=cells["name"], phone=cells.get("phone", "")).first()
            expert = expert or Expert(unit=unit, name=cells["name"], phone=cells.get("phone", ""))
            for name in ("speciality", "employer", "title", "phone_2"):
                setattr(expert, name, cells.get(name, ""))
            expert.availability = _choice(
                Expert.Availability.choices,
                cells.get("availability", ""),
                Expert.Availability.AVAILABLE,
                _("availability"),
            )
            cats = _lookup(categories, _split(cells.get("hazard_categories", "")), _("hazard category"))
            kinds = _lookup(types, _split(cells.get("incident_types", "")), _("incident type"))
            expert.full_clean(validate_unique=False)
            plan.append(("expert", expert, (cats, kinds)))
        except ValidationError as exc:
            result.errors.append(_error(EXPERT_SHEET, number, messages_text(exc)))
    if result.errors:
        return result
    if not plan:
        result.errors.append(_("The file has a header but no data rows."))
        return result
    with transaction.atomic():
        for kind, obj, extra in plan:
            if kind == "team":
                obj.save()
                obj.specialities.set(extra)
                result.teams += 1
            elif kind == "member":
                obj.team = team_keys.get((obj.team.unit_id, obj.team.name), obj.team)
                TeamMember.objects.update_or_create(
                    team=obj.team, name=obj.name, defaults={"phone": obj.phone, "role": obj.role, "person": obj.person}
                )
                result.members += 1
            else:
                obj.save()
                obj.hazard_categories.set(extra[0])
                obj.incident_types.set(extra[1])
                result.experts += 1
    return result


def check_may_import(by: User) -> None:
    if not access.edit_units(by).exists():
        raise PermissionDenied(_("You keep no unit's teams and experts."))
