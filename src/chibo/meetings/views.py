"""Meeting pages for scheduling and reading a meeting: the meeting policy of an organization,
a cell's meetings, the meeting itself (members included), moving and cancelling it, and its
documents. Preparation is in views_prepare."""

from __future__ import annotations

import datetime
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.flow import submit
from chibo.core.forms import whole_number
from chibo.core.scope import not_found
from chibo.meetings import selectors, services
from chibo.meetings.access import (
    MANAGE,
    can_conduct,
    can_confirm_score,
    can_manage,
    get_cell_for_meetings,
    get_document,
    get_meeting_for_user,
    get_organization_for_policy,
)
from chibo.meetings.deadlines import final_minutes_due
from chibo.meetings.forms import CancelForm, MeetingCreateForm, PolicyForm, RescheduleForm
from chibo.meetings.models import (
    EDITABLE_STATUSES,
    LIVE_STATUSES,
    Meeting,
    MeetingKind,
    MeetingPolicy,
    MeetingStatus,
)
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for
from chibo.proposals import access as proposal_access

# Statuses after which the minutes and resolution documents exist.
RECORDED_STATUSES = frozenset({MeetingStatus.CLOSED, MeetingStatus.SIGNED})


def meeting_breadcrumbs(request: HttpRequest, meeting: Meeting, last_label: str | None = None):
    """Units above the cell, the cell's meetings, the meeting (and a last page, if any)."""
    cell = meeting.organization
    crumbs = breadcrumbs_for(cell, scope_for(request.user))
    crumbs.append(
        {"url": reverse("meetings:cell_meetings", args=[cell.pk]), "label": _("Meetings")}
    )
    if last_label:
        crumbs.append({"url": reverse("meetings:detail", args=[meeting.pk]), "label": meeting})
        crumbs.append({"url": "", "label": last_label})
    else:
        crumbs.append({"url": "", "label": meeting})
    return crumbs


# -- meeting policy -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The meeting policy of an organization: its own, or the one it inherits."""
    organization = get_organization_for_policy(request.user, org_pk)
    own = MeetingPolicy.objects.filter(organization=organization).first()
    in_force = own or selectors.policy_for(organization)
    source = in_force or MeetingPolicy(term_start=timezone.localdate().replace(month=1, day=1))
    initial = {name: getattr(source, name) for name in services.POLICY_FIELDS}
    form = PolicyForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda d: services.policy_set(actor=request.user, organization=organization, **d),
            success=_("The meeting policy was saved."),
        ).ok
    ):
        return redirect("meetings:policy", org_pk=organization.pk)
    today = timezone.localdate()
    context = {
        "organization": organization,
        "form": form,
        "own": own,
        "in_force": in_force,
        "inherited_from": in_force.organization if in_force and not own else None,
        "next_days": services.next_meeting_days(in_force, today=today) if in_force else [],
        "breadcrumbs": breadcrumbs_for(
            organization, scope_for(request.user), last_label=_("Meeting policy")
        ),
    }
    return render(request, "meetings/policy.html", context)


@login_required
@require_POST
def policy_generate(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Generate the coming months' regular meetings for every cell under the organization."""
    organization = get_organization_for_policy(request.user, org_pk)
    created = services.meetings_generate(actor=request.user, organization=organization)
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)s regular meeting was created.",
                "%(count)s regular meetings were created.",
                created,
            )
            % {"count": created},
        )
    else:
        messages.info(
            request,
            _(
                "No meeting was created: every coming month already has its regular meeting, "
                "or no meeting policy is in force."
            ),
        )
    return redirect("meetings:policy", org_pk=organization.pk)


# -- a cell's meetings ----------------------------------------------------------------------


def _year_from(request: HttpRequest, default: int) -> int:
    value = request.GET.get("year", "")
    year = whole_number(value, limit=2100)
    return year if year is not None and year >= 1990 else default


