from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Emergency plans")

    def ready(self) -> None:
        from grids.choices import register_choices
        from plans import permissions  # noqa: F401  (adds the plan actions to the scope table)
        from plans.access import visible_plans
        from plans.models import Plan

        register_choices(Plan, visible_plans)  # what a select of plans (衔接) may offer

        from core.registry import register_demo
        from dispatch.signals import final_report_made
        from grids.signals import grid_leader_changed
        from plans.demo import clocks as clocks_demo
        from plans.services import clock_hooks

        final_report_made.connect(clock_hooks.on_final_report, dispatch_uid="plans.clock_hooks.final_report")
        grid_leader_changed.connect(clock_hooks.on_grid_leader_changed, dispatch_uid="plans.clock_hooks.leader")
        register_demo("plans-clocks", clocks_demo.run, order=41, present=clocks_demo.present)
