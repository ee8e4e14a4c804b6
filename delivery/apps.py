from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """Documents sent between tiers: up (monthly reports, consultations, incident reports), down
    (warnings) and across (county departments); each recipient's inbox, reading and 签收, and the
    e-mail to its people. Every register that files or sends something goes through it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "delivery"
    verbose_name = _("Delivery between tiers")

    def ready(self) -> None:
        from delivery import permissions  # noqa: F401  (adds the receipt action to the scope table)
        from delivery.models import Document
        from grids.choices import register_choices

        register_choices(Document, _visible_documents)  # what a select or filter of documents may offer


def _visible_documents(user):
    """Documents sent by a unit in the person's scope or delivered to one (or to their department)."""
    from django.db.models import Exists, OuterRef, Q

    from delivery.models import Delivery, Document
    from grids.scope import scope_for

    scope = scope_for(user)
    delivered = Q(recipient_unit__in=scope.units())
    if getattr(user, "department_id", None):
        delivered |= scope.department_q("recipient_department")
    to_scope = Delivery.objects.filter(delivered, document_id=OuterRef("pk"))
    return scope.filter_q(Document.objects.all(), scope.unit_q("sender_unit__") | Q(Exists(to_scope)))
