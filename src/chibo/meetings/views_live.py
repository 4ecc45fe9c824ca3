"""The live meeting screen (phone first): open, roll call, agenda and speeches, assignments,
votes, close, score, wording and signatures, addenda.

One page with a tab per step (`?tab=`). Every write is a POST; htmx requests get the
changed partial back, other requests a redirect to the tab. Creating forms carry a
`client_token` so a retried request never records twice; editing forms carry the version the
phone saw, so a stale edit gets a clear message instead of overwriting someone else's."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chibo.core.errors import ServiceError
from chibo.core.rules import rule_in_force
from chibo.followup import services as followup_services
from chibo.followup.models import Assignment
from chibo.meetings import access, selectors, services
from chibo.meetings.access import CONDUCT, CONFIRM, MANAGE, READ
from chibo.meetings.forms_live import (
    AddendumForm,
    AgendaNotesForm,
    AssignmentForm,
    AssignmentReviewForm,
    AttendanceForm,
    CloseForm,
    CommendationForm,
    OpenForm,
    PasswordForm,
    RecordForm,
    SpeechForm,
    VoteForm,
    default_due_date,
)
from chibo.meetings.models import (
    EDITABLE_STATUSES,
    Addendum,
    AgendaItem,
    AttendanceStatus,
    Meeting,
    MeetingRecord,
    MeetingStatus,
    SignerRole,
    Speech,
    Vote,
)
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import Position, Role
from chibo.orgs.scope import scope_for

TABS = ("rollcall", "agenda", "assignments", "votes", "close", "score", "record")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _members(meeting: Meeting):
    return Member.objects.filter(cell=meeting.organization, status__in=ACTIVE_STATUSES).order_by(
        "name_sort_key", "id"
    )


def _tab_url(meeting: Meeting, tab: str) -> str:
    return f"{reverse('meetings:live', args=[meeting.pk])}?tab={tab}"


def _default_tab(meeting: Meeting) -> str:
    if meeting.status == MeetingStatus.IN_PROGRESS:
        return "rollcall"
    return "record"


def _notes_form(item: AgendaItem) -> AgendaNotesForm:
    """The notes form of an agenda item as recorded now (with its version)."""
    return AgendaNotesForm(
        initial={
            "notes": item.notes,
            "conclusion": item.conclusion,
            "deferred": item.deferred,
            "version": item.version,
        },
        prefix=f"item{item.pk}",
    )


def _summary_context(meeting: Meeting) -> dict[str, Any]:
    rows = selectors.attendance_rows(meeting)
    meeting._attendance_rows = rows  # type: ignore[attr-defined]
    summary = selectors.roll_call_summary(rows)
    return {
        "rows": rows,
        "summary": summary,
        "warnings": selectors.attendance_warnings(meeting, summary) if rows else [],
    }


def _live_context(request: HttpRequest, meeting: Meeting, tab: str, **extra: Any) -> dict:
    user = request.user
    conduct = access.can_conduct(user, meeting)
    ctx: dict[str, Any] = {
        "meeting": meeting,
        "tab": tab,
        "tabs": TABS,
        "tab_template": f"meetings/live/_{tab}.html",
        "can_conduct": conduct,
        "can_manage": access.can_manage(user, meeting.organization),
        "is_live": meeting.status == MeetingStatus.IN_PROGRESS,
        "is_closed": meeting.status == MeetingStatus.CLOSED,
        "is_signed": meeting.status == MeetingStatus.SIGNED,
        "can_edit_live": conduct and meeting.status == MeetingStatus.IN_PROGRESS,
        "statuses": AttendanceStatus.choices,
    }
    ctx.update(_summary_context(meeting))
    members = _members(meeting)
    items = meeting.agenda_items.all()
    if tab == "agenda":
        speeches = list(meeting.speeches.select_related("member", "agenda_item"))
        ctx["items"] = [
            (
                item,
                [s for s in speeches if s.agenda_item_id == item.pk],
                extra.get(f"item_form_{item.pk}") or _notes_form(item),
            )
            for item in items
        ]
        ctx["loose_speeches"] = [s for s in speeches if s.agenda_item_id is None]
        ctx["speech_form"] = extra.get("speech_form") or SpeechForm(
            members=members, items=items, initial={"client_token": uuid.uuid4()}
        )
        ctx["commendation_form"] = extra.get("commendation_form") or CommendationForm(
            members=members, initial={"client_token": uuid.uuid4()}
        )
        ctx["commendations"] = meeting.commendations.select_related("member")
        speakers, share = selectors.speakers_share(meeting, ctx["summary"])
        ctx["speakers"], ctx["speakers_share"] = speakers, share
    elif tab == "assignments":
        ctx["assignments"] = Assignment.objects.filter(source_meeting=meeting).prefetch_related(
            "members"
        )
        ctx["to_review"] = list(selectors.assignments_to_review(meeting))
        ctx["review_form"] = AssignmentReviewForm()
        ctx["assignment_form"] = extra.get("assignment_form") or AssignmentForm(
            members=members,
            initial={"client_token": uuid.uuid4(), "due_date": default_due_date(meeting.date)},
        )
    elif tab == "votes":
        ctx["votes"] = meeting.votes.select_related("subject_member")
        ctx["electorate"] = services.electorate_for(meeting)
        ctx["vote_form"] = extra.get("vote_form") or VoteForm(
            members=members, initial={"client_token": uuid.uuid4()}
        )
        ctx["majority_rule"] = rule_in_force(
            "vote.majority", organization=meeting.organization, on=meeting.date
        )
        ctx["two_thirds_rule"] = rule_in_force(
            "vote.two_thirds", organization=meeting.organization, on=meeting.date
        )
    elif tab == "close":
        ctx["close_form"] = extra.get("close_form") or CloseForm(
            initial={"started_at": meeting.started_at, "ended_at": None}
        )
        ctx["duration_rule"] = rule_in_force(
            "meeting.min_duration_minutes", organization=meeting.organization, on=meeting.date
        )
    elif tab == "score":
        ctx["lines"] = list(meeting.score_lines.all())
        ctx["score"] = getattr(meeting, "score", None)
        ctx["can_confirm"] = access.can_confirm_score(request.user, meeting)
        ctx["frame_rule"] = rule_in_force(
            "meeting.scoring_frame", organization=meeting.organization, on=meeting.date
        )
    elif tab == "record":
        record = MeetingRecord.objects.filter(meeting=meeting).first()
        ctx["record"] = record
        if record is not None:
            ctx["record_form"] = extra.get("record_form") or RecordForm(
                initial={
                    **{name: getattr(record, name) for name in services.RECORD_TEXT_FIELDS},
                    "version": record.version,
                }
            )
        ctx["signatures"] = meeting.signatures.filter(addendum__isnull=True).select_related(
            "member"
        )
        signed_roles = {s.role for s in ctx["signatures"]}
        member_id = scope_for(request.user).member_id
        ctx["my_roles"] = [
            role
            for role, person in (
                (SignerRole.CHAIR, meeting.chair_id),
                (SignerRole.MINUTE_TAKER, meeting.minute_taker_id),
            )
            if person and person == member_id and role not in signed_roles
        ]
        ctx["signed_by_me"] = any(s.member_id == member_id for s in ctx["signatures"])
        ctx["password_form"] = PasswordForm()
        ctx["addenda"] = meeting.addenda.prefetch_related("signatures__member")
        ctx["addendum_form"] = extra.get("addendum_form") or AddendumForm()
        ctx["is_signer"] = member_id in (meeting.chair_id, meeting.minute_taker_id)
        ctx["score"] = getattr(meeting, "score", None)
    return ctx


def _render_tab(request: HttpRequest, meeting: Meeting, tab: str, **extra: Any) -> HttpResponse:
    ctx = _live_context(request, meeting, tab, **extra)
    template = f"meetings/live/_{tab}.html" if _is_htmx(request) else "meetings/live.html"
    return render(request, template, ctx)


def _refetch(request: HttpRequest, pk: int) -> Meeting:
    return access.get_meeting_for_user(request.user, pk, need=READ)


@login_required
@require_GET
def live(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=READ)
    if meeting.status in EDITABLE_STATUSES:
        if not access.can_manage(request.user, meeting.organization):
            raise PermissionDenied
        return redirect("meetings:open", pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        return redirect("meetings:detail", pk=meeting.pk)
    # Members who do not run the meeting read it on the detail page until it is signed.
    if not access.can_conduct(request.user, meeting) and not access.can_confirm_score(
        request.user, meeting
    ):
        raise PermissionDenied
    tab = request.GET.get("tab") or _default_tab(meeting)
    if tab not in TABS:
        tab = _default_tab(meeting)
    if _is_htmx(request) and request.GET.get("part") == "summary":
        # Polled every 20 s so that a second phone sees the other's roll call add up.
        ctx = {"meeting": meeting, "is_live": meeting.status == MeetingStatus.IN_PROGRESS}
        ctx.update(_summary_context(meeting))
        return render(request, "meetings/live/_summary.html", ctx)
    return render(request, "meetings/live.html", _live_context(request, meeting, tab))


@login_required
def meeting_open(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=MANAGE)
    if meeting.status not in EDITABLE_STATUSES:
        return redirect("meetings:live", pk=meeting.pk)
    members = _members(meeting)
    secretary = (
        Position.objects.current()
        .filter(organization=meeting.organization, role=Role.SECRETARY)
        .select_related("member")
        .first()
    )
    # The upper-level committee member following the cell: one assigned to the cell itself
    # first, else one on the nearest committee above.
    upper = (
        Position.objects.current()
        .filter(
            role=Role.UPPER_COMMITTEE_MEMBER,
            organization__path__in=access.ancestor_paths(meeting.organization.path),
        )
        .select_related("member", "organization")
        .order_by("-organization__depth", "id")
        .first()
    )
    if request.method == "POST":
        form = OpenForm(request.POST, members=members)
        if form.is_valid():
            data = form.cleaned_data
            guests = []
            if data["guest_name"]:
                guest_member = (
                    upper.member
                    if upper and upper.member.full_name == data["guest_name"].strip()
                    else None
                )
                guests.append(
                    {
                        "name": data["guest_name"],
                        "title": data["guest_title"],
                        "is_upper_level": data["guest_is_upper_level"],
                        "member": guest_member,
                    }
                )
            try:
                services.meeting_open(
                    actor=request.user,
                    meeting=meeting,
                    chair=data["chair"],
                    minute_taker=data["minute_taker"],
                    guests=guests,
                    started_at=data["started_at"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The meeting is open. Call the roll."))
                return redirect(_tab_url(meeting, "rollcall"))
    else:
        initial: dict[str, Any] = {}
        if secretary is not None:
            initial["chair"] = secretary.member
        if upper is not None:
            initial["guest_name"] = upper.member.full_name
            initial["guest_title"] = _("%(role)s, %(organization)s") % {
                "role": upper.get_role_display(),
                "organization": upper.organization.name,
            }
        form = OpenForm(members=members, initial=initial)
    return render(request, "meetings/open.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def attendance_mark(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = AttendanceForm(request.POST)
    error: str = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.attendance_mark(
                actor=request.user,
                meeting=meeting,
                member_id=member_id,
                status=data["status"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except ServiceError as exc:
            error = str(exc.message)
    else:
        error = _("Choose an attendance status.")
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect(_tab_url(meeting, "rollcall"))
    ctx = _live_context(request, meeting, "rollcall")
    row = next((r for r in ctx["rows"] if r.member_id == member_id), None)
    if row is None:
        return HttpResponse(status=404)
    ctx.update({"row": row, "row_error": error, "oob": True})
    return render(request, "meetings/live/_attendance_row.html", ctx)


@login_required
@require_POST
def attendance_rest_present(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    try:
        count = services.attendance_mark_rest_present(actor=request.user, meeting=meeting)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)s member marked present.", "%(count)s members marked present.", count)
            % {"count": count},
        )
    return redirect(_tab_url(meeting, "rollcall"))


def _bound_or_error(request, meeting, tab, form_key, form, call) -> HttpResponse:
    """Run `call(cleaned_data)` for a valid form; answer with the tab (htmx) or a redirect;
    on a refused action keep the user's input and show the message."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if not _is_htmx(request):
                return redirect(_tab_url(meeting, tab))
            return _render_tab(request, _refetch(request, meeting.pk), tab)
    if not _is_htmx(request):
        for problem in form.non_field_errors():
            messages.error(request, str(problem))
        if not form.non_field_errors():
            messages.error(request, _("Check the highlighted fields."))
        return redirect(_tab_url(meeting, tab))
    return _render_tab(request, meeting, tab, **{form_key: form})


