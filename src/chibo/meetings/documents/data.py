"""What the official documents of a meeting say: minutes (biên bản), resolution or conclusion
(nghị quyết / kết luận) and signed addenda (DOMAIN §1.7, §5.3, R5.1–R5.12), as a tree of plain
dataclasses, and the fingerprint of that content.

`build(facts)` is the single source of what the documents say. It reads the meeting's rows
(attendance, speeches, votes, score, assignments, signatures) and the wording the minute-taker
edited (MeetingRecord) from a `MeetingFacts`: `load_facts` reads them from the database for a
real meeting; the demo passes the rows it holds in memory. Structured facts come only from rows,
so the text can never contradict them. `canonical_content` (the data's `as_json()`) is what is
signed; `fingerprint_of` is its SHA-256. Once the meeting is signed, the data is rebuilt from
`record.frozen_content` alone: renaming a member later never changes a signed document.

Rendering and the stored signed files are in `files` (this package); the block layout and the
renderers in meetings.documents.layout / chibo.core.exports. Documents are always
Vietnamese, whatever the reader's language.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation

from chibo.core.rules import ancestor_paths
from chibo.followup.models import Assignment, AssignmentStatus
from chibo.meetings import selectors
from chibo.meetings.models import (
    Addendum,
    Commendation,
    Meeting,
    MeetingGuest,
    MeetingRecord,
    MeetingScore,
    MeetingStatus,
    Signature,
    Vote,
)
from chibo.members.models import Member
from chibo.orgs.models import Organization, OrganizationKind, Position, Role

DOCUMENT_LANGUAGE = "vi"
ISSUER_CODE = "CB"  # the cell as issuer: "Số 05-NQ/CB" (36-HD/VPTW, DOMAIN §5.3)
SCHEMA_VERSION = 1
FORMATS = ("pdf", "docx")
MEETING_KINDS = ("minutes", "resolution")
MINUTES_BOOK, RESOLUTION_BOOK = "minutes", "resolutions"
BOOKS = (MINUTES_BOOK, RESOLUTION_BOOK)


# -- the data tree --------------------------------------------------------------------------


class _Json:
    """Plain-JSON round trip for the dataclasses below (dicts, lists, str, int, bool, None)."""

    def as_json(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> typing.Self:
        return _load(cls, value)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_ATOMS = (str, int, bool, type(None))


def _plain(value: Any) -> Any:
    """dataclasses.asdict without its deep copies (the leaves here are str, int, bool, None):
    the same dicts, in the same order, several times faster (the demo freezes ~750 meetings)."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is list:
        return [_plain(item) for item in value]
    names = _FIELD_NAMES.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(value):
            return value
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    return {name: _plain(getattr(value, name)) for name in names}


