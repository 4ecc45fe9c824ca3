"""The live meeting screen (phone first): open, roll call, agenda and speeches, assignments,
votes, close. Score, wording, signatures and addenda are in views_record.

One page with a tab per step (`?tab=`); each tab reads only what it shows, and long lists
(speeches of an item, votes, assignments) show the latest `selectors.LIVE_SHOWN` with a "show
earlier" link. Every write is a POST; htmx requests get a fragment of constant size back (the
new or changed row, the counters it moves as out-of-band swaps, a fresh form), other requests
a redirect to the tab. One CSRF token per page: htmx sends it as a header (base.html), and the
rows' buttons post through one shared form per list (`formaction`) when JavaScript is off.
Creating forms carry a `client_token` so a retried request never records twice; editing
forms carry the version the phone saw, so a stale edit gets a clear message instead of
overwriting someone else's. The reads are `selectors.live_tab` and the fragment selectors;
forms are built here."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from chibo.core.flow import answer, attempt, is_htmx, submit
from chibo.meetings import access, selectors, services
from chibo.meetings.access import CONDUCT, MANAGE, READ
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
)
from chibo.meetings.models import (
    EDITABLE_STATUSES,
    AgendaItem,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
)
from chibo.meetings.views_live_parts import (
    assignment_added,
    assignment_form,
    pickable_members,
    roll_call_row,
    speech_added,
    speech_form,
    url_parts,
    vote_added,
    vote_form,
    whole_list,
)
from chibo.members.models import Member
from chibo.orgs.models import Position
from chibo.orgs.scope import scope_for

TABS = ("rollcall", "agenda", "assignments", "votes", "close", "score", "record")


def tab_url(meeting: Meeting, tab: str) -> str:
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


def _frame_context(request: HttpRequest, meeting: Meeting, tab: str) -> dict[str, Any]:
    """What every tab shows: who may do what and the meeting's state (each tab reads the rest
    itself: the roll call only on its tab)."""
    conduct = access.can_conduct(request.user, meeting)
    return {
        "meeting": meeting,
        "tab": tab,
        "tabs": TABS,
        "tab_template": f"meetings/live/_{tab}.html",
        "can_conduct": conduct,
        "can_manage": access.can_manage(request.user, meeting.organization),
        "is_live": meeting.status == MeetingStatus.IN_PROGRESS,
        "is_closed": meeting.status == MeetingStatus.CLOSED,
        "is_signed": meeting.status == MeetingStatus.SIGNED,
        "can_edit_live": conduct and meeting.status == MeetingStatus.IN_PROGRESS,
        # Votes and assignments are still recorded or removed after the close, until signing.
        "can_remove": conduct
        and meeting.status in (MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED),
        "statuses": AttendanceStatus.choices,
    }


def _tab_forms(meeting: Meeting, tab: str, ctx: dict[str, Any], extra: dict[str, Any]) -> dict:
    """The forms of one tab: the ones the user just submitted (in `extra`), else fresh ones;
    and the row URLs its lists build once."""
    if tab == "rollcall":
        return {"mark_url": url_parts("meetings:attendance_mark", meeting.pk)}
    if tab == "agenda":
        members = pickable_members(meeting)
        return {
            "items": [
                (
                    item,
                    speeches,
                    count,
                    extra.get(f"item_form_{item.pk}") or _notes_form(item),
                )
                for item, speeches, count in ctx["item_speeches"]
            ],
            "speech_delete_url": url_parts("meetings:speech_delete", meeting.pk),
            "speech_form": extra.get("speech_form") or speech_form(meeting),
            "commendation_form": extra.get("commendation_form")
            or CommendationForm(members=members, initial={"client_token": uuid.uuid4()}),
        }
    if tab == "assignments":
        return {
            "review_form": AssignmentReviewForm(),
            "assignment_form": extra.get("assignment_form") or assignment_form(meeting),
        }
    if tab == "votes":
        return {
            "vote_form": extra.get("vote_form") or vote_form(meeting),
            "vote_delete_url": url_parts("meetings:vote_delete", meeting.pk),
        }
    if tab == "close":
        initial = {"started_at": meeting.started_at, "ended_at": None}
        return {"close_form": extra.get("close_form") or CloseForm(initial=initial)}
    if tab == "record":
        return _record_forms(ctx["record"], extra)
    return {}


def _record_forms(record: Any, extra: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {
        "password_form": PasswordForm(),
        "addendum_form": extra.get("addendum_form") or AddendumForm(),
    }
    if record is not None:
        wording = {name: getattr(record, name) for name in services.RECORD_TEXT_FIELDS}
        found["record_form"] = extra.get("record_form") or RecordForm(
            initial={**wording, "version": record.version}
        )
    return found


def live_context(request: HttpRequest, meeting: Meeting, tab: str, **extra: Any) -> dict:
    """The live screen's context for `tab`: the frame, that tab's reads and its forms."""
    ctx = _frame_context(request, meeting, tab)
    member_id = scope_for(request.user).member_id if tab == "record" else None
    limit = None if request.GET.get("all") else selectors.LIVE_SHOWN
    ctx.update(selectors.live_tab(meeting, tab, member_id=member_id, limit=limit))
    if tab == "score":
        ctx["can_confirm"] = access.can_confirm_score(request.user, meeting)
    ctx.update(_tab_forms(meeting, tab, ctx, extra))
    return ctx


def render_tab(request: HttpRequest, meeting: Meeting, tab: str, **extra: Any) -> HttpResponse:
    ctx = live_context(request, meeting, tab, **extra)
    template = f"meetings/live/_{tab}.html" if is_htmx(request) else "meetings/live.html"
    return render(request, template, ctx)


def refetch(request: HttpRequest, pk: int) -> Meeting:
    return access.get_meeting_for_user(request.user, pk, need=READ)


def form_errors_to_messages(request: HttpRequest, form: forms.BaseForm, *, fields: str = ""):
    """A refused form on a page that shows no form: its reasons become messages (`fields`:
    the sentence when only fields are wrong)."""
    for problem in form.non_field_errors():
        messages.error(request, str(problem))
    if fields and not form.non_field_errors():
        messages.error(request, fields)


def _bound_or_error(
    request: HttpRequest,
    meeting: Meeting,
    tab: str,
    form_key: str,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """Run `call(cleaned_data)` for a valid form; answer with the tab (htmx) or a redirect;
    on a refused action keep the user's input and show the message. `success` says what was
    done (the tab shows it at the foot of the screen)."""
    if submit(request, form, call, success=success).ok:
        return answer(
            request,
            partial=f"meetings/live/_{tab}.html",
            context=lambda: live_context(request, refetch(request, meeting.pk), tab),
            redirect_to=tab_url(meeting, tab),
        )
    if not is_htmx(request):
        form_errors_to_messages(request, form, fields=_("Check the highlighted fields."))
        return redirect(tab_url(meeting, tab))
    return render_tab(request, meeting, tab, **{form_key: form})


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
    part = request.GET.get("part") if is_htmx(request) else None
    if part == "summary":
        # Polled every 20 s so that a second phone sees the other's roll call add up.
        ctx = {
            "meeting": meeting,
            "is_live": meeting.status == MeetingStatus.IN_PROGRESS,
        }
        ctx.update(selectors.live_summary(meeting))
        return render(request, "meetings/live/_summary.html", ctx)
    if part in ("speeches", "votes", "assignments"):
        return whole_list(request, meeting, part)
    return render(request, "meetings/live.html", live_context(request, meeting, tab))


def _opening_initial(meeting: Meeting, upper: Position | None) -> dict[str, Any]:
    """The secretary chairs; the upper-level member following the cell is the usual guest,
    pre-selected by their record."""
    initial: dict[str, Any] = {}
    secretary = selectors.cell_secretary(meeting.organization)
    if secretary is not None:
        initial["chair"] = secretary.member
    if upper is not None:
        initial["guest_member"] = upper.member
    return initial


def _open_form(meeting: Meeting, upper: Position | None, data: Any = None) -> OpenForm:
    return OpenForm(
        data,
        members=pickable_members(meeting),
        upper_members=selectors.upper_level_guest_choices(upper),
        standing=selectors.standing_attendees_of(meeting.organization),
        initial=_opening_initial(meeting, upper),
    )


def _opening_guests(data: dict[str, Any], upper: Position | None) -> list[dict[str, Any]]:
    """The upper-level member chosen by their record, and another guest typed by name (never
    linked to a member by the name: namesakes exist)."""
    guests = []
    if data["guest_member"] is not None and upper is not None:
        guests.append(
            {
                "name": data["guest_member"].full_name,
                "title": selectors.follower_title(upper),
                "is_upper_level": True,
                "member": data["guest_member"],
            }
        )
    for member in data.get("standing_guests") or ():
        guests.append(
            {
                "name": member.full_name,
                "title": _("Standing attendee"),
                "is_upper_level": False,
                "member": member,
            }
        )
    if data["guest_name"].strip():
        guests.append(
            {
                "name": data["guest_name"],
                "title": data["guest_title"],
                "is_upper_level": data["guest_is_upper_level"],
                "member": None,
            }
        )
    return guests


def _other_day_warning(meeting: Meeting) -> str:
    """Said on the open screen when today is not the scheduled day."""
    today = timezone.localdate()
    if today == meeting.date:
        return ""
    return _(
        "The meeting is scheduled for %(scheduled)s; today is %(today)s. Opening it now "
        "records the actual date and time it starts."
    ) % {"scheduled": f"{meeting.date:%d/%m/%Y}", "today": f"{today:%d/%m/%Y}"}


def _opened_on_another_day(request: HttpRequest, meeting: Meeting) -> None:
    """After opening: the actual start is recorded (`started_at`); say so when it is not on
    the scheduled day (the documents use the actual date)."""
    actual = timezone.localtime(meeting.started_at).date() if meeting.started_at else None
    if actual is not None and actual != meeting.date:
        messages.warning(
            request,
            _(
                "The meeting was opened on %(actual)s, not on the scheduled %(scheduled)s: "
                "the actual date and time are recorded."
            )
            % {"actual": f"{actual:%d/%m/%Y}", "scheduled": f"{meeting.date:%d/%m/%Y}"},
        )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_open(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=MANAGE)
    if meeting.status not in EDITABLE_STATUSES:
        return redirect("meetings:live", pk=meeting.pk)
    upper = selectors.upper_level_follower(meeting.organization)
    form = _open_form(meeting, upper, request.POST if request.method == "POST" else None)
    if form.is_bound:
        outcome = submit(
            request,
            form,
            lambda d: services.meeting_open(
                actor=request.user,
                meeting=meeting,
                chair=d["chair"],
                minute_taker=d["minute_taker"],
                guests=_opening_guests(d, upper),
                started_at=d["started_at"],
            ),
            success=_("The meeting is open. Call the roll."),
        )
        if outcome.ok:
            _opened_on_another_day(request, outcome.result)
            return redirect(tab_url(meeting, "rollcall"))
    context = {
        "meeting": meeting,
        "form": form,
        "other_day": _other_day_warning(meeting),
    }
    return render(request, "meetings/open.html", context)


# -- roll call ------------------------------------------------------------------------------


@login_required
@require_POST
def attendance_mark(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = AttendanceForm(roll_call_row(request, member_id))
    valid = form.is_valid()
    outcome = submit(
        request,
        form,
        lambda d: services.attendance_mark(
            actor=request.user,
            meeting=meeting,
            member_id=member_id,
            status=d["status"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
    )
    error = outcome.error if valid else _("Choose an attendance status.")
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect(tab_url(meeting, "rollcall"))
    # The row and the summary above the list (the roll is the cell's size, whatever was said).
    roll = selectors.live_summary(meeting)
    row = next((r for r in roll["rows"] if r.member_id == member_id), None)
    if row is None:
        return HttpResponse(status=404)
    ctx = {
        **roll,
        "meeting": meeting,
        "is_live": meeting.status == MeetingStatus.IN_PROGRESS,
        "can_edit_live": meeting.status == MeetingStatus.IN_PROGRESS,
        "rows": [row],
        "row_error": error,
        "oob": True,
        "mark_url": url_parts("meetings:attendance_mark", meeting.pk),
    }
    response = render(request, "meetings/live/_attendance_marked.html", ctx)
    return reswap(retarget(response, f"#att-{member_id}"), "outerHTML")


@login_required
@require_POST
def attendance_rest_present(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    attempt(
        request,
        lambda: services.attendance_mark_rest_present(actor=request.user, meeting=meeting),
        success=lambda count: (
            ngettext(
                "%(count)s member marked present.",
                "%(count)s members marked present.",
                count,
            )
            % {"count": count}
        ),
    )
    return redirect(tab_url(meeting, "rollcall"))


@login_required
@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A guest who arrives after the opening (e.g. the upper-level member, late)."""
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    attempt(
        request,
        lambda: services.guest_add(
            actor=request.user,
            meeting=meeting,
            name=request.POST.get("name", ""),
            title=request.POST.get("title", ""),
        ),
        success=lambda guest: _("Guest %(name)s added.") % {"name": guest.name},
    )
    return redirect(tab_url(meeting, "rollcall"))


