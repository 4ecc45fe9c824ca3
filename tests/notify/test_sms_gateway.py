"""Issue 10, the SMS adapter's contract, against a fake gateway on 127.0.0.1 (never a real
network): POST JSON {to, text} with a bearer token; a clear error on a non-2xx answer."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chibo.notify import sms


class FakeGateway(BaseHTTPRequestHandler):
    status = 200
    requests: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers["Content-Length"])
        self.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": dict(self.headers),
                "body": json.loads(self.rfile.read(length)),
            }
        )
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": "msg-42"} if self.status < 300 else {}).encode())

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def gateway_url():
    FakeGateway.requests = []
    FakeGateway.status = 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/sms"
    server.shutdown()
    server.server_close()


def test_http_gateway_posts_json_with_a_bearer_token(gateway_url):
    gateway = sms.HttpGateway(gateway_url, token="s3cret", timeout=5)
    assert gateway.send("0912345678", "Họp chi bộ 19:30 https://chibo.example.vn/meetings/7/") == (
        "msg-42"
    )
    (request,) = FakeGateway.requests
    assert request["method"] == "POST"
    assert request["path"] == "/v1/sms"
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["body"] == {
        "to": "0912345678",
        "text": "Họp chi bộ 19:30 https://chibo.example.vn/meetings/7/",
    }


def test_http_gateway_error_on_a_500(gateway_url):
    FakeGateway.status = 500
    with pytest.raises(sms.SmsError, match="HTTP 500"):
        sms.HttpGateway(gateway_url, token="s3cret").send("0912345678", "Họp chi bộ")


def test_settings_choose_the_gateway(settings, gateway_url):
    settings.CHIBO_SMS_GATEWAY = "log"
    assert isinstance(sms.get_gateway(), sms.LoggingGateway)
    settings.CHIBO_SMS_GATEWAY = "http"
    settings.CHIBO_SMS_URL = gateway_url
    settings.CHIBO_SMS_TOKEN = "t"
    gateway = sms.get_gateway()
    assert isinstance(gateway, sms.HttpGateway) and gateway.url == gateway_url
    settings.CHIBO_SMS_URL = "ftp://127.0.0.1/"
    with pytest.raises(sms.SmsError):
        sms.get_gateway()
