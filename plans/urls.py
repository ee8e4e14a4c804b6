from django.urls import path

from plans.views import clocks
from plans.views import ledger as views

app_name = "plans"

urlpatterns = [
    path("", views.register, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("versions/<int:pk>/<slug:action>/", views.act, name="act"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("filings/", views.filings, name="filings"),
    path("filings/<int:pk>/", views.filing_detail, name="filing_detail"),
    path("filings/<int:pk>/decide/<slug:action>/", views.filing_decide, name="filing_decide"),
    path("filings/<int:pk>/receipt/", views.filing_print, name="filing_print"),
    path("calendar/", clocks.calendar, name="calendar"),
    path("calendar/unit/<int:unit_pk>/", clocks.calendar_unit, name="calendar_unit"),
    path("<int:pk>/clocks/<slug:action>/", clocks.clock_record, name="clock_record"),
    path("versions/into-force/<int:pk>/", clocks.version_into_force, name="version_into_force"),
]
