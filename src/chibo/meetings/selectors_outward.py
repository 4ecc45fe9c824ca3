"""Reads for resolutions outward: the recipients of a meeting's resolution, the cell's
follow-up of who received its resolutions, and the secretary who signs the notices."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from chibo.meetings.models import Meeting, MeetingStatus, ResolutionRecipient
from chibo.orgs.models import Organization, Position, Role

FOLLOWUP_MEETINGS = 24  # the latest signed meetings shown on the cell's follow-up


def recipients_of(meeting: Meeting) -> list[ResolutionRecipient]:
    rows = list(ResolutionRecipient.objects.filter(meeting=meeting).order_by("sent_on", "id"))
    for row in rows:
        row.meeting = meeting
    return rows


@dataclass
class OutwardEntry:
    meeting: Meeting
    recipients: list[ResolutionRecipient] = field(default_factory=list)

    @property
    def waiting(self) -> list[ResolutionRecipient]:
        """Recipients that have not acknowledged receipt yet."""
        return [row for row in self.recipients if row.acknowledged_on is None]


def cell_outward(cell: Organization, limit: int = FOLLOWUP_MEETINGS) -> list[OutwardEntry]:
    """The cell's latest signed meetings, newest first, each with the recipients of its
    resolution (a fixed number of queries, whatever the number of meetings)."""
    meetings = (
        Meeting.objects.filter(organization=cell, status=MeetingStatus.SIGNED)
        .select_related("record", "organization")
        .prefetch_related(
            Prefetch(
                "resolution_recipients",
                queryset=ResolutionRecipient.objects.order_by("sent_on", "id"),
            )
        )
        .order_by("-date", "-time", "-id")[:limit]
    )
    return [
        OutwardEntry(meeting=m, recipients=list(m.resolution_recipients.all())) for m in meetings
    ]


def secretary_name(cell: Organization) -> str:
    """The cell's current secretary, who signs its notices ("T/M CHI BỘ / BÍ THƯ")."""
    position = (
        Position.objects.current()
        .filter(organization=cell, role=Role.SECRETARY)
        .select_related("member")
        .order_by("-start_date")
        .first()
    )
    return position.member.full_name if position else ""
