"""Signed regular meetings built directly as rows (their conduct is the meetings app's tests'
business): a month, the record's texts, the score's rating, speeches and attendance."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from chibo.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingRecord,
    MeetingScore,
    MeetingStatus,
    MemberCategory,
    Speech,
)

TOTALS = {
    "good": Decimal("92"),
    "fair": Decimal("80"),
    "average": Decimal("60"),
    "poor": Decimal("40"),
}


def signed_meeting(
    cell,
    month: datetime.date,
    *,
    rating: str = "fair",
    evaluation: str = "",
    tasks: str = "",
    kind: str = MeetingKind.REGULAR,
    speakers=(),
    present=(),
) -> Meeting:
    day = month.replace(day=5)
    meeting = Meeting.objects.create(
        organization=cell,
        kind=kind,
        period=month if kind == MeetingKind.REGULAR else None,
        date=day,
        time=datetime.time(19, 30),
        status=MeetingStatus.SIGNED,
        signed_at=timezone.now(),
    )
    MeetingRecord.objects.create(
        meeting=meeting,
        organization=cell,
        resolution_evaluation=evaluation,
        resolution_tasks=tasks,
        resolution_implementation="Chi ủy chỉ đạo, đôn đốc thực hiện nghị quyết.",
    )
    MeetingScore.objects.create(meeting=meeting, total=TOTALS[rating], rating=rating)
    for member in present:
        Attendance.objects.create(
            meeting=meeting,
            member=member,
            category=MemberCategory.OFFICIAL,
            membership_class="official",
            status=AttendanceStatus.PRESENT,
        )
    for member in speakers:
        Speech.objects.create(meeting=meeting, member=member, summary="Phát biểu ý kiến.")
    return meeting


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)
