from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patrols"
    verbose_name = _("Patrols and presence checks")

    def ready(self) -> None:
        from core.registry import (
            register_briefing_section,
            register_demo,
            register_desk_check,
            register_page_section,
            register_warning_link,
        )
        from grids.choices import register_choices
        from patrols import (
            access,
            demo,
            hooks,
            permissions,
            texts,  # noqa: F401  (registers the patterns of the texts it writes)
        )
        from patrols.models import PatrolRoute

        del permissions  # imported for its register_permission calls (the patrol actions)

        register_briefing_section("patrols", hooks.briefing_patrols, order=85)
        register_page_section(
            "consultation",
            "patrols",
            hooks.consultation_section,
            template="patrols/consultation_section.html",
            order=70,
        )
        register_page_section(
            "monthly_report",
            "patrols",
            hooks.monthly_report_section,
            template="patrols/monthly_report_section.html",
            order=50,
        )
        for place in ("home", "inbox"):  # the presence checks waiting, answered there in one tap
            register_page_section(
                place, "patrols_presence", hooks.presence_section, template="patrols/presence_section.html", order=10
            )
        register_warning_link("patrols_presence", hooks.warning_links, order=50)
        register_desk_check("patrols", access.may_open_patrols)
        register_choices(PatrolRoute, access.visible_routes)  # what a select of routes may offer (the rules)
        register_demo("patrols", demo.run, order=demo.DEMO_ORDER, present=demo.present)
