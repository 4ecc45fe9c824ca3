"""SMS: one small gateway interface, no vendor lock-in. `CHIBO_SMS_GATEWAY` chooses it: "log"
(the default: writes a line without personal data, sends nothing), "http" (POSTs JSON
{to, text} with a bearer token to `CHIBO_SMS_URL`), or the dotted path of a class (tests)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
import uuid
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway refused or could not be reached; the message is not sent."""


class Gateway(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Send `text` to `phone`; return the gateway's message id."""
        ...


def mask(phone: str) -> str:
    """Only the last three digits of a number are ever logged."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "*" * max(len(digits) - 3, 0) + digits[-3:]


class LoggingGateway:
    """Sends nothing: logs a masked number and the length of the text (never the text)."""

    def send(self, phone: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        logger.info("sms %s to %s, %d characters (not sent)", message_id, mask(phone), len(text))
        return message_id


class HttpGateway:
    """A generic HTTP gateway: POST {"to": phone, "text": text} as JSON with
    `Authorization: Bearer <CHIBO_SMS_TOKEN>` to `url`; a 2xx answer's JSON "id" (or the
    status) is the message id; anything else raises SmsError."""

    def __init__(self, url: str, token: str = "", timeout: float = 10.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise SmsError("CHIBO_SMS_URL must be an http(s) address")
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, phone: str, text: str) -> str:
        body = json.dumps({"to": phone, "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            raise SmsError(f"SMS gateway answered HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"SMS gateway unreachable: {type(error).__name__}") from error
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        message_id = answer.get("id") if isinstance(answer, dict) else None
        logger.info("sms to %s accepted by the gateway (HTTP %s)", mask(phone), status)
        return str(message_id or status)


def get_gateway() -> Gateway:
    choice = getattr(settings, "CHIBO_SMS_GATEWAY", "log") or "log"
    if choice == "log":
        return LoggingGateway()
    if choice == "http":
        return HttpGateway(
            settings.CHIBO_SMS_URL,
            token=settings.CHIBO_SMS_TOKEN,
            timeout=settings.CHIBO_SMS_TIMEOUT,
        )
    gateway: Gateway = import_string(choice)()
    return gateway
