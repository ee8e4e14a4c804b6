from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Emergency plans")

    def ready(self) -> None:
        from core.registry import register_demo, register_evacuation_check, register_map_layer, register_warning_link
        from grids.choices import register_choices
        from plans import (
            evacuation_hooks,
            permissions,  # noqa: F401  (adds the plan actions to the scope table)
        )
        from plans.access import visible_plans
        from plans.demo import coverage as demo_coverage
        from plans.demo import evacuation as demo_evacuation
        from plans.demo import ledger as demo_ledger
        from plans.models import Plan

        register_choices(Plan, visible_plans)  # what a select of plans (衔接) may offer
        register_warning_link("plans-evacuation", evacuation_hooks.warning_links)
        register_evacuation_check("plans-evacuation", evacuation_hooks.evacuation_check)
        register_map_layer("danger-zones", evacuation_hooks.danger_zone_layer, order=10)
        register_map_layer("shelters", evacuation_hooks.shelter_layer, order=20)
        register_demo("plans", demo_ledger.run, order=demo_ledger.DEMO_ORDER, present=demo_ledger.present)
        register_demo("plans-evacuation", demo_evacuation.run, order=43, present=demo_evacuation.present)
        register_demo("plans-coverage", demo_coverage.run, order=demo_coverage.DEMO_ORDER)

        from dispatch.signals import final_report_made
        from grids.signals import grid_leader_changed
        from plans.demo import clocks as clocks_demo
        from plans.services import clock_hooks

        # Revision triggers raised outside plans: an incident's final report, a change of grid leader.
        final_report_made.connect(clock_hooks.on_final_report, dispatch_uid="plans.clock_hooks.final_report")
        grid_leader_changed.connect(clock_hooks.on_grid_leader_changed, dispatch_uid="plans.clock_hooks.leader")
        register_demo("plans-clocks", clocks_demo.run, order=41, present=clocks_demo.present)
