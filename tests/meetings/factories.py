"""Small factories for meeting tests (STYLE.md: readable data, no random strings)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from chibo.meetings import services
from chibo.meetings.models import AttendanceStatus, Meeting, MeetingKind
from tests.conftest import make_member

MEETING_DAY = datetime.date(2026, 11, 3)


def make_meeting(cell, **overrides: Any) -> Meeting:
    values = {
        "kind": MeetingKind.REGULAR,
        "date": MEETING_DAY,
        "time": datetime.time(19, 30),
        "place": "Nhà văn hóa khu phố",
    }
    values.update(overrides)
    return services.meeting_create(actor=None, organization=cell, **values)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def add_members(cell, count: int, *, official: bool = True, prefix: str = "Đảng viên") -> list:
    members = []
    for number in range(1, count + 1):
        extra: dict[str, Any] = {}
        if not official:
            extra = {
                "admission_decision_date": datetime.date(2026, 3, 1),
                "ceremony_date": datetime.date(2026, 3, 19),
            }
        members.append(make_member(cell, f"{prefix} {number:02d}", official=official, **extra))
    return members


def open_meeting(meeting: Meeting, chair, minute_taker, *, actor=None, started=None) -> Meeting:
    return services.meeting_open(
        actor=actor,
        meeting=meeting,
        chair=chair,
        minute_taker=minute_taker,
        started_at=started or at(meeting.date, 19, 30),
    )


def mark_all(meeting: Meeting, status: str = AttendanceStatus.PRESENT, *, actor=None) -> None:
    for row in meeting.attendance.filter(status=""):
        services.attendance_mark(
            actor=actor, meeting=meeting, member_id=row.member_id, status=status
        )
