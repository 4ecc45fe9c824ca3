"""The demo meeting history's plans and rows before they are written (see
chibo.demo.meetings)."""

from __future__ import annotations

import datetime
import io
import random
import uuid
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone

from chibo.core import rules
from chibo.followup.models import Assignment
from chibo.meetings import selectors
from chibo.meetings.models import (
    AgendaPart,
    Commendation,
    Meeting,
    MeetingDocument,
    MeetingGuest,
    MeetingPolicy,
    MeetingRecord,
    MeetingScore,
    MemberCategory,
    NonWorkingDayShift,
    PreparatoryMeeting,
    Signature,
    Vote,
    VoteSubject,
)
from chibo.members.models import ACTIVE_STATUSES, Member, MembershipClass, MemberStatus
from chibo.orgs.models import CellType, Organization

SEED = "chibo-demo-meetings"
WARD_CODE = "38.168"
COMMUNE_CODE = "38.201"
KHOI1_CODE = "38.168.000.000.001"
# The cell whose meeting of this month is still unpublished after the notice deadline: the
# committee's dashboard flags it (issue 12's acceptance scenario).
KHOI2_CODE = "38.168.000.000.002"
KHOI1_MINUTE_TAKER = "dangvien.khoi1"
HISTORY_MONTHS = 12
# The new ward and commune committees took office on 1/7/2025 (294-QĐ/TW): document numbers
# run from 01 within this term (DOMAIN R5.9).
TERM_START = datetime.date(2025, 7, 1)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

POLICIES: dict[str, dict[str, Any]] = {
    # Residential cells meet in the evening; the village cells in the morning, off the fields.
    WARD_CODE: {
        "day_of_month": 3,
        "non_working_day": NonWorkingDayShift.NEXT_WORKING_DAY,
        "default_time": datetime.time(19, 30),
    },
    COMMUNE_CODE: {
        "day_of_month": 7,
        "non_working_day": NonWorkingDayShift.NEXT_WORKING_DAY,
        "default_time": datetime.time(8, 0),
    },
}
UPPER_TITLES = {
    WARD_CODE: "Đảng ủy viên Đảng ủy phường, phụ trách chi bộ",
    COMMUNE_CODE: "Đảng ủy viên Đảng ủy xã, phụ trách chi bộ",
}

PROFILES: dict[str, str] = {
    CellType.RESIDENTIAL_GROUP: "residential",
    CellType.VILLAGE: "village",
    CellType.SCHOOL: "school",
    CellType.POLICE: "police",
    CellType.PRIVATE_ENTERPRISE: "enterprise",
    CellType.COOPERATIVE: "enterprise",
}

# Quarters without a thematic meeting, kept whatever the draw: a past one in the ward (the
# rule test needs one) and the current one in a few cells (so the dashboard warning shows).
NO_THEMATIC_PAST = frozenset({"38.168.000.000.009"})
NO_THEMATIC_NOW = frozenset(
    {"38.168.000.000.006", "38.168.000.000.013", "38.201.000.000.004", "38.201.000.000.017"}
)

MOST_SPEAKERS = 8
MEMBERSHIP_SUBJECTS = frozenset({VoteSubject.ADMISSION, VoteSubject.RECOGNITION})
MEMBERSHIP_VOTES_A_YEAR = 3

CATEGORY_OF_STATUS: dict[str, str] = {
    MemberStatus.OFFICIAL: MemberCategory.OFFICIAL,
    MemberStatus.PROBATIONARY: MemberCategory.PROBATIONARY,
    MemberStatus.EXEMPTED: MemberCategory.EXEMPTED,
    MemberStatus.TEMPORARILY_ATTACHED: MemberCategory.TEMPORARILY_ATTACHED,
    MemberStatus.SUSPENDED: MemberCategory.SUSPENDED,
}


@dataclass
class SeedSummary:
    cells: int = 0
    meetings: int = 0
    signed: int = 0
    assignments: int = 0


# -- small helpers ----------------------------------------------------------------------------


