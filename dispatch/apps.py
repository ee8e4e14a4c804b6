from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    """The dispatch centre's work: warnings that go down, incident reports that go up, the duty desk."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dispatch"
    verbose_name = _("Dispatch")

    def ready(self) -> None:
        from core.registry import register_briefing_section, register_demo, register_desk_check
        from dispatch import (
            permissions,  # noqa: F401  (adds the dispatch actions to the scope table)
            texts,  # noqa: F401  (registers the patterns of the texts it writes)
        )
        from dispatch.access import may_report_incident
        from dispatch.briefing import briefing_sections
        from dispatch.demo import DEMO_ORDER, demo_dispatch

        # The consultations' briefings (reports) show the warnings and incidents of the previous period.
        register_briefing_section("dispatch", briefing_sections)
        register_demo("dispatch", demo_dispatch, order=DEMO_ORDER)
        register_desk_check("report_incident", may_report_incident)  # the links of the home page and navigation
