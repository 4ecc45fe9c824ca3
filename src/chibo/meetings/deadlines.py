"""The deadline for a meeting's final materials (issue 9, item 5): under 42-HD/BTCTW (DOMAIN
§1.4 step 16, unsure, third-party reading) the resolution is finalised, signed by the chair and
the minute-taker and uploaded within `meeting.final_upload_days_after` days after the meeting.
chibo counts the minutes as final when both have signed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from chibo.core.rules import Resolved, RuleNotInForce, rule_in_force
from chibo.meetings.models import Meeting, MeetingStatus

FINAL_UPLOAD_KEY = "meeting.final_upload_days_after"


@dataclass(frozen=True)
class FinalMinutesDue:
    due: datetime.date
    signed_on: datetime.date | None
    late: bool
    rule: Resolved


def final_minutes_due(meeting: Meeting, *, today: datetime.date) -> FinalMinutesDue | None:
    """When the final minutes of a held meeting are due and whether they are late: signed after
    the due day, or still unsigned after it. None for a meeting not held yet, or one held
    before the rule was in force."""
    if meeting.status not in (MeetingStatus.CLOSED, MeetingStatus.SIGNED):
        return None
    try:
        rule = rule_in_force(FINAL_UPLOAD_KEY, organization=meeting.organization, on=meeting.date)
    except RuleNotInForce:
        return None
    due = meeting.date + datetime.timedelta(days=rule.value)
    signed_on = timezone.localdate(meeting.signed_at) if meeting.signed_at else None
    late = (signed_on or today) > due
    return FinalMinutesDue(due=due, signed_on=signed_on, late=late, rule=rule)
