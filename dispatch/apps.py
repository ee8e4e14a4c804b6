from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    """The dispatch centre's work: warnings that go down, incident reports that go up, the duty desk."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dispatch"
    verbose_name = _("Dispatch")

    def ready(self) -> None:
        from dispatch import permissions  # noqa: F401  (adds the dispatch actions to the scope table)
