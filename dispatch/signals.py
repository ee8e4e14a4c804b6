"""Signals dispatch sends for the apps above it (which may not be imported here).

- ``final_report_made``: sent inside the transaction of an incident's final report (终报), with
  ``incident_id``, ``report_id`` and ``plan_problem`` (the report names a problem in the emergency
  plan). ``plans`` connects to it from its ``AppConfig.ready()`` to raise a revision trigger."""

from django.dispatch import Signal

final_report_made = Signal()
