"""URLs of the supplies API, mounted at /api/v1/ by emergency/urls.py."""

from rest_framework.routers import DefaultRouter

from supplies import api

router = DefaultRouter()
router.include_format_suffixes = False
router.register("supply-items", api.SupplyItemViewSet, basename="supply-items")
router.register("supply-depots", api.DepotViewSet, basename="supply-depots")
router.register("supply-lots", api.LotViewSet, basename="supply-lots")
router.register("supply-ledger", api.LedgerViewSet, basename="supply-ledger")
router.register("supply-transfers", api.TransferViewSet, basename="supply-transfers")
router.register("supply-agreements", api.AgreementViewSet, basename="supply-agreements")
router.register("supply-nearest", api.NearestViewSet, basename="supply-nearest")

urlpatterns = router.urls