# -- agenda, speeches, commendations --------------------------------------------------------


@login_required
@require_POST
def speech_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a speech. On a phone (htmx) only what changed comes back — the minute-taker
    adds speeches in quick succession, so the answer stays small."""
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = SpeechForm(
        request.POST,
        members=pickable_members(meeting),
        items=meeting.agenda_items.all(),
    )
    outcome = submit(
        request,
        form,
        lambda d: services.speech_add(
            actor=request.user,
            meeting=meeting,
            member=d["member"],
            agenda_item=d["agenda_item"],
            summary=d["summary"],
            client_token=d["client_token"],
        ),
    )
    if not is_htmx(request):
        if not outcome.ok:
            form_errors_to_messages(request, form)
        return redirect(tab_url(meeting, "agenda"))
    if outcome.ok:
        return speech_added(request, meeting, outcome.result[0])
    context = {"meeting": meeting, "speech_form": form}
    return render(request, "meetings/live/_speech_form.html", context)


@login_required
@require_POST
def speech_delete(request: HttpRequest, pk: int, speech_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    speech = access.get_speech(meeting, speech_pk)
    attempt(
        request,
        lambda: services.speech_delete(actor=request.user, speech=speech),
        success=_("The speech of %(name)s was removed.") % {"name": speech.member.label},
    )
    return redirect(tab_url(meeting, "agenda"))


@login_required
@require_POST
def commendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = CommendationForm(request.POST, members=pickable_members(meeting))
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
        lambda result: (
            _("%(kind)s recorded for %(name)s.")
            % {"kind": result[0].get_kind_display(), "name": result[0].member.label}
        ),
    )


def _notes_conflict(request: HttpRequest, meeting: Meeting, current: AgendaItem, text: str):
    """Someone else saved the item first: show their text (`current`, the item as saved), with
    the message, to redo on."""
    form = _notes_form(current)
    form.conflict = text  # type: ignore[attr-defined]
    if not is_htmx(request):
        messages.error(request, text)
        return redirect(tab_url(meeting, "agenda") + f"#item-{current.pk}")
    return render_tab(request, meeting, "agenda", **{f"item_form_{current.pk}": form})


def _notes_saved_text(before: AgendaItem, after: AgendaItem) -> str:
    """What saving an agenda item's notes changed, in one sentence."""
    changed = []
    if before.notes != after.notes:
        changed.append(_("notes"))
    if before.conclusion != after.conclusion:
        changed.append(_("chair's conclusion"))
    if before.deferred != after.deferred:
        changed.append(
            _("deferred to the next meeting") if after.deferred else _("no longer deferred")
        )
    if not changed:
        return _("Nothing changed in “%(title)s”.") % {"title": after.title}
    return _("“%(title)s” saved: %(changes)s.") % {
        "title": after.title,
        "changes": ", ".join(str(part) for part in changed),
    }


