from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supplies"
    verbose_name = _("Emergency supplies")

    def ready(self) -> None:
        from core.registry import register_demo, register_incident_section, register_map_layer
        from supplies import (
            permissions,  # noqa: F401  (adds the supply actions to the scope table)
            texts,  # noqa: F401  (registers the patterns of the texts it writes)
        )
        from supplies.demo import stock as demo_stock
        from supplies.hooks import depot_layer
        from supplies.incidents import incident_supplies

        register_incident_section("supplies", incident_supplies, template="supplies/incident_section.html", order=50)
        register_demo("supplies", demo_stock.run, order=demo_stock.DEMO_ORDER, present=demo_stock.present)
        register_map_layer("supply-depots", depot_layer, order=30)