def _month(first: datetime.date, offset: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + offset
    return datetime.date(index // 12, index % 12 + 1, 1)


def _quarter(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _d(value: float | int | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))


def _times(meeting: Meeting) -> tuple[datetime.datetime, datetime.datetime]:
    assert meeting.started_at is not None and meeting.ended_at is not None
    return meeting.started_at, meeting.ended_at


def _names(members: list[Member]) -> str:
    return ", ".join(member.full_name for member in members)


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A small Word document (the minimum OOXML parts), deterministic for the same text."""
    run = (
        '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
        'w:cs="Times New Roman"/>{bold}<w:sz w:val="28"/></w:rPr>'
    )
    body = "".join(
        f"<w:p><w:r>{run.format(bold='<w:b/>' if index == 0 else '')}"
        f'<w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for index, line in enumerate([title, *paragraphs])
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1418" w:right="851" w:bottom="1418" w:left="1985"/></w:sectPr>'
            "</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


class _Rules:
    """rules.rule_in_force, remembered per key and organization for as long as the version
    found is in force (the demo has no overrides that start in the middle of the year)."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, int], list[rules.Resolved]] = {}

    def get(self, key: str, organization: Organization, day: datetime.date) -> rules.Resolved:
        for resolved in self._found.get((key, organization.pk), []):
            if resolved.effective_from <= day and (
                resolved.effective_to is None or day <= resolved.effective_to
            ):
                return resolved
        resolved = rules.rule_in_force(key, organization=organization, on=day)
        self._found.setdefault((key, organization.pk), []).append(resolved)
        return resolved


# -- who is in the cell -----------------------------------------------------------------------


@dataclass
class Person:
    member: Member
    # (effective date, status, cell id), oldest first: the member's standing over time.
    timeline: list[tuple[datetime.date, str, int]]
    absence: float = 0.05
    away: bool = False

    def category_in(self, cell_id: int, day: datetime.date) -> str | None:
        """The member's category on `cell_id`'s roll on `day`, None when not on it."""
        standing = None
        for effective, status, event_cell in self.timeline:
            if effective > day:
                break
            standing = (status, event_cell)
        if standing is None or standing[1] != cell_id or standing[0] not in ACTIVE_STATUSES:
            return None
        return CATEGORY_OF_STATUS[standing[0]]

    def class_on(self, day: datetime.date) -> str:
        """The member's membership class on `day`: the latest official or probationary status
        in the timeline, else the class recorded on the member (members.standing)."""
        found = ""
        for effective, status, _cell in self.timeline:
            if effective > day:
                break
            if status in MembershipClass.values:
                found = status
        return found or self.member.membership_class


@dataclass
class CellPlan:
    org: Organization
    area: Organization
    policy: MeetingPolicy
    profile: str
    rng: random.Random
    people: list[Person]
    secretary: Member
    minute_takers: list[Member]
    committee: list[Member]
    upper: Member | None
    has_committee: bool
    rich: bool = False
    # Keeps this month's meeting planned and unpublished after its notice deadline (Khối 2).
    unpublished: bool = False
    brief: bool = False
    quiet: bool = False
    lax: bool = False
    engaged: bool = False
    skips: int = 0
    quality: float = 0.82
    # Copies its month's review and tasks month after month (demo.supervision.quality).
    repeats: bool = False
    # Most members speak and meetings last their time: rated good most months.
    exemplary: bool = False


@dataclass
class CellState:
    year: int = 0
    streaks: dict[int, int] = field(default_factory=dict)
    to_review: list[tuple[Assignment, list[Member]]] = field(default_factory=list)
    resolution_number: int = 0
    conclusion_number: int = 0
    voted_on: set[int] = field(default_factory=set)
    meetings: int = 0
    signed: int = 0
    assignments: int = 0


@dataclass(slots=True)
class RollRow:
    """An attendance row before it is written (what selectors.roll_call_summary and
    votes.electorate read). Attendance and score lines are the two biggest tables; they are
    written with one executemany each, without a model instance per row."""

    meeting: Meeting
    member: Member
    member_id: int
    category: str
    status: str
    reason: str
    membership_class: str = MembershipClass.OFFICIAL


@dataclass(slots=True)
class ItemRow:
    """An agenda item before it is written; `pk` is read back after the insert."""

    meeting: Meeting
    step: str
    title: str
    guidance: str = ""
    part: str = AgendaPart.REGULAR
    notes: str = ""
    conclusion: str = ""
    deferred: bool = False
    position: int = 0
    pk: int | None = None


@dataclass(slots=True)
class SpeechRow:
    meeting: Meeting
    item: ItemRow
    member: Member
    summary: str
    token: uuid.UUID
    created_at: datetime.datetime


@dataclass(slots=True)
class LineRow:
    """A score line before it is written (what scoring.rate and the documents read)."""

    meeting: Meeting
    code: str
    position: int
    label: str
    max_points: Decimal
    points: Decimal | None
    must_have: bool
    automatic: bool
    evidence: str


@dataclass
class Rows:
    meetings: list[Meeting] = field(default_factory=list)
    agenda_items: list[ItemRow] = field(default_factory=list)
    attendance: list[RollRow] = field(default_factory=list)
    speeches: list[SpeechRow] = field(default_factory=list)
    commendations: list[Commendation] = field(default_factory=list)
    votes: list[tuple[Vote, ItemRow]] = field(default_factory=list)
    guests: list[MeetingGuest] = field(default_factory=list)
    score_lines: list[LineRow] = field(default_factory=list)
    scores: list[MeetingScore] = field(default_factory=list)
    records: list[MeetingRecord] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    preparations: list[tuple[PreparatoryMeeting, list[Member]]] = field(default_factory=list)
    assignments: list[tuple[Assignment, list[Member]]] = field(default_factory=list)
    documents: list[tuple[MeetingDocument, bytes]] = field(default_factory=list)


@dataclass
class Bundle:
    """One signed meeting's rows, kept together to write its frozen content."""

    plan: CellPlan
    meeting: Meeting
    attendance: list[RollRow]
    summary: selectors.RollCallSummary
    items: list[ItemRow]
    speeches: list[SpeechRow]
    commendations: list[Commendation]
    assignments: list[tuple[Assignment, list[Member]]]
    votes: list[tuple[Vote, ItemRow]]
    guests: list[MeetingGuest]
    score: MeetingScore | None = None
    lines: list[LineRow] = field(default_factory=list)
    record: MeetingRecord | None = None
    signatures: list[Signature] = field(default_factory=list)


# -- the history ------------------------------------------------------------------------------
