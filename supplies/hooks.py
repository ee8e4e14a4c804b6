"""What supplies adds to lower apps' pages through ``core.registry``: the depots as an overlay of
the risk map (one query)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from supplies import access


def depot_layer(user) -> dict | None:
    """The risk map's overlay of the located depots in the person's scope."""
    depots = (
        access.visible_depots(user)
        .filter(is_active=True, lat__isnull=False, lng__isnull=False)
        .select_related("unit")
        .order_by("unit__tree_id", "unit__lft", "name")
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [depot.lng, depot.lat]},
            "properties": {
                "name": _("Supply depot %(name)s (%(unit)s)") % {"name": depot.name, "unit": depot.unit.name}
            },
        }
        for depot in depots
    ]
    return {"label": _("Supply depots"), "kind": "points", "features": features} if features else None
