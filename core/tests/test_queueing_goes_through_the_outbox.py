"""No code outside the outbox talks to the broker or the mail server directly: a ``.delay()`` or
a ``send_mail()`` in a request path is a 500 (and lost work) whenever Redis or the mail server
is down. Tests, and the Celery tasks' own modules, may."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIRECT = re.compile(r"\.delay\(|\.apply_async\(|\bsend_mail\(|\bsend_mass_mail\(|transaction\.on_commit\(")
# The outbox itself hands rows to the broker and sends their e-mails.
ALLOWED = {"core/services.py"}


def test_jobs_and_emails_are_queued_through_the_outbox():
    offenders = []
    packages = [top for top in ROOT.iterdir() if (top / "__init__.py").exists()]  # our apps, not .venv
    for path in sorted(path for package in packages for path in package.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        if relative in ALLOWED or relative.endswith("conftest.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DIRECT.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "queue through core.services.enqueue / enqueue_email:\n" + "\n".join(offenders)
