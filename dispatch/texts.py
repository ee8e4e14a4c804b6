"""The texts dispatch writes for others to read (a warning's generated headline, its inbox
document, the duty-log lines of issuing and passing it on), as patterns composed at display time
(``core/texts.py``): stored in Chinese, shown in the reader's language."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.texts import label_ref, name_ref, ref, register
from dispatch.models import LEVEL_COLOUR_WORDS, LEVEL_COLOURS, Incident, Level, Warning, WarningType

register("dispatch.headline", _("%(sender)s: %(type)s warning (%(colour)s)"))
register("dispatch.headline_lifted", _("%(sender)s: %(type)s warning (%(colour)s) lifted"))
register("dispatch.document_lifted", _("Lifted: %(title)s"))
register("dispatch.document_updated", _("Updated: %(title)s"))
register("dispatch.log_issued", _("Issued: %(title)s"))
register("dispatch.log_updated", _("Update sent: %(title)s"))
register("dispatch.log_lifted", _("Lifting sent: %(title)s"))
register("dispatch.log_sent", _("Sent: %(title)s"))
register("dispatch.log_passed_on", _("Passed on to the units below: %(title)s"))
register("dispatch.log_delivered", _("Delivered to %(units)d units and %(departments)d departments."))
register("dispatch.log_passed_automatically", _("Passed on automatically when the warning was delivered."))

register(
    "dispatch.incident_summary",
    _(
        "%(time)s at %(place)s (%(unit)s). Dead %(deaths)d, injured %(injured)d, missing %(missing)d, "
        "trapped %(trapped)d; direct loss %(loss)s ten-thousand yuan. %(level)s."
    ),
)
register("dispatch.incident_first", _("First report: %(title)s"))
register("dispatch.incident_follow_up", _("Follow-up report %(number)d: %(title)s"))
register("dispatch.incident_final", _("Final report: %(title)s"))
register("dispatch.incident_late", _("Not forwarded in time: %(title)s"))
register("dispatch.incident_late_note", _("The written deadline passed before the tier below forwarded this incident."))
register("dispatch.incident_forwarded", _("Incident report from %(unit)s: %(title)s"))


def incident_summary_ref(incident: Incident) -> dict:
    """Time, place, casualties, loss and level of an incident, as its inbox documents say them."""
    return ref(
        "dispatch.incident_summary",
        time=timezone.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M"),
        place=incident.place,
        unit=incident.unit.name,
        deaths=incident.deaths,
        injured=incident.injured,
        missing=incident.missing,
        trapped=incident.trapped,
        loss=str(incident.direct_loss),
        level=label_ref(Level(incident.level).label),
    )


def colour_ref(level: int) -> dict:
    """The GB/T 35965.1 colour word of a level, in both languages."""
    return {"text": LEVEL_COLOUR_WORDS.get(level, ""), "en": LEVEL_COLOURS.get(level, "")}


def headline_ref(*, sender: str, type: WarningType, level: int, text: str) -> dict:
    """The generated headline (``text``: the Chinese pattern of RULES.md §4.3, as stored)."""
    value = ref("dispatch.headline", sender=sender, type=name_ref(type), colour=colour_ref(level))
    value["text"] = text
    return value


def title_ref(warning: Warning) -> dict | str:
    """The warning's headline as a parameter: its ref when it was generated, else what was written."""
    return (warning.texts or {}).get("title") or warning.title
