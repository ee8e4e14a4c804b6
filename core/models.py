"""The transactional outbox: work for the Celery worker, written in the transaction of the change
that asks for it, so that the change and its follow-up commit (or roll back) together."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One queued job (a Celery task by name with its JSON arguments) or one batch of e-mails.

    ``sent_at`` stays empty until the work has left: a job when the broker accepted it, e-mails
    when the mail server did. ``core.services.sweep`` (every minute) picks up rows left unsent
    after a short grace period — the broker was down at commit time, or the worker died."""

    class Kind(models.TextChoices):
        TASK = "task", _("Background job")
        EMAIL = "email", _("E-mail")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TASK)
    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="core_outbox_unsent_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"


# The unit is named, not imported: core sits below grids in the layer order (docs/architecture.md).
class JobFailure(models.Model):
    """A background job that failed, for administrators: which job, which unit, what error."""

    task = models.CharField(_("job"), max_length=100)
    unit = models.ForeignKey("grids.GridUnit", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("unit"))
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    error = models.TextField(_("error"))
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("job failure")
        verbose_name_plural = _("job failures")
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.task} {self.occurred_at:%Y-%m-%d %H:%M}"


class UsedKey(models.Model):
    """An idempotency key a phone sent with a POST (``core.idempotency.once``): the first request
    with a key does the work and records what it made; a resend of the same key (the phone's queue
    after a lost answer) finds the row and returns that result, writing nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.UUIDField(_("key"))
    action = models.CharField(_("action"), max_length=60)
    result = models.CharField(_("result"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("used request key")
        verbose_name_plural = _("used request keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_usedkey_user_key_uniq")]

    def __str__(self) -> str:
        return f"{self.action} {self.key}"


def english_active() -> bool:
    """Whether the interface speaks English now (the language switch at the foot of every page)."""
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


class RuleName(models.Model):
    """The name of a rule-table row (a hazard category, a warning type …) in both languages: the
    Chinese ``name`` every rule model has, and ``name_en`` for the English interface (blank: the
    Chinese name is shown there too). Pages, selects, serializers and exports show ``display_name``."""

    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and english_active():
            return self.name_en
        return self.name


class ComposedTexts(models.Model):
    """Fields the system writes, composed again for the reader's language (``core/texts.py``):
    ``texts`` maps a field's name to its ref; ``{{ row.shown.<field> }}`` shows it."""

    texts = models.JSONField(_("generated texts"), default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def shown(self):
        from core.texts import Shown

        return Shown(self)
