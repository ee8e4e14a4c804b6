"""The newcomer's documents stay true: every declared periodic job is in the architecture's table."""

import re
from pathlib import Path

from emergency.schedules import BEAT_SCHEDULE

ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_the_periodic_jobs_table_lists_every_declared_job():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text.split("## Periodic jobs", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([\w.]+)` \|", table, re.M))
    declared = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert declared - documented == set(), "add these jobs to docs/architecture.md, Periodic jobs"
    assert documented - declared == set(), "these documented jobs are not declared in emergency/schedules.py"
