"""Form widgets of the grid: a Leaflet map that edits a GeoJSON geometry stored in a JSONField.

django-leaflet's own widgets import GeoDjango (GDAL); this one only needs Leaflet and
Leaflet.draw from django-leaflet's static files. The page carries no inline script: the map
reads its settings from ``data-`` attributes and ``static/js/geojson-widget.js`` does the rest.
"""

from __future__ import annotations

import json
from typing import ClassVar

from django import forms
from django.conf import settings
from django.urls import reverse

from grids.selectors import unit_choice_label

GEOMETRY_TYPES = ("Polygon", "Point")


class GeoJSONMapWidget(forms.Textarea):
    """A textarea holding one GeoJSON geometry, edited on a map (one polygon or one marker).

    ``geom_type`` is "Polygon" (a boundary; MultiPolygon values are shown and kept) or "Point".
    The textarea stays the single source of the value: the script draws what it holds and
    writes the drawn geometry (not a Feature) back into it.
    """

    template_name = "grids/widgets/geojson_map.html"

    class Media:
        css: ClassVar[dict[str, tuple[str, ...]]] = {
            "all": (
                "leaflet/leaflet.css",
                "leaflet/draw/leaflet.draw.css",
                "css/geojson-widget.css",
            )
        }
        js = (
            "leaflet/leaflet.js",
            "leaflet/draw/leaflet.draw.js",
            "js/leaflet-locale.js",
            "js/geojson-widget.js",
        )

    def __init__(self, attrs: dict | None = None, *, geom_type: str = "Polygon", context: dict | None = None) -> None:
        if geom_type not in GEOMETRY_TYPES:
            raise ValueError(f"geom_type must be one of {GEOMETRY_TYPES}, not {geom_type!r}")
        self.geom_type = geom_type
        self.context = context  # a GeoJSON geometry drawn as a dashed outline for context, not edited
        super().__init__({"rows": 4, "class": "geojson-map__text", **(attrs or {})})

    def format_value(self, value):
        # forms.JSONField hands over json.dumps(None) == "null" for an empty field.
        if value in (None, "", "null"):
            return ""
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        config = getattr(settings, "LEAFLET_CONFIG", {})
        tiles = config.get("TILES") or []
        tile_url, tile_options = "", {}
        if tiles:
            _label, tile_url, *rest = tiles[0]
            tile_options = rest[0] if rest else {}
        center = config.get("DEFAULT_CENTER") or (0, 0)
        context["map"] = {
            "geom_type": self.geom_type,
            "tile_url": tile_url,
            "tile_attribution": tile_options.get("attribution", ""),
            "max_zoom": tile_options.get("maxZoom", 18),
            "center": json.dumps(list(center)),
            "zoom": config.get("DEFAULT_ZOOM", 9),
            "context": json.dumps(self.context, ensure_ascii=False) if self.context else "",
        }
        return context


class UnitTreeCheckboxes(forms.CheckboxSelectMultiple):
    """Grid units as a tree of checkboxes (a county, its townships, their villages): each box
    stands for its whole subtree, so ticking a township also ticks (and sends nothing more for)
    the units under it — "select all under". The choices' queryset must be in tree order
    (``tree_id``, ``lft``); the tree is built from the units' ``level`` and ``parent_id``, with no
    query beyond the choices' own."""

    template_name = "grids/widgets/unit_tree.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = {str(v) for v in (value or [])}
        nodes: dict[int, dict] = {}
        roots: list[dict] = []
        base_id = (attrs or {}).get("id") or f"id_{name}"
        for index, (choice, _label) in enumerate(self.choices):
            unit = getattr(choice, "instance", None)
            if unit is None:
                continue
            node = {
                "unit": unit,
                "label": unit.name,
                "value": unit.pk,
                "id": f"{base_id}_{index}",
                "checked": str(unit.pk) in selected,
                "children": [],
            }
            nodes[unit.pk] = node
            parent = nodes.get(unit.parent_id)
            (parent["children"] if parent else roots).append(node)
        context["widget"]["tree"] = roots
        return context


class UnitChooser(forms.TextInput):
    """One grid unit picked by searching, never a drop-down of every unit: the page holds only
    the chosen unit (its id and its name); ``static/js/unit-chooser.js`` turns the field into a
    tom-select box that asks ``grids:unit_choices`` for the units in scope matching what is typed
    (20 at a time) or, on an empty box, for the person's top units and their children. Without
    script it stays a text field holding the unit's number. Use it through
    ``grids.choices.UnitChooserField`` (the field hands over its scoped queryset as ``choices``)."""

    template_name = "grids/widgets/unit_chooser.html"

    class Media:
        css: ClassVar[dict[str, tuple[str, ...]]] = {
            "all": ("vendor/tom-select/tom-select.default.min.css", "css/unit-chooser.css")
        }
        js = ("vendor/tom-select/tom-select.complete.min.js", "js/unit-chooser.js")

    def __init__(self, attrs: dict | None = None, *, empty_label: str = "") -> None:
        self.empty_label = empty_label
        self.choices = None  # set by the ModelChoiceField
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        value = getattr(value, "pk", value)
        return "" if value in (None, "") else str(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = None
        pk = context["widget"]["value"]
        queryset = getattr(self.choices, "queryset", None)
        if pk and str(pk).isdigit() and queryset is not None:
            chosen = queryset.filter(pk=int(pk)).select_related("parent").first()
        context["widget"]["chooser"] = {
            "url": reverse("grids:unit_choices"),
            "label": unit_choice_label(chosen) if chosen is not None else "",
            "empty_label": self.empty_label,
        }
        return context
