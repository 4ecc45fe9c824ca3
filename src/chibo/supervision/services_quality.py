"""State changes of meeting quality over time and perfunctory meetings: detection raises
`PerfunctoryFlag`s (idempotently: one per meeting, kind and part); the level above confirms a
flag (the cell's secretary is reminded) or dismisses it with a note."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.rules import rule_in_force
from chibo.meetings.models import (
    PRESENT_STATUSES,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Speech,
)
from chibo.notify.services import notify_users
from chibo.orgs.models import Organization, Position, Role
from chibo.supervision import perfunctory
from chibo.supervision.models import PerfunctoryFlag, PerfunctoryStatus

RULE_KEY = "perfunctory.thresholds"
REMINDER_CODE = "meeting.perfunctory"
# The parent's path: cells of one committee share its rule (overrides are set by committees).
PATH_STEP = 4


def _signed_regular(cells: list[Organization] | None, since: datetime.date | None) -> Q:
    query = Q(meeting__kind=MeetingKind.REGULAR, meeting__status=MeetingStatus.SIGNED)
    if cells is not None:
        query &= Q(meeting__organization__in=[cell.pk for cell in cells])
    if since is not None:
        query &= Q(meeting__date__gte=since)
    return query


def _load(
    cells: list[Organization] | None, since: datetime.date | None, parts: set[str]
) -> dict[int, list[perfunctory.MeetingTexts]]:
    """Each cell's signed regular meetings, oldest first (four queries whatever the size)."""
    query = _signed_regular(cells, since)
    meetings = Meeting.objects.filter(
        kind=MeetingKind.REGULAR, status=MeetingStatus.SIGNED, record__isnull=False
    )
    if cells is not None:
        meetings = meetings.filter(organization__in=[cell.pk for cell in cells])
    if since is not None:
        meetings = meetings.filter(date__gte=since)
    by_meeting: dict[int, perfunctory.MeetingTexts] = {}
    by_cell: dict[int, list[perfunctory.MeetingTexts]] = defaultdict(list)
    for meeting_id, cell_id, date, evaluation, tasks, implementation in meetings.order_by(
        "organization_id", "date", "id"
    ).values_list(
        "id",
        "organization_id",
        "date",
        "record__resolution_evaluation",
        "record__resolution_tasks",
        "record__resolution_implementation",
    ):
        texts = {"evaluation": evaluation, "tasks": tasks, "implementation": implementation}
        item = perfunctory.MeetingTexts(meeting_id, cell_id, date, texts)
        by_meeting[meeting_id] = item
        by_cell[cell_id].append(item)
    if "review_notes" in parts:
        for meeting_id, notes in AgendaItem.objects.filter(query, step="review").values_list(
            "meeting_id", "notes"
        ):
            if meeting_id in by_meeting:
                by_meeting[meeting_id].texts["review_notes"] = notes
    for meeting_id, member_id in Speech.objects.filter(query).values_list(
        "meeting_id", "member_id"
    ):
        if meeting_id in by_meeting:
            by_meeting[meeting_id].speakers.append(member_id)
    present = (
        Attendance.objects.filter(query, status__in=PRESENT_STATUSES)
        .values("meeting_id")
        .annotate(count=Count("id"))
    )
    for row in present:
        if row["meeting_id"] in by_meeting:
            by_meeting[row["meeting_id"]].present = row["count"]
    return by_cell


