"""Pages of the hazard register: ``record`` (one hazard: report, detail, the loop's steps) and
``register`` (many hazards: list, map, statistics, dashboard, prints)."""
