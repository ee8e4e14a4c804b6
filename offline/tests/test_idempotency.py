"""A resend of the same key never doubles: the service checks the key inside its transaction."""

import uuid

import pytest
from django.db import connection
from django.urls import reverse

from core.models import UsedKey
from grids.tests.concurrency import run_together
from grids.tests.factories import build_world
from hazards import services
from hazards.models import HazardEvent, HazardPhoto, State
from hazards.tests.factories import photo, rectifying


@pytest.mark.django_db
def test_evidence_sent_twice_with_one_key_is_recorded_once():
    world = build_world()
    hazard = rectifying(world)
    key = uuid.uuid4()
    for _ in range(2):
        result = services.hazard_submit_evidence(
            hazard=hazard, by=world.village_officer_a, note="已清理", photos=[photo()], client_key=key
        )
        assert result.pk == hazard.pk
    hazard.refresh_from_db()
    assert hazard.state == State.AWAITING_ACCEPTANCE
    assert HazardEvent.objects.filter(hazard=hazard, action="evidence").count() == 1
    assert HazardPhoto.objects.filter(hazard=hazard, kind="evidence").count() == 1
    assert UsedKey.objects.filter(key=key).count() == 1


@pytest.mark.django_db
def test_the_evidence_page_answers_a_resend_as_already_received(client):
    world = build_world()
    hazard = rectifying(world)
    client.force_login(world.village_officer_a)
    url = reverse("hazards:act", args=[hazard.pk, "evidence"])
    key = str(uuid.uuid4())
    first = client.post(url, {"evidence-client_key": key, "evidence-note": "已清理", "evidence-photos": [photo()]})
    assert first.status_code == 302
    again = client.post(
        url, {"evidence-client_key": key, "evidence-note": "已清理", "evidence-photos": [photo()]}, follow=True
    )
    assert again.status_code == 200
    assert "已经收到" in again.content.decode() or "already received" in again.content.decode()
    assert HazardEvent.objects.filter(hazard=hazard, action="evidence").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_resends_at_once_write_once():
    world = build_world()
    hazard = rectifying(world)
    key = uuid.uuid4()

    def send():
        return services.hazard_submit_evidence(
            hazard=hazard, by=world.village_officer_a, note="已清理", photos=[photo()], client_key=key
        )

    outcomes = run_together(send, send)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert HazardEvent.objects.filter(hazard=hazard, action="evidence").count() == 1
    assert HazardPhoto.objects.filter(hazard=hazard, kind="evidence").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_hazard_reports_with_one_key_at_once_make_one_hazard():
    from hazards.models import Hazard
    from hazards.tests.factories import category

    world = build_world()
    key = uuid.uuid4()
    kind = category("geological")

    def send():
        return services.hazard_report(
            by=world.village_officer_a, unit=world.village_a, category=kind, title="山体裂缝", client_key=key
        )

    outcomes = run_together(send, send)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert Hazard.objects.filter(client_key=key).count() == 1
