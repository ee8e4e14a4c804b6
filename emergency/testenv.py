"""Loaded by pytest (``-p emergency.testenv`` in pytest.ini) before Django is set up."""

import os

os.environ["DJANGO_ENV"] = "test"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server
