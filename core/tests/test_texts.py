"""Texts composed at display time (``core/texts.py``): the stored Chinese text in Chinese and
whenever a ref cannot be composed; the pattern filled with the parameters' English in English."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy

from core.texts import name_ref, ref, register, shown

register("core_test.sent", gettext_lazy("Sent: %(title)s"))
register("core_test.count", gettext_lazy("Delivered to %(units)d units and %(departments)d departments."))


class Row:
    def __init__(self, text):
        self.name, self.name_en = text


def test_a_ref_stores_chinese_whatever_the_writer_speaks():
    with translation.override("en"):
        value = ref("core_test.sent", title=name_ref(Row(("暴雨", "Rainstorm"))))
    assert value["text"] == "已发送：暴雨"


def test_shown_in_each_language():
    value = ref("core_test.sent", title=ref("core_test.count", units=3, departments=1))
    with translation.override("zh-hans"):
        assert shown(value, "stored") == "stored"
    with translation.override("en"):
        assert shown(value, "stored") == "Sent: Delivered to 3 units and 1 departments."


def test_the_stored_text_when_a_ref_cannot_be_composed():
    with translation.override("en"):
        assert shown({"key": "no.such.key", "params": {}, "text": "旧"}, "旧的") == "旧的"
        assert shown({"key": "core_test.sent", "params": {}, "text": "旧"}, "") == "旧"  # a parameter missing
        assert shown({"text": "暴雨", "en": ""}, "") == "暴雨"
        assert shown(None, "存") == "存"
