"""What plans adds to a warning's page (dispatch reads it through ``core.registry``, registered in
``plans.apps``): the village's evacuation list for the warning's hazard categories (the rule table
``EvacuationTrigger``), and a remark when the people reported evacuated exceed that list."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.registry import WarningLink
from plans import access
from plans.selectors import evacuation as selectors


def warning_links(user, warning, units: list) -> list[WarningLink]:
    """For each of the person's own villages that received the warning: a link to its list of each
    of the warning's categories it has zones for (two queries)."""
    categories = selectors.categories_of_warning(warning)
    zones = selectors.zones_for_units(units, [c.pk for c in categories])
    links = []
    for unit in units:
        seen = []
        for zone in zones.get(unit.pk, []):
            if zone.category_id in seen:
                continue
            seen.append(zone.category_id)
            url = (
                reverse("plans:evacuation_village", args=[unit.pk]) + "?" + urlencode({"category": zone.category.code})
            )
            label = _("Evacuation list of %(unit)s: %(category)s") % {
                "unit": unit.name,
                "category": zone.category.display_name,
            }
            links.append(WarningLink(label=label, url=url))
    return links


def evacuation_check(warning, figures: dict) -> dict[int, list[str]]:
    """``{unit id: [remark]}`` for each unit whose reported evacuated exceed the persons on its
    lists (a village's own, a township's villages') of the warning's categories."""
    categories = selectors.categories_of_warning(warning)
    if not categories:
        return {}
    listed = selectors.listed_persons(list(figures), [c.pk for c in categories])
    names = "、".join(c.name.split("（")[0] for c in categories)
    remarks = {}
    for unit, evacuated in figures.items():
        if evacuated > listed.get(unit.pk, 0):
            remarks[unit.pk] = [
                _(
                    "%(reported)d people reported evacuated in %(unit)s, more than the %(listed)d on its evacuation "
                    "lists (%(categories)s). Please check them; a real evacuation may exceed the list (visitors, "
                    "people outside the zones), so the figures are kept as reported."
                )
                % {"reported": evacuated, "unit": unit.name, "listed": listed.get(unit.pk, 0), "categories": names}
            ]
    return remarks


def danger_zone_layer(user) -> dict | None:
    """The risk map's overlay of the danger zones in the person's scope (one query)."""
    zones = access.visible_zones(user).filter(boundary__isnull=False).select_related("category", "unit")
    features = [
        {
            "type": "Feature",
            "geometry": zone.boundary,
            "properties": {"name": f"{zone.unit.name} · {zone.name}（{zone.category.display_name}）"},
        }
        for zone in zones.order_by("unit__tree_id", "unit__lft", "name")
    ]
    return {"label": _("Danger zones (evacuation lists)"), "kind": "areas", "features": features} if features else None


def shelter_layer(user) -> dict | None:
    """The risk map's overlay of the open shelters in the person's scope (one query)."""
    shelters = access.visible_shelters(user).filter(is_open=True).exclude(lat=None).exclude(lng=None)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [shelter.lng, shelter.lat]},
            "properties": {
                "name": _("Shelter %(name)s, %(capacity)d persons")
                % {"name": shelter.name, "capacity": shelter.capacity}
            },
        }
        for shelter in shelters.order_by("name")
    ]
    return {"label": _("Shelters"), "kind": "points", "features": features} if features else None
