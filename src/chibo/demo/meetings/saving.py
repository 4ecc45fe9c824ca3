"""Writing the demo meeting history in bulk, with the frozen content of each signed meeting
(see chibo.demo.meetings)."""

from __future__ import annotations

import io
import random
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection

from chibo.core import rules
from chibo.demo.meetings.rows import (
    SEED,
    Bundle,
    ItemRow,
    LineRow,
)
from chibo.demo.meetings.scores import Scoring
from chibo.followup.models import Assignment, AssignmentStatus
from chibo.meetings import documents
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Commendation,
    Meeting,
    MeetingDocument,
    MeetingGuest,
    MeetingPolicy,
    MeetingRecord,
    MeetingScore,
    PreparatoryMeeting,
    ScoreLine,
    Signature,
    Speech,
    Vote,
    meeting_document_path,
)
from chibo.orgs.models import Organization, Position


class Saving(Scoring):
    def settle(self) -> None:
        """Assignments no later meeting has reviewed yet: due ones mostly done, the others
        open or in progress."""
        for plan_state in self.states.values():
            for assignment, _members in plan_state.to_review:
                rng = random.Random(f"{SEED}:{assignment.client_token}")
                if assignment.due_date < self.today:
                    done = rng.random() < 0.8
                    assignment.status = (
                        AssignmentStatus.DONE if done else AssignmentStatus.IN_PROGRESS
                    )
                else:
                    assignment.status = rng.choice(
                        (AssignmentStatus.OPEN, AssignmentStatus.OPEN, AssignmentStatus.IN_PROGRESS)
                    )
                assignment.progress = {
                    AssignmentStatus.DONE: "Đã hoàn thành.",
                    AssignmentStatus.IN_PROGRESS: "Đang thực hiện.",
                }.get(assignment.status, "")

    def save(self) -> None:
        rows = self.rows
        Meeting.objects.bulk_create(rows.meetings, batch_size=500)
        facts = _Facts([bundle.plan.org for bundle in self.bundles])
        for bundle in self.bundles:
            assert bundle.record is not None
            frozen_content = documents.build(facts.of(bundle)).as_json()
            bundle.record.frozen_content = frozen_content
            bundle.record.fingerprint = documents.fingerprint_of(frozen_content)
        _insert(
            AgendaItem,
            (
                "meeting", "position", "step", "part", "title", "guidance", "notes",
                "conclusion", "deferred", "version",
            ),
            [
                (
                    item.meeting.pk, item.position, item.step, item.part, item.title,
                    item.guidance, item.notes, item.conclusion, item.deferred, 1,
                )
                for item in rows.agenda_items
            ],
        )  # fmt: skip
        item_ids = {
            (meeting_id, position): pk
            for pk, meeting_id, position in AgendaItem.objects.filter(
                meeting_id__in=[meeting.pk for meeting in rows.meetings]
            ).values_list("pk", "meeting_id", "position")
        }
        for item in rows.agenda_items:
            item.pk = item_ids[(item.meeting.pk, item.position)]
        started = {
            meeting.pk: _db_value(Attendance, "updated_at", meeting.started_at)
            for meeting in rows.meetings
            if meeting.started_at
        }
        _insert(
            Attendance,
            (
                "meeting",
                "member",
                "category",
                "membership_class",
                "status",
                "reason",
                "version",
                "updated_at",
            ),
            [
                (
                    row.meeting.pk,
                    row.member_id,
                    row.category,
                    row.membership_class,
                    row.status,
                    row.reason,
                    1 if row.status in (AttendanceStatus.EXEMPT, AttendanceStatus.SUSPENDED) else 2,
                    started[row.meeting.pk],
                )
                for row in rows.attendance
            ],
        )
        _insert(
            Speech,
            ("meeting", "agenda_item", "member", "summary", "client_token", "created_at"),
            [
                (
                    speech.meeting.pk,
                    speech.item.pk,
                    speech.member.pk,
                    speech.summary,
                    _db_value(Speech, "client_token", speech.token),
                    _db_value(Speech, "created_at", speech.created_at),
                )
                for speech in rows.speeches
            ],
        )
        Commendation.objects.bulk_create(rows.commendations, batch_size=1000)
        for vote, item in rows.votes:
            vote.agenda_item_id = item.pk
        Vote.objects.bulk_create([vote for vote, _item in rows.votes], batch_size=1000)
        MeetingGuest.objects.bulk_create(rows.guests, batch_size=1000)
        decimals: dict[Decimal | None, Any] = {}

        def points(value: Decimal | None) -> Any:
            if value not in decimals:
                decimals[value] = _db_value(ScoreLine, "points", value)
            return decimals[value]

        _insert(
            ScoreLine,
            (
                "meeting", "code", "position", "label", "max_points", "points", "must_have",
                "automatic", "evidence", "version",
            ),
            [
                (
                    line.meeting.pk, line.code, line.position, line.label,
                    points(line.max_points), points(line.points), line.must_have, line.automatic,
                    line.evidence, 1,
                )
                for line in rows.score_lines
            ],
        )  # fmt: skip
        MeetingScore.objects.bulk_create(rows.scores, batch_size=1000)
        MeetingRecord.objects.bulk_create(rows.records, batch_size=1000)
        Signature.objects.bulk_create(rows.signatures, batch_size=1000)
        PreparatoryMeeting.objects.bulk_create(
            [preparation for preparation, _members in rows.preparations], batch_size=1000
        )
        participants = PreparatoryMeeting.participants.through
        participants.objects.bulk_create(
            [
                participants(preparatorymeeting_id=preparation.pk, member_id=member.pk)
                for preparation, members in rows.preparations
                for member in members
            ],
            batch_size=2000,
        )
        Assignment.objects.bulk_create(
            [assignment for assignment, _members in rows.assignments], batch_size=1000
        )
        assigned = Assignment.members.through
        assigned.objects.bulk_create(
            [
                assigned(assignment_id=assignment.pk, member_id=member.pk)
                for assignment, members in rows.assignments
                for member in members
            ],
            batch_size=2000,
        )
        for document, content in rows.documents:
            document.meeting_id = document.meeting.pk
            name = f"du-thao-nghi-quyet-{document.meeting.date:%m-%Y}.docx"
            path = meeting_document_path(document, name)
            document.file.name = default_storage.save(path, io.BytesIO(content))
        MeetingDocument.objects.bulk_create(
            [document for document, _content in rows.documents], batch_size=500
        )


