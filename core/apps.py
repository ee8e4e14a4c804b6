from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared machinery under every app: the transactional outbox of queued jobs and e-mails, and
    the system check that every declared periodic job is installed. Imports no app of ours."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from core import checks  # noqa: F401 (registers the system checks)
