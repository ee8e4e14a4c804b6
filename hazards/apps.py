from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hazards"
    verbose_name = _("Hazards")

    def ready(self) -> None:
        from core.registry import register_demo, register_desk_check
        from grids.choices import register_choices
        from hazards import permissions  # noqa: F401  (adds the hazard actions to the scope table)
        from hazards.access import has_own_hazards, may_report, may_see_copies, visible_hazards
        from hazards.demo import DEMO_ORDER, demo_hazards, demo_present
        from hazards.models import Hazard

        register_choices(Hazard, visible_hazards)  # what a select or filter of hazards may offer
        register_demo("hazards", demo_hazards, order=DEMO_ORDER, present=demo_present)
        register_desk_check("report_hazard", may_report)  # the links of the home page and navigation
        register_desk_check("my_hazards", has_own_hazards)
        register_desk_check("hazard_copies", may_see_copies)

        from mptt.signals import node_moved

        from grids.models import GridUnit
        from grids.signals import unit_moving
        from hazards import rollup

        unit_moving.connect(rollup.unit_moving, sender=GridUnit, dispatch_uid="hazards.rollup.unit_moving")
        node_moved.connect(rollup.unit_moved, sender=GridUnit, dispatch_uid="hazards.rollup.unit_moved")
