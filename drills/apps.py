from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrillsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "drills"
    verbose_name = _("Drills and training")

    def ready(self) -> None:
        from core.registry import register_demo, register_evaluation_gate
        from drills import (
            demo,
            permissions,  # noqa: F401  (adds the drill actions to the scope table)
            plan_link,
            texts,  # noqa: F401  (registers the patterns of the texts it writes)
        )
        from drills.access import visible_drills
        from drills.models import Drill
        from grids.choices import register_choices

        register_choices(Drill, visible_drills)  # what a select of drills may offer
        register_demo("drills", demo.run, order=demo.DEMO_ORDER, present=demo.present)
        # A plan is not marked evaluated while a problem a drill found in it is open.
        register_evaluation_gate("drills-open-findings", plan_link.evaluation_gate)
