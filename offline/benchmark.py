"""What the officer's phone downloads: the first-load weight of each officer page, as production
serves it, and a phone-size photo to submit (``manage.py benchmark_phone``).

Production serves the HTML through gunicorn behind nginx (``gzip on``) and the static files
through whitenoise, which sends the gzip (or brotli) file it made at ``collectstatic`` (gzip level
9; already compressed types such as PNG and JPEG as they are). So a page's first load, with an
empty cache, is its HTML gzipped plus every script, style sheet, icon and image it names, each
gzipped unless it is an image. The service worker's install (the app shell and the officer's
pages, fetched in the background after the first page) is counted apart."""

from __future__ import annotations

import gzip
import io
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

UNCOMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".ico")


class _Assets(HTMLParser):
    """The URLs a page makes the browser fetch at once: scripts, style sheets, icons, manifest, images."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "link" and attrs.get("href") and (attrs.get("rel") or "") in ("stylesheet", "icon", "manifest"):
            self.urls.append(attrs["href"])
        elif tag == "img" and attrs.get("src") and attrs.get("loading") != "lazy":
            self.urls.append(attrs["src"])


def asset_urls(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return list(dict.fromkeys(url for url in parser.urls if url.startswith("/")))


def gzipped(data: bytes, level: int) -> int:
    return len(gzip.compress(data, compresslevel=level, mtime=0))


def static_bytes(url: str) -> tuple[int, int] | None:
    """(raw, as served) bytes of a static URL, from the file itself; None when it is not static."""
    if not url.startswith(settings.STATIC_URL):
        return None
    path = finders.find(url[len(settings.STATIC_URL) :].split("?")[0])
    if not path:
        return None
    data = Path(path).read_bytes()
    served = len(data) if url.lower().endswith(UNCOMPRESSED) else min(len(data), gzipped(data, 9))
    return len(data), served


def page_weights(user, urls: list[str]) -> dict:
    """Per page: HTML raw and gzipped, and each asset raw and as served; totals for a first load."""
    client = Client(HTTP_HOST=_host())
    client.force_login(user)
    pages, asset_cache = {}, {}
    for url in urls:
        response = client.get(url)
        html = response.content
        assets = {}
        for asset in asset_urls(html.decode("utf-8", "replace")):
            if asset not in asset_cache:
                asset_cache[asset] = static_bytes(asset) or _dynamic_bytes(client, asset)
            assets[asset] = asset_cache[asset]
        html_served = gzipped(html, 6)  # nginx's gzip_comp_level as commonly set
        pages[url] = {
            "status": response.status_code,
            "html_bytes": len(html),
            "html_gzip_bytes": html_served,
            "assets": {name: {"bytes": raw, "served_bytes": served} for name, (raw, served) in assets.items()},
            "first_load_bytes": html_served + sum(served for _raw, served in assets.values()),
        }
    return pages


def _dynamic_bytes(client: Client, url: str) -> tuple[int, int]:
    """An asset the app makes itself (the manifest): fetched, gzipped like HTML."""
    data = client.get(url).content
    return len(data), gzipped(data, 6)


def _host() -> str:
    hosts = [host for host in settings.ALLOWED_HOSTS if host and "*" not in host]
    return (hosts[0].lstrip(".") if hosts else "localhost") or "localhost"


def shell_weight(user) -> dict:
    """The service worker's install: sw.js, the Workbox modules and shell assets, and the pages."""
    from offline.shell import config

    conf = config(user)
    client = Client(HTTP_HOST=_host())
    client.force_login(user)
    served = gzipped(client.get("/sw.js").content, 6)
    for url in [conf["workbox"], *conf["modules"].values(), conf["idb"], *conf["assets"]]:
        sized = static_bytes(url)
        served += sized[1] if sized else 0
    for url in conf["pages"]:
        served += gzipped(client.get(url).content, 6)
    return {"pages": len(conf["pages"]), "served_bytes": served}


def phone_photo(width: int = 4032, height: int = 3024, quality: int = 86) -> bytes:
    """A JPEG the size of a phone camera's (12 MP, about 2.5 MB): blotchy detail with fine grain,
    which compresses like a photo of a hillside rather than like a flat colour."""
    base = Image.merge("RGB", [Image.effect_noise((width // 8, height // 8), s) for s in (50, 60, 70)])
    base = base.resize((width, height), Image.BICUBIC)
    grain = Image.merge("RGB", [Image.effect_noise((width, height), 12) for _ in range(3)])
    buffer = io.BytesIO()
    Image.blend(base, grain, 0.25).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def kb(value: int) -> float:
    return round(value / 1024, 1)
