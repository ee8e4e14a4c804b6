from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resources"
    verbose_name = _("Rescue teams and experts")

    def ready(self) -> None:
        from core.registry import register_demo, register_desk_check, register_page_section
        from resources import access, demo, hooks, permissions

        del permissions  # imported for its register_permission calls (the resources actions)

        for place in ("incident", "consultation", "plan"):
            register_page_section(
                place, "resources", hooks.participants_section(place), template="resources/participants.html", order=55
            )
        register_desk_check("resources", access.may_open_resources)
        register_demo("resources", demo.run, order=demo.DEMO_ORDER, present=demo.present)
