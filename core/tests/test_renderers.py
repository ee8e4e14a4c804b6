"""The form renderer's Python widgets write the stock templates' markup exactly, and a widget
template overridden in ``templates/`` is still rendered from the override."""

import datetime

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.test import override_settings

from core.renderers import QuickRenderer

HOSTILE = "<b>\"甲\" & '乙'</b>"

WIDGETS = [
    (forms.TextInput(attrs={"placeholder": HOSTILE, "type": "search"}), "q", HOSTILE),
    (forms.TextInput(), "q", None),
    (forms.NumberInput(attrs={"min": 0, "step": "any"}), "n", 12),
    (forms.DateInput(attrs={"type": "date"}), "d", datetime.date(2026, 11, 17)),
    (forms.CheckboxInput(), "c", True),
    (forms.CheckboxInput(), "c", False),
    (forms.HiddenInput(), "h", "x&y"),
    (forms.PasswordInput(render_value=True), "p", "secret"),
    (forms.EmailInput(attrs={"required": True, "disabled": False}), "e", "a@b.cn"),
    (forms.Select(choices=[("", "全部"), ("1", "一级"), (2, HOSTILE)]), "s", "1"),
    (forms.Select(choices=[("", "—"), ("地质灾害", [("a", "滑坡"), ("b", "崩塌")]), ("c", "其他")]), "g", "b"),
    (forms.SelectMultiple(choices=[(1, "甲"), (2, "乙"), (3, "丙")]), "m", [1, 3]),
    (forms.Select(choices=[]), "empty", None),
]


@pytest.mark.parametrize(("widget", "name", "value"), WIDGETS)
def test_the_python_widgets_write_the_stock_markup(widget, name, value):
    stock = widget.render(name, value, attrs={"id": f"id_{name}"}, renderer=TemplatesSetting())
    quick = widget.render(name, value, attrs={"id": f"id_{name}"}, renderer=QuickRenderer())
    assert quick == stock
    assert "<b>" not in quick  # people's text is escaped


def test_a_whole_form_renders_the_same(db):
    from hazards.filters import HazardFilterSet
    from hazards.models import Hazard

    data = {"q": HOSTILE, "grade": "major", "overdue": "on", "found_from": "2026-11-01"}
    stock = HazardFilterSet(data, queryset=Hazard.objects.none())
    quick = HazardFilterSet(data, queryset=Hazard.objects.none())
    stock.form.renderer, quick.form.renderer = TemplatesSetting(), QuickRenderer()
    assert str(quick.form) == str(stock.form)


def test_an_overridden_widget_template_is_rendered_from_the_override(tmp_path, settings):
    folder = tmp_path / "django" / "forms" / "widgets"
    folder.mkdir(parents=True)
    (folder / "select.html").write_text('<select class="ours" name="{{ widget.name }}"></select>')
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates):
        html = forms.Select(choices=[("1", "一")]).render("s", "1", renderer=QuickRenderer())
        text = forms.TextInput().render("t", "v", renderer=QuickRenderer())
    assert html == '<select class="ours" name="s"></select>'
    assert text == forms.TextInput().render("t", "v", renderer=TemplatesSetting())
