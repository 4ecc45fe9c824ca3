"""The visits panel of a meeting's page (meetings cannot import supervision: the meeting
template loads this tag). For a follower or standing attendee of a held meeting: the link to
record their visit; for whoever reads the cell: the visits to the meeting."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.supervision import access
from chibo.supervision.access import HELD_STATUSES

register = template.Library()


@register.inclusion_tag("supervision/visit_meeting_panel.html", takes_context=True)
def meeting_visits(context: Any, meeting: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"meeting": meeting, "visits": [], "may_visit": False}
    held = meeting.status in HELD_STATUSES
    return {
        "meeting": meeting,
        "visits": list(access.visits_readable_on_meeting(user, meeting)),
        "may_visit": held and bool(access.visitor_role(user, meeting.organization)),
    }
