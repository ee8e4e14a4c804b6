"""Production mode refuses to start without what it needs, and passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="grid.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_ENV="production", SECRET_KEY="k" * 30 + "abcdefghijklmnopqrstuvwxyz")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_deploy_checks_without_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="k" * 30 + "abcdefghijklmnopqrstuvwxyz0123456789",
        ALLOWED_HOSTS="grid.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_unknown_mode_is_refused():
    result = manage("check", DJANGO_ENV="staging")
    assert result.returncode != 0 and "DJANGO_ENV" in result.stderr
