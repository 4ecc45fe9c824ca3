"""Sending the fuzzer's values the way a hostile client would."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.fuzz.htmlforms import Form
from tests.fuzz.strategies import ABSENT


def _clean(value: str) -> str:
    # The test client's multipart encoder cannot carry a lone surrogate; a browser would send
    # U+FFFD. (The urlencoded body below sends the raw, invalid UTF-8 bytes instead.)
    return value.encode("utf-8", "replace").decode("utf-8")


def submit(client, form: Form, values: dict, *, path: str | None = None):
    """POST `values` to the form's action (or `path`): urlencoded bytes (invalid UTF-8
    included) or, when the form takes files, multipart."""
    headers = {"HX-Request": "true"} if form.htmx else {}
    target = path or form.action
    present = {name: value for name, value in values.items() if value is not ABSENT}
    if form.multipart:
        data = {}
        for name, value in present.items():
            if isinstance(value, tuple):
                data[name] = SimpleUploadedFile(value[0], value[1])
            elif isinstance(value, list):
                data[name] = [_clean(item) for item in value]
            else:
                data[name] = _clean(value)
        return client.post(target, data, headers=headers)
    body = urlencode(
        [(name, value) for name, value in present.items() if not isinstance(value, tuple)],
        doseq=True,
        encoding="utf-8",
        errors="surrogatepass",
    )
    return client.generic(
        "POST",
        target,
        body.encode("ascii"),
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )


def query(client, path: str, values: dict, *, htmx: bool = False):
    """GET `path` with `values` as its query string (invalid UTF-8 included)."""
    present = [(k, v) for k, v in values.items() if v is not ABSENT]
    string = urlencode(present, doseq=True, encoding="utf-8", errors="surrogatepass")
    joiner = "&" if "?" in path else "?"
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(path + joiner + string if string else path, headers=headers)
