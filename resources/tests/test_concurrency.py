"""Two workers escalating the same roll call at once escalate each unanswered entry once, with one
notice per unit (PostgreSQL: row locks)."""

import datetime
import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection, connections
from django.utils import timezone

from delivery.models import Document
from resources.models import RollCallEntry
from resources.services import rollcalls

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def seeded_world():
    for module in ("grids.migrations.0002_seed_sectors", "resources.migrations.0002_seed_rules"):
        importlib.import_module(module).seed(apps, None)
    from grids.tests.factories import build_world

    return build_world()


def test_two_workers_escalate_each_entry_once():
    world = seeded_world()
    roll_call = rollcalls.roll_call_start(by=world.county_dispatcher, unit=world.county)
    unanswered = roll_call.entries.count()
    later = timezone.now() + datetime.timedelta(hours=1)
    counts, errors = [], []
    barrier = threading.Barrier(2)

    def work():
        try:
            barrier.wait()
            counts.append(rollcalls.escalate_due(now=later))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(counts) == unanswered
    assert RollCallEntry.objects.filter(roll_call=roll_call, escalated_at__isnull=True).count() == 0
    titles = list(Document.objects.filter(title__startswith="点名未应答").values_list("title", flat=True))
    titles += list(Document.objects.filter(title__startswith="Unanswered").values_list("title", flat=True))
    names = [name for title in titles for name in title.split("：", 1)[-1].split("、")]
    assert len(names) == len(set(names)) == unanswered
