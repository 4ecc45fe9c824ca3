"""Everything a meeting's records consist of, as plain values, so a test can say "a refused
action changed nothing" by comparing the state before and after."""

from __future__ import annotations

from typing import Any

from chibo.core.models import AuditEntry
from chibo.followup.models import Assignment
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    Commendation,
    Meeting,
    MeetingDocument,
    MeetingGuest,
    MeetingRecord,
    MeetingScore,
    ScoreLine,
    Signature,
    SignedFile,
    Speech,
    Vote,
)
from chibo.notify.models import Notification

MEETING_FIELDS = (
    "status",
    "kind",
    "date",
    "time",
    "place",
    "topic",
    "with_thematic_part",
    "started_at",
    "ended_at",
    "chair_id",
    "minute_taker_id",
    "resolution_draft",
    "cancel_reason",
    "published_at",
    "signed_at",
    "updated_at",
    "version",
)


def meeting_state(meeting: Meeting) -> dict[str, Any]:
    rows = {"meeting_id": meeting.pk}
    return {
        "meeting": Meeting.objects.filter(pk=meeting.pk).values(*MEETING_FIELDS).get(),
        "attendance": list(
            Attendance.objects.filter(**rows)
            .order_by("member_id")
            .values_list("member_id", "category", "status", "reason", "version")
        ),
        "agenda": list(
            AgendaItem.objects.filter(**rows)
            .order_by("position")
            .values_list(
                "position", "title", "guidance", "notes", "conclusion", "deferred", "version"
            )
        ),
        "speeches": list(
            Speech.objects.filter(**rows).order_by("id").values_list("member_id", "summary")
        ),
        "commendations": list(
            Commendation.objects.filter(**rows)
            .order_by("id")
            .values_list("member_id", "kind", "note")
        ),
        "votes": list(
            Vote.objects.filter(**rows)
            .order_by("id")
            .values_list("title", "in_favour", "against", "abstain", "eligible", "adopted")
        ),
        "assignments": list(
            Assignment.objects.filter(source_meeting_id=meeting.pk)
            .order_by("id")
            .values_list("title", "due_date", "status")
        ),
        "guests": list(MeetingGuest.objects.filter(**rows).order_by("id").values_list("name")),
        "documents": list(
            MeetingDocument.objects.filter(**rows).order_by("id").values_list("title")
        ),
        "score_lines": list(
            ScoreLine.objects.filter(**rows)
            .order_by("code")
            .values_list("code", "points", "evidence", "version")
        ),
        "score": list(
            MeetingScore.objects.filter(**rows).values_list(
                "total", "rating", "confirmed_by_id", "adjustment_reason"
            )
        ),
        "record": list(MeetingRecord.objects.filter(**rows).values()),
        "signatures": list(
            Signature.objects.filter(**rows).order_by("id").values_list("role", "member_id")
        ),
        "signed_files": list(
            SignedFile.objects.filter(**rows).order_by("id").values_list("sha256")
        ),
        "audit_entries": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }
