"""Delivery between tiers: one design for up (reports), down (warnings) and across (departments).
A unit sends a ``Document``; each recipient (a unit, or a county department) gets a ``Delivery`` in
its inbox, reads it and receipts it (签收); its people get an e-mail through the outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ComposedTexts
from grids.models import Department, GridUnit


class Document(ComposedTexts):
    """Something one unit sends to others: a report, a consultation result, a warning, a filing."""

    class Kind(models.TextChoices):
        MONTHLY_REPORT = "monthly_report", _("Monthly hazard report")
        CONSULTATION = "consultation", _("Trend analysis and countermeasure report")
        WARNING = "warning", _("Warning")
        INCIDENT = "incident", _("Incident report")
        NOTICE = "notice", _("Notice")
        PLAN_FILING = "plan_filing", _("Plan filing")
        HAZARD_COPY = "hazard_copy", _("Hazard copied to a department")
        DRILL_PLAN = "drill_plan", _("Annual drill plan")
        DRILL_ALARM = "drill_alarm", _("Drill alarm")
        DRILL_NOTICE = "drill_notice", _("Drill notice")
        PLAN_CLOCK = "plan_clock", _("Plan deadline notice")
        SUPPLY_TRANSFER = "supply_transfer", _("Supply transfer")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sender_unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, related_name="sent_documents", verbose_name=_("from")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True, help_text=_("Where the full document is read."))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """A document in one recipient's inbox: a unit (its people read it) or a county department."""

    class State(models.TextChoices):
        DELIVERED = "delivered", _("Unread")
        READ = "read", _("Read")
        RECEIPTED = "receipted", _("Receipted")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="deliveries")
    recipient_unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="inbox")
    recipient_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="inbox"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DELIVERED)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipted_at = models.DateTimeField(_("receipted"), null=True, blank=True)
    receipted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    emailed = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    parent_told_at = models.DateTimeField(_("parent told"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-document__sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_unit__isnull=False, recipient_department__isnull=True)
                | Q(recipient_unit__isnull=True, recipient_department__isnull=False),
                name="delivery_one_recipient",
            ),
            models.UniqueConstraint(fields=["document", "recipient_unit"], name="delivery_unique_unit"),
            models.UniqueConstraint(fields=["document", "recipient_department"], name="delivery_unique_department"),
        ]
        indexes = [models.Index(fields=["recipient_unit", "state"])]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.recipient_unit_id or self.recipient_department_id}"


class TextMessage(models.Model):
    """One text message (or voice call) to one person's phone about a delivery (or a village's
    missing 平安 report): queued, sent to the gateway, delivered to the phone or failed. ``key`` is
    unique (the delivery, the escalation step and the person), so a job that runs twice sends once."""

    class Kind(models.TextChoices):
        SMS = "sms", _("Text message")
        CALL = "call", _("Voice call")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.SMS)
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, null=True, blank=True, related_name="text_messages"
    )
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    phone = models.CharField(_("mobile number"), max_length=20)
    text = models.CharField(_("text"), max_length=500)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    gateway_id = models.CharField(max_length=100, blank=True, db_index=True)
    error = models.CharField(max_length=300, blank=True)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.phone}: {self.get_state_display()}"
