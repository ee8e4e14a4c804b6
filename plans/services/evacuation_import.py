"""A village's evacuation list (转移避险名单) in one workbook: three sheets, 危险区 (zones), 安置点
(shelters owned by the village) and 转移户 (households), Chinese headers; read and checked with the
grid import's machinery (``grids.importing.reading``).

**The file is the village's whole list**: importing it replaces the village's zones, households
and own shelters — rows matched by their natural keys (zone: 灾种 + 名称; shelter: 名称; household:
危险区 + 户主 + 门牌) are updated in place (their history goes on), new ones created, those missing
from the file deleted. Importing the same file again therefore changes nothing. Every row of every
sheet is checked first (a township's workbook holds only its own shelters); a bad row is reported with its sheet and row number in Chinese and nothing
is saved; then everything is written in one transaction under a lock on the village."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids import limits
from grids.importing.reading import FileError, messages_text, parse_count, parse_point, table_rows, xlsx_sheets
from grids.models import GridUnit, User
from grids.rules import TOWNSHIP_KINDS
from hazards.models import HazardCategory
from plans import access
from plans.models import DangerZone, Household, Shelter

ZONE_SHEET, SHELTER_SHEET, HOUSEHOLD_SHEET, HELP_SHEET = "危险区", "安置点", "转移户", "填表说明"
# (field, Chinese header, aliases): headers stay Chinese whatever the interface language.
ZONE_COLUMNS = [
    ("category", "灾种", ("category",)),
    ("name", "危险区名称", ("危险区", "name")),
    ("description", "说明", ("description",)),
    ("duty_phone", "村值班电话", ("值班电话", "duty_phone")),
]
SHELTER_COLUMNS = [
    ("name", "安置点名称", ("安置点", "name")),
    ("capacity", "容纳人数", ("capacity",)),
    ("place", "地点", ("place", "地址")),
    ("longitude", "经度", ("longitude", "lng")),
    ("latitude", "纬度", ("latitude", "lat")),
    ("manager_name", "管理人", ("manager_name",)),
    ("manager_phone", "管理人电话", ("manager_phone",)),
    ("facilities", "设施", ("facilities",)),
    ("state", "状态", ("state",)),
]
HOUSEHOLD_COLUMNS = [
    ("head_name", "户主姓名", ("户主", "head_name")),
    ("address", "门牌号或地址", ("门牌号", "地址", "address")),
    ("category", "灾种", ("category",)),
    ("zone", "危险区名称", ("危险区", "zone")),
    ("phone", "联系电话", ("phone",)),
    ("persons", "人数", ("persons", "人口")),
    ("vulnerable", "老弱病残孕人数", ("vulnerable",)),
    ("vulnerable_notes", "老弱病残孕情况", ("vulnerable_notes",)),
    ("cadre_name", "转移责任人", ("cadre_name",)),
    ("cadre_phone", "责任人电话", ("cadre_phone",)),
    ("route", "转移路线", ("route",)),
    ("shelter", "安置点", ("shelter",)),
    ("signal", "预警信号", ("signal",)),
]
SHEETS = {ZONE_SHEET: ZONE_COLUMNS, SHELTER_SHEET: SHELTER_COLUMNS, HOUSEHOLD_SHEET: HOUSEHOLD_COLUMNS}
OPEN_WORDS = {"": True, "开放": True, "启用": True, "是": True, "关闭": False, "停用": False, "否": False}
PHONE = re.compile(r"^[0-9+\-() ]{3,30}$")
SHELTER_OF = "/"  # "单位名称/安置点名称": a shelter of the township or of another of its villages


@dataclass
class SheetRowError:
    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        if not self.row:
            return f"「{self.sheet}」{self.message}" if self.sheet else self.message
        return _("Sheet “%(sheet)s”, row %(row)d: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "message": self.message,
        }

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "message": self.message}


@dataclass
class EvacuationImportResult:
    errors: list[SheetRowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged, "deleted": self.deleted}


def category_lookup() -> dict[str, HazardCategory]:
    """A category by its code, its name, or its name before the bracket (地质灾害)."""
    found = {}
    for category in HazardCategory.objects.filter(is_active=True):
        for key in (category.code, category.name, category.name.split("（")[0]):
            found.setdefault(key, category)
    return found


def shelter_label(shelter: Shelter, village: GridUnit) -> str:
    """The 安置点 cell of a household: the name for the village's own shelter, else 单位/名称."""
    return shelter.name if shelter.unit_id == village.pk else f"{shelter.unit.name}{SHELTER_OF}{shelter.name}"


