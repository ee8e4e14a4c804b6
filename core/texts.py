"""Texts the system writes (a warning's generated headline, an inbox document, a duty-log line),
composed at display time so that they follow the reader's language.

The row keeps its Chinese text, as before, for old rows, exports and the Chinese interface; beside
it, the model's ``texts`` field (``core.models.ComposedTexts``) holds for each generated field a
*ref*: a pattern key and its parameters, ``{"key": "dispatch.warning_sent", "params": {...},
"text": "已发布：…"}``. A parameter is a plain value, a rule name in both languages
(``{"text": "暴雨", "en": "Rainstorm"}``, from ``name_ref``) or another ref (a document's title
built on the warning's generated headline). In Chinese the stored text is shown, unchanged; in
English the pattern (a gettext'd English msgid, registered here or in an app's ``texts.py``) is
filled with the parameters' English, and the stored text is the fallback whenever a key is
unknown or a parameter missing.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.utils import translation

from core.models import english_active

Pattern = Callable[[Mapping[str, Any]], str]
PATTERNS: dict[str, Pattern] = {}


def register(key: str, pattern) -> None:
    """``pattern``: a lazy gettext'd ``%(name)s`` string, or a function of the shown parameters."""
    PATTERNS[key] = pattern if inspect.isfunction(pattern) else (lambda params, p=pattern: str(p) % params)


def name_ref(row) -> dict:
    """A rule row's name in both languages (``core.models.RuleName``), kept with the text."""
    return {"text": row.name, "en": getattr(row, "name_en", "")}


def label_ref(label) -> dict:
    """A translated label (a choice's ``label``, a lazy gettext string) in both languages."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(label)
    with translation.override("en"):
        return {"text": text, "en": str(label)}


def paragraphs(*parts) -> dict | str:
    """Parts (plain text or refs) one paragraph each: a ref when any part is one."""
    parts = [part for part in parts if part]
    if not any(isinstance(part, Mapping) for part in parts):
        return "\n\n".join(parts)
    return ref("core.paragraphs", **{f"p{n}": part for n, part in enumerate(parts)})


def text_of(value) -> str:
    """The stored (Chinese) text of a plain value or a ref."""
    return str(value["text"]) if isinstance(value, Mapping) else str(value)


def texts_of(**fields) -> dict:
    """The ``texts`` of a row: the refs among ``fields`` (plain text needs none)."""
    return {name: value for name, value in fields.items() if isinstance(value, Mapping)}


def ref(key: str, **params) -> dict:
    """A ref for ``key`` with ``params``, its ``text`` composed in the site's language (Chinese):
    the text the row stores."""
    value = {"key": key, "params": params}
    with translation.override(settings.LANGUAGE_CODE):
        value["text"] = _compose(value)
    return value


def shown(value: Any, fallback: str = "") -> str:
    """``value`` (a plain value, a name or a ref) in the active language; ``fallback`` (the stored
    text) in Chinese, or when the ref cannot be composed."""
    if not isinstance(value, Mapping):
        return fallback if value is None or value == "" else str(value)
    stored = fallback or str(value.get("text", ""))
    if not english_active():
        return stored
    if "key" not in value:  # a name: its English when it has one
        return str(value.get("en") or stored)
    try:
        return _compose(value)
    except (KeyError, TypeError, ValueError):
        return stored


def _compose(value: Mapping) -> str:
    params = {
        name: shown(param) if isinstance(param, Mapping) else param
        for name, param in (value.get("params") or {}).items()
    }
    return PATTERNS[value["key"]](params)


class Shown:
    """``{{ entry.shown.summary }}``: the field in the reader's language (``ComposedTexts.shown``)."""

    def __init__(self, row) -> None:
        self._row = row

    def __getattr__(self, field: str) -> str:
        if field.startswith("_"):
            raise AttributeError(field)
        stored = getattr(self._row, field)
        value = (self._row.texts or {}).get(field)
        if value is None:
            return stored
        return shown(value, stored or "")


register(
    "core.paragraphs",
    lambda params: "\n\n".join(str(params[name]) for name in sorted(params, key=lambda n: int(n[1:]))),
)
