"""The live meeting's fragments (views_live answers with them): the forms of the live actions,
the fragment each action answers htmx with — the new or changed row, the counters it moves as
out-of-band swaps, a fresh form, whatever the meeting holds already —, the collapsed lists in
full ("show all"), and the row URLs a list builds once."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from chibo.core.forms import whole_number
from chibo.followup.models import Assignment
from chibo.meetings import access, selectors
from chibo.meetings.forms_live import (
    AssignmentForm,
    SpeechForm,
    VoteForm,
    default_due_date,
)
from chibo.meetings.models import Meeting, MeetingStatus, Speech, Vote
from chibo.members import standing
from chibo.members.models import ACTIVE_STATUSES, Member


def pickable_members(meeting: Meeting):
    """Whom the live pickers offer (chair, minute-taker, speakers, assignees): the members
    in activity on the roll, never the suspended (members.standing)."""
    called = [status for status in ACTIVE_STATUSES if standing.is_called(status)]
    return Member.objects.filter(cell=meeting.organization, status__in=called).order_by(
        "name_sort_key", "id"
    )


def url_parts(name: str, *args: Any) -> tuple[str, str]:
    """A URL that ends in a row's id, as the text before and after the id: reversed once per
    list, each row writes `{{ parts.0 }}{{ row.pk }}{{ parts.1 }}`."""
    marker = "2147483647"
    before, after = reverse(name, args=[*args, int(marker)]).split(marker)
    return before, after


def speech_form(meeting: Meeting, item_id: int | None = None) -> SpeechForm:
    initial = {"client_token": uuid.uuid4(), "agenda_item": item_id}
    return SpeechForm(
        members=pickable_members(meeting),
        items=meeting.agenda_items.all(),
        initial=initial,
    )


def vote_form(meeting: Meeting) -> VoteForm:
    return VoteForm(members=pickable_members(meeting), initial={"client_token": uuid.uuid4()})


def assignment_form(meeting: Meeting) -> AssignmentForm:
    initial = {"client_token": uuid.uuid4(), "due_date": default_due_date(meeting.date)}
    return AssignmentForm(members=pickable_members(meeting), initial=initial)


def roll_call_row(request: HttpRequest, member_id: int) -> dict[str, str]:
    """The tapped row's fields. The roll call is one form (one CSRF token): every row posts
    its `row` (the member's id), `version` and `reason`, in the order of the rows."""
    post = request.POST
    rows = post.getlist("row")
    # A form of one row (no `row` field) posts its own fields; a row missing from a list
    # posts nothing of its own (never another member's version or reason).
    index = rows.index(str(member_id)) if str(member_id) in rows else (-1 if rows else 0)

    def pick(name: str) -> str:
        values = post.getlist(name)
        return values[index] if 0 <= index < len(values) else ""

    return {
        "status": post.get("status", ""),
        "reason": pick("reason"),
        "version": pick("version"),
    }


def whole_list(request: HttpRequest, meeting: Meeting, part: str) -> HttpResponse:
    """ "Show earlier": a collapsed list in full (speeches of one item, votes, assignments)."""
    conduct = access.can_conduct(request.user, meeting)
    ctx: dict[str, Any] = {
        "meeting": meeting,
        "can_edit_live": conduct and meeting.status == MeetingStatus.IN_PROGRESS,
        "can_remove": conduct
        and meeting.status in (MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED),
    }
    if part == "speeches":
        raw = request.GET.get("item", "none")
        item_id = whole_number(raw)
        speeches = selectors.item_speeches(meeting, item_id)
        ctx.update(
            speeches=speeches,
            list_id=item_id or "none",
            speech_count=len(speeches),
            speech_delete_url=url_parts("meetings:speech_delete", meeting.pk),
        )
        return render(request, "meetings/live/_speeches.html", ctx)
    if part == "votes":
        votes = selectors.latest_votes(meeting, None)
        ctx.update(
            votes=votes,
            vote_counts={"recorded": len(votes)},
            vote_delete_url=url_parts("meetings:vote_delete", meeting.pk),
        )
        return render(request, "meetings/live/_vote_list.html", ctx)
    assignments = selectors.latest_assignments(meeting, None)
    ctx.update(assignments=assignments, assignment_count=len(assignments))
    return render(request, "meetings/live/_assignment_list.html", ctx)


# -- answers to the live actions -----------------------------------------------------------


def speech_added(request: HttpRequest, meeting: Meeting, speech: Speech) -> HttpResponse:
    """Only what changed after a speech: a fresh form, the new speech appended to its item's
    list and the share of those present who spoke."""
    item_id = speech.agenda_item_id
    ctx = {
        "meeting": meeting,
        "speech_form": speech_form(meeting, item_id),
        "list_id": item_id or "none",
        "speeches": [speech],
        "can_edit_live": True,
        "speech_delete_url": url_parts("meetings:speech_delete", meeting.pk),
        **selectors.speakers_figures(meeting),
    }
    return render(request, "meetings/live/_speech_added.html", ctx)


def vote_added(request: HttpRequest, meeting: Meeting, vote: Vote) -> HttpResponse:
    """After a vote: the fresh form, the new vote's card appended, the counters."""
    ctx = {
        "meeting": meeting,
        "vote_form": vote_form(meeting),
        "votes": [vote],
        "vote_counts": selectors.vote_counts(meeting),
        "vote_delete_url": url_parts("meetings:vote_delete", meeting.pk),
        "can_remove": True,
        "oob": True,
    }
    return render(request, "meetings/live/_vote_added.html", ctx)


def assignment_added(request: HttpRequest, meeting: Meeting, assignment: Assignment):
    """After an assignment: the fresh form, the new row appended, the count."""
    ctx = {
        "meeting": meeting,
        "assignment_form": assignment_form(meeting),
        "assignments": [assignment],
        "assignment_count": selectors.meeting_assignments(meeting).count(),
        "can_remove": True,
        "oob": True,
    }
    return render(request, "meetings/live/_assignment_added.html", ctx)
