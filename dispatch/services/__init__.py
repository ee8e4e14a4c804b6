"""Every state change of dispatch, one function per action, and the one validator of its input:
``warnings`` (draft, issue, update, lift, discard), ``warning_receipts`` (acknowledge, local
instructions, evacuation figures), ``warning_reminders`` (the periodic job), ``incidents`` (first,
follow-up and final reports; the late-flag job), ``incident_tiers`` (confirm, forward, phone),
``incident_figures`` (the figures and the level), ``incident_deadlines`` (the due times and late
flags) and ``duty`` (the roster and the duty log). Reads are in ``dispatch.selectors``."""
