"""Generated grids: the demo county (凌云县) and large synthetic grids for benchmarks.

Used by the ``seed_demo`` and ``seed_scale`` management commands. Everything is generated from a
fixed random seed, so the demo county is the same on every machine and every run.

``data`` holds the names, codes and boxes (Chinese literals: they are *data*, like names typed
into the admin, not gettext strings); ``generate`` what both builders share; ``county`` builds
the demo county (``build_demo``), ``scale`` the synthetic grids (``build_scale``). The public
names are imported from here.
"""

from __future__ import annotations

from grids.demo.county import DemoResult, build_demo
from grids.demo.data import DEMO_COUNTY_CODE, DEMO_COUNTY_NAME, DEMO_DEPARTMENTS, DEMO_TOWNSHIPS, PERSONAS
from grids.demo.generate import Generator, SeedError, existing_mobiles
from grids.demo.scale import ScaleResult, build_scale, scale_county_codes

__all__ = [
    "DEMO_COUNTY_CODE",
    "DEMO_COUNTY_NAME",
    "DEMO_DEPARTMENTS",
    "DEMO_TOWNSHIPS",
    "PERSONAS",
    "DemoResult",
    "Generator",
    "ScaleResult",
    "SeedError",
    "build_demo",
    "build_scale",
    "existing_mobiles",
    "scale_county_codes",
]
