"""Resolutions outward (issue 10): after signing, the secretary records the bodies of the area
that received the cell's resolution (or its extract for the public), prints a notice for each,
and records their receipt; the cell's follow-up page shows who has not acknowledged yet."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.exports.responses import pdf_response
from chibo.core.flow import submit
from chibo.core.text import fold
from chibo.meetings import access, selectors_outward, services
from chibo.meetings.access import MANAGE
from chibo.meetings.documents.notice import render_notice_pdf
from chibo.meetings.forms_outward import AcknowledgeForm, RecipientForm
from chibo.meetings.models import Meeting
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for


def _page_url(meeting: Meeting) -> str:
    return reverse("meetings:outward", args=[meeting.pk])


def _render_page(
    request: HttpRequest, meeting: Meeting, form: Any = None, *, status: int = 200
) -> HttpResponse:
    context = {
        "meeting": meeting,
        "recipients": selectors_outward.recipients_of(meeting),
        "can_manage": access.can_manage(request.user, meeting.organization),
        "form": form or RecipientForm(),
        "title": _("Where the resolution went"),
        "breadcrumbs": breadcrumbs_for(
            meeting.organization, scope_for(request.user), last_label=str(meeting)
        ),
    }
    return render(request, "meetings/outward/meeting.html", context, status=status)


@login_required
@require_GET
def outward(request: HttpRequest, pk: int) -> HttpResponse:
    """The recipients of a signed meeting's resolution, with the form to add one."""
    meeting = access.get_meeting_for_user(request.user, pk)
    return _render_page(request, meeting)


@login_required
@require_POST
def recipient_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=MANAGE)
    form = RecipientForm(request.POST)
    outcome = submit(
        request,
        form,
        lambda data: services.recipient_add(actor=request.user, meeting=meeting, **data),
        success=_("The recipient is recorded."),
    )
    if outcome.ok:
        return redirect(_page_url(meeting))
    return _render_page(request, meeting, form, status=400)


@login_required
@require_POST
def recipient_acknowledge(request: HttpRequest, pk: int, recipient_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=MANAGE)
    recipient = access.get_recipient(meeting, recipient_pk)
    submit(
        request,
        AcknowledgeForm(request.POST),
        lambda data: services.recipient_acknowledge(
            actor=request.user, recipient=recipient, **data
        ),
        success=_("The receipt is recorded."),
        errors_to_messages=True,
    )
    return redirect(_page_url(meeting))


@login_required
@require_GET
def notice_pdf(request: HttpRequest, pk: int, recipient_pk: int) -> HttpResponse:
    """The printable notice that goes with the resolution to one recipient (A4 PDF)."""
    meeting = access.get_meeting_for_user(request.user, pk)
    recipient = access.get_recipient(meeting, recipient_pk)
    secretary = selectors_outward.secretary_name(meeting.organization)
    content = render_notice_pdf(meeting, recipient, secretary)
    filename = slugify(fold(f"thong bao {recipient.name} {meeting.date.isoformat()}")) + ".pdf"
    return pdf_response(content, filename, inline=True, cache_control="private, no-store")


@login_required
@require_GET
def cell_outward(request: HttpRequest, cell_pk: int) -> HttpResponse:
    """The cell's follow-up of its resolutions outward: per signed meeting, who received the
    resolution and who has not acknowledged it yet."""
    cell = access.get_cell_for_meetings(request.user, cell_pk)
    context = {
        "cell": cell,
        "entries": selectors_outward.cell_outward(cell),
        "title": _("Resolutions sent outward"),
        "breadcrumbs": breadcrumbs_for(
            cell, scope_for(request.user), last_label=_("Resolutions sent outward")
        ),
    }
    return render(request, "meetings/outward/cell.html", context)
