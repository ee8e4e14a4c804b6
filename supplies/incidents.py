"""What supplies adds to an incident's page (``core.registry.register_incident_section``): the
goods issued to the incident from the depots the person sees. Two queries at most."""

from __future__ import annotations

from supplies import access


def incident_supplies(user, incident) -> dict | None:
    movements = list(
        access.visible_movements(user)
        .filter(incident=incident)
        .select_related("item", "depot", "by")
        .order_by("at", "id")
    )
    if not movements:
        return None
    totals: dict[int, list] = {}
    for m in movements:
        totals.setdefault(m.item_id, [m.item, 0])[1] += -m.quantity
    return {"movements": movements, "totals": [{"item": item, "quantity": n} for item, n in totals.values()]}
