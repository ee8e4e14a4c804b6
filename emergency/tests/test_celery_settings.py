"""Celery's delivery guarantees on Redis: late acknowledgement, and a message taken by a worker
that dies comes back within minutes (the visibility timeout), not after Redis's default hour."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json; from emergency.celery import app; c = app.conf; "
    "print(json.dumps([c.task_acks_late, c.task_reject_on_worker_lost, c.broker_transport_options]))"
)


def celery_conf(**env) -> list:
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_VISIBILITY_TIMEOUT"}}
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "emergency.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_on_redis_a_killed_workers_message_comes_back_in_five_minutes():
    acks_late, reject_on_lost, options = celery_conf(REDIS_URL="redis://127.0.0.1:6379/9")
    assert acks_late and reject_on_lost
    assert options["visibility_timeout"] == 300


def test_the_visibility_timeout_is_a_setting():
    *_flags, options = celery_conf(REDIS_URL="redis://127.0.0.1:6379/9", CELERY_VISIBILITY_TIMEOUT="600")
    assert options["visibility_timeout"] == 600
