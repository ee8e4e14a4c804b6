"""Benchmark: a burst of concurrent phone hazard reports through gunicorn (issue 15).

``N`` village information officers of the scale grid (``seed_scale``) each submit one hazard report
with a phone-sized photo at the same instant, as the phone's 上报隐患 form posts it (multipart, the
CSRF token, the submission key), to gunicorn started here with ``--workers`` processes on the
configured PostgreSQL. In the same run the same bodies go to a **bare view** behind the same
middleware, session and login that parses the upload and answers the same redirect: the floor of
the stack. Then the same reports are sent again (a phone resending after a lost answer).

Written to ``var/benchmarks/burst.json``: p50, p95 and the maximum of both bursts, their ratio,
and what the database holds afterwards: reports lost (a 302 with no hazard), duplicated (more
than one hazard for a submission key), and created by the resend (must be 0). The reports stay in
the benchmark database, their photos in a temporary ``MEDIA_ROOT``.

This module doubles as the URLconf of that gunicorn (the bare view beside the site's own URLs);
its WSGI application is ``_burst_wsgi``."""

from __future__ import annotations

import http.client
import io
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.http import HttpResponseRedirect
from django.urls import include, path, reverse
from django.utils import timezone

from grids.models import Membership, Role
from hazards.models import Hazard, HazardCategory

BOUNDARY = "----emergency-grid-burst"


@login_required
def bare(request):
    """The floor: the same middleware, session and login, the multipart upload parsed, no work."""
    request.FILES.getlist("photos")  # parses the body as the real view does
    return HttpResponseRedirect("/")


urlpatterns = [
    path("__benchmark__/burst-bare/", bare),
    path("", include(getattr(settings, "BURST_SITE_URLCONF", settings.ROOT_URLCONF))),
]


