"""Supervision's landing page: what the user may open of the committees' oversight."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chibo.supervision import selectors_hub


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "supervision/hub.html",
        {
            "mine": selectors_hub.mine(request.user),
            "cards": selectors_hub.committee_cards(request.user),
        },
    )
