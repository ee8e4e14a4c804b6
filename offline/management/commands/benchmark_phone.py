"""The officer's phone on a weak signal: first-load page weight and the time to submit a report.

    manage.py seed_demo            # or any database with a village that has a boundary
    manage.py benchmark_phone --output var/benchmarks/phone.json

1. Page weight: each page the service worker keeps for the officer (``offline.shell.pages``),
   its HTML gzipped as nginx would and every asset it names as whitenoise serves it
   (``offline/benchmark.py``). Target: < 150 KB compressed for a first load.
2. Submit: Debian's Chromium at 360 px, the network throttled through the DevTools protocol
   (``--kbps`` 400 both ways, ``--latency-ms`` 400), reports a hazard with a 12 MP phone photo
   (about 2.5 MB, shrunk in the browser by offline.js before upload) and a GPS point in the
   village; timed from the tap on 提交 to the hazard's page, ``--repeat`` times. Target: < 15 s.

It writes to the database it runs on: a person ``benchmark_phone`` with a role in the first
village that has a boundary, and one hazard per run. Use a benchmark or demo database.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.urls import reverse
from django.utils import timezone

from grids.models import GridUnit, Membership, Role, User
from grids.rules import Kind
from hazards.models import Hazard
from offline.benchmark import kb, page_weights, phone_photo, shell_weight
from offline.shell import pages

CHROMIUM = "/usr/bin/chromium"
PERSON = "benchmark_phone"
# How many bytes the report's upload carried (after offline.js shrank the photo): kept in
# sessionStorage, which survives the move to the hazard's page. Injected by DevTools, not the page.
MEASURE_UPLOAD = """(() => {
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    if (body instanceof FormData || body instanceof Blob) {
      new Response(body).blob().then((b) => sessionStorage.setItem("benchmark-sent-bytes", String(b.size)));
    }
    return send.call(this, body);
  };
})();"""


def _village() -> GridUnit:
    village = (
        GridUnit.objects.filter(kind=Kind.VILLAGE, is_active=True, boundary__isnull=False)
        .order_by("tree_id", "lft")
        .first()
    )
    if village is None:
        raise CommandError("No village with a boundary: run seed_demo first.")
    return village


def _person(village: GridUnit) -> User:
    user, _created = User.objects.get_or_create(username=PERSON, defaults={"real_name": "测速网格员"})
    Membership.objects.get_or_create(user=user, unit=village, role=Role.GRID_MANAGER, defaults={"is_active": True})
    return user


def _inside(village: GridUnit) -> tuple[float, float]:
    from shapely.geometry import shape

    point = shape(village.boundary).representative_point()
    return round(point.x, 6), round(point.y, 6)


class Command(BaseCommand):
    help = "Write the officer's first-load page weight and the time to submit a report on a 400 kbps phone."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.VAR_DIR / "benchmarks" / "phone.json"))
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--kbps", type=int, default=400)
        parser.add_argument("--latency-ms", type=int, default=400)
        parser.add_argument("--skip-submit", action="store_true", help="only the page weight")

    def handle(self, *args, output: str, repeat: int, kbps: int, latency_ms: int, skip_submit: bool, **options):
        village = _village()
        user = _person(village)
        weights = page_weights(user, pages(user))
        shell = shell_weight(user)
        results = {
            "when": timezone.now().isoformat(),
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "village": village.name,
            "target_first_load_kb": 150,
            "pages": weights,
            "service_worker_install": shell,
        }
        for url, page in weights.items():
            self.stdout.write(
                f"{url}: HTML {kb(page['html_gzip_bytes'])} KB gzip, first load {kb(page['first_load_bytes'])} KB"
            )
        self.stdout.write(f"service worker install: {kb(shell['served_bytes'])} KB ({shell['pages']} pages)")
        if not skip_submit:
            results["submit"] = self._submit(user, village, repeat=repeat, kbps=kbps, latency_ms=latency_ms)
            self.stdout.write(
                f"submit at {kbps} kbps / {latency_ms} ms with a {kb(results['submit']['photo_bytes'])} KB photo: "
                f"median {results['submit']['median_s']} s"
            )
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, ensure_ascii=False, indent=2))
        self.stdout.write(f"written {path}")

    def _submit(self, user: User, village: GridUnit, *, repeat: int, kbps: int, latency_ms: int) -> dict:
        from playwright.sync_api import sync_playwright

        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM beside Playwright's loop

        photo = phone_photo()
        lng, lat = _inside(village)
        server = LiveServerThread("127.0.0.1", _StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        base = f"http://127.0.0.1:{server.port}"
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        timings, sent_bytes = [], []
        try:
            with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
                photo_path = Path(folder) / "IMG_20261117_100000.jpg"
                photo_path.write_bytes(photo)
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"]
                )
                for _run in range(repeat):
                    timings.append(
                        self._one(browser, base, session, photo_path, lng, lat, kbps, latency_ms, sent_bytes)
                    )
                browser.close()
        finally:
            server.terminate()
        throughput = kbps * 1000 / 8
        return {
            "kbps": kbps,
            "latency_ms": latency_ms,
            "photo_bytes": len(photo),
            "upload_bytes": sent_bytes,
            "runs_s": timings,
            "median_s": round(statistics.median(timings), 1),
            "best_s": round(min(timings), 1),
            "upload_floor_s": round(statistics.median(sent_bytes) / throughput, 1) if sent_bytes else None,
            "target_s": 15,
        }

    def _one(self, browser, base, session, photo_path, lng, lat, kbps, latency_ms, sent_bytes) -> float:
        context = browser.new_context(
            viewport={"width": 360, "height": 740},
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            geolocation={"longitude": lng, "latitude": lat},
            permissions=["geolocation"],
        )
        context.add_init_script(MEASURE_UPLOAD)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        page.goto(base + reverse("hazards:report"))  # opened at full speed: the submit is what is timed
        throughput = kbps * 1000 / 8
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": latency_ms, "downloadThroughput": throughput, "uploadThroughput": throughput},
        )
        page.locator("label.cat").first.click()
        page.fill("#id_title", "后山裂缝（测速）")
        page.set_input_files("#id_photos", str(photo_path))
        page.click("#use-location")
        page.wait_for_function("document.querySelector('[name=lat]').value !== ''")
        before = Hazard.objects.count()
        started = time.perf_counter()
        page.click("#report-submit")
        page.wait_for_url(lambda url: "/hazards/" in url and url.rstrip("/").split("/")[-1].isdigit(), timeout=120_000)
        page.wait_for_load_state("load")
        elapsed = round(time.perf_counter() - started, 1)
        if Hazard.objects.count() != before + 1:
            raise CommandError("The report did not arrive once.")
        sent = page.evaluate("sessionStorage.getItem('benchmark-sent-bytes')")
        if sent:
            sent_bytes.append(int(sent))
        context.close()
        return elapsed
