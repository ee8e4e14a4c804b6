"""The README's production block, which .ci/production runs as written, and the assets it collects."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]


def production_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- production -->\n```sh\n(.*?)```\n<!-- /production -->", text, re.S)
    assert block, "README.md lost its <!-- production --> block, which .ci/production runs"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_production_block_has_every_step():
    commands = "\n".join(production_commands())
    for step in [
        "make install",
        "manage.py migrate",
        "pybabel compile",
        "collectstatic --noinput",
        "gunicorn emergency.wsgi",
        "celery -A emergency worker",
        "celery -A emergency beat",
    ]:
        assert step in commands, step


def test_markercluster_comes_from_npm_with_its_source_maps():
    # The script names its source map; collectstatic's manifest stops when the map is missing.
    script = finders.find("vendor/markercluster/leaflet.markercluster.js")
    assert script, "node_modules/ is missing: run `make install` (npm ci)"
    assert "node_modules" in script
    assert "sourceMappingURL=leaflet.markercluster.js.map" in Path(script).read_text()
    assert finders.find("vendor/markercluster/leaflet.markercluster.js.map")
    assert finders.find("vendor/markercluster/MarkerCluster.Default.css")