def _load(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _load(inner, value)
    if origin is list:
        (inner,) = typing.get_args(kind)
        return [_load(inner, item) for item in value or []]
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _field_types(kind)
        build: Any = kind
        return build(
            **{name: _load(hints[name], item) for name, item in value.items() if name in hints}
        )
    return value


@functools.cache
def _field_types(kind: type) -> dict[str, Any]:
    """A dataclass's fields and their resolved types (unknown keys of old content are
    ignored; fields missing from it take their defaults)."""
    hints = typing.get_type_hints(kind)
    return {f.name: hints[f.name] for f in dataclasses.fields(kind)}


@dataclass
class Guest(_Json):
    name: str
    title: str = ""
    upper_level: bool = False


@dataclass
class AbsentMember(_Json):
    name: str
    category: str
    reason: str = ""


@dataclass
class RollCall(_Json):
    """The attendance statement of the minutes (DOMAIN §1.4 step 4, §1.7), computed by
    selectors.roll_call_summary from the attendance rows."""

    total: int = 0
    official: int = 0
    probationary: int = 0
    temporarily_attached: int = 0
    exempted: int = 0
    suspended: int = 0
    present: int = 0
    present_official: int = 0
    present_probationary: int = 0
    present_temporarily_attached: int = 0
    present_exempted: int = 0
    late: int = 0
    absent_excused: list[AbsentMember] = field(default_factory=list)
    absent_unexcused: list[AbsentMember] = field(default_factory=list)
    not_called: int = 0
    denominator: int = 0
    rate: str = ""  # percent with one decimal ("90.9"), "" when nobody is expected
    eligible: int = 0  # official members with a vote (R2.2–R2.4)
    eligible_present: int = 0

    @property
    def absent(self) -> int:
        return len(self.absent_excused) + len(self.absent_unexcused)


@dataclass
class SpeechEntry(_Json):
    speaker: str
    summary: str


@dataclass
class AgendaEntry(_Json):
    position: int
    title: str
    part: str = "regular"
    notes: str = ""
    conclusion: str = ""
    deferred: bool = False
    speeches: list[SpeechEntry] = field(default_factory=list)


@dataclass
class CommendationEntry(_Json):
    kind: str
    member: str
    note: str


@dataclass
class AssignmentEntry(_Json):
    title: str
    members: list[str]
    due_date: str  # ISO date


@dataclass
class VoteEntry(_Json):
    title: str
    subject: str
    rule: str
    in_favour: int
    against: int
    abstain: int
    eligible: int
    adopted: bool
    explanation: str
    subject_member: str = ""
    agenda_item: str = ""


@dataclass
class ScoreLineEntry(_Json):
    label: str
    max_points: str  # decimal as text ("5.0")
    points: str  # "" when not entered yet
    automatic: bool = False


@dataclass
class ScoreEntry(_Json):
    total: str  # scaled to 100 (scoring.rate)
    rating: str
    earned: str  # the sum of the lines' points …
    possible: str  # … out of the sum of their maxima (lines not applicable are left out)
    explanation: str = ""
    lines: list[ScoreLineEntry] = field(default_factory=list)
    confirmed_by: str = ""
    adjustment_reason: str = ""


@dataclass
class RecordText(_Json):
    """The wording the minute-taker edits before signing (MeetingRecord)."""

    resolution_kind: str = "resolution"
    resolution_number: int = 0  # 0: not numbered yet (the meeting is not closed)
    resolution_subject: str = ""
    opening_text: str = ""
    closing_text: str = ""
    resolution_evaluation: str = ""
    resolution_tasks: str = ""
    resolution_implementation: str = ""


@dataclass
class SignatureEntry(_Json):
    role: str
    name: str
    signed_at: str  # local time, "2026-11-05T21:15"


@dataclass
class AddendumSignature(SignatureEntry):
    """A signature of an addendum: the cell's secretary may sign for a chair or minute-taker
    who has left the cell (`in_place_of`: their name). The minutes' own signatures keep the
    SignatureEntry shape their frozen content was fingerprinted with."""

    in_place_of: str = ""


@dataclass
class DocumentData(_Json):
    """Everything the minutes and the resolution of one meeting say."""

    meeting_id: int
    cell_name: str
    cell_code: str
    upper_name: str  # the upper-level committee (the cell's parent organization)
    locality: str  # the place of the place-and-date line ("Hưng Phú, ngày …")
    kind: str
    with_thematic_part: bool
    topic: str
    period: str  # ISO first day of the month a regular meeting is for, or ""
    date: str  # ISO day the meeting was held (started_at's local date, else the scheduled day)
    start: str  # local "HH:MM" (started_at, else the scheduled time)
    end: str  # local "HH:MM" or ""
    end_date: str  # ISO date of the end, or ""
    venue: str
    chair: str
    chair_role: str  # Role of the chair in the cell on the meeting day, or ""
    minute_taker: str
    signature_authority: str  # SignatureAuthority: "cell" or "cell_committee"
    guests: list[Guest] = field(default_factory=list)
    roll_call: RollCall = field(default_factory=RollCall)
    agenda: list[AgendaEntry] = field(default_factory=list)
    other_speeches: list[SpeechEntry] = field(default_factory=list)
    commendations: list[CommendationEntry] = field(default_factory=list)
    assignments: list[AssignmentEntry] = field(default_factory=list)
    votes: list[VoteEntry] = field(default_factory=list)
    score: ScoreEntry | None = None
    record: RecordText = field(default_factory=RecordText)
    upper_level_members: list[str] = field(default_factory=list)
    signatures: list[SignatureEntry] = field(default_factory=list)
    schema: int = SCHEMA_VERSION

    def signature_of(self, role: str) -> SignatureEntry | None:
        return next((s for s in self.signatures if s.role == role), None)


@dataclass
class AddendumData(_Json):
    """A signed correction to signed minutes: the original stays as it was."""

    meeting: DocumentData
    number: int
    text: str
    reason: str
    date: str  # ISO local date the addendum was made (frozen, else created)
    original_fingerprint: str
    original_signed_at: str  # local "2026-11-05T21:15" or ""
    signatures: list[AddendumSignature] = field(default_factory=list)

    def signature_of(self, role: str) -> AddendumSignature | None:
        return next((s for s in self.signatures if s.role == role), None)


# -- building the data ----------------------------------------------------------------------

_LOCALITY_PREFIX = re.compile(
    r"^(đảng\s+ủy|đảng\s+bộ|tỉnh\s+ủy|thành\s+ủy|huyện\s+ủy|quận\s+ủy|thị\s+ủy|chi\s+bộ)\s+"
    r"((phường|xã|đặc\s+khu|thị\s+trấn|tỉnh|thành\s+phố|huyện|quận|thị\s+xã)\s+)?",
    re.IGNORECASE,
)
_LOCALITY_KINDS = (
    OrganizationKind.WARD_COMMITTEE,
    OrganizationKind.COMMUNE_COMMITTEE,
    OrganizationKind.SPECIAL_ZONE_COMMITTEE,
)


def _locality(ancestors: list[Organization], cell: Organization) -> str:
    """The place name of the place-and-date line: the commune, ward or special zone the cell
    belongs to ("Đảng ủy phường Hưng Phú" → "Hưng Phú"), else the province. Organizations have
    no separate locality field, so the name is taken from the committee's name."""
    ordered = sorted(ancestors, key=lambda org: len(org.path), reverse=True)
    for kinds in (_LOCALITY_KINDS, (OrganizationKind.PROVINCE_COMMITTEE,)):
        for org in ordered:
            if org.kind in kinds:
                return _LOCALITY_PREFIX.sub("", org.name).strip() or org.name
    return _LOCALITY_PREFIX.sub("", cell.name).strip()


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _decimal_text(value) -> str:
    return "" if value is None else str(value)


# -- the facts the data is built from -------------------------------------------------------


class AgendaItemRow(typing.Protocol):
    title: str
    part: str
    notes: str
    conclusion: str
    deferred: bool


class ScoreLineRow(typing.Protocol):
    label: str
    max_points: Decimal
    points: Decimal | None
    automatic: bool


@dataclass
class MeetingFacts:
    """The rows one meeting's documents are built from, in the order the documents list them.
    `load_facts` reads them from the database; the demo builds them from the rows it is about
    to insert, so both go through the same `build`."""

    meeting: Meeting  # chair_id, times, kind, topic, place …
    cell: Organization
    ancestors: list[Organization]  # the cell's upper organizations
    signature_authority: str  # SignatureAuthority of the policy in force: "cell", …
    chair: Member | None
    minute_taker: Member | None
    positions: list[Position]  # in the cell and above, with member and organization, by name
    summary: selectors.RollCallSummary
    agenda_items: Sequence[AgendaItemRow]  # by position
    speeches: Sequence[tuple[AgendaItemRow | None, str, str]]  # (item, speaker, summary)
    commendations: list[Commendation]  # with member, by time
    assignments: list[tuple[Assignment, list[Member]]]  # set by this meeting, by time
    votes: list[tuple[Vote, str]]  # with the title of the agenda item voted under, by time
    guests: list[MeetingGuest]
    score: MeetingScore | None  # with confirmed_by
    score_lines: Sequence[ScoreLineRow]  # by position
    record: MeetingRecord | None
    signatures: list[Signature]  # of the minutes (not of addenda), with member, by time


SIGNING_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER)
DOCUMENT_ROLES = (*SIGNING_ROLES, Role.UPPER_COMMITTEE_MEMBER)


