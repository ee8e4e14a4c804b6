"""Importing people and their roles: every row checked (mobile, unit, role, department, scope)
before any is saved."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids import rules
from grids.importing.reading import ROLE_BY_LABEL, FileError, ImportResult, RowError, messages_text, read_rows
from grids.models import Department, GridUnit, Membership, Role, User
from grids.scope import Action, forget_scope, is_administrator, scope_for


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
            result.errors.append(RowError(number, messages_text(exc)))
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
