"""Pages of the incidents (stub until written)."""

urlpatterns: list = []
