"""`chibo.core.flow`: where a service's refusal is shown."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from chibo.core.errors import ServiceError
from chibo.core.flow import attempt, submit


class UploadForm(forms.Form):
    name = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _refuse(*_args):
    raise ServiceError("The file is empty.")


def test_submit_puts_a_refusal_on_the_form_or_on_the_named_field():
    request = _request()
    whole = UploadForm({"name": "x"})
    field = UploadForm({"name": "x"})

    assert not submit(request, whole, _refuse).ok
    outcome = submit(request, field, _refuse, error_field="name")

    assert whole.non_field_errors() == ["The file is empty."]
    assert field.errors["name"] == ["The file is empty."] and not field.non_field_errors()
    assert outcome.error == "The file is empty."
    assert list(get_messages(request)) == []


def test_attempt_reports_a_refusal_as_a_message_unless_the_page_shows_it():
    request = _request()

    shown_in_place = attempt(request, _refuse, errors_to_messages=False)
    assert (shown_in_place.ok, shown_in_place.error) == (False, "The file is empty.")
    assert list(get_messages(request)) == []

    attempt(request, _refuse)
    assert [str(message) for message in get_messages(request)] == ["The file is empty."]
