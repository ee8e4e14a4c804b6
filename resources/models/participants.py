"""A team or an expert recorded on an incident, a consultation or a plan (its review)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dispatch.models import Incident
from plans.models import Plan
from reports.models import Consultation
from resources.models.experts import Expert
from resources.models.teams import Team

ONE_TARGET = (
    Q(incident__isnull=False, consultation__isnull=True, plan__isnull=True)
    | Q(incident__isnull=True, consultation__isnull=False, plan__isnull=True)
    | Q(incident__isnull=True, consultation__isnull=True, plan__isnull=False)
)


class Participant(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="participations")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, null=True, blank=True, related_name="participations")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, expert__isnull=True) | Q(team__isnull=True, expert__isnull=False),
                name="resources_participant_team_or_expert",
            ),
            models.CheckConstraint(condition=ONE_TARGET, name="resources_participant_one_target"),
            *[
                models.UniqueConstraint(
                    fields=[who, target],
                    condition=Q(**{f"{who}__isnull": False, f"{target}__isnull": False}),
                    name=f"resources_participant_{who}_{target}_once",
                )
                for who in ("team", "expert")
                for target in ("incident", "consultation", "plan")
            ],  # fmt: skip
        ]

    def __str__(self) -> str:
        return str(self.team or self.expert)
