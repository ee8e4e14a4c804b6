"""Opening an inbox entry marks it read only for the recipient's own people: an administrator or
a person of a higher tier reading it leaves the recipient's unread badge as it was."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from delivery.models import Delivery, Document
from delivery.services import delivery_read, inbox_for, send_document


@pytest.fixture
def to_village_a(world) -> Delivery:
    document = send_document(
        sender_unit=world.township, kind=Document.Kind.NOTICE, title="防汛通知", to_units=[world.village_a]
    )
    return Delivery.objects.get(document=document)


def unread_of(user) -> int:
    return inbox_for(user).filter(state=Delivery.State.DELIVERED).count()


def test_administrator_opening_a_villages_delivery_leaves_it_unread(world, client_for, to_village_a):
    response = client_for(world.admin).get(reverse("delivery:delivery_open", args=[to_village_a.pk]))
    assert response.status_code == 302
    to_village_a.refresh_from_db()
    assert (to_village_a.state, to_village_a.read_at, to_village_a.read_by) == (Delivery.State.DELIVERED, None, None)
    assert unread_of(world.village_officer_a) == 1


def test_village_officer_opening_it_marks_it_read(world, client_for, to_village_a):
    client_for(world.village_officer_a).get(reverse("delivery:delivery_open", args=[to_village_a.pk]))
    to_village_a.refresh_from_db()
    assert (to_village_a.state, to_village_a.read_by) == (Delivery.State.READ, world.village_officer_a)
    assert unread_of(world.village_officer_a) == 0


def test_higher_tier_reading_leaves_it_unread(world, to_village_a):
    with pytest.raises(PermissionDenied):
        delivery_read(delivery=to_village_a, by=world.township_officer)
    assert delivery_read(delivery=to_village_a, by=world.admin).state == Delivery.State.DELIVERED
    to_village_a.refresh_from_db()
    assert to_village_a.state == Delivery.State.DELIVERED
