#!/usr/bin/env python3
"""The walk of .ci/production: a few personas through the site as gunicorn serves it in production.

Logs in through the login page (CSRF token, X-Forwarded-Proto: https as nginx would send, so no
redirect to HTTPS), fetches the main pages and the admin, and fails unless each answers 200 with the
security headers, and every script, style sheet and image the page names under /static/ is served
under its hashed name from the manifest (with the source maps the scripts point at). Standard
library only. Exits non-zero with the list of failures.
"""

import argparse
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
]
PERSONA_PAGES = {
    "county_dispatcher": [
        "/",
        "/hazards/",
        "/hazards/map/",
        "/hazards/map/data/",
        "/hazards/statistics/",
        "/hazards/dashboard/",
        "/grid/",
        "/inbox/",
        "/reports/monthly/",
        "/reports/consultations/",
        "/dispatch/warnings/",
        "/dispatch/incidents/",
        "/dispatch/duty/",
        "/dispatch/duty/log/",
        "/api/docs/",
    ],
    "village_officer": ["/", "/hazards/report/", "/hazards/mine/", "/dispatch/incidents/report/", "/inbox/"],
    "admin": [
        "/admin/",
        "/admin/grids/gridunit/",
        "/admin/grids/user/",
        "/admin/hazards/hazard/",
        "/admin/django_celery_beat/periodictask/",
    ],
}
# Detail pages reached by following the first link of a list page: (list, link pattern).
FOLLOW = {
    "county_dispatcher": [
        ("/hazards/", r'href="(/hazards/\d+/)"'),
        ("/dispatch/warnings/", r'href="(/dispatch/warnings/\d+/)"'),
        ("/grid/", r'href="(/grid/units/\d+/)"'),
    ],
    "admin": [("/admin/grids/gridunit/", r'href="(/admin/grids/gridunit/\d+/change/)')],
}
STATIC_REF = re.compile(r'(?:src|href)="(/static/[^"?#]+)"')
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
SOURCE_MAP = re.compile(rb"sourceMappingURL=([^\s*]+)")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class BehindTLS(http.cookiejar.DefaultCookiePolicy):
    """Sends the Secure cookies back over plain HTTP: TLS ends at nginx, which this walk stands in for."""

    def return_ok_secure(self, cookie, request):
        return True


class Session:
    def __init__(self, base):
        if not base.startswith("http://"):
            raise SystemExit(f"--base must be an http:// address, not {base!r}")
        self.base = base
        self.jar = http.cookiejar.CookieJar(BehindTLS())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path, data=None):
        headers = {
            "X-Forwarded-Proto": "https",  # TLS ends at nginx in front of gunicorn
            "Accept-Language": "zh-CN",
            "Referer": "https://" + urllib.parse.urlsplit(self.base).netloc + "/accounts/login/",
        }
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 (http only)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = error
        with response:
            return response.status, response.headers, response.read()

    def login(self, username, password):
        status, _, body = self.request("/accounts/login/")
        if status != 200:
            raise SystemExit(f"login page answered {status}")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        status, headers, _ = self.request(
            "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        if status != 302:
            raise SystemExit(f"{username} could not log in (answer {status})")


def wait_for(base, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _, _ = Session(base).request("/accounts/login/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer on {base} within {timeout} s")


def admin_password(setup_log):
    text = Path(setup_log).read_text(encoding="utf-8", errors="replace")
    match = re.search(r"(?:password|密码)\s*[:：]\s*(\S+)", text)
    if not match:
        raise SystemExit(f"no administrator password in the output of setup_site:\n{text[-2000:]}")
    return match.group(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--setup-log", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--worker-logs", required=True)
    args = parser.parse_args()

    wait_for(args.base)
    manifest = set(json.loads(Path(args.manifest).read_text())["paths"].values())
    password = admin_password(args.setup_log)  # the demo personas share the administrator's
    failures, checked_static, pages = [], {}, 0

    def check_static(session, url, page):
        if url in checked_static:
            return
        name = url.removeprefix("/static/")
        status, _, body = session.request(url)
        checked_static[url] = status
        if status != 200:
            failures.append(f"{page}: static file {url} answered {status}")
        if not HASHED.search(name) or name not in manifest:
            failures.append(f"{page}: static file {url} is not a hashed name from the manifest")
        if url.endswith(".js") and (match := SOURCE_MAP.search(body[-500:])):
            source_map = urllib.parse.urljoin(url, match.group(1).decode())
            check_static(session, source_map, url)

    def check_page(session, who, path):
        nonlocal pages
        status, headers, body = session.request(path)
        pages += 1
        where = f"{who} {path}"
        if status != 200:
            failures.append(f"{where}: answered {status}")
            return body
        missing = [name for name in SECURITY_HEADERS if not headers.get(name)]
        if missing:
            failures.append(f"{where}: missing {', '.join(missing)}")
        if "unsafe-inline" in headers.get("Content-Security-Policy", "").split("script-src")[-1].split(";")[0]:
            failures.append(f"{where}: the policy allows inline script")
        if headers.get_content_type() == "text/html":
            for url in STATIC_REF.findall(body.decode("utf-8", errors="replace")):
                check_static(session, url, where)
        return body

    anonymous = Session(args.base)
    check_page(anonymous, "anonymous", "/accounts/login/")
    for who, paths in PERSONA_PAGES.items():
        session = Session(args.base)
        session.login(who, password)
        for path in paths:
            check_page(session, who, path)
        for list_path, pattern in FOLLOW.get(who, []):
            _, _, body = session.request(list_path)
            match = re.search(pattern, body.decode("utf-8", errors="replace"))
            if not match:
                failures.append(f"{who} {list_path}: no link to a detail page ({pattern})")
                continue
            check_page(session, who, match.group(1))

    deadline = time.monotonic() + 60
    while True:
        logs = "".join(p.read_text(errors="replace") for p in Path(args.worker_logs).glob("*.log"))
        worker, beat = re.search(r"celery@\S+ ready", logs), "beat: Starting" in logs
        if (worker and beat) or time.monotonic() > deadline:
            break
        time.sleep(1)
    if not worker:
        failures.append("the Celery worker did not report ready")
    if not beat:
        failures.append("Celery beat did not start")

    print(f"{pages} pages and {len(checked_static)} static files checked")
    if failures:
        print("FAILURES:\n- " + "\n- ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
