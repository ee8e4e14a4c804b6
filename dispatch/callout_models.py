"""叫应 and 无事报平安: the escalation ladder (a rule table per subject), each step taken for a delivery
or a village's missing day (``Escalation``, unique per subject and step, with the dispatcher's record
of the call), and the villages' daily 平安 (``SafeReport``). Imported by ``dispatch.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grids.models import GridUnit


class EscalationRule(models.Model):
    """How long after a red or orange warning was delivered (or after the 平安 cut-off) a unit that
    has not answered gets a text to its officers, then one to its leader, then goes on the
    township dispatcher's call list. Counties edit the minutes."""

    class Subject(models.TextChoices):
        RED = "red", _("Red warning")
        ORANGE = "orange", _("Orange warning")
        SAFE_REPORT = "safe", _("Daily safety report")

    subject = models.CharField(_("for"), max_length=6, choices=Subject.choices, unique=True)
    officer_after_minutes = models.PositiveIntegerField(_("text the officers after (minutes)"))
    leader_after_minutes = models.PositiveIntegerField(_("text the leader after (minutes)"))
    call_after_minutes = models.PositiveIntegerField(_("put on the call list after (minutes)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        ordering = ["subject"]
        constraints = [
            models.CheckConstraint(
                condition=Q(leader_after_minutes__gte=models.F("officer_after_minutes"))
                & Q(call_after_minutes__gte=models.F("leader_after_minutes")),
                name="escalation_rule_in_order",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_subject_display()}: {self.officer_after_minutes} / {self.leader_after_minutes}"
            f" / {self.call_after_minutes} min"
        )


class Escalation(models.Model):
    """One step of the ladder taken for one unit that had not answered: a warning's delivery, or a
    village's missing 平安 of one day. The call step is a row of the township's call list, where
    the dispatcher records how the call went."""

    class Step(models.IntegerChoices):
        OFFICER = 1, _("Text to the officers")
        LEADER = 2, _("Text to the leader")
        CALL = 3, _("Telephone call")

    class Answer(models.TextChoices):
        ANSWERED = "answered", _("Answered: they will act")
        NO_ANSWER = "no_answer", _("No answer")
        UNREACHABLE = "unreachable", _("Number unreachable or wrong")

    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    delivery = models.ForeignKey("delivery.Delivery", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    day = models.DateField(_("day"), null=True, blank=True, help_text=_("The day of a missing safety report."))
    at = models.DateTimeField(_("escalated"))
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "step"], name="escalation_once_per_delivery_step"),
            models.UniqueConstraint(
                fields=["unit", "day", "step"], condition=Q(delivery__isnull=True), name="escalation_once_per_day_step"
            ),
            models.CheckConstraint(
                condition=Q(delivery__isnull=False) | Q(day__isnull=False), name="escalation_has_a_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.get_step_display()}"


class SafeReport(models.Model):
    """A village's daily answer in the seasons and while a warning is in force: 平安 (nothing to
    report) or a short report of what is wrong. One per village and day."""

    class State(models.TextChoices):
        SAFE = "safe", _("All safe")
        REPORT = "report", _("Something to report")

    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    day = models.DateField(_("day"))
    state = models.CharField(_("answer"), max_length=6, choices=State.choices, default=State.SAFE)
    note = models.CharField(_("what to report"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("daily safety report")
        verbose_name_plural = _("daily safety reports")
        ordering = ["-day", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="safe_report_once_a_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.get_state_display()}"
