"""What resources adds to the pages of lower apps (registered in ``apps.py``): on an incident, a
consultation and a plan (its review), the teams and experts recorded on it, the link to "who can
I send" with the incident's point and type, and the form to record another. Two queries."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from resources import access
from resources.models import Participant
from resources.selectors.dispatch import point_of


def participants_section(place: str):
    def build(user, obj) -> dict | None:
        participants = list(
            Participant.objects.filter(**{place: obj}).select_related("team__unit", "expert").order_by("added_at", "pk")
        )
        may_assign = access.may_assign(user, obj.unit)
        if not participants and not may_assign:
            return None
        query = {"place": place, "target": obj.pk}
        if place == "incident":
            point = (obj.lat, obj.lng) if obj.lat is not None and obj.lng is not None else point_of(obj.unit)
            if point:
                query |= {"lat": f"{point[0]:.5f}", "lng": f"{point[1]:.5f}"}
            query["incident_type"] = obj.type_id
        return {
            "place": place,
            "target": obj,
            "participants": participants,
            "may_assign": may_assign,
            "dispatch_url": f"{reverse('resources:dispatch')}?{urlencode(query)}",
            "remove_url": reverse("resources:participant_remove"),
        }

    return build
