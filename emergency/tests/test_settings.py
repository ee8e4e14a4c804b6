"""Production mode refuses to start without what it needs, and passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 30 + "abcdefghijklmnopqrstuvwxyz0123456789"
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "grid.example.gov.cn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/emergency",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://user:pass@mail.example.gov.cn:25",
}
OUR_VARIABLES = {*PRODUCTION, "SECURE_HSTS_PRELOAD", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run(args, **env):
    """Runs ``args`` in a fresh interpreter with only ``env`` of the variables the settings read."""
    base = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    return subprocess.run(args, cwd=ROOT, env={**base, **env}, capture_output=True, text=True)


def manage(*args, **env):
    return run([sys.executable, "manage.py", *args], **env)


def start_django(**env):
    """``django.setup()`` with these variables; prints ``started`` and the HSTS preload setting."""
    code = (
        "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'emergency.settings'); django.setup(); "
        "from django.conf import settings; print('started', settings.SECURE_HSTS_PRELOAD)"
    )
    return run([sys.executable, "-c", code], **env)


def without(*names, **changes):
    return {**{k: v for k, v in PRODUCTION.items() if k not in names}, **changes}


def test_production_starts_with_everything_it_needs():
    result = start_django(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "started False" in result.stdout  # HSTS preload is opt-in


def test_hsts_preload_is_opt_in():
    result = start_django(**PRODUCTION, SECURE_HSTS_PRELOAD="true")
    assert result.returncode == 0, result.stderr
    assert "started True" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (without("SECRET_KEY"), "SECRET_KEY 必须是随机生成的、至少 50 个字符的密钥"),
        (without(SECRET_KEY="abcdefghijklmnopqrstuvwxyz0123456789"), "SECRET_KEY 必须"),  # too short
        (without(SECRET_KEY="dev-only-insecure-key-" + "x" * 40), "SECRET_KEY 必须"),  # the development default
        (without(SECRET_KEY="ab" * 30), "SECRET_KEY 必须"),  # fewer than 5 different characters
        (without("ALLOWED_HOSTS"), "请设置 ALLOWED_HOSTS"),
        (without("DATABASE_URL"), "DATABASE_URL 必须指向 PostgreSQL"),
        (without(DATABASE_URL="sqlite:////tmp/db.sqlite3"), "DATABASE_URL 必须指向 PostgreSQL"),
        (without("REDIS_URL"), "REDIS_URL 必须指向 Redis 服务器"),
        (without(REDIS_URL="memory://"), "REDIS_URL 必须指向 Redis 服务器"),
        (without("EMAIL_URL"), "EMAIL_URL 必须指向 SMTP 邮件服务器"),
        (without(EMAIL_URL="consolemail://"), "EMAIL_URL 必须指向 SMTP 邮件服务器"),
    ],
    ids=[
        "no-secret-key",
        "short-secret-key",
        "dev-secret-key",
        "plain-secret-key",
        "no-allowed-hosts",
        "no-database-url",
        "sqlite",
        "no-redis-url",
        "memory-broker",
        "no-email-url",
        "console-email",
    ],
)
def test_production_refuses_to_start_without(env, message):
    result = start_django(**env)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert "生产模式无法启动" in result.stderr and message in result.stderr, result.stderr


def test_production_lists_every_missing_setting_at_once():
    result = start_django(DJANGO_ENV="production")
    assert result.returncode != 0
    for name in ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"]:
        assert name in result.stderr


def test_production_passes_deploy_checks_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_unknown_mode_is_refused():
    result = manage("check", DJANGO_ENV="staging")
    assert result.returncode != 0 and "DJANGO_ENV" in result.stderr
