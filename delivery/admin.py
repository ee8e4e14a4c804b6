"""Deliveries in the Django admin: read-only, scoped like the inbox pages (a delivery to or from a
unit in the person's grid); they change only through the services (reading, 签收)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from delivery.models import Delivery
from grids.admin.base import ScopedReadOnlyAdmin
from grids.scope import scope_for


@admin.register(Delivery)
class DeliveryAdmin(ScopedReadOnlyAdmin):
    """Deliveries sent to, or sent from, the units in the person's grid."""

    list_display = ("document", "kind", "sender", "recipient", "state", "sent_at", "receipted_at", "emailed")
    list_filter = ("state", "document__kind", "emailed")
    list_select_related = ("document", "document__sender_unit", "recipient_unit", "recipient_department")
    search_fields = ("document__title", "recipient_unit__name", "recipient_department__name")
    fields = (
        "document",
        "recipient_unit",
        "recipient_department",
        "state",
        "read_at",
        "read_by",
        "receipted_at",
        "receipted_by",
        "emailed",
    )
    readonly_fields = fields

    def scoped_queryset(self, request):
        scope = scope_for(request.user)
        return scope.filter_q(
            Delivery.objects.all(),
            Q(scope.unit_q("recipient_unit__", grants_only=True))
            | Q(scope.unit_q("document__sender_unit__", grants_only=True)),
        )

    @admin.display(description=_("kind"), ordering="document__kind")
    def kind(self, delivery: Delivery) -> str:
        return delivery.document.get_kind_display()

    @admin.display(description=_("sender"), ordering="document__sender_unit__name")
    def sender(self, delivery: Delivery) -> str:
        return delivery.document.sender_unit.name

    @admin.display(description=_("recipient"))
    def recipient(self, delivery: Delivery) -> str:
        return str(delivery.recipient_unit or delivery.recipient_department)

    @admin.display(description=_("sent"), ordering="document__sent_at")
    def sent_at(self, delivery: Delivery):
        return delivery.document.sent_at
