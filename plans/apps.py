from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Emergency plans")

    def ready(self) -> None:
        from core.registry import register_demo, register_evacuation_check, register_warning_link
        from grids.choices import register_choices
        from plans import (
            evacuation_hooks,
            permissions,  # noqa: F401  (adds the plan actions to the scope table)
        )
        from plans.access import visible_plans
        from plans.demo import evacuation as evacuation_demo
        from plans.models import Plan

        register_choices(Plan, visible_plans)  # what a select of plans (衔接) may offer
        register_warning_link("plans-evacuation", evacuation_hooks.warning_links)
        register_evacuation_check("plans-evacuation", evacuation_hooks.evacuation_check)
        register_demo("plans-evacuation", evacuation_demo.run, order=43, present=evacuation_demo.present)
