"""The form renderer: Django's stock templates for inputs, selects and their options written in
Python, everything else through the templates (``TemplatesSetting``, so ``templates/`` may
override a widget).

A filter form of eleven fields with sixty options went through some two hundred template
includes (each option and each attribute list is one): about a fifth of a small scope's register
page. The markup is the stock templates' own, character for character
(``core/tests/test_renderers.py`` renders every widget both ways); a widget template that
``templates/`` overrides is rendered from the override."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting
from django.template.loader import get_template
from django.utils.html import conditional_escape

STOCK = "django/forms/widgets/"
# the stock templates that are only ``{% include "django/forms/widgets/input.html" %}``
INPUTS = frozenset(
    f"{STOCK}{name}.html"
    for name in ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "checkbox")
    + ("search", "tel", "color", "file")
)


def attrs_html(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: `` name="value"`` for each, a bare name for True, none for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def input_html(widget: dict) -> str:
    """``django/forms/widgets/input.html``."""
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{attrs_html(widget['attrs'])}>\n"
    )


def option_html(option: dict) -> str:
    """``django/forms/widgets/select_option.html``."""
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{attrs_html(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def select_html(widget: dict) -> str:
    """``django/forms/widgets/select.html`` with its options (stock option templates only)."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append(f"\n  {option_html(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


class QuickRenderer(TemplatesSetting):
    """``TemplatesSetting`` with the stock input and select templates written in Python."""

    def __init__(self):
        super().__init__()
        self._stock: dict[str, bool] = {}

    def _is_stock(self, template_name: str) -> bool:
        """Does ``template_name`` resolve to Django's own file (not an override in ``templates/``)?"""
        if template_name not in self._stock:
            origin = getattr(get_template(template_name), "origin", None)
            path = str(getattr(origin, "name", "") or "").replace("\\", "/")
            self._stock[template_name] = f"/django/forms/templates/{template_name}" in path
        return self._stock[template_name]

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and (template_name in INPUTS or template_name == f"{STOCK}select.html"):
            if template_name in INPUTS and all(
                self._is_stock(name) for name in (template_name, f"{STOCK}input.html", f"{STOCK}attrs.html")
            ):
                return input_html(widget).strip()  # as BaseRenderer.render strips the template's output
            if template_name == f"{STOCK}select.html" and self._quick_select(widget):
                return select_html(widget).strip()
        return super().render(template_name, context, request)

    def _quick_select(self, widget: dict) -> bool:
        names = {f"{STOCK}select.html", f"{STOCK}attrs.html"}
        for _group, options, _index in widget["optgroups"]:
            names.update(option["template_name"] for option in options)
        return names <= {f"{STOCK}select.html", f"{STOCK}attrs.html", f"{STOCK}select_option.html"} and all(
            self._is_stock(name) for name in names
        )
