"""Pages of the warnings (stub until written)."""

urlpatterns: list = []
