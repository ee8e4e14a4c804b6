"""Pages of the duty (stub until written)."""

urlpatterns: list = []
