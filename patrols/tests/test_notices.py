"""The daily compliance job tells the township and its villages of yesterday's missed windows once."""

import datetime

import pytest
from django.utils import timezone

from delivery.models import Delivery, Document
from patrols import services
from patrols.models import ComplianceNotice

pytestmark = pytest.mark.django_db


def test_the_daily_job_tells_township_and_villages_once(world, django_assert_max_num_queries):
    today = datetime.date(2026, 11, 18)  # yesterday, 17 November, ends a window? find one that does
    told = 0
    for shift in range(6):
        day = today + datetime.timedelta(days=shift)
        told += services.compliance_notify(today=day)
    assert told >= 1
    notice = ComplianceNotice.objects.filter(unit=world.township).first()
    assert notice is not None and notice.document.kind == Document.Kind.NOTICE
    recipients = set(Delivery.objects.filter(document=notice.document).values_list("recipient_unit_id", flat=True))
    assert world.township.pk in recipients and world.village_a.pk in recipients
    count = Document.objects.count()
    for shift in range(6):
        services.compliance_notify(today=today + datetime.timedelta(days=shift))
    assert Document.objects.count() == count


def test_the_task_runs_the_service(world):
    from patrols.tasks import patrol_compliance_notices

    assert patrol_compliance_notices.run() >= 0
    assert timezone.localdate()
