from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "library"
    verbose_name = _("Case and regulation libraries")

    def ready(self) -> None:
        from core.registry import register_briefing_section, register_demo, register_desk_check, register_page_section
        from library import access, demo, hooks, permissions

        del permissions  # imported for its register_permission calls (the library actions)

        register_briefing_section("library_cases", hooks.briefing_cases, order=80)
        register_page_section(
            "consultation",
            "library",
            hooks.consultation_section,
            template="library/consultation_section.html",
            order=60,
        )
        register_page_section(
            "incident", "library", hooks.incident_section, template="library/source_section.html", order=60
        )
        register_page_section("drill", "library", hooks.drill_section, template="library/source_section.html", order=60)
        register_page_section("plan", "library", hooks.plan_section, template="library/plan_section.html", order=60)
        register_desk_check("library", access.may_open_library)
        register_demo("library", demo.run, order=demo.DEMO_ORDER, present=demo.present)
