"""The texts drills writes for others to read (the daily notices), as patterns composed at display
time (``core/texts.py``): stored in Chinese, shown in the reader's language."""

from django.utils.translation import gettext_lazy as _

from core.texts import register

register("drills.finding_overdue", _("Drill finding overdue: %(text)s"))
register("drills.drill_due", _("Drill due on %(date)s: %(title)s"))