@login_required
@require_POST
def speech_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a speech. On a phone (htmx) only what changed comes back: a fresh form, the
    item's list of speeches and the share of attendees who spoke — the minute-taker adds
    speeches in quick succession, so the answer stays small."""
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    members = _members(meeting)
    items = meeting.agenda_items.all()
    form = SpeechForm(request.POST, members=members, items=items)
    if form.is_valid():
        data = form.cleaned_data
        try:
            speech, _created = services.speech_add(
                actor=request.user,
                meeting=meeting,
                member=data["member"],
                agenda_item=data["agenda_item"],
                summary=data["summary"],
                client_token=data["client_token"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if not _is_htmx(request):
                return redirect(_tab_url(meeting, "agenda"))
            item_id = speech.agenda_item_id
            rows = selectors.attendance_rows(meeting)
            summary = selectors.roll_call_summary(rows)
            speakers, share = selectors.speakers_share(meeting, summary)
            fresh = SpeechForm(
                members=members,
                items=items,
                initial={"client_token": uuid.uuid4(), "agenda_item": item_id},
            )
            ctx = {
                "meeting": meeting,
                "speech_form": fresh,
                "list_id": item_id or "none",
                "speeches": meeting.speeches.filter(agenda_item_id=item_id).select_related(
                    "member"
                ),
                "summary": summary,
                "speakers": speakers,
                "speakers_share": share,
                "can_edit_live": True,
            }
            return render(request, "meetings/live/_speech_added.html", ctx)
    if not _is_htmx(request):
        for problem in form.non_field_errors():
            messages.error(request, str(problem))
        return redirect(_tab_url(meeting, "agenda"))
    return render(
        request, "meetings/live/_speech_form.html", {"meeting": meeting, "speech_form": form}
    )


@login_required
@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A guest who arrives after the opening (e.g. the upper-level member, late)."""
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    try:
        services.guest_add(
            actor=request.user,
            meeting=meeting,
            name=request.POST.get("name", ""),
            title=request.POST.get("title", ""),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(_tab_url(meeting, "rollcall"))


@login_required
@require_POST
def speech_delete(request: HttpRequest, pk: int, speech_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    speech = get_object_or_404(Speech, pk=speech_pk, meeting=meeting)
    try:
        services.speech_delete(actor=request.user, speech=speech)
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(_tab_url(meeting, "agenda"))


@login_required
@require_POST
def commendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = CommendationForm(request.POST, members=_members(meeting))
    return _bound_or_error(
        request,
        meeting,
        "agenda",
        "commendation_form",
        form,
        lambda d: services.commendation_add(
            actor=request.user,
            meeting=meeting,
            member=d["member"],
            kind=d["kind"],
            note=d["note"],
            client_token=d["client_token"],
        ),
    )


@login_required
@require_POST
def agenda_item_record(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    form = AgendaNotesForm(request.POST, prefix=f"item{item.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.agenda_item_update(
                actor=request.user,
                item=item,
                expected_version=data["version"],
                notes=data["notes"],
                conclusion=data["conclusion"],
                deferred=data["deferred"],
            )
        except services.ConflictError as error:
            form = _notes_form(AgendaItem.objects.get(pk=item.pk))
            form.conflict = error.message  # type: ignore[attr-defined]
            if not _is_htmx(request):
                messages.error(request, error.message)
                return redirect(_tab_url(meeting, "agenda") + f"#item-{item.pk}")
            return _render_tab(request, meeting, "agenda", **{f"item_form_{item.pk}": form})
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if not _is_htmx(request):
                messages.success(request, _("Saved."))
                return redirect(_tab_url(meeting, "agenda") + f"#item-{item.pk}")
            return _render_tab(request, _refetch(request, pk), "agenda")
    if not _is_htmx(request):
        for problem in form.non_field_errors():
            messages.error(request, str(problem))
        return redirect(_tab_url(meeting, "agenda"))
    return _render_tab(request, meeting, "agenda", **{f"item_form_{item.pk}": form})


@login_required
@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = AssignmentForm(request.POST, members=_members(meeting))
    return _bound_or_error(
        request,
        meeting,
        "assignments",
        "assignment_form",
        form,
        lambda d: followup_services.assignment_create(
            actor=request.user,
            meeting=meeting,
            title=d["title"],
            members=d["members"],
            due_date=d["due_date"],
            client_token=d["client_token"],
        ),
    )


@login_required
@require_POST
def assignment_review(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """Record at this meeting the result of an assignment set earlier (step 7)."""
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    assignment = get_object_or_404(
        Assignment, pk=assignment_pk, organization_id=meeting.organization_id
    )
    form = AssignmentReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(_tab_url(meeting, "assignments"))
    try:
        followup_services.assignment_update_status(
            actor=request.user,
            assignment=assignment,
            status=form.cleaned_data["status"],
            progress=form.cleaned_data["progress"],
            reviewed_at=meeting,
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(_tab_url(meeting, "assignments"))


@login_required
@require_POST
def vote_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = VoteForm(request.POST, members=Member.objects.filter(cell=meeting.organization))
    return _bound_or_error(
        request,
        meeting,
        "votes",
        "vote_form",
        form,
        lambda d: services.vote_record(
            actor=request.user,
            meeting=meeting,
            title=d["title"],
            subject=d["subject"],
            subject_member=d["subject_member"],
            in_favour=d["in_favour"],
            against=d["against"],
            abstain=d["abstain"],
            client_token=d["client_token"],
        ),
    )


@login_required
@require_POST
def vote_delete(request: HttpRequest, pk: int, vote_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    vote = get_object_or_404(Vote, pk=vote_pk, meeting=meeting)
    try:
        services.vote_delete(actor=request.user, vote=vote)
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(_tab_url(meeting, "votes"))


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_close(
                actor=request.user,
                meeting=meeting,
                started_at=form.cleaned_data["started_at"],
                ended_at=form.cleaned_data["ended_at"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The meeting is closed. Check the score, then the wording, and sign.")
            )
            return redirect(_tab_url(meeting, "score"))
    return render(
        request, "meetings/live.html", _live_context(request, meeting, "close", close_form=form)
    )


@login_required
@require_POST
def score_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    points = {
        key.removeprefix("points_"): value
        for key, value in request.POST.items()
        if key.startswith("points_")
    }
    try:
        if request.POST.get("recompute"):
            services.score_compute(actor=request.user, meeting=meeting)
        services.score_lines_set(actor=request.user, meeting=meeting, points=points)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The score is saved."))
    return redirect(_tab_url(meeting, "score"))


@login_required
@require_POST
def score_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONFIRM)
    confirmer = Member.objects.filter(user_id=request.user.pk or 0).first()
    if confirmer is None:
        raise PermissionDenied
    adjustments = {
        key.removeprefix("adjust_"): value
        for key, value in request.POST.items()
        if key.startswith("adjust_")
    }
    try:
        services.score_confirm(
            actor=request.user,
            meeting=meeting,
            confirmer=confirmer,
            adjustments=adjustments,
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You confirmed the score."))
    return redirect(_tab_url(meeting, "score"))


@login_required
@require_POST
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = RecordForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.record_update(
                actor=request.user, meeting=meeting, expected_version=version, **data
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The wording is saved."))
            return redirect(_tab_url(meeting, "record"))
    return render(
        request, "meetings/live.html", _live_context(request, meeting, "record", record_form=form)
    )


@login_required
@require_POST
def meeting_sign(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=READ)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            meeting, _signature = services.meeting_sign(
                actor=request.user, meeting=meeting, password=form.cleaned_data["password"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            if meeting.status == MeetingStatus.SIGNED:
                messages.success(
                    request, _("Both have signed. The minutes and resolution are now frozen.")
                )
            else:
                messages.success(request, _("You signed. The other signer must sign too."))
    return redirect(_tab_url(meeting, "record"))


@login_required
@require_POST
def signature_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=READ)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            services.signature_withdraw(
                actor=request.user, meeting=meeting, password=form.cleaned_data["password"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your signature is withdrawn; the minutes can be corrected.")
            )
    return redirect(_tab_url(meeting, "record"))


@login_required
@require_POST
def addendum_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=READ)
    member_id = scope_for(request.user).member_id
    if member_id not in (meeting.chair_id, meeting.minute_taker_id) and not access.can_manage(
        request.user, meeting.organization
    ):
        raise PermissionDenied
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.addendum_create(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The addendum is recorded; the chair and the minute-taker sign it.")
            )
    else:
        messages.error(request, _("Write the correction and its reason."))
    return redirect(_tab_url(meeting, "record"))


@login_required
@require_POST
def addendum_sign(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=READ)
    addendum = get_object_or_404(Addendum, meeting=meeting, number=number)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            services.addendum_sign(
                actor=request.user, addendum=addendum, password=form.cleaned_data["password"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You signed the addendum."))
    return redirect(_tab_url(meeting, "record"))
