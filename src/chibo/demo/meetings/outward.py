"""Resolutions outward in the demo (issue 10, field report 002): the latest signed meetings of
Khối 1 and Khối 2 sent their resolution (or an extract for the public) to the Front's work
committee, the mass organisations and the residents' group of their area; some acknowledged
receipt, some not yet. Idempotent: a meeting that already has recipients is left alone."""

from __future__ import annotations

import datetime
from typing import Any

from chibo.demo.meetings.rows import KHOI1_CODE
from chibo.meetings import services
from chibo.meetings.models import Meeting, MeetingStatus, ResolutionRecipient

KHOI2_CODE = KHOI1_CODE[:-1] + "2"
MEETINGS_PER_CELL = 3

# (kind, name pattern, what was sent, acknowledged after days or None)
RECIPIENTS = [
    ("residents", "Ban công tác Mặt trận {area}", "resolution", 2),
    ("women", "Chi hội Phụ nữ {area}", "extract", 3),
    ("veterans", "Chi hội Cựu chiến binh {area}", "resolution", None),
    ("youth", "Chi đoàn {area}", "extract", None),
]
EXTRACT = (
    "Chi bộ đề nghị vận động nhân dân trong khu phố giữ gìn vệ sinh môi trường, "
    "tham gia bảo đảm an ninh trật tự và thực hiện tốt các phong trào của địa phương."
)


def seed_outward(*, actor: Any, today: datetime.date) -> int:
    """Recipients for the latest signed meetings of Khối 1 and Khối 2; returns how many."""
    created = 0
    for code in (KHOI1_CODE, KHOI2_CODE):
        meetings = list(
            Meeting.objects.filter(organization__code=code, status=MeetingStatus.SIGNED)
            .select_related("organization")
            .order_by("-date")[:MEETINGS_PER_CELL]
        )
        for index, meeting in enumerate(meetings):
            if ResolutionRecipient.objects.filter(meeting=meeting).exists():
                continue
            area = meeting.organization.name.replace("Chi bộ ", "").lower()
            sent = min(meeting.date + datetime.timedelta(days=2), today)
            # The newest meeting's recipients have not all answered yet; older ones have.
            for kind, name, content, after in RECIPIENTS[: 4 if index == 0 else 2]:
                row = services.recipient_add(
                    actor=actor,
                    meeting=meeting,
                    kind=kind,
                    name=name.format(area=area),
                    content=content,
                    extract=EXTRACT if content == "extract" else "",
                    sent_on=sent,
                )
                created += 1
                if after is not None and (index > 0 or after == 2):
                    services.recipient_acknowledge(
                        actor=actor,
                        recipient=row,
                        acknowledged_on=min(sent + datetime.timedelta(days=after), today),
                        acknowledged_by="Trưởng ban" if kind == "residents" else "Chi hội trưởng",
                    )
    return created
