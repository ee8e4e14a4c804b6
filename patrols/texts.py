"""The texts patrols writes for others to read (the missed-patrol notice), as patterns composed at
display time (``core/texts.py``): stored in Chinese, shown in the reader's language."""

from django.utils.translation import gettext_lazy as _

from core.texts import register

register("patrols.missed", _("Patrols missed on %(day)s: %(names)s"))
register("patrols.missed_body", _("The patrol rules asked for a patrol that was not made. See the compliance table."))
