"""Supervision's landing page: what the user may open of the committees' oversight."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chibo.supervision import access


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    committees = list(access.read_committees(request.user))
    return render(
        request,
        "supervision/hub.html",
        {"committees": committees, "reads_committee": bool(committees)},
    )
