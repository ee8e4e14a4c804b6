"""Keeping teams, their members and equipment, and experts: each change scoped, under a row lock,
with its history (simple_history)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids.models import GridUnit, User
from resources import access
from resources.models import Expert, Team, TeamEquipment, TeamMember

TEAM_FIELDS = (
    "name", "unit", "kind", "force", "on_duty", "readiness", "base_address", "lng", "lat",
    "leader_name", "leader_phone", "duty_phone", "note",
)  # fmt: skip
EXPERT_FIELDS = ("name", "unit", "speciality", "employer", "title", "phone", "phone_2", "availability", "note")


def _check_unit(by: User, unit: GridUnit) -> None:
    if not access.may_edit(by, unit):
        raise access.refuse_edit()


def _full_clean(obj, exclude=()) -> None:
    obj.full_clean(exclude=list(exclude), validate_unique=True)


@transaction.atomic
def team_save(*, by: User, data: dict[str, Any], team: Team | None = None) -> Team:
    """Create a team (``team`` None) or change one: its fields and specialities. The keeping unit's
    people (``resources.edit``) only; a team moved to another unit needs the right there too."""
    if team is not None:
        _check_unit(by, team.unit)
        team = Team.objects.select_for_update(of=("self",)).get(pk=team.pk)
    else:
        team = Team()
    for name in TEAM_FIELDS:
        if name in data:
            setattr(team, name, data[name])
    _check_unit(by, team.unit)
    _full_clean(team)
    team._change_reason = _("changed by %(name)s") % {"name": by}
    team.save()
    if "specialities" in data:
        team.specialities.set(data["specialities"])
    return team


@transaction.atomic
def team_set_readiness(*, team: Team, by: User, readiness: str, on_duty: int | None = None) -> Team:
    """The duty desk's quick change: readiness (and the headcount on duty)."""
    _check_unit(by, team.unit)
    team = Team.objects.select_for_update(of=("self",)).get(pk=team.pk)
    if readiness not in Team.Readiness.values:
        raise ValidationError({"readiness": _("Unknown readiness.")})
    team.readiness = readiness
    fields = ["readiness"]
    if on_duty is not None:
        team.on_duty = on_duty
        fields.append("on_duty")
    team.save(update_fields=fields)
    return team


@transaction.atomic
def member_add(
    *, team: Team, by: User, name: str, role: str, phone: str = "", person: User | None = None
) -> TeamMember:
    _check_unit(by, team.unit)
    Team.objects.select_for_update(of=("self",)).get(pk=team.pk)
    if person is not None and TeamMember.objects.filter(team=team, person=person).exists():
        raise ValidationError(_("%(name)s is already a member of this team.") % {"name": person})
    member = TeamMember(
        team=team, name=name or (person.real_name if person else ""), role=role, phone=phone, person=person
    )
    if person is not None and not member.phone:
        member.phone = person.mobile or ""
    _full_clean(member)
    member.save()
    return member


@transaction.atomic
def member_remove(*, member: TeamMember, by: User) -> None:
    _check_unit(by, member.team.unit)
    Team.objects.select_for_update(of=("self",)).get(pk=member.team_id)
    member.delete()


@transaction.atomic
def equipment_set(*, team: Team, by: User, item, quantity: int, depot=None) -> TeamEquipment | None:
    """Set how many of ``item`` the team holds (0 removes the line), and in which depot."""
    _check_unit(by, team.unit)
    Team.objects.select_for_update(of=("self",)).get(pk=team.pk)
    if depot is not None and not depot.unit.contains(team.unit) and not team.unit.contains(depot.unit):
        raise ValidationError({"depot": _("The depot must be one of the team's unit line.")})
    if quantity <= 0:
        TeamEquipment.objects.filter(team=team, item=item).delete()
        return None
    line, _created = TeamEquipment.objects.update_or_create(
        team=team, item=item, defaults={"quantity": quantity, "depot": depot}
    )
    return line


@transaction.atomic
def expert_save(*, by: User, data: dict[str, Any], expert: Expert | None = None) -> Expert:
    """Create or change an expert of the library, with their hazard categories and incident types."""
    if expert is not None:
        _check_unit(by, expert.unit)
        expert = Expert.objects.select_for_update(of=("self",)).get(pk=expert.pk)
    else:
        expert = Expert()
    for name in EXPERT_FIELDS:
        if name in data:
            setattr(expert, name, data[name])
    _check_unit(by, expert.unit)
    _full_clean(expert)
    expert.save()
    if "hazard_categories" in data:
        expert.hazard_categories.set(data["hazard_categories"])
    if "incident_types" in data:
        expert.incident_types.set(data["incident_types"])
    return expert