def detect_perfunctory(
    *,
    cells: Iterable[Organization] | None = None,
    since: datetime.date | None = None,
    today: datetime.date | None = None,
) -> int:
    """Raise the flags of perfunctory meetings (supervision.perfunctory) among the signed
    regular meetings of `cells` (all cells if None) dated `since` or later (all if None),
    comparing each with the same cell's earlier meetings only. Existing flags are kept, whatever
    their status: a dismissed flag is not raised again. Returns how many flags were created."""
    today = today or timezone.localdate()
    cell_list = list(cells) if cells is not None else None
    # Earlier meetings a meeting since `since` is compared with: load a margin before it.
    load_since = since - datetime.timedelta(days=31 * 13) if since is not None else None
    rules: dict[str, dict[str, Any]] = {}
    organizations = {
        org.pk: org
        for org in (
            cell_list
            if cell_list is not None
            else Organization.objects.filter(meetings__kind=MeetingKind.REGULAR).distinct()
        )
    }
    all_parts = {"evaluation", "tasks", "implementation", "review_notes"}
    by_cell = _load(cell_list, load_since, all_parts)
    findings: list[perfunctory.Finding] = []
    for cell_id, meetings in by_cell.items():
        cell = organizations.get(cell_id)
        if cell is None:
            continue
        parent = cell.path[:-PATH_STEP]
        if parent not in rules:
            rules[parent] = rule_in_force(RULE_KEY, organization=cell, on=today).value
        rule = rules[parent]
        start = 0
        if since is not None:
            start = next((i for i, m in enumerate(meetings) if m.date >= since), len(meetings))
        findings += perfunctory.repeated_texts(meetings, rule, from_index=start)
        findings += perfunctory.same_speakers(meetings, rule, from_index=start)
    return _save(findings)


def _save(findings: list[perfunctory.Finding]) -> int:
    if not findings:
        return 0
    existing = set(
        PerfunctoryFlag.objects.filter(
            cell_id__in={finding.cell_id for finding in findings}
        ).values_list("meeting_id", "kind", "part")
    )
    new = [
        PerfunctoryFlag(
            cell_id=finding.cell_id,
            meeting_id=finding.meeting_id,
            earlier_meeting_id=finding.earlier_meeting_id,
            kind=finding.kind,
            part=finding.part,
            similarity=finding.similarity,
            detail=finding.detail,
        )
        for finding in findings
        if (finding.meeting_id, finding.kind, finding.part) not in existing
    ]
    PerfunctoryFlag.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def _secretaries(cell: Organization) -> list[Any]:
    return [
        position.member.user
        for position in Position.objects.current()
        .filter(organization=cell, role=Role.SECRETARY, member__user__isnull=False)
        .select_related("member__user")
    ]


@transaction.atomic
def perfunctory_flag_confirm(*, flag: PerfunctoryFlag, actor: Any, note: str = "") -> None:
    """The level above agrees the meeting was perfunctory: the flag is confirmed and the cell's
    secretary is reminded (notification `meeting.perfunctory`)."""
    if flag.status != PerfunctoryStatus.OPEN:
        raise ServiceError(_("This flag has already been reviewed."))
    flag.status = PerfunctoryStatus.CONFIRMED
    flag.review_note = note.strip()
    flag.reviewed_by = actor
    flag.reviewed_at = timezone.now()
    flag.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    meeting = flag.meeting
    notify_users(
        users=_secretaries(flag.cell),
        code=REMINDER_CODE,
        title=_("The level above finds the meeting of %(date)s perfunctory")
        % {"date": meeting.date.strftime("%d/%m/%Y")},
        body=flag.review_note,
        url=reverse("meetings:detail", args=[meeting.pk]),
    )
    audit.record(
        actor=actor,
        code="perfunctory_flag.confirmed",
        target=flag,
        organization=flag.cell,
        note=flag.review_note,
    )


@transaction.atomic
def perfunctory_flag_dismiss(*, flag: PerfunctoryFlag, actor: Any, note: str) -> None:
    """The level above finds the meeting genuine: the flag is dismissed, with the reason."""
    if flag.status != PerfunctoryStatus.OPEN:
        raise ServiceError(_("This flag has already been reviewed."))
    if not note.strip():
        raise ServiceError(_("Say why the flag is dismissed."))
    flag.status = PerfunctoryStatus.DISMISSED
    flag.review_note = note.strip()
    flag.reviewed_by = actor
    flag.reviewed_at = timezone.now()
    flag.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    audit.record(
        actor=actor,
        code="perfunctory_flag.dismissed",
        target=flag,
        organization=flag.cell,
        note=flag.review_note,
    )