def _db_value(model: Any, name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _insert(model: Any, names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows of database-ready values into `model`'s table with one executemany."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    values = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values})",  # noqa: S608
            rows,
        )


class _Facts:
    """meetings.documents.MeetingFacts of the demo meetings from the rows held in memory, so
    the frozen content goes through the same `documents.build` as a real signing. The upper
    organizations, policies and positions of every cell are read once; reading each meeting
    back from the database would take about fifteen queries a meeting."""

    def __init__(self, cells: list[Organization]) -> None:
        paths = {path for cell in cells for path in rules.ancestor_paths(cell.path)}
        self.orgs = {org.path: org for org in Organization.objects.filter(path__in=paths)}
        self.policies = {
            policy.organization.path: policy
            for policy in MeetingPolicy.objects.filter(organization__path__in=paths).select_related(
                "organization"
            )
        }
        positions = (
            Position.objects.filter(organization__path__in=paths, role__in=documents.DOCUMENT_ROLES)
            .select_related("member", "organization")
            .order_by("member__name_sort_key", "id")
        )
        self.positions: dict[str, list[Position]] = {}
        for position in positions:
            self.positions.setdefault(position.organization.path, []).append(position)
        self._cells: dict[int, tuple[list[Organization], str, list[Position]]] = {}

    def cell(self, cell: Organization) -> tuple[list[Organization], str, list[Position]]:
        """The cell's upper organizations, its signature authority, and the positions in it
        and above (all dates: `documents.build` keeps those in force on the meeting day)."""
        if cell.pk not in self._cells:
            paths = rules.ancestor_paths(cell.path)
            policy = next(
                (self.policies[path] for path in reversed(paths) if path in self.policies), None
            )
            self._cells[cell.pk] = (
                [self.orgs[path] for path in paths if path != cell.path],
                policy.signature_authority if policy else "cell",
                sorted(
                    (p for path in paths for p in self.positions.get(path, [])),
                    key=lambda p: (p.member.name_sort_key, p.pk),
                ),
            )
        return self._cells[cell.pk]

    def of(self, bundle: Bundle) -> documents.MeetingFacts:
        meeting, cell = bundle.meeting, bundle.plan.org
        ancestors, authority, positions = self.cell(cell)
        items: list[ItemRow] = sorted(bundle.items, key=lambda item: item.position)
        lines: list[LineRow] = sorted(bundle.lines, key=lambda line: line.position)
        return documents.MeetingFacts(
            meeting=meeting,
            cell=cell,
            ancestors=ancestors,
            signature_authority=authority,
            chair=meeting.chair,
            minute_taker=meeting.minute_taker,
            positions=positions,
            summary=bundle.summary,
            agenda_items=items,
            speeches=[(s.item, s.member.full_name, s.summary) for s in bundle.speeches],
            commendations=bundle.commendations,
            assignments=bundle.assignments,
            votes=[(vote, item.title) for vote, item in bundle.votes],
            guests=bundle.guests,
            score=bundle.score,
            score_lines=lines,
            record=bundle.record,
            signatures=sorted(bundle.signatures, key=lambda s: s.signed_at),
        )
