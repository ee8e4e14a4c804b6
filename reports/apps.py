from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The monthly hazard reports that go one tier up (through ``delivery``), the risk
    consultations (风险会商研判) and their countermeasures."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports between tiers")

    def ready(self) -> None:
        from core.registry import register_demo
        from reports import permissions  # noqa: F401  (adds the report actions to the scope table)
        from reports.demo import DEMO_ORDER, demo_reports

        register_demo("reports", demo_reports, order=DEMO_ORDER)
