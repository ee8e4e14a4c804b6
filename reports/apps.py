from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Documents delivered between tiers (the inbox), the monthly hazard reports that go one tier
    up, and the risk consultations (风险会商研判)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports between tiers")

    def ready(self) -> None:
        from core.registry import register_demo
        from grids.choices import register_choices
        from reports import permissions  # noqa: F401  (adds the report actions to the scope table)
        from reports.demo import DEMO_ORDER, demo_reports
        from reports.models import Document

        register_choices(Document, _visible_documents)  # what a select or filter of documents may offer
        register_demo("reports", demo_reports, order=DEMO_ORDER)


def _visible_documents(user):
    """Documents sent by a unit in the person's scope or delivered to one (or to their department)."""
    from django.db.models import Exists, OuterRef, Q

    from grids.scope import scope_for
    from reports.models import Delivery, Document

    scope = scope_for(user)
    delivered = Q(recipient_unit__in=scope.units())
    if getattr(user, "department_id", None):
        delivered |= scope.department_q("recipient_department")
    to_scope = Delivery.objects.filter(delivered, document_id=OuterRef("pk"))
    return scope.filter_q(Document.objects.all(), scope.unit_q("sender_unit__") | Q(Exists(to_scope)))
