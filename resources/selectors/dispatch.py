""" "Who can I send?": for a point (or a unit's location) and a hazard category or incident type,
the nearest ready teams with their headcount and equipment, the experts for it, and the nearest
usable stock (``supplies.selectors.nearest``). A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from core.geo import distance_km
from resources import access
from resources.models import Expert, Team, TeamEquipment
from resources.selectors.teams import with_strength
from supplies.selectors.nearest import nearest_usable

TEAMS = 10
EXPERTS = 10
STOCK = 10


@dataclass
class Answer:
    lat: float | None
    lng: float | None
    teams: list = field(default_factory=list)
    experts: list = field(default_factory=list)
    stock: list = field(default_factory=list)


def point_of(unit) -> tuple[float, float] | None:
    """A unit's location (GeoJSON point) as (lat, lng), or the centre of its boundary's box."""
    if unit.location and unit.location.get("type") == "Point":
        lng, lat = unit.location["coordinates"][:2]
        return float(lat), float(lng)
    if unit.boundary:
        from shapely.geometry import shape

        centre = shape(unit.boundary).centroid
        return centre.y, centre.x
    return None


def who_can_i_send(user, *, lat: float | None, lng: float | None, category=None, incident_type=None) -> Answer:
    answer = Answer(lat=lat, lng=lng)
    seen_teams = access.visible_teams(user)  # the scope's filter, built once (one query of its top units)
    teams = (
        seen_teams.filter(is_active=True, readiness=Team.Readiness.READY)
        .select_related("unit")
        .annotate(member_count=Count("members", distinct=True))
        .prefetch_related(
            "specialities", Prefetch("equipment", queryset=TeamEquipment.objects.select_related("item", "depot"))
        )
    )
    matching = Q()
    if category is not None:
        matching |= Q(specialities__hazard_categories=category)
    if incident_type is not None:
        matching |= Q(specialities__incident_types=incident_type)
    if category is not None or incident_type is not None:
        teams = teams.filter(pk__in=seen_teams.filter(matching).values("pk"))
    listed = with_strength(list(teams))
    for team in listed:
        team.distance_km = (
            round(distance_km(lat, lng, team.lat, team.lng), 1) if None not in (lat, lng, team.lat, team.lng) else None
        )
    listed.sort(key=lambda t: (t.distance_km is None, t.distance_km or 0, t.name))
    answer.teams = listed[:TEAMS]
    seen_experts = access.visible_experts(user)
    experts = seen_experts.filter(is_active=True).exclude(availability=Expert.Availability.AWAY)
    expert_match = Q()
    if category is not None:
        expert_match |= Q(hazard_categories=category)
    if incident_type is not None:
        expert_match |= Q(incident_types=incident_type)
    if category is not None or incident_type is not None:
        experts = experts.filter(pk__in=seen_experts.filter(expert_match).values("pk"))
    answer.experts = list(
        experts.select_related("unit")
        .order_by("availability", "name", "pk")
        .prefetch_related("hazard_categories")[:EXPERTS]
    )
    if lat is not None and lng is not None:
        answer.stock = nearest_usable(user, lat=lat, lng=lng, limit=STOCK)
    return answer


def map_features(answer: Answer) -> dict:
    """The page's map data (through ``json_script``): the point, the teams and the depots."""
    points = []
    for team in answer.teams:
        if team.lat is not None and team.lng is not None:
            points.append({"kind": "team", "lat": team.lat, "lng": team.lng, "label": team.name, "id": team.pk})
    seen = set()
    for row in answer.stock:
        depot = row["depot"]
        if depot.pk not in seen:
            seen.add(depot.pk)
            points.append({"kind": "depot", "lat": depot.lat, "lng": depot.lng, "label": depot.name, "id": depot.pk})
    centre = {"lat": answer.lat, "lng": answer.lng} if answer.lat is not None else None
    return {"centre": centre, "points": points}
