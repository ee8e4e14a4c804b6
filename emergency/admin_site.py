from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class EmergencyAdminSite(admin.AdminSite):
    site_header = _("Emergency Grid administration")
    site_title = _("Emergency Grid")
    index_title = _("Administration")
