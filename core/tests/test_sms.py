"""The SMS backends' contract: every backend takes a message and a call and answers an id; the
HTTP gateway signs what it posts, and a gateway that is down or refuses raises SmsError (the
caller keeps the message queued). Signatures: HMAC-SHA256 of the sorted parameters, fresh only."""

from __future__ import annotations

import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from core import sms

SECRET = "county-secret"


class FakeGateway(BaseHTTPRequestHandler):
    received: list[dict] = []
    answer = (200, b'{"id": "gw-1"}')

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        fields = dict(urllib.parse.parse_qsl(body))
        FakeGateway.received.append({"fields": fields, "path": self.path, "signature": self.headers["X-Signature"]})
        status, payload = FakeGateway.answer
        self.send_response(status)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    server = HTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeGateway.received, FakeGateway.answer = [], (200, b'{"id": "gw-1"}')
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def http_backend(url: str) -> sms.BaseBackend:
    return sms.HttpGatewayBackend(
        {"url": url + "/send?to={to}", "params": {"account": "lingyun"}, "secret": SECRET, "timeout": 2}
    )


@pytest.fixture(params=["console", "locmem", "http"])
def backend(request, gateway):
    if request.param == "http":
        return http_backend(gateway)
    return sms.get_backend(request.param)


def test_every_backend_takes_a_message_and_a_call_and_answers_an_id(backend):
    sms.outbox.clear()
    assert backend.send(to="13800000001", text="请签收暴雨橙色预警", reference="d1:1:7")
    assert backend.call(to="13800000001", text="请签收暴雨橙色预警", reference="d1:3:7")


def test_the_locmem_backend_keeps_what_it_sent():
    sms.outbox.clear()
    sms.get_backend("locmem").send(to="13800000001", text="平安", reference="r1")
    assert [(m.to, m.text, m.kind) for m in sms.outbox] == [("13800000001", "平安", "sms")]


def test_the_default_backend_in_tests_is_locmem(settings):
    assert isinstance(sms.get_backend(), sms.LocmemBackend)
    settings.SMS_BACKEND = "core.sms.ConsoleBackend"
    assert isinstance(sms.get_backend(), sms.ConsoleBackend)


def test_the_http_gateway_posts_a_signed_request_from_the_settings(gateway):
    assert http_backend(gateway).send(to="13800000001", text="请签收", reference="d1:1:7") == "gw-1"
    (request,) = FakeGateway.received
    fields = request["fields"]
    assert request["path"] == "/send?to=13800000001"
    assert fields["account"] == "lingyun" and fields["text"] == "请签收" and fields["kind"] == "sms"
    assert request["signature"] == fields["signature"]
    assert sms.verify(fields, request["signature"], secret=SECRET)


@pytest.mark.parametrize("answer", [(500, b"down"), (200, b'{"ok": false, "error": "blacklisted"}')])
def test_a_gateway_that_refuses_raises_sms_error(gateway, answer):
    FakeGateway.answer = answer
    with pytest.raises(sms.SmsError):
        http_backend(gateway).send(to="13800000001", text="x", reference="r")


def test_a_gateway_that_is_down_raises_sms_error():
    with pytest.raises(sms.SmsError):
        http_backend("http://127.0.0.1:9").send(to="13800000001", text="x", reference="r")


def test_a_signature_holds_only_for_the_same_parameters_the_same_secret_and_a_fresh_time():
    params = {"reference": "d1:1:7", "status": "delivered", "timestamp": str(int(time.time()))}
    signature = sms.sign(params, SECRET)
    assert sms.verify(params, signature, secret=SECRET)
    assert not sms.verify({**params, "status": "failed"}, signature, secret=SECRET)
    assert not sms.verify(params, signature, secret="another")
    assert not sms.verify(params, "", secret=SECRET)
    assert not sms.verify(params, signature, secret="")
    stale = {**params, "timestamp": str(int(time.time()) - 3600)}
    assert not sms.verify(stale, sms.sign(stale, SECRET), secret=SECRET, max_age=600)
