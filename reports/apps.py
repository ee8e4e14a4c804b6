from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Documents delivered between tiers (the inbox), the monthly hazard reports that go one tier
    up, and the risk consultations (风险会商研判)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports between tiers")