def _text(cells: dict, name: str, model, *, required: bool = False, label=None) -> str:
    value = cells.get(name, "")
    model_field = model._meta.get_field(name)
    verbose = label or model_field.verbose_name
    if required and not value:
        raise ValidationError(_("%(field)s is required.") % {"field": verbose})
    if model_field.max_length is not None and len(value) > model_field.max_length:
        raise ValidationError(
            _("%(field)s: write at most %(max)d characters (it has %(length)d).")
            % {"field": verbose, "max": model_field.max_length, "length": len(value)}
        )
    return value


def _phone(cells: dict, name: str, model, *, required: bool = False) -> str:
    value = _text(cells, name, model, required=required)
    if value and not PHONE.match(value):
        raise ValidationError(
            _("%(field)s “%(value)s” is not a phone number.")
            % {"field": model._meta.get_field(name).verbose_name, "value": value}
        )
    return value


def _read(data: bytes, filename: str, *, township: bool = False) -> dict[str, list[tuple[int, dict[str, str]]]]:
    if not filename.lower().endswith(".xlsx"):
        raise FileError(_("Upload the evacuation list as an Excel file (.xlsx) made from the template."))
    if len(data) > limits.IMPORT_MAX_BYTES:
        raise FileError(_("The file is larger than %(mb)d MB.") % {"mb": limits.IMPORT_MAX_BYTES // (1024 * 1024)})
    sheets = xlsx_sheets(data)
    required = (SHELTER_SHEET,) if township else (ZONE_SHEET, HOUSEHOLD_SHEET)
    missing = [name for name in required if name not in sheets]
    if missing:
        raise FileError(
            _("The workbook has no sheet named %(names)s; use the template.") % {"names": "、".join(missing)}
        )
    tables = {}
    for name, columns in SHEETS.items():
        if name not in sheets:
            tables[name] = []
            continue
        try:
            tables[name] = table_rows(sheets[name], columns, allow_empty=township or name != ZONE_SHEET)
        except FileError as exc:
            raise FileError(f"「{name}」{exc}") from None
    return tables


def evacuation_import(*, by: User, unit: GridUnit, data: bytes, filename: str) -> EvacuationImportResult:
    """Check the whole workbook, then replace ``unit``'s list with it (see the module's docstring)."""
    if not access.may_edit_evacuation(by, unit):
        raise PermissionDenied(_("Only the village's own people and its township may change its evacuation list."))
    result = EvacuationImportResult()
    try:
        tables = _read(data, filename, township=unit.kind in TOWNSHIP_KINDS)
    except FileError as exc:
        result.errors.append(SheetRowError("", 0, str(exc)))
        return result
    if unit.kind in TOWNSHIP_KINDS:  # a township keeps its own shelters; zones and households are the villages'
        for sheet in (ZONE_SHEET, HOUSEHOLD_SHEET):
            for number, _cells in tables[sheet]:
                result.errors.append(
                    SheetRowError(
                        sheet,
                        number,
                        _(
                            "A township imports only its own shelters; danger zones and households are imported per village."
                        ),
                    )
                )
    plan = _check(unit, tables, result)
    if result.errors:
        result.errors.sort(key=lambda e: (list(SHEETS).index(e.sheet) if e.sheet in SHEETS else -1, e.row))
        return result
    with transaction.atomic():
        GridUnit.objects.select_for_update(of=("self",)).get(pk=unit.pk)  # one import of a village at a time
        _apply(unit, plan, result)
    return result


def _check(unit: GridUnit, tables: dict, result: EvacuationImportResult) -> dict:
    categories = category_lookup()
    zones: dict[tuple[int, str], dict] = {}
    for number, cells in tables[ZONE_SHEET]:
        try:
            category = categories.get(cells.get("category", ""))
            if category is None:
                raise ValidationError(
                    _("Unknown hazard category “%(value)s”; use one of: %(names)s.")
                    % {
                        "value": cells.get("category", ""),
                        "names": "、".join(c.split("（")[0] for c in _names(categories)),
                    }
                )
            name = _text(cells, "name", DangerZone, required=True)
            key = (category.pk, name)
            if key in zones:
                raise ValidationError(
                    _("Danger zone %(name)s is already in row %(row)d.") % {"name": name, "row": zones[key]["row"]}
                )
            zones[key] = {
                "row": number,
                "category": category,
                "name": name,
                "description": _text(cells, "description", DangerZone),
                "duty_phone": _phone(cells, "duty_phone", DangerZone),
            }
        except ValidationError as exc:
            result.errors.append(SheetRowError(ZONE_SHEET, number, messages_text(exc)))
    shelters: dict[str, dict] = {}
    for number, cells in tables[SHELTER_SHEET]:
        try:
            name = _text(cells, "name", Shelter, required=True)
            if SHELTER_OF in name:
                raise ValidationError(_("A shelter's name may not contain “/”."))
            if name in shelters:
                raise ValidationError(
                    _("Shelter %(name)s is already in row %(row)d.") % {"name": name, "row": shelters[name]["row"]}
                )
            capacity = parse_count(
                cells.get("capacity", ""), Shelter._meta.get_field("capacity").verbose_name, "capacity", Shelter
            )
            if capacity is None:
                raise ValidationError(
                    _("%(field)s is required.") % {"field": Shelter._meta.get_field("capacity").verbose_name}
                )
            point = parse_point(cells.get("longitude", ""), cells.get("latitude", ""))
            state = OPEN_WORDS.get(cells.get("state", ""))
            if state is None:
                raise ValidationError(_("State must be 开放 or 关闭, not “%(value)s”.") % {"value": cells["state"]})
            shelters[name] = {
                "row": number,
                "name": name,
                "capacity": capacity,
                "place": _text(cells, "place", Shelter),
                "lng": point["coordinates"][0] if point else None,
                "lat": point["coordinates"][1] if point else None,
                "manager_name": _text(cells, "manager_name", Shelter, required=True),
                "manager_phone": _phone(cells, "manager_phone", Shelter, required=True),
                "facilities": _text(cells, "facilities", Shelter),
                "is_open": state,
            }
        except ValidationError as exc:
            result.errors.append(SheetRowError(SHELTER_SHEET, number, messages_text(exc)))
    nearby = _nearby_shelters(unit)
    households: dict[tuple, dict] = {}
    for number, cells in tables[HOUSEHOLD_SHEET]:
        try:
            households_row = _check_household(cells, categories, zones, shelters, nearby)
            key = (households_row["zone_key"], households_row["head_name"], households_row["address"])
            if key in households:
                raise ValidationError(
                    _("The household of %(name)s at %(address)s is already in row %(row)d.")
                    % {"name": key[1], "address": key[2], "row": households[key]["row"]}
                )
            households_row["row"] = number
            households[key] = households_row
        except ValidationError as exc:
            result.errors.append(SheetRowError(HOUSEHOLD_SHEET, number, messages_text(exc)))
    # A shelter of the village left out of the file is deleted: not while another village's households go there.
    kept = set(shelters)
    for shelter in Shelter.objects.filter(unit=unit).exclude(name__in=kept):
        others = Household.objects.filter(shelter=shelter).exclude(zone__unit=unit)
        if others.exists():
            result.errors.append(
                SheetRowError(
                    SHELTER_SHEET,
                    0,
                    _("Shelter %(name)s is missing from the file but households of other villages go there; keep it.")
                    % {"name": shelter.name},
                )
            )
    return {"zones": zones, "shelters": shelters, "households": households, "nearby": nearby}


def _names(categories: dict[str, HazardCategory]) -> list[str]:
    seen = {}
    for category in categories.values():
        seen.setdefault(category.pk, category.name)
    return list(seen.values())


def _nearby_shelters(unit: GridUnit) -> dict[str, Shelter]:
    """Shelters a household may go to besides the village's own: those of its township and of the
    township's other villages, by "单位/名称"."""
    if unit.parent_id is None:
        return {}
    found = {}
    township_units = GridUnit.objects.filter(pk=unit.parent_id) | unit.parent.get_children().exclude(pk=unit.pk)
    for shelter in Shelter.objects.filter(unit__in=township_units).select_related("unit"):
        found[f"{shelter.unit.name}{SHELTER_OF}{shelter.name}"] = shelter
    return found


def _check_household(cells, categories, zones, shelters, nearby) -> dict:
    head = _text(cells, "head_name", Household, required=True)
    address = _text(cells, "address", Household, required=True)
    category = categories.get(cells.get("category", ""))
    zone_key = (category.pk if category else None, cells.get("zone", ""))
    if zone_key not in zones:
        raise ValidationError(
            _("Danger zone “%(zone)s” (%(category)s) is not on the sheet 危险区.")
            % {"zone": cells.get("zone", ""), "category": cells.get("category", "")}
        )
    label = Household._meta.get_field
    persons = parse_count(cells.get("persons", ""), label("persons").verbose_name, "persons", Household)
    if persons is None:
        raise ValidationError(_("%(field)s is required.") % {"field": label("persons").verbose_name})
    vulnerable = (
        parse_count(cells.get("vulnerable", ""), label("vulnerable").verbose_name, "vulnerable", Household) or 0
    )
    if vulnerable > persons:
        raise ValidationError(
            _("%(vulnerable)d vulnerable persons in a household of %(persons)d: check the figures.")
            % {"vulnerable": vulnerable, "persons": persons}
        )
    shelter_text = cells.get("shelter", "")
    shelter_ref = None
    if shelter_text:
        if shelter_text in shelters:
            shelter_ref = ("own", shelter_text)
        elif shelter_text in nearby:
            shelter_ref = ("nearby", shelter_text)
        else:
            raise ValidationError(
                _(
                    "Shelter “%(name)s” is neither on the sheet 安置点 nor a shelter of the township (write 单位名称/安置点名称)."
                )
                % {"name": shelter_text}
            )
    return {
        "zone_key": zone_key,
        "head_name": head,
        "address": address,
        "phone": _phone(cells, "phone", Household),
        "persons": persons,
        "vulnerable": vulnerable,
        "vulnerable_notes": _text(cells, "vulnerable_notes", Household),
        "cadre_name": _text(cells, "cadre_name", Household, required=True),
        "cadre_phone": _phone(cells, "cadre_phone", Household, required=True),
        "route": _text(cells, "route", Household, required=True, label=label("route").verbose_name),
        "signal": _text(cells, "signal", Household, required=True),
        "shelter_ref": shelter_ref,
    }


ZONE_FIELDS = ("description", "duty_phone")
SHELTER_FIELDS = ("capacity", "place", "lng", "lat", "manager_name", "manager_phone", "facilities", "is_open")
HOUSEHOLD_FIELDS = ("phone", "persons", "vulnerable", "vulnerable_notes", "cadre_name", "cadre_phone", "route",
                    "signal", "shelter")  # fmt: skip


def _save(model, existing, values: dict, names, result: EvacuationImportResult, **keys):
    """Create the row, or update the fields of ``names`` that changed (compared by column, so a
    foreign key costs no query)."""
    columns = {name: model._meta.get_field(name).attname for name in names}
    wanted = {
        name: getattr(values[name], "pk", values[name]) if columns[name] != name else values[name] for name in names
    }
    if existing is None:
        obj = model(**keys, **{columns[name]: wanted[name] for name in names})
        obj._change_reason = _("import")
        obj.save()
        result.created += 1
        return obj
    changed = [name for name in names if getattr(existing, columns[name]) != wanted[name]]
    if not changed:
        result.unchanged += 1
        return existing
    for name in changed:
        setattr(existing, columns[name], wanted[name])
    existing._change_reason = _("import")
    existing.save(update_fields=changed)
    result.updated += 1
    return existing


def _delete(objects, result: EvacuationImportResult) -> None:
    for obj in objects:
        obj._change_reason = _("import")
        obj.delete()
        result.deleted += 1


def _apply(unit: GridUnit, plan: dict, result: EvacuationImportResult) -> None:
    old_zones = {
        (z.category_id, z.name): z for z in DangerZone.objects.select_for_update(of=("self",)).filter(unit=unit)
    }
    old_households = {
        ((h.zone.category_id, h.zone.name), h.head_name, h.address): h
        for h in Household.objects.select_for_update(of=("self",)).select_related("zone").filter(zone__unit=unit)
    }
    old_shelters = {s.name: s for s in Shelter.objects.select_for_update(of=("self",)).filter(unit=unit)}
    _delete([h for key, h in old_households.items() if key not in plan["households"]], result)
    zones = {
        key: _save(
            DangerZone,
            old_zones.get(key),
            values,
            ZONE_FIELDS,
            result,
            unit=unit,
            category=values["category"],
            name=values["name"],
        )  # fmt: skip
        for key, values in plan["zones"].items()
    }
    shelters = {
        name: _save(Shelter, old_shelters.get(name), values, SHELTER_FIELDS, result, unit=unit, name=name)
        for name, values in plan["shelters"].items()
    }
    for key, values in plan["households"].items():
        ref = values["shelter_ref"]
        values["shelter"] = None if ref is None else (shelters if ref[0] == "own" else plan["nearby"])[ref[1]]
        _save(Household, old_households.get(key), values, HOUSEHOLD_FIELDS, result, zone=zones[values["zone_key"]],
              head_name=values["head_name"], address=values["address"])  # fmt: skip
    _delete([z for key, z in old_zones.items() if key not in plan["zones"]], result)
    _delete([s for name, s in old_shelters.items() if name not in plan["shelters"]], result)
