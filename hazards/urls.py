from django.urls import path

from hazards.views import record, register

app_name = "hazards"

urlpatterns = [
    # one hazard (hazards/views/record.py)
    path("report/", record.report, name="report"),
    path("mine/", record.mine, name="mine"),
    path("<int:pk>/", record.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", record.act, name="act"),
    path("copies/<int:pk>/feedback/", record.copy_feedback, name="copy_feedback"),
    path("photos/<int:pk>/", record.photo, name="photo"),
    path("photos/<int:pk>/thumb/", record.photo_thumb, name="photo_thumb"),
    path("propose-unit/", record.propose_unit, name="propose_unit"),
    # many hazards (hazards/views/register.py)
    path("", register.register, name="list"),
    path("export.xlsx", register.export, name="export"),
    path("map/", register.risk_map, name="map"),
    path("map/data/", register.map_data, name="map_data"),
    path("statistics/", register.statistics, name="statistics"),
    path("statistics.xlsx", register.statistics_export, name="statistics_export"),
    path("dashboard/", register.dashboard, name="dashboard"),
    path("copies/", register.copies, name="copies"),
    path("<int:pk>/print/report-form/", register.print_report_form, name="print_report_form"),
    path("<int:pk>/print/supervision-order/", register.print_supervision_order, name="print_supervision_order"),
]
