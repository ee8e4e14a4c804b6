"""Teams with their strength against the rule table, and the search of experts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from resources import access
from resources.models import Expert, StrengthRule, Team, TeamEquipment


@dataclass(frozen=True)
class Strength:
    members: int
    on_duty: int
    min_members: int
    min_on_duty: int

    @property
    def below(self) -> bool:
        return self.members < self.min_members or self.on_duty < self.min_on_duty


def strength_rules() -> dict[str, StrengthRule]:
    return {rule.kind: rule for rule in StrengthRule.objects.all()}


def with_strength(teams, rules: dict[str, StrengthRule] | None = None) -> list[Team]:
    """Set ``team.strength`` on each team (annotated with ``member_count``), from the rules."""
    rules = strength_rules() if rules is None else rules
    for team in teams:
        rule = rules.get(team.kind)
        team.strength = Strength(
            members=team.member_count, on_duty=team.on_duty,
            min_members=rule.min_members if rule else 0, min_on_duty=rule.min_on_duty if rule else 0,
        )  # fmt: skip
    return teams


def team_list(
    user, *, unit=None, kind: str = "", speciality=None, below_only: bool = False, text: str = ""
) -> list[Team]:
    """The teams the person sees (active), with their strength; those below it first when asked.
    Three queries whatever the number of teams."""
    teams: QuerySet[Team] = (
        access.visible_teams(user)
        .filter(is_active=True)
        .select_related("unit")
        .prefetch_related("specialities")
        .annotate(member_count=Count("members", distinct=True))
    )
    if unit is not None:
        teams = teams.filter(unit=unit)
    if kind:
        teams = teams.filter(kind=kind)
    if speciality is not None:
        teams = teams.filter(specialities=speciality)
    if text:
        teams = teams.filter(Q(name__icontains=text) | Q(leader_name__icontains=text))
    listed = with_strength(list(teams))
    if below_only:
        listed = [t for t in listed if t.strength.below]
    return listed


def team_detail(team: Team) -> Team:
    team = (
        Team.objects.filter(pk=team.pk)
        .select_related("unit")
        .prefetch_related(
            "specialities",
            "members__person",
            Prefetch("equipment", queryset=TeamEquipment.objects.select_related("item", "depot")),
        )
        .annotate(member_count=Count("members", distinct=True))
        .get()
    )
    return with_strength([team])[0]


def search_experts(user, *, category=None, incident_type=None, text: str = "", available_only: bool = False):
    """The experts the person sees, by hazard category, incident type or words (name, speciality,
    employer); two queries with their categories."""
    experts = access.visible_experts(user).filter(is_active=True).select_related("unit")
    if category is not None:
        experts = experts.filter(hazard_categories=category)
    if incident_type is not None:
        experts = experts.filter(incident_types=incident_type)
    if text:
        experts = experts.filter(Q(name__icontains=text) | Q(speciality__icontains=text) | Q(employer__icontains=text))
    if available_only:
        experts = experts.filter(availability=Expert.Availability.AVAILABLE)
    return experts.distinct().prefetch_related("hazard_categories")
