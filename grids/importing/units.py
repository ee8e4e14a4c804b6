"""Importing grid units: every row checked (placement, codes, scope) before any is saved."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids import rules
from grids.importing.reading import (
    KIND_BY_LABEL,
    LABEL_BY_KIND,
    FileError,
    ImportResult,
    RowError,
    messages_text,
    parse_active,
    parse_count,
    parse_point,
    read_rows,
)
from grids.models import GridUnit, User
from grids.rules import Kind
from grids.scope import Action, forget_scope, is_administrator, scope_for


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
            result.errors.append(RowError(number, messages_text(exc)))
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
        "population": parse_count(cells.get("population", ""), _("population"), "population"),
        "households": parse_count(cells.get("households", ""), _("households"), "households"),
        "address": cells.get("address", ""),
        "location": parse_point(cells.get("longitude", ""), cells.get("latitude", "")),
        "is_active": parse_active(cells.get("is_active", "")),
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
