"""The daily drill notices in English mode (issue 17 item 13): stored in Chinese, composed in the
reader's language in the inbox."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from delivery.models import Document
from drills import services
from drills.tests.test_services import drill, held


def test_an_overdue_finding_notice_follows_the_language(world):
    today = timezone.localdate()
    d = drill(world)
    held(world, d)
    services.finding_add(
        drill=d, by=world.township_officer, kind="equipment", description="对讲机电量不足",
        owner_unit=world.village_a, deadline=today,
    )  # fmt: skip
    with translation.override("en"):
        services.flag_due(today=today + datetime.timedelta(days=1))
    document = Document.objects.get(kind=Document.Kind.DRILL_NOTICE, deliveries__recipient_unit=world.village_a)
    with translation.override("zh-hans"):
        assert document.shown.title == document.title
        assert "对讲机电量不足" in document.title and "Drill" not in document.title
    with translation.override("en"):
        assert document.shown.title == "Drill finding overdue: 对讲机电量不足"