def load_facts(meeting: Meeting, record: MeetingRecord | None) -> MeetingFacts:
    """A meeting's facts read from the database, with a bounded number of queries (about
    fifteen, whatever the size of the cell)."""
    cell = meeting.organization
    paths = ancestor_paths(cell.path)
    ancestors = [org for org in Organization.objects.filter(path__in=paths) if org.pk != cell.pk]
    policy = selectors.policy_for(cell)
    people = Member.objects.filter(
        pk__in=[pk for pk in (meeting.chair_id, meeting.minute_taker_id) if pk]
    ).in_bulk()
    items = list(meeting.agenda_items.order_by("position", "id"))
    by_pk = {item.pk: item for item in items}
    assignments: QuerySet[Assignment] = (
        Assignment.objects.filter(source_meeting=meeting)
        .exclude(status=AssignmentStatus.CANCELLED)
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("name_sort_key", "id"))
        )
        .order_by("created_at", "id")
    )
    score = MeetingScore.objects.filter(meeting=meeting).select_related("confirmed_by").first()
    return MeetingFacts(
        meeting=meeting,
        cell=cell,
        ancestors=ancestors,
        signature_authority=policy.signature_authority if policy else "cell",
        chair=people.get(meeting.chair_id) if meeting.chair_id else None,
        minute_taker=people.get(meeting.minute_taker_id) if meeting.minute_taker_id else None,
        positions=list(
            Position.objects.current(on=meeting.date)
            .filter(organization__path__in=paths, role__in=DOCUMENT_ROLES)
            .select_related("member", "organization")
            .order_by("member__name_sort_key", "id")
        ),
        summary=selectors.roll_call_summary(selectors.attendance_rows(meeting)),
        agenda_items=list(items),
        speeches=[
            (by_pk.get(speech.agenda_item_id or 0), speech.member.full_name, speech.summary)
            for speech in meeting.speeches.select_related("member").order_by("created_at", "id")
        ],
        commendations=list(
            meeting.commendations.select_related("member").order_by("created_at", "id")
        ),
        assignments=[(row, list(row.members.all())) for row in assignments],
        votes=[
            (vote, by_pk[vote.agenda_item_id].title if vote.agenda_item_id in by_pk else "")
            for vote in meeting.votes.select_related("subject_member").order_by("recorded_at", "id")
        ],
        guests=list(meeting.guests.order_by("id")),
        score=score,
        score_lines=list(meeting.score_lines.order_by("position")) if score else [],
        record=record,
        signatures=list(
            meeting.signatures.filter(addendum__isnull=True)
            .select_related("member")
            .order_by("signed_at", "id")
        ),
    )


