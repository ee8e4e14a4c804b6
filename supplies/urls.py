from django.urls import path

from supplies.views import stock, transfers, upkeep

app_name = "supplies"

urlpatterns = [
    path("", stock.depot_list, name="depot_list"),
    path("export.xlsx", stock.export, name="export"),
    path("readiness/", stock.readiness, name="readiness"),
    path("readiness/export.xlsx", stock.readiness_export, name="readiness_export"),
    path("depots/<int:pk>/", stock.depot_detail, name="depot_detail"),
    path("depots/<int:pk>/receive/", stock.receive, name="receive"),
    path("lots/<int:pk>/issue/", stock.issue, name="issue"),
    path("lots/<int:pk>/<slug:action>/", stock.lot_act, name="lot_act"),
    path("ledger/<int:pk>/print/", stock.movement_print, name="movement_print"),
    path("transfers/", transfers.transfer_list, name="transfer_list"),
    path("transfers/new/", transfers.transfer_create, name="transfer_create"),
    path("transfers/order/", transfers.transfer_order, name="transfer_order"),
    path("transfers/<int:pk>/", transfers.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/print/", transfers.transfer_print, name="transfer_print"),
    path("transfers/<int:pk>/<slug:action>/", transfers.transfer_act, name="transfer_act"),
    path("agreements/", upkeep.agreement_list, name="agreement_list"),
    path("agreements/new/", upkeep.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", upkeep.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/end/", upkeep.agreement_end, name="agreement_end"),
    path("maintenance/", upkeep.maintenance, name="maintenance"),
    path("lots/<int:pk>/maintenance/record/", upkeep.maintenance_record, name="maintenance_record"),
    path("depots/<int:pk>/stocktake.xlsx", upkeep.stocktake_sheet, name="stocktake_sheet"),
    path("depots/<int:pk>/stocktake/", upkeep.stocktake_import, name="stocktake_import"),
    path("stocktakes/<int:pk>/", upkeep.stocktake_detail, name="stocktake_detail"),
    path("stocktakes/<int:pk>/<slug:action>/", upkeep.stocktake_act, name="stocktake_act"),
    path("nearest/", upkeep.nearest, name="nearest"),
    path("map/", upkeep.readiness_map, name="map"),
]
