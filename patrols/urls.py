from django.urls import path

from patrols.views import ledger, patrols, presence, routes

app_name = "patrols"

urlpatterns = [
    path("", patrols.home, name="home"),
    path("start/", patrols.start, name="start"),
    path("<int:pk>/", patrols.patrol_detail, name="patrol_detail"),
    path("<int:pk>/check-in/", patrols.check_in, name="check_in"),
    path("<int:pk>/finish/", patrols.finish, name="finish"),
    path("by-key/<uuid:key>/check-in/", patrols.check_in_by_key, name="check_in_by_key"),
    path("by-key/<uuid:key>/finish/", patrols.finish_by_key, name="finish_by_key"),
    path("check-ins/<int:pk>/photo/", patrols.checkin_photo, name="checkin_photo"),
    path("units/<int:unit_pk>/points/", patrols.points, name="points"),
    path("units/<int:unit_pk>/routes/", routes.routes, name="routes"),
    path("units/<int:unit_pk>/routes/new/", routes.route_new, name="route_new"),
    path("routes/<int:pk>/", routes.route_detail, name="route_detail"),
    path("routes/<int:pk>/edit/", routes.route_edit, name="route_edit"),
    path("units/<int:unit_pk>/ledger/", ledger.ledger, name="ledger"),
    path("units/<int:unit_pk>/ledger/print/", ledger.ledger_print, name="ledger_print"),
    path("units/<int:unit_pk>/ledger.xlsx", ledger.ledger_export, name="ledger_export"),
    path("units/<int:unit_pk>/compliance/", ledger.compliance, name="compliance"),
    path("units/<int:unit_pk>/compliance.xlsx", ledger.compliance_export, name="compliance_export"),
    path("warnings/<int:pk>/presence/", presence.presence_board, name="presence_board"),
    path("warnings/<int:pk>/presence/new/", presence.presence_new, name="presence_new"),
    path("warnings/<int:pk>/presence.xlsx", presence.presence_export, name="presence_export"),
    path("presence/<int:pk>/", presence.presence_request, name="presence_request"),
    path("presence/<int:pk>/answer/", presence.presence_answer, name="presence_answer"),
]
