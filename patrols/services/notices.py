"""The daily compliance job: each township with villages that missed a patrol window ending
yesterday is told once, with those villages told too, through the delivery mechanism (a notice in
their inboxes). The key is ``ComplianceNotice(unit, day)``: it is inserted first, so a rerun or a
second worker sends nothing twice."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.texts import ref
from delivery.models import Document
from delivery.services import send_documents
from grids.models import GridUnit
from patrols import selectors
from patrols.models import ComplianceNotice


def compliance_notify(*, today: datetime.date | None = None) -> int:
    """Tell each township (and its villages concerned) of the patrol windows missed that ended
    yesterday. Returns the number of townships told."""
    today = today or timezone.localdate()
    day = today - datetime.timedelta(days=1)
    told = 0
    for township in GridUnit.objects.filter(level=1, is_active=True).order_by("tree_id", "lft"):
        # windows ending yesterday: look back far enough to see a whole window
        table = selectors.compliance(township, day - datetime.timedelta(days=31), day, today, routes=False)
        missed = [row for row in table.villages if any(w.end == day for w in row.missed_windows)]
        if not missed:
            continue
        try:
            with transaction.atomic():
                notice = ComplianceNotice.objects.create(unit=township, day=day, missed=len(missed))
                names = "、".join(row.unit.name for row in missed)  # unit names: Chinese in every language
                title = ref("patrols.missed", day=day.isoformat(), names=names)
                body = ref("patrols.missed_body")
                document = Document(
                    sender_unit=township.parent or township, kind=Document.Kind.NOTICE, title=title["text"][:200],
                    body=body["text"], url=reverse("patrols:compliance", args=[township.pk]),
                    texts={"title": title, "body": body},
                )  # fmt: skip
                send_documents([(document, [township, *(row.unit for row in missed)], [])])
                notice.document = document
                notice.save(update_fields=["document"])
        except IntegrityError:
            continue  # told already
        told += 1
    return told