@login_required
@require_POST
def agenda_item_record(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    item = access.get_agenda_item(meeting, item_pk)
    form = AgendaNotesForm(request.POST, prefix=f"item{item.pk}")
    seen_version = form.cleaned_data["version"] if form.is_valid() else None
    outcome = submit(
        request,
        form,
        lambda d: services.agenda_item_update(
            actor=request.user,
            item=item,
            expected_version=d["version"],
            notes=d["notes"],
            conclusion=d["conclusion"],
            deferred=d["deferred"],
        ),
        success=lambda saved: _notes_saved_text(item, saved),
    )
    if outcome.ok:
        if not is_htmx(request):
            return redirect(tab_url(meeting, "agenda") + f"#item-{item.pk}")
        return render_tab(request, refetch(request, pk), "agenda")
    # The service refuses a stale edit (ConflictError) when the item moved on since.
    if seen_version is not None:
        current = access.get_agenda_item(meeting, item.pk)
        if current.version != seen_version:
            return _notes_conflict(request, meeting, current, outcome.error)
    if not is_htmx(request):
        form_errors_to_messages(request, form)
        return redirect(tab_url(meeting, "agenda"))
    return render_tab(request, meeting, "agenda", **{f"item_form_{item.pk}": form})


# -- assignments and votes ------------------------------------------------------------------

FORM_TEMPLATES = {
    "votes": ("meetings/live/_vote_form.html", "vote_form"),
    "assignments": ("meetings/live/_assignment_form.html", "assignment_form"),
}


def _fragment_or_error(
    request: HttpRequest,
    meeting: Meeting,
    tab: str,
    form: forms.BaseForm,
    fragment: Callable[[Any], HttpResponse],
    call: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
) -> HttpResponse:
    """Run `call(cleaned_data)` for a valid form. htmx gets `fragment(result)` (the new row,
    the counters, a fresh form) or, when refused, the form with the user's input and the
    reasons; other requests a redirect to the tab."""
    outcome = submit(request, form, call, success=success)
    if not is_htmx(request):
        if not outcome.ok:
            form_errors_to_messages(request, form, fields=_("Check the highlighted fields."))
        return redirect(tab_url(meeting, tab))
    if outcome.ok:
        return fragment(outcome.result)
    template, name = FORM_TEMPLATES[tab]
    return render(request, template, {"meeting": meeting, name: form, "can_remove": True})


@login_required
@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = AssignmentForm(request.POST, members=pickable_members(meeting))
    return _fragment_or_error(
        request,
        meeting,
        "assignments",
        form,
        lambda result: assignment_added(request, meeting, result[0]),
        lambda d: services.assignment_add(
            actor=request.user,
            meeting=meeting,
            title=d["title"],
            members=d["members"],
            due_date=d["due_date"],
            client_token=d["client_token"],
        ),
        lambda result: (
            _("“%(title)s” assigned to %(names)s.")
            % {
                "title": result[0].title,
                "names": ", ".join(member.label for member in result[0].members.all()),
            }
        ),
    )


@login_required
@require_POST
def assignment_review(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """Record at this meeting the result of an assignment set earlier (step 7)."""
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    assignment = access.get_cell_assignment(meeting, assignment_pk)
    form = AssignmentReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(tab_url(meeting, "assignments"))
    attempt(
        request,
        lambda: services.assignment_review(
            actor=request.user,
            meeting=meeting,
            assignment=assignment,
            status=form.cleaned_data["status"],
            progress=form.cleaned_data["progress"],
        ),
        success=lambda row: (
            _("Result of “%(title)s” recorded: %(status)s.")
            % {"title": row.title, "status": row.get_status_display()}
        ),
    )
    return redirect(tab_url(meeting, "assignments"))


@login_required
@require_POST
def vote_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = VoteForm(request.POST, members=Member.objects.filter(cell=meeting.organization))
    return _fragment_or_error(
        request,
        meeting,
        "votes",
        form,
        lambda result: vote_added(request, meeting, result[0]),
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
        lambda result: _("The vote “%(title)s” is recorded.") % {"title": result[0].title},
    )


@login_required
@require_POST
def vote_delete(request: HttpRequest, pk: int, vote_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    vote = access.get_vote(meeting, vote_pk)
    attempt(
        request,
        lambda: services.vote_delete(actor=request.user, vote=vote),
        success=_("The vote “%(title)s” was removed.") % {"title": vote.title},
    )
    return redirect(tab_url(meeting, "votes"))


# -- closing --------------------------------------------------------------------------------


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, need=CONDUCT)
    form = CloseForm(request.POST)
    outcome = submit(
        request,
        form,
        lambda d: services.meeting_close(
            actor=request.user,
            meeting=meeting,
            started_at=d["started_at"],
            ended_at=d["ended_at"],
        ),
        success=_("The meeting is closed. Check the score, then the wording, and sign."),
    )
    if outcome.ok:
        return redirect(tab_url(meeting, "score"))
    context = live_context(request, meeting, "close", close_form=form)
    return render(request, "meetings/live.html", context)
