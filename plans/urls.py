from django.urls import path

from plans.views import clocks, coverage, evacuation
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
    path("filings/<int:pk>/register-form/", coverage.filing_register_form, name="filing_register_form"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("coverage/export.xlsx", coverage.coverage_export, name="coverage_export"),
    path("coverage/hazards/", coverage.hazard_gaps, name="coverage_hazards"),
    path("evacuation/", evacuation.overview, name="evacuation"),
    path("evacuation/template.xlsx", evacuation.template, name="evacuation_template"),
    path("evacuation/units/<int:unit_pk>/", evacuation.village, name="evacuation_village"),
    path("evacuation/units/<int:unit_pk>/export.xlsx", evacuation.export, name="evacuation_export"),
    path("evacuation/units/<int:unit_pk>/import/", evacuation.import_list, name="evacuation_import"),
    path("evacuation/units/<int:unit_pk>/cards/", evacuation.cards, name="evacuation_cards"),
    path("evacuation/households/<int:pk>/card/", evacuation.card, name="evacuation_card"),
    path("evacuation/shelters/<int:pk>/state/", evacuation.shelter_state, name="evacuation_shelter_state"),
    path("calendar/", clocks.calendar, name="calendar"),
    path("calendar/unit/<int:unit_pk>/", clocks.calendar_unit, name="calendar_unit"),
    path("<int:pk>/clocks/<slug:action>/", clocks.clock_record, name="clock_record"),
    path("versions/into-force/<int:pk>/", clocks.version_into_force, name="version_into_force"),
]