def _photo(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A JPEG the size a phone uploads after the browser's shrink (about 300 KB)."""
    from PIL import Image, ImageFilter

    noise = Image.effect_noise(size, 48).filter(ImageFilter.GaussianBlur(1))
    image = Image.merge("RGB", (noise, noise.rotate(180), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _multipart(fields: dict[str, str], photo: bytes) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; filename="photo.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
    }


class Command(BaseCommand):
    help = "Benchmark a burst of concurrent phone hazard reports through gunicorn beside a bare-view burst."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=200)
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "benchmarks" / "burst.json"))

    def handle(self, *args, reports, workers, output, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Run it on PostgreSQL (DATABASE_URL): SQLite takes one writer at a time.")
        officers = self._officers(reports)
        category = HazardCategory.objects.filter(is_active=True).order_by("order", "pk").first()
        photo = _photo()
        port = _free_port()
        media = tempfile.mkdtemp(prefix="burst-media-")
        server = self._gunicorn(port, workers, media)
        try:
            sessions = [self._session(user) for user, _unit in officers]
            submissions = []
            for (user, unit), (cookie, token) in zip(officers, sessions, strict=True):
                key = str(uuid.uuid4())
                fields = {
                    "csrfmiddlewaretoken": token,
                    "client_key": key,
                    "unit": str(unit.pk),
                    "category": str(category.pk),
                    "title": "并发上报测试隐患",
                    "description": "benchmark_burst",
                    "source": "patrol",
                }
                submissions.append({"key": key, "user": user.pk, "cookie": cookie, "body": _multipart(fields, photo)})
            before = Hazard.objects.count()
            self.stdout.write(f"{reports} reports of {len(photo) // 1024} KB to gunicorn ({workers} workers) …")
            bare_times, _ = self._burst(port, "/__benchmark__/burst-bare/", submissions)
            real_times, statuses = self._burst(port, reverse("hazards:report"), submissions)
            created = Hazard.objects.count() - before
            _resend_times, resend_statuses = self._burst(port, reverse("hazards:report"), submissions)
            resent = Hazard.objects.count() - before - created
        finally:
            server.terminate()
            server.wait(timeout=30)
        keys = [s["key"] for s in submissions]
        stored = Hazard.objects.filter(client_key__in=keys)
        per_key = {}
        for key in stored.values_list("client_key", flat=True):
            per_key[str(key)] = per_key.get(str(key), 0) + 1
        real, floor = _summary(real_times), _summary(bare_times)
        result = {
            "benchmark": "burst",
            "when": timezone.now().isoformat(),
            "machine": f"{platform.node()} {os.cpu_count()} cores",
            "reports": reports,
            "gunicorn_workers": workers,
            "photo_bytes": len(photo),
            "report": real,
            "bare_view": floor,
            "ratio_p95": round(real["p95_ms"] / floor["p95_ms"], 2),
            "ratio_p50": round(real["p50_ms"] / floor["p50_ms"], 2),
            "answers": {str(code): statuses.count(code) for code in sorted(set(statuses))},
            "resend_answers": {str(code): resend_statuses.count(code) for code in sorted(set(resend_statuses))},
            "created": created,
            "lost": sum(
                1 for s, code in zip(submissions, statuses, strict=True) if code == 302 and not per_key.get(s["key"])
            ),
            "duplicated": sum(n - 1 for n in per_key.values() if n > 1),
            "created_by_resend": resent,
        }
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(result, ensure_ascii=False, indent=2))
        self.stdout.write(
            f"reports p50 {real['p50_ms']} ms p95 {real['p95_ms']} ms | bare p50 {floor['p50_ms']} ms "
            f"p95 {floor['p95_ms']} ms | ×{result['ratio_p95']} at p95 | created {created}, lost {result['lost']}, "
            f"duplicated {result['duplicated']}, created by the resend {resent}"
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {target}"))

    # --- set-up ---------------------------------------------------------------------------------

    def _officers(self, count: int) -> list:
        memberships = list(
            Membership.objects.active()
            .filter(unit__level=2, role=Role.INFORMATION_OFFICER, unit__is_active=True, user__is_active=True)
            .select_related("user", "unit")
            .order_by("unit__tree_id", "unit__lft")[: count * 2]
        )
        seen, officers = set(), []
        for membership in memberships:
            if membership.user_id not in seen:
                seen.add(membership.user_id)
                officers.append((membership.user, membership.unit))
        if len(officers) < count:
            raise CommandError(
                f"{count} village officers needed, {len(officers)} found: build the grid with seed_scale."
            )
        return officers[:count]

    def _session(self, user) -> tuple[str, str]:
        """A logged-in session (as the login view writes it) and a CSRF secret, as cookies."""
        from importlib import import_module

        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        token = secrets.token_hex(16)  # an unmasked 32-character secret, which Django accepts
        cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={token}"
        return cookie, token

    def _gunicorn(self, port: int, workers: int, media: str) -> subprocess.Popen:
        env = {**os.environ, "MEDIA_ROOT": media}
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "hazards.management.commands._burst_wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        for _ in range(120):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/accounts/login/")
                probe.getresponse().read()
                return server
            except OSError:
                time.sleep(0.5)
        server.terminate()
        raise CommandError("gunicorn did not answer within a minute.")

    def _burst(self, port: int, url: str, submissions: list[dict]) -> tuple[list[float], list[int]]:
        """Every submission at once (a barrier releases the threads together): times and statuses."""
        gate = threading.Barrier(len(submissions))

        def send(submission):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            conn.connect()
            gate.wait()
            started = time.perf_counter()
            conn.request(
                "POST",
                url,
                body=submission["body"],
                headers={
                    "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                    "Cookie": submission["cookie"],
                    "Referer": f"http://127.0.0.1:{port}{url}",
                },
            )
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            conn.close()
            return elapsed, response.status

        with ThreadPoolExecutor(max_workers=len(submissions)) as pool:
            outcomes = list(pool.map(send, submissions))
        return [t for t, _ in outcomes], [s for _, s in outcomes]
