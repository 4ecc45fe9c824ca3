"""The one way a view runs a bound form through a service (STYLE.md: parse → access → service →
respond).

Seventy-odd views repeated "form valid → service → ServiceError → message → redirect". They now
call `submit()`, which validates, calls the service with the cleaned data, puts a refusal on the
form (or into the messages when the page has no form to show), and adds the success message.
`answer()` gives htmx requests the partial and everything else a redirect (or the full page).
Request detection is django-htmx's `request.htmx`; nothing here hand-rolls it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chibo.core.errors import ServiceError


@dataclass(frozen=True)
class Outcome:
    """What happened to a submitted form: `ok` with the service's `result`, or refused (the
    reasons are on the form or in the messages already)."""

    ok: bool
    result: Any = None
    error: str = ""


def error_text(error: ServiceError) -> str:
    """A service refusal as one sentence (several reasons are joined with '; ')."""
    return "; ".join(str(message) for message in error.messages)


def form_error_text(form: forms.BaseForm) -> str:
    """The form's errors as one sentence, for pages that show no form (a button, a row)."""
    texts: list[str] = []
    for errors in form.errors.values():
        texts.extend(str(error) for error in errors)
    return "; ".join(texts)


def is_htmx(request: HttpRequest) -> bool:
    """Whether django-htmx saw an htmx request (its middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str | Callable[[Any], str] | None = None,
    errors_to_messages: bool = False,
    error_field: str | None = None,
) -> Outcome:
    """Validate `form` and, when valid, call `action(cleaned_data)` — a service call.

    A `ServiceError` is shown as a non-field error on the form (on `error_field` when the
    refusal is about one field, e.g. an unreadable upload), or as an error message when
    `errors_to_messages` is set (buttons and rows that re-render no form). Invalid input is
    reported the same way. `success` (a sentence, or a function of the result) becomes a
    success message. Nothing is changed on a refusal: the service's transaction rolled back.
    """
    if not form.is_valid():
        text = form_error_text(form)
        if errors_to_messages:
            messages.error(request, text)
        return Outcome(ok=False, error=text)
    try:
        result = action(dict(form.cleaned_data))
    except ServiceError as error:
        text = error_text(error)
        if errors_to_messages:
            messages.error(request, text)
        else:
            form.add_error(error_field, error)
        return Outcome(ok=False, error=text)
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return Outcome(ok=True, result=result)


def attempt(
    request: HttpRequest,
    action: Callable[[], Any],
    *,
    success: str | Callable[[Any], str] | None = None,
    errors_to_messages: bool = True,
) -> Outcome:
    """Call a service that takes no form (a button): a refusal becomes an error message, or,
    with `errors_to_messages=False`, only `Outcome.error`, for a page that shows the refusal
    in place (it re-renders rather than redirects)."""
    try:
        result = action()
    except ServiceError as error:
        text = error_text(error)
        if errors_to_messages:
            messages.error(request, text)
        return Outcome(ok=False, error=text)
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return Outcome(ok=True, result=result)


def answer(
    request: HttpRequest,
    *,
    partial: str,
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
    redirect_to: str,
) -> HttpResponse:
    """htmx requests get `partial` rendered with `context` (built only when needed, if given as
    a function); other requests are redirected to `redirect_to` (POST → redirect → GET)."""
    if not is_htmx(request):
        return redirect(redirect_to)
    data = context() if callable(context) else context
    return render(request, partial, dict(data))
