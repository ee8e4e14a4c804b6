"""The texts supplies writes for others to read (the daily notices), as patterns composed at
display time (``core/texts.py``): stored in Chinese, shown in the reader's language."""

from django.utils.translation import gettext_lazy as _

from core.texts import register

register("supplies.maintenance_overdue", _("Maintenance overdue since %(date)s: %(item)s at %(depot)s"))
register("supplies.maintenance_due", _("Maintenance due on %(date)s: %(item)s at %(depot)s"))
register("supplies.expiring", _("Expires on %(date)s: %(item)s × %(n)s at %(depot)s"))
register("supplies.agreement_lapsed", _("Agreement reserve lapsed on %(date)s: %(supplier)s (%(no)s)"))
register("supplies.agreement_lapsing", _("Agreement reserve lapses on %(date)s: %(supplier)s (%(no)s)"))