def _create_form(request: HttpRequest, cell: Organization) -> MeetingCreateForm:
    """The form to schedule a meeting, with the time and place of the policy in force."""
    in_force = selectors.policy_for(cell)
    return MeetingCreateForm(
        request.POST or None,
        initial={
            "kind": MeetingKind.REGULAR,
            "time": in_force.default_time if in_force else datetime.time(19, 30),
            "place": cell.address or (in_force.default_place if in_force else ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cell_meetings(request: HttpRequest, cell_pk: int) -> HttpResponse:
    """A cell's upcoming and past meetings, and (for its managers) a form to schedule one."""
    cell = get_cell_for_meetings(request.user, cell_pk)
    manager = can_manage(request.user, cell)
    # Scheduling is the cell's managers' job; members only read the list.
    if request.method == "POST" and not manager:
        raise PermissionDenied
    today = timezone.localdate()
    form = _create_form(request, cell) if manager else None
    if form is not None and request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda d: services.meeting_create(actor=request.user, organization=cell, **d),
            success=_("The meeting was scheduled."),
        )
        if outcome.ok:
            return redirect("meetings:detail", pk=outcome.result.pk)
    year = _year_from(request, today.year)
    years = sorted(
        {day.year for day in Meeting.objects.filter(organization=cell).dates("date", "year")}
        | {today.year},
        reverse=True,
    )
    context = {
        "cell": cell,
        "can_manage": manager,
        "form": form,
        "upcoming": selectors.upcoming_meetings_of_cell(cell, today=today),
        "past": selectors.past_meetings_of_cell(cell, year=year, today=today),
        "year": year,
        "years": years,
        "thematic_warning": selectors.thematic_warning(cell, today=today),
        "show_form": request.method == "POST",
        "breadcrumbs": breadcrumbs_for(cell, scope_for(request.user), last_label=_("Meetings")),
    }
    return render(request, "meetings/cell_meetings.html", context)


# -- one meeting ----------------------------------------------------------------------------


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as everyone who may read it sees it; managers also get its actions."""
    meeting = get_meeting_for_user(request.user, pk)
    member_id = scope_for(request.user).member_id
    manager = can_manage(request.user, meeting.organization)
    context = {
        "meeting": meeting,
        "cell": meeting.organization,
        "agenda_items": meeting.agenda_items.all(),
        "documents": meeting.documents.all(),
        "my_assignments": selectors.assignments_given_to(meeting, member_id),
        "can_manage": manager,
        "can_conduct": can_conduct(request.user, meeting),
        "can_confirm": can_confirm_score(request.user, meeting),
        "can_record_proposals": meeting.status != MeetingStatus.CANCELLED
        and proposal_access.may_record_for_others(request.user, meeting.organization),
        "editable": meeting.status in EDITABLE_STATUSES,
        "live": meeting.status in LIVE_STATUSES,
        "recorded": meeting.status in RECORDED_STATUSES,
        "preparation": getattr(meeting, "preparation", None) if manager else None,
        "final_due": final_minutes_due(meeting, today=timezone.localdate()),
        "breadcrumbs": meeting_breadcrumbs(request, meeting),
    }
    return render(request, "meetings/detail.html", context)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    """A meeting document, for everyone who may read the meeting."""
    meeting = get_meeting_for_user(request.user, pk)
    document = get_document(meeting, doc_pk)
    name = document.file.name
    if not name or not document.file.storage.exists(name):
        raise not_found()
    inline = document.content_type in ("application/pdf", "image/jpeg", "image/png")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=not inline,
        filename=os.path.basename(name),
        content_type=document.content_type or "application/octet-stream",
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a meeting that has not started; members are told, with the reason."""
    meeting = get_meeting_for_user(request.user, pk, need=MANAGE)
    form = RescheduleForm(
        request.POST or None,
        initial={"date": meeting.date, "time": meeting.time, "place": meeting.place},
    )
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda d: services.meeting_reschedule(
                actor=request.user,
                meeting=meeting,
                date=d["date"],
                time=d["time"],
                place=d["place"] or meeting.place,
                reason=d["reason"],
            ),
            success=_("The meeting was moved and members were told."),
        ).ok
    ):
        return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_change.html",
        {
            "meeting": meeting,
            "form": form,
            "title": _("Move the meeting"),
            "submit": _("Move the meeting"),
            "danger": False,
            "breadcrumbs": meeting_breadcrumbs(request, meeting, _("Reschedule")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a meeting that has not started; members are told, with the reason."""
    meeting = get_meeting_for_user(request.user, pk, need=MANAGE)
    form = CancelForm(request.POST or None)
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda d: services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=d["reason"]
            ),
            success=_("The meeting was cancelled and members were told."),
        ).ok
    ):
        return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_change.html",
        {
            "meeting": meeting,
            "form": form,
            "title": _("Cancel the meeting"),
            "submit": _("Cancel the meeting"),
            "danger": True,
            "breadcrumbs": meeting_breadcrumbs(request, meeting, _("Cancel the meeting")),
        },
    )