def document_data(meeting: Meeting) -> DocumentData:
    """What the minutes and resolution of `meeting` say. A signed meeting's data is rebuilt
    from its frozen content (no other query); otherwise it is built from its rows."""
    record = MeetingRecord.objects.filter(meeting_id=meeting.pk).first()
    if record is not None and record.frozen_content:
        return DocumentData.from_json(record.frozen_content)
    return build(load_facts(meeting, record))


def canonical_content(meeting: Meeting) -> dict[str, Any]:
    """Everything the signed documents say, as plain JSON: the fingerprint is its SHA-256."""
    return document_data(meeting).as_json()


def fingerprint_of(content: dict[str, Any]) -> str:
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# -- building the data ----------------------------------------------------------------------


def build(facts: MeetingFacts) -> DocumentData:
    """What the minutes and resolution say, from the meeting's facts."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _build(facts)


def _build(facts: MeetingFacts) -> DocumentData:
    meeting, cell = facts.meeting, facts.cell
    parent = max(facts.ancestors, key=lambda org: len(org.path), default=None)
    # The documents state what happened: the actual opening (date and time) once the meeting
    # has been opened, the schedule only before (a draft of a planned meeting).
    if meeting.started_at:
        opened = timezone.localtime(meeting.started_at)
        held_on, start = opened.date(), opened.strftime("%H:%M")
    else:
        held_on, start = meeting.date, meeting.time.strftime("%H:%M")
    end = end_date = ""
    if meeting.ended_at:
        ended = timezone.localtime(meeting.ended_at)
        end, end_date = ended.strftime("%H:%M"), ended.date().isoformat()
    chair_role, upper_members = _positions(facts)
    agenda, other_speeches = _agenda(facts)
    return DocumentData(
        meeting_id=meeting.pk,
        cell_name=cell.name,
        cell_code=cell.code,
        upper_name=parent.name if parent else "",
        locality=_locality(facts.ancestors, cell),
        kind=meeting.kind,
        with_thematic_part=meeting.with_thematic_part,
        topic=meeting.topic,
        period=meeting.period.isoformat() if meeting.period else "",
        date=held_on.isoformat(),
        start=start,
        end=end,
        end_date=end_date,
        venue=meeting.place,
        chair=facts.chair.full_name if facts.chair else "",
        chair_role=chair_role,
        minute_taker=facts.minute_taker.full_name if facts.minute_taker else "",
        signature_authority=facts.signature_authority,
        guests=[
            Guest(name=g.name, title=g.title, upper_level=g.is_upper_level) for g in facts.guests
        ],
        roll_call=_roll_call(facts.summary),
        agenda=agenda,
        other_speeches=other_speeches,
        commendations=[
            CommendationEntry(kind=row.kind, member=row.member.full_name, note=row.note)
            for row in facts.commendations
        ],
        assignments=[
            AssignmentEntry(
                title=row.title,
                members=[m.full_name for m in sorted(members, key=_by_name)],
                due_date=row.due_date.isoformat(),
            )
            for row, members in facts.assignments
            if row.status != AssignmentStatus.CANCELLED
        ],
        votes=[
            VoteEntry(
                title=vote.title,
                subject=vote.subject,
                rule=vote.rule,
                in_favour=vote.in_favour,
                against=vote.against,
                abstain=vote.abstain,
                eligible=vote.eligible,
                adopted=vote.adopted,
                explanation=vote.explanation,
                subject_member=vote.subject_member.full_name if vote.subject_member else "",
                agenda_item=item_title,
            )
            for vote, item_title in facts.votes
        ],
        score=_score(facts.score, facts.score_lines),
        record=_record_text(facts.record),
        upper_level_members=upper_members,
        signatures=[
            SignatureEntry(role=s.role, name=s.member.full_name, signed_at=_local(s.signed_at))
            for s in facts.signatures
        ],
    )


def _by_name(member: Member) -> tuple[str, int]:
    return (member.name_sort_key, member.pk)


def _positions(facts: MeetingFacts) -> tuple[str, list[str]]:
    """The chair's role in the cell on the meeting day, and the upper-level committee member(s)
    following the cell (positions in force on the day only)."""
    meeting, cell, day = facts.meeting, facts.cell, facts.meeting.date
    paths = set(ancestor_paths(cell.path))
    current = [
        p
        for p in facts.positions
        if p.organization.path in paths
        and p.start_date <= day
        and (p.end_date is None or p.end_date >= day)
    ]
    chair_role = ""
    for role in SIGNING_ROLES:
        if any(
            p.role == role and p.member_id == meeting.chair_id and p.organization_id == cell.pk
            for p in current
        ):
            chair_role = role
            break
    # The upper-level member following the cell (selectors.upper_level_follower): one assigned
    # to the cell itself, else those of the nearest organization above that has one — not the
    # members following the ward or the province, who are the ward's own upper level.
    followers = [p for p in current if p.role == Role.UPPER_COMMITTEE_MEMBER]
    nearest = max((len(p.organization.path) for p in followers), default=0)
    upper_members: list[str] = []
    for p in followers:
        if len(p.organization.path) == nearest and p.member.full_name not in upper_members:
            upper_members.append(p.member.full_name)
    return chair_role, upper_members


def _roll_call(summary: selectors.RollCallSummary) -> RollCall:
    return RollCall(
        total=summary.total,
        # By membership class, so official + probationary + temporarily attached = total and
        # an exempted probationary member stays probationary (R2.4).
        official=summary.by_class.get("official", 0),
        probationary=summary.by_class.get("probationary", 0),
        temporarily_attached=summary.by_category.get("temporarily_attached", 0),
        exempted=summary.exempted,
        suspended=summary.by_category.get("suspended", 0),
        present=summary.present,
        present_official=summary.present_by_class.get("official", 0),
        present_probationary=summary.present_by_class.get("probationary", 0),
        present_temporarily_attached=summary.present_by_category.get("temporarily_attached", 0),
        present_exempted=summary.present_by_category.get("exempted", 0),
        late=summary.late,
        absent_excused=[
            AbsentMember(name=a.name, category=a.category, reason=a.reason)
            for a in summary.absent_excused
        ],
        absent_unexcused=[
            AbsentMember(name=a.name, category=a.category, reason=a.reason)
            for a in summary.absent_unexcused
        ],
        not_called=summary.not_called,
        denominator=summary.denominator,
        rate=_decimal_text(summary.rate),
        eligible=summary.electorate.eligible,
        eligible_present=summary.electorate.present,
    )


def _agenda(facts: MeetingFacts) -> tuple[list[AgendaEntry], list[SpeechEntry]]:
    """The agenda items with the speeches made under each, and the speeches made under none."""
    by_item: dict[int | None, list[SpeechEntry]] = {}
    for item, speaker, summary in facts.speeches:
        key = None if item is None else id(item)
        by_item.setdefault(key, []).append(SpeechEntry(speaker=speaker, summary=summary))
    agenda = [
        AgendaEntry(
            position=index,
            title=item.title,
            part=item.part,
            notes=item.notes,
            conclusion=item.conclusion,
            deferred=item.deferred,
            speeches=by_item.pop(id(item), []),
        )
        for index, item in enumerate(facts.agenda_items, start=1)
    ]
    return agenda, [entry for entries in by_item.values() for entry in entries]


def _score(score: MeetingScore | None, lines: Sequence[ScoreLineRow]) -> ScoreEntry | None:
    if score is None:
        return None
    return ScoreEntry(
        total=_decimal_text(score.total),
        rating=score.rating,
        earned=_decimal_text(sum((line.points or 0 for line in lines), start=Decimal(0))),
        possible=_decimal_text(sum((line.max_points for line in lines), start=Decimal(0))),
        explanation=score.explanation,
        lines=[
            ScoreLineEntry(
                label=line.label,
                max_points=_decimal_text(line.max_points),
                points=_decimal_text(line.points),
                automatic=line.automatic,
            )
            for line in lines
        ],
        confirmed_by=score.confirmed_by.full_name if score.confirmed_by else "",
        adjustment_reason=score.adjustment_reason,
    )


def _record_text(record: MeetingRecord | None) -> RecordText:
    if record is None:
        return RecordText()
    return RecordText(
        resolution_kind=record.resolution_kind,
        resolution_number=record.resolution_number or 0,
        resolution_subject=record.resolution_subject,
        opening_text=record.opening_text,
        closing_text=record.closing_text,
        resolution_evaluation=record.resolution_evaluation,
        resolution_tasks=record.resolution_tasks,
        resolution_implementation=record.resolution_implementation,
    )


# -- addenda --------------------------------------------------------------------------------


def addendum_data(addendum: Addendum) -> AddendumData:
    """What an addendum says, with the signed meeting it corrects. Its `as_json()` is the
    canonical content an addendum's fingerprint can be computed from."""
    meeting = addendum.meeting
    record = MeetingRecord.objects.filter(meeting_id=meeting.pk).only("fingerprint").first()
    signatures = addendum.signatures.select_related("member", "in_place_of").order_by(
        "signed_at", "id"
    )
    return addendum_data_from(
        addendum,
        document_data(meeting),
        original_fingerprint=record.fingerprint if record else "",
        signatures=list(signatures),
    )


def addendum_data_from(
    addendum: Addendum,
    data: DocumentData,
    *,
    original_fingerprint: str,
    signatures: list[Signature],
) -> AddendumData:
    """An addendum's data from the data of the meeting it corrects (the books build many)."""
    made = addendum.frozen_at or addendum.created_at
    return AddendumData(
        meeting=data,
        number=addendum.number,
        text=addendum.text,
        reason=addendum.reason,
        date=timezone.localtime(made).date().isoformat(),
        original_fingerprint=original_fingerprint,
        original_signed_at=_local(addendum.meeting.signed_at),
        signatures=[
            AddendumSignature(
                role=s.role,
                name=s.member.full_name,
                signed_at=_local(s.signed_at),
                in_place_of=s.in_place_of.full_name if s.in_place_of else "",
            )
            for s in signatures
        ],
    )


def signed_meetings(cell: Organization, year: int) -> QuerySet[Meeting]:
    """The cell's signed meetings of `year`, in date order, with their records."""
    return (
        Meeting.objects.filter(organization=cell, status=MeetingStatus.SIGNED, date__year=year)
        .select_related("record")
        .order_by("date", "time", "id")
    )
