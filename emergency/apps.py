from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule


class EmergencyAdminConfig(SimpleAdminConfig):
    """The stock admin, whose autodiscovery skips django-leaflet's admin module.

    ``leaflet/admin.py`` imports GeoDjango widgets that need the GDAL library, which this
    project does without (boundaries are GeoJSON in a JSONField, checked with shapely).
    """

    default_site = "emergency.admin_site.EmergencyAdminSite"

    def ready(self) -> None:
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name != "leaflet" and module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
        from django.contrib.admin import site

        from emergency.beat_admin import install

        install(site)  # the periodic jobs with their Chinese names
