"""Demo model meetings (see chibo.demo.supervision): in the ward and the commune, two model
meetings a quarter rotating across the cells (the ward: one residential group and one school;
the commune, whose cells are villages: two villages) over the last four quarters, on the cells'
signed meetings, with the other cells of the type invited; and the current quarter planned
through the service, which invites and notifies the secretaries."""

from __future__ import annotations

import datetime
from typing import Any

from chibo.core.dates import add_months
from chibo.demo.meetings.rows import COMMUNE_CODE, WARD_CODE
from chibo.meetings.models import EDITABLE_STATUSES, Meeting, MeetingKind, MeetingStatus
from chibo.orgs.models import Organization
from chibo.supervision.models import ModelMeeting, ModelMeetingInvitation
from chibo.supervision.rotation import PastModelMeeting, quarter_of, quarter_start, rotation_order
from chibo.supervision.selectors_model_meetings import cell_type_of, committee_cells
from chibo.supervision.services_model_meetings import current_secretaries, model_meeting_plan

TOPICS = (
    "Nâng cao chất lượng sinh hoạt chi bộ theo Hướng dẫn 42-HD/BTCTW",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Vai trò của đảng viên trong xây dựng khu dân cư văn hóa",
    "Phát huy vai trò nêu gương của đảng viên nơi cư trú",
)


WEEK = datetime.timedelta(days=7)


def quarter_end(day: datetime.date) -> datetime.date:
    return add_months(quarter_start(day.year, quarter_of(day)), 3) - datetime.timedelta(days=1)


def _quarters(today: datetime.date) -> list[tuple[int, int]]:
    """The last four quarters and the current one, oldest first."""
    start = quarter_start(today.year, quarter_of(today))
    days = [add_months(start, -3 * back) for back in range(4, -1, -1)]
    return [(day.year, quarter_of(day)) for day in days]


def _slots(cells: list[Organization]) -> list[str]:
    """Two cell types a quarter: the two largest with at least two cells, else the largest
    twice."""
    sizes: dict[str, int] = {}
    for cell in cells:
        sizes[cell_type_of(cell)] = sizes.get(cell_type_of(cell), 0) + 1
    types = sorted((t for t, n in sizes.items() if n >= 2), key=lambda t: -sizes[t])
    if not types:
        return []
    return types[:2] if len(types) >= 2 else [types[0], types[0]]


def _meeting_in_quarter(cell: Organization, year: int, quarter: int, *, signed: bool) -> Any:
    start = quarter_start(year, quarter)
    rows = Meeting.objects.filter(
        organization=cell,
        kind=MeetingKind.REGULAR,
        date__gte=start,
        date__lt=add_months(start, 3),
    ).order_by("date")
    if signed:
        return rows.filter(status=MeetingStatus.SIGNED).first()
    return rows.filter(status__in=EDITABLE_STATUSES).first()


def _seed_area(actor: Any, area: Organization, today: datetime.date) -> int:
    cells = committee_cells(area, today)
    by_type: dict[str, list[Organization]] = {}
    for cell in cells:
        by_type.setdefault(cell_type_of(cell), []).append(cell)
    past: dict[str, list[PastModelMeeting]] = {t: [] for t in by_type}
    secretaries = current_secretaries(cells)
    created = 0
    current = (today.year, quarter_of(today))
    for index, (year, quarter) in enumerate(_quarters(today)):
        for slot, cell_type in enumerate(_slots(cells)):
            typed = by_type[cell_type]
            topic = TOPICS[(index + slot) % len(TOPICS)]
            for cell_id in rotation_order([c.pk for c in typed], past[cell_type]):
                cell = next(c for c in typed if c.pk == cell_id)
                guests = [c for c in typed if c.pk != cell.pk]
                if (year, quarter) == current:
                    # The cell's coming meeting of the quarter, else a thematic one next week.
                    coming = _meeting_in_quarter(cell, year, quarter, signed=False)
                    day = coming.date if coming else min(today + WEEK, quarter_end(today))
                    planned = model_meeting_plan(
                        actor=actor,
                        committee=area,
                        cell=cell,
                        date=day,
                        time=coming.time if coming else datetime.time(19, 30),
                        place=coming.place if coming else cell.address,
                        topic=topic,
                        invited_cells=guests,
                    )
                    meeting = planned.meeting
                    assert meeting is not None  # planning always links or schedules one
                else:
                    meeting = _meeting_in_quarter(cell, year, quarter, signed=True)
                    if meeting is None or hasattr(meeting, "model_meeting"):
                        continue
                    model_meeting = ModelMeeting.objects.create(
                        committee=area,
                        cell=cell,
                        cell_type=cell_type,
                        year=year,
                        quarter=quarter,
                        meeting=meeting,
                        topic=topic,
                        planned_by=actor,
                    )
                    ModelMeetingInvitation.objects.bulk_create(
                        ModelMeetingInvitation(
                            model_meeting=model_meeting,
                            cell=guest,
                            invitee=secretaries.get(guest.pk),
                            attended=number % 5 != 3,  # about one secretary in five missed it
                        )
                        for number, guest in enumerate(guests)
                    )
                past[cell_type].append(PastModelMeeting(cell.pk, meeting.date))
                created += 1
                break
    return created


def seed(*, actor: Any, root: Organization, today: datetime.date) -> int:
    created = 0
    for code in (WARD_CODE, COMMUNE_CODE):
        area = Organization.objects.filter(path__startswith=root.path, code=code).first()
        if area is not None:
            created += _seed_area(actor, area, today)
    return created


def delete(root: Organization) -> None:
    ModelMeeting.objects.filter(committee__path__startswith=root.path).delete()
