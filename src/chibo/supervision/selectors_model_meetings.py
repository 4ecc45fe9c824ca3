"""Reads of model meetings: a committee's year by quarter and cell type with the rotation's
suggestion, a secretary's invitations, the signed examples shared with a user's subtree, and
the events of a member's calendar."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.rules import PATH_STEP, rule_in_force
from chibo.meetings.models import MeetingStatus
from chibo.orgs.models import CELL_KINDS, CellType, Organization
from chibo.orgs.scope import scope_for
from chibo.supervision.models import ModelMeeting, ModelMeetingInvitation
from chibo.supervision.rotation import PastModelMeeting, quarter_start, rotation_order

# How long a model meeting is shown in a calendar when its end is not known.
EVENT_LENGTH = datetime.timedelta(hours=2)


def committee_cells(committee: Organization, on: datetime.date) -> list[Organization]:
    """The active cells of the committee's subtree, in the tree's order."""
    return list(
        Organization.objects.filter(path__startswith=committee.path, kind__in=CELL_KINDS)
        .filter(active_from__lte=on)
        .exclude(active_to__lt=on)
        .order_by("path")
    )


def cell_type_of(cell: Organization) -> str:
    return cell.cell_type or CellType.OTHER


def rotation_rule(committee: Organization, on: datetime.date) -> Any:
    """The rule model_meeting.rotation in force for the committee (shown with its source)."""
    return rule_in_force("model_meeting.rotation", organization=committee, on=on)


def per_quarter(committee: Organization, on: datetime.date) -> int:
    """How many model meetings of each cell type a quarter (rule model_meeting.rotation)."""
    value = rule_in_force("model_meeting.rotation", organization=committee, on=on).value
    return int(value.get("per_quarter", 1))


def _past(model_meetings: list[ModelMeeting]) -> list[PastModelMeeting]:
    return [
        PastModelMeeting(
            cell_id=row.cell_id,
            on=row.meeting.date if row.meeting else quarter_start(row.year, row.quarter),
        )
        for row in model_meetings
    ]


def suggested_cells(
    committee: Organization, cell_type: str, *, on: datetime.date, count: int = 1
) -> list[Organization]:
    """The next `count` cells of `cell_type` the rotation gives, counting every model meeting
    the committee planned and did not cancel, across years and terms."""
    cells = [cell for cell in committee_cells(committee, on) if cell_type_of(cell) == cell_type]
    planned = list(
        ModelMeeting.objects.filter(committee=committee, cancelled_at__isnull=True)
        .select_related("meeting")
        .filter(cell__in=cells)
    )
    order = rotation_order([cell.pk for cell in cells], _past(planned))
    by_id = {cell.pk: cell for cell in cells}
    return [by_id[pk] for pk in order[:count]]


@dataclass
class QuarterRow:
    quarter: int
    cell_type: str
    cell_type_label: str
    planned: list[ModelMeeting] = field(default_factory=list)
    suggestions: list[Organization] = field(default_factory=list)


def year_plan(committee: Organization, year: int, *, today: datetime.date) -> list[QuarterRow]:
    """For each quarter of `year` and each cell type of the committee's cells: the model
    meetings planned and, for the slots still open (rule model_meeting.rotation), the cells the
    rotation suggests — a later quarter counts the suggestions of the earlier ones."""
    cells = committee_cells(committee, today)
    types: dict[str, list[Organization]] = {}
    for cell in cells:
        types.setdefault(cell_type_of(cell), []).append(cell)
    labels = dict(CellType.choices)
    rows_all = list(
        ModelMeeting.objects.filter(committee=committee)
        .select_related("cell", "meeting")
        .prefetch_related("invitations")
        .order_by("year", "quarter", "id")
    )
    live = [row for row in rows_all if row.cancelled_at is None]
    slots = per_quarter(committee, datetime.date(year, 1, 1))
    by_id = {cell.pk: cell for cell in cells}
    result: list[QuarterRow] = []
    for cell_type, typed in types.items():
        ids = [cell.pk for cell in typed]
        if len(ids) < 2 and not any(mm.cell_id in ids and mm.year == year for mm in rows_all):
            # A type with one cell has nothing to rotate; it can still be planned by hand.
            continue
        past = _past([row for row in live if row.cell_id in ids])
        for quarter in range(1, 5):
            row = QuarterRow(quarter, cell_type, str(labels.get(cell_type, cell_type)))
            row.planned = [
                mm
                for mm in rows_all
                if mm.year == year and mm.quarter == quarter and mm.cell_id in ids
            ]
            open_slots = slots - sum(1 for mm in row.planned if mm.cancelled_at is None)
            if (year, quarter) >= (today.year, (today.month - 1) // 3 + 1):
                for _slot in range(max(open_slots, 0)):
                    order = rotation_order(ids, past)
                    if not order:
                        break
                    row.suggestions.append(by_id[order[0]])
                    past.append(PastModelMeeting(order[0], quarter_start(year, quarter)))
            result.append(row)
    result.sort(key=lambda row: (row.quarter, row.cell_type_label))
    return result


def invitations_for(member_id: int | None) -> QuerySet[ModelMeetingInvitation]:
    """The model meetings a member is invited to (as their cell's secretary), newest first."""
    if member_id is None:
        return ModelMeetingInvitation.objects.none()
    return (
        ModelMeetingInvitation.objects.filter(invitee_id=member_id)
        .select_related("model_meeting__cell", "model_meeting__meeting", "cell")
        .order_by("-model_meeting__year", "-model_meeting__quarter", "-id")
    )


def _ancestor_paths(paths: list[str]) -> set[str]:
    return {path[:end] for path in paths for end in range(PATH_STEP, len(path) + 1, PATH_STEP)}


def examples_for(user: Any) -> list[ModelMeeting]:
    """The signed model meetings shared with the user's subtree: those of the committees above
    their own cell or above (or within) a subtree they read (two queries)."""
    scope = scope_for(user)
    rows = (
        ModelMeeting.objects.filter(cancelled_at__isnull=True, meeting__status=MeetingStatus.SIGNED)
        .select_related("committee", "cell", "meeting")
        .order_by("-meeting__date", "-id")
    )
    if scope.is_admin:
        return list(rows)
    paths = list(scope.read_paths)
    if scope.own_cell_id is not None:
        paths += Organization.objects.filter(pk=scope.own_cell_id).values_list("path", flat=True)
    if not paths:
        return []
    shared = Q(committee__path__in=_ancestor_paths(paths))
    for path in scope.read_paths:
        shared |= Q(committee__path__startswith=path)
    return list(rows.filter(shared))


def agenda_of(model_meeting: ModelMeeting) -> list[Any]:
    meeting = model_meeting.meeting
    if meeting is None:
        return []
    return list(meeting.agenda_items.order_by("position"))


def record_of(model_meeting: ModelMeeting) -> Any:
    """The wording of the signed minutes and resolution (none before signing)."""
    meeting = model_meeting.meeting
    if meeting is None or meeting.status != MeetingStatus.SIGNED:
        return None
    return getattr(meeting, "record", None)


def calendar_events(
    member_id: int, start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """The model meetings `member_id` is invited to between `start` and `end` (inclusive),
    as calendar events for the lead's calendar and feed."""
    rows = invitations_for(member_id).filter(
        model_meeting__cancelled_at__isnull=True,
        model_meeting__meeting__date__gte=start,
        model_meeting__meeting__date__lte=end,
    )
    events = []
    for invitation in rows:
        model_meeting = invitation.model_meeting
        meeting = model_meeting.meeting
        if meeting is None:  # the date filter keeps only rows with a meeting
            continue
        begins = timezone.make_aware(datetime.datetime.combine(meeting.date, meeting.time))
        events.append(
            {
                "uid": f"model-meeting-{model_meeting.pk}@chibo",
                "start": begins,
                "end": begins + EVENT_LENGTH,
                "title": model_meeting_title(model_meeting),
                "place": meeting.place,
                "url": reverse("supervision:model_meeting", args=[model_meeting.pk]),
                "kind": "model_meeting",
            }
        )
    return events


def model_meeting_title(model_meeting: ModelMeeting) -> str:
    return _("Model meeting: %(cell)s") % {"cell": model_meeting.cell.name}
