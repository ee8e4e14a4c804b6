"""Text messages and voice calls to phones, through a backend chosen by ``settings.SMS_BACKEND``.

- ``"console"`` (the default): writes each message to the log, like Django's console e-mail backend;
- ``"locmem"`` (tests): keeps them in ``core.sms.outbox``, like ``django.core.mail.outbox``;
- ``"http"``: the county's own SMS platform, a generic HTTP gateway configured by ``SMS_GATEWAY``
  (``url`` a template with ``{to}``/``{reference}``, ``params`` added to every request, ``secret`` that
  signs it with HMAC-SHA256, ``timeout``); a dotted path names any other class.

A backend's ``send(to=…, text=…, reference=…)`` (and ``call(…)`` for a voice call) answers the
gateway's id for the message, or raises ``SmsError`` when the gateway is unreachable or refuses it:
the caller keeps the message queued and tries again later (``delivery.texts``), so a gateway that is
down delays the messages and never loses one. Nothing here touches the database.

Delivery reports come back signed the same way: ``verify(params, signature)`` checks them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

ALIASES = {
    "console": "core.sms.ConsoleBackend",
    "locmem": "core.sms.LocmemBackend",
    "http": "core.sms.HttpGatewayBackend",
}
SIGNATURE_HEADER = "X-Signature"


class SmsError(Exception):
    """The gateway did not take the message (unreachable, refused, an answer it could not read)."""


@dataclass
class Sent:
    """One message as a backend saw it (the locmem outbox keeps these)."""

    to: str
    text: str
    reference: str
    kind: str = "sms"
    gateway_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


outbox: list[Sent] = []  # the locmem backend's messages; tests empty it


class BaseBackend:
    """What every backend offers. ``reference`` is ours (unique per message): a gateway that is
    given the same reference twice may send once, and reports come back with it."""

    def send(self, *, to: str, text: str, reference: str) -> str:
        raise NotImplementedError

    def call(self, *, to: str, text: str, reference: str) -> str:
        """A voice call reading ``text``; backends without calls send it as a message."""
        return self.send(to=to, text=text, reference=reference)


class ConsoleBackend(BaseBackend):
    def send(self, *, to: str, text: str, reference: str) -> str:
        log.info("SMS to %s [%s]: %s", to, reference, text)
        return f"console-{reference}"

    def call(self, *, to: str, text: str, reference: str) -> str:
        log.info("voice call to %s [%s]: %s", to, reference, text)
        return f"console-{reference}"


class LocmemBackend(BaseBackend):
    def send(self, *, to: str, text: str, reference: str) -> str:
        outbox.append(Sent(to=to, text=text, reference=reference, gateway_id=f"locmem-{reference}"))
        return f"locmem-{reference}"

    def call(self, *, to: str, text: str, reference: str) -> str:
        outbox.append(Sent(to=to, text=text, reference=reference, kind="call", gateway_id=f"locmem-{reference}"))
        return f"locmem-{reference}"


def _gateway() -> dict[str, Any]:
    return dict(getattr(settings, "SMS_GATEWAY", {}) or {})


def canonical(params: Mapping[str, Any]) -> bytes:
    """The signed text: the parameters sorted by name, ``name=value`` joined by ``&`` (signature aside)."""
    pairs = sorted((str(k), str(v)) for k, v in params.items() if k != "signature")
    return urllib.parse.urlencode(pairs).encode()


def sign(params: Mapping[str, Any], secret: str | None = None) -> str:
    """HMAC-SHA256 (hex) of ``canonical(params)`` with the gateway's secret."""
    key = (secret if secret is not None else _gateway().get("secret", "")).encode()
    return hmac.new(key, canonical(params), hashlib.sha256).hexdigest()


def verify(params: Mapping[str, Any], signature: str, *, secret: str | None = None, max_age: int | None = None) -> bool:
    """Whether ``signature`` signs ``params`` with the gateway's secret, and (when the parameters
    carry a ``timestamp``) they are not older than ``max_age`` seconds (``SMS_GATEWAY["max_age"]``,
    600). No secret configured: nothing verifies."""
    secret = secret if secret is not None else _gateway().get("secret", "")
    if not secret or not signature:
        return False
    if not hmac.compare_digest(sign(params, secret), str(signature)):
        return False
    max_age = max_age if max_age is not None else int(_gateway().get("max_age", 600))
    stamp = params.get("timestamp")
    if stamp is not None:
        try:
            return abs(time.time() - int(stamp)) <= max_age
        except (TypeError, ValueError):
            return False
    return True


class HttpGatewayBackend(BaseBackend):
    """A generic HTTP gateway: POSTs the form ``params`` + ``to``, ``text``, ``reference``, ``kind``
    and ``timestamp`` to ``url`` (a template: ``{to}``, ``{reference}``, ``{kind}``), signed with
    HMAC-SHA256 in the ``X-Signature`` header and a ``signature`` field. A 2xx answer with JSON
    ``{"id": …}`` (or any 2xx: the reference stands for the id) means taken."""

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config = dict(config if config is not None else _gateway())
        if not self.config.get("url"):
            raise SmsError("SMS_GATEWAY['url'] is not set")

    def _post(self, *, kind: str, to: str, text: str, reference: str) -> str:
        fields = {
            **{str(k): str(v) for k, v in (self.config.get("params") or {}).items()},
            "to": to,
            "text": text,
            "reference": reference,
            "kind": kind,
            "timestamp": str(int(time.time())),
        }
        signature = sign(fields, self.config.get("secret", ""))
        url = str(self.config["url"]).format(
            to=urllib.parse.quote(to), reference=urllib.parse.quote(reference), kind=kind
        )
        body = urllib.parse.urlencode({**fields, "signature": signature}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the administrator's setting
            url, data=body, method="POST", headers={SIGNATURE_HEADER: signature}
        )
        try:
            with urllib.request.urlopen(request, timeout=float(self.config.get("timeout", 10))) as response:  # noqa: S310
                answer = response.read(65536)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SmsError(f"{type(exc).__name__}: {exc}") from exc
        try:
            data = json.loads(answer or b"{}")
        except ValueError:
            data = {}
        if isinstance(data, dict) and data.get("ok") is False:
            raise SmsError(str(data.get("error") or "refused"))
        return str(data.get("id") or reference) if isinstance(data, dict) else reference

    def send(self, *, to: str, text: str, reference: str) -> str:
        return self._post(kind="sms", to=to, text=text, reference=reference)

    def call(self, *, to: str, text: str, reference: str) -> str:
        return self._post(kind="call", to=to, text=text, reference=reference)


def get_backend(name: str | None = None) -> BaseBackend:
    """The backend ``name`` (an alias or a dotted path), by default ``settings.SMS_BACKEND``."""
    name = name or getattr(settings, "SMS_BACKEND", "console") or "console"
    return import_string(ALIASES.get(name, name))()
