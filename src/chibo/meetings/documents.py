"""The official documents of a meeting: minutes (biên bản), resolution or conclusion (nghị quyết /
kết luận) and signed addenda, as DOCX and PDF (DOMAIN §1.7, §5.3, R5.1–R5.12).

`document_data(meeting)` is the single source of what the documents say. It reads the
meeting's rows (attendance, speeches, votes, score, assignments, signatures) and the wording the
minute-taker edited (MeetingRecord); structured facts come only from rows, so the text can never
contradict them. Its `as_json()` is the canonical content whose SHA-256 is the signature
fingerprint (services.canonical_content / fingerprint_of). Once the meeting is signed, the data
is rebuilt from `record.frozen_content` alone: renaming a member later never changes a signed
document.

The layout (wording, sections, signature block) is in `document_layout`, the two renderers (HTML
→ PDF through WeasyPrint with the bundled font, and python-docx) in `chibo.core.exports`. Documents
are always Vietnamese, whatever the reader's language.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation

from chibo.core import audit
from chibo.core.exports import docx as docx_render
from chibo.core.exports import pdf as pdf_render
from chibo.core.rules import ancestor_paths
from chibo.meetings import document_layout, selectors
from chibo.meetings.models import (
    Addendum,
    Meeting,
    MeetingRecord,
    MeetingScore,
    MeetingStatus,
    Signature,
    SignedFile,
)
from chibo.members.models import Member
from chibo.orgs.models import Organization, OrganizationKind, Position, Role

DOCUMENT_LANGUAGE = "vi"
ISSUER_CODE = "CB"  # the cell as issuer: "Số 05-NQ/CB" (36-HD/VPTW, DOMAIN §5.3)
SCHEMA_VERSION = 1


# -- the data tree --------------------------------------------------------------------------


class _Json:
    """Plain-JSON round trip for the dataclasses below (dicts, lists, str, int, bool, None)."""

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> typing.Self:
        return _load(cls, value)


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
    date: str  # ISO
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
    signatures: list[SignatureEntry] = field(default_factory=list)

    def signature_of(self, role: str) -> SignatureEntry | None:
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


def document_data(meeting: Meeting) -> DocumentData:
    """What the minutes and resolution of `meeting` say. A signed meeting's data is rebuilt
    from its frozen content (no other query); otherwise it is read from the rows with a
    bounded number of queries (about fifteen, whatever the size of the cell)."""
    record = MeetingRecord.objects.filter(meeting_id=meeting.pk).first()
    if record is not None and record.frozen_content:
        return DocumentData.from_json(record.frozen_content)
    with translation.override(DOCUMENT_LANGUAGE):
        return _build(meeting, record)


def _build(meeting: Meeting, record: MeetingRecord | None) -> DocumentData:
    cell = meeting.organization
    paths = ancestor_paths(cell.path)
    ancestors = [org for org in Organization.objects.filter(path__in=paths) if org.pk != cell.pk]
    parent = max(ancestors, key=lambda org: len(org.path), default=None)
    policy = selectors.policy_for(cell)
    people = Member.objects.filter(
        pk__in=[pk for pk in (meeting.chair_id, meeting.minute_taker_id) if pk]
    ).in_bulk()
    chair = people.get(meeting.chair_id) if meeting.chair_id else None
    minute_taker = people.get(meeting.minute_taker_id) if meeting.minute_taker_id else None

    positions = list(
        Position.objects.current(on=meeting.date)
        .filter(organization__path__in=paths)
        .filter(
            role__in=[
                Role.SECRETARY,
                Role.DEPUTY_SECRETARY,
                Role.COMMITTEE_MEMBER,
                Role.UPPER_COMMITTEE_MEMBER,
            ]
        )
        .select_related("member", "organization")
        .order_by("member__name_sort_key", "id")
    )
    chair_role = ""
    for role in (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER):
        if any(
            p.role == role and p.member_id == meeting.chair_id and p.organization_id == cell.pk
            for p in positions
        ):
            chair_role = role
            break
    upper_members: list[str] = []
    for p in positions:
        if (
            p.role == Role.UPPER_COMMITTEE_MEMBER
            and p.organization_id != cell.pk
            and p.member.full_name not in upper_members
        ):
            upper_members.append(p.member.full_name)

    rows = selectors.attendance_rows(meeting)
    summary = selectors.roll_call_summary(rows)
    roll_call = RollCall(
        total=summary.total,
        official=summary.by_category.get("official", 0),
        probationary=summary.by_category.get("probationary", 0),
        temporarily_attached=summary.by_category.get("temporarily_attached", 0),
        exempted=summary.exempted,
        suspended=summary.by_category.get("suspended", 0),
        present=summary.present,
        present_official=summary.present_by_category.get("official", 0),
        present_probationary=summary.present_by_category.get("probationary", 0),
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

    speeches = list(meeting.speeches.select_related("member").order_by("created_at", "id"))
    by_item: dict[int | None, list[SpeechEntry]] = {}
    for speech in speeches:
        by_item.setdefault(speech.agenda_item_id, []).append(
            SpeechEntry(speaker=speech.member.full_name, summary=speech.summary)
        )
    items = list(meeting.agenda_items.order_by("position", "id"))
    agenda = [
        AgendaEntry(
            position=index,
            title=item.title,
            part=item.part,
            notes=item.notes,
            conclusion=item.conclusion,
            deferred=item.deferred,
            speeches=by_item.pop(item.pk, []),
        )
        for index, item in enumerate(items, start=1)
    ]
    other_speeches = [entry for entries in by_item.values() for entry in entries]

    commendations = [
        CommendationEntry(kind=row.kind, member=row.member.full_name, note=row.note)
        for row in meeting.commendations.select_related("member").order_by("created_at", "id")
    ]
    from chibo.followup.models import Assignment

    assignments = [
        AssignmentEntry(
            title=row.title,
            members=[member.full_name for member in row.members.all()],
            due_date=row.due_date.isoformat(),
        )
        for row in Assignment.objects.filter(source_meeting=meeting)
        .exclude(status="cancelled")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("name_sort_key", "id"))
        )
        .order_by("created_at", "id")
    ]
    item_titles = {item.pk: item.title for item in items}
    votes = [
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
            agenda_item=item_titles.get(vote.agenda_item_id or 0, ""),
        )
        for vote in meeting.votes.select_related("subject_member").order_by("recorded_at", "id")
    ]

    score = None
    meeting_score = (
        MeetingScore.objects.filter(meeting=meeting).select_related("confirmed_by").first()
    )
    if meeting_score is not None:
        lines = list(meeting.score_lines.order_by("position"))
        score = ScoreEntry(
            total=_decimal_text(meeting_score.total),
            rating=meeting_score.rating,
            earned=_decimal_text(sum((line.points or 0 for line in lines), start=Decimal(0))),
            possible=_decimal_text(sum((line.max_points for line in lines), start=Decimal(0))),
            explanation=meeting_score.explanation,
            lines=[
                ScoreLineEntry(
                    label=line.label,
                    max_points=_decimal_text(line.max_points),
                    points=_decimal_text(line.points),
                    automatic=line.automatic,
                )
                for line in lines
            ],
            confirmed_by=(
                meeting_score.confirmed_by.full_name if meeting_score.confirmed_by else ""
            ),
            adjustment_reason=meeting_score.adjustment_reason,
        )

    text = RecordText()
    if record is not None:
        text = RecordText(
            resolution_kind=record.resolution_kind,
            resolution_number=record.resolution_number or 0,
            resolution_subject=record.resolution_subject,
            opening_text=record.opening_text,
            closing_text=record.closing_text,
            resolution_evaluation=record.resolution_evaluation,
            resolution_tasks=record.resolution_tasks,
            resolution_implementation=record.resolution_implementation,
        )
    signatures = [
        SignatureEntry(role=s.role, name=s.member.full_name, signed_at=_local(s.signed_at))
        for s in meeting.signatures.filter(addendum__isnull=True)
        .select_related("member")
        .order_by("signed_at", "id")
    ]

    start = (
        timezone.localtime(meeting.started_at).strftime("%H:%M")
        if meeting.started_at
        else meeting.time.strftime("%H:%M")
    )
    end = end_date = ""
    if meeting.ended_at:
        ended = timezone.localtime(meeting.ended_at)
        end, end_date = ended.strftime("%H:%M"), ended.date().isoformat()
    return DocumentData(
        meeting_id=meeting.pk,
        cell_name=cell.name,
        cell_code=cell.code,
        upper_name=parent.name if parent else "",
        locality=_locality(ancestors, cell),
        kind=meeting.kind,
        with_thematic_part=meeting.with_thematic_part,
        topic=meeting.topic,
        period=meeting.period.isoformat() if meeting.period else "",
        date=meeting.date.isoformat(),
        start=start,
        end=end,
        end_date=end_date,
        venue=meeting.place,
        chair=chair.full_name if chair else "",
        chair_role=chair_role,
        minute_taker=minute_taker.full_name if minute_taker else "",
        signature_authority=policy.signature_authority if policy else "cell",
        guests=[
            Guest(name=g.name, title=g.title, upper_level=g.is_upper_level)
            for g in meeting.guests.order_by("id")
        ],
        roll_call=roll_call,
        agenda=agenda,
        other_speeches=other_speeches,
        commendations=commendations,
        assignments=assignments,
        votes=votes,
        score=score,
        record=text,
        upper_level_members=upper_members,
        signatures=signatures,
    )


def addendum_data(addendum: Addendum) -> AddendumData:
    """What an addendum says, with the signed meeting it corrects. Its `as_json()` is the
    canonical content an addendum's fingerprint can be computed from."""
    meeting = addendum.meeting
    data = document_data(meeting)
    record = MeetingRecord.objects.filter(meeting_id=meeting.pk).only("fingerprint").first()
    made = addendum.frozen_at or addendum.created_at
    return AddendumData(
        meeting=data,
        number=addendum.number,
        text=addendum.text,
        reason=addendum.reason,
        date=timezone.localtime(made).date().isoformat(),
        original_fingerprint=record.fingerprint if record else "",
        original_signed_at=_local(meeting.signed_at),
        signatures=[
            SignatureEntry(role=s.role, name=s.member.full_name, signed_at=_local(s.signed_at))
            for s in addendum.signatures.select_related("member").order_by("signed_at", "id")
        ],
    )


# -- rendering ------------------------------------------------------------------------------


def render_minutes_pdf(data: DocumentData, *, fingerprint: str = "") -> bytes:
    """The minutes as PDF. Without a fingerprint the document is marked as a draft."""
    with translation.override(DOCUMENT_LANGUAGE):
        return pdf_render.pdf([document_layout.minutes(data, fingerprint=fingerprint)])


def render_minutes_docx(data: DocumentData, *, fingerprint: str = "") -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return docx_render.docx(document_layout.minutes(data, fingerprint=fingerprint))


def render_resolution_pdf(data: DocumentData, *, fingerprint: str = "") -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return pdf_render.pdf([document_layout.resolution(data, fingerprint=fingerprint)])


def render_resolution_docx(data: DocumentData, *, fingerprint: str = "") -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return docx_render.docx(document_layout.resolution(data, fingerprint=fingerprint))


def render_addendum_pdf(data: AddendumData, *, fingerprint: str = "") -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return pdf_render.pdf([document_layout.addendum(data, fingerprint=fingerprint)])


def render_addendum_docx(data: AddendumData, *, fingerprint: str = "") -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return docx_render.docx(document_layout.addendum(data, fingerprint=fingerprint))


RENDERERS = {
    ("minutes", "pdf"): render_minutes_pdf,
    ("minutes", "docx"): render_minutes_docx,
    ("resolution", "pdf"): render_resolution_pdf,
    ("resolution", "docx"): render_resolution_docx,
}
ADDENDUM_RENDERERS = {"pdf": render_addendum_pdf, "docx": render_addendum_docx}
FORMATS = ("pdf", "docx")
MEETING_KINDS = ("minutes", "resolution")


def render(meeting: Meeting, kind: str, fmt: str) -> bytes:
    """The current rendering of a meeting document: a draft while the meeting is not signed,
    the frozen content with its fingerprint after."""
    data = document_data(meeting)
    fingerprint = ""
    if meeting.status == MeetingStatus.SIGNED:
        fingerprint = (
            MeetingRecord.objects.filter(meeting_id=meeting.pk)
            .values_list("fingerprint", flat=True)
            .first()
            or ""
        )
    return RENDERERS[(kind, fmt)](data, fingerprint=fingerprint)


# -- the stored signed files ----------------------------------------------------------------


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def store_signed_files(meeting: Meeting) -> list[SignedFile]:
    """Render the signed minutes and resolution once, as PDF and DOCX, and keep their bytes
    with their SHA-256 (called by services._freeze inside the signing transaction, after the
    frozen content and fingerprint are saved)."""
    record = MeetingRecord.objects.get(meeting_id=meeting.pk)
    data = DocumentData.from_json(record.frozen_content or {})
    rows = []
    for (kind, fmt), renderer in RENDERERS.items():
        content = renderer(data, fingerprint=record.fingerprint)
        rows.append(
            SignedFile(
                meeting_id=meeting.pk,
                kind=kind,
                format=fmt,
                content=content,
                sha256=_sha256(content),
                fingerprint=record.fingerprint,
            )
        )
    return SignedFile.objects.bulk_create(rows)


def signed_file(meeting: Meeting, kind: str, fmt: str) -> SignedFile:
    """The stored signed file of a signed meeting. Meetings frozen without their files (the
    demo data is signed in bulk) get them rendered from the frozen content and stored on first
    use, once: the meeting row is locked while checking."""
    if kind not in MEETING_KINDS or fmt not in FORMATS:
        raise ValueError(f"no such document: {kind}.{fmt}")
    if meeting.status != MeetingStatus.SIGNED:
        raise ValueError("only a signed meeting has signed files")
    query = SignedFile.objects.filter(
        meeting_id=meeting.pk, addendum__isnull=True, kind=kind, format=fmt
    ).order_by("id")
    row = query.first()
    if row is not None:
        return row
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        row = query.first()
        if row is not None:
            return row
        record = MeetingRecord.objects.get(meeting_id=meeting.pk)
        data = (
            DocumentData.from_json(record.frozen_content)
            if record.frozen_content
            else document_data(meeting)
        )
        content = RENDERERS[(kind, fmt)](data, fingerprint=record.fingerprint)
        row = SignedFile.objects.create(
            meeting_id=meeting.pk,
            kind=kind,
            format=fmt,
            content=content,
            sha256=_sha256(content),
            fingerprint=record.fingerprint,
        )
        audit.record(
            actor=None,
            code="signed_file.stored",
            target=meeting,
            organization=meeting.organization,
            changes={"kind": kind, "format": fmt, "sha256": row.sha256},
        )
    return row


def store_addendum_files(addendum: Addendum) -> list[SignedFile]:
    """Render a frozen addendum once as PDF and DOCX and keep the bytes (for the addendum
    service to call when both have signed and `addendum.fingerprint` is set)."""
    data = addendum_data(addendum)
    rows = []
    for fmt, renderer in ADDENDUM_RENDERERS.items():
        content = renderer(data, fingerprint=addendum.fingerprint)
        rows.append(
            SignedFile(
                meeting_id=addendum.meeting_id,
                addendum=addendum,
                kind="addendum",
                format=fmt,
                content=content,
                sha256=_sha256(content),
                fingerprint=addendum.fingerprint,
            )
        )
    return SignedFile.objects.bulk_create(rows)


def addendum_file(addendum: Addendum, fmt: str) -> tuple[bytes, SignedFile | None]:
    """An addendum as `fmt`: the stored signed bytes once it is frozen (rendered and stored on
    first use if missing), else a draft rendering that is not stored."""
    if fmt not in FORMATS:
        raise ValueError(f"no such format: {fmt}")
    if not addendum.fingerprint:
        return ADDENDUM_RENDERERS[fmt](addendum_data(addendum)), None
    query = SignedFile.objects.filter(addendum=addendum, format=fmt).order_by("id")
    row = query.first()
    if row is None:
        with transaction.atomic():
            Addendum.objects.select_for_update().filter(pk=addendum.pk).first()
            row = query.first()
            if row is None:
                content = ADDENDUM_RENDERERS[fmt](
                    addendum_data(addendum), fingerprint=addendum.fingerprint
                )
                row = SignedFile.objects.create(
                    meeting_id=addendum.meeting_id,
                    addendum=addendum,
                    kind="addendum",
                    format=fmt,
                    content=content,
                    sha256=_sha256(content),
                    fingerprint=addendum.fingerprint,
                )
    return bytes(row.content), row


# -- verification ---------------------------------------------------------------------------


@dataclass
class Match:
    """A signed record a file or fingerprint belongs to."""

    meeting: Meeting
    addendum: Addendum | None
    document_kind: str  # minutes | resolution | addendum | "" (a fingerprint names the record)
    format: str  # pdf | docx | ""
    fingerprint: str
    signed_at: Any
    signers: list[tuple[str, str]]  # (role label, name)


def _signers(meeting: Meeting, addendum: Addendum | None) -> list[tuple[str, str]]:
    rows = (
        addendum.signatures.select_related("member")
        if addendum is not None
        else meeting.signatures.filter(addendum__isnull=True).select_related("member")
    )
    return [(row.get_role_display(), row.member.full_name) for row in rows]


def match_file(content: bytes) -> Match | None:
    """The signed file whose bytes are exactly `content` (SHA-256 compared), if any."""
    row = (
        SignedFile.objects.filter(sha256=_sha256(content))
        .select_related("meeting__organization", "addendum")
        .order_by("id")
        .first()
    )
    if row is None:
        return None
    addendum = row.addendum
    return Match(
        meeting=row.meeting,
        addendum=addendum,
        document_kind=row.kind,
        format=row.format,
        fingerprint=row.fingerprint,
        signed_at=addendum.frozen_at if addendum is not None else row.meeting.signed_at,
        signers=_signers(row.meeting, addendum),
    )


def match_fingerprint(fingerprint: str) -> Match | None:
    """The signed meeting record or addendum whose content fingerprint is `fingerprint`."""
    if not fingerprint:
        return None
    record = (
        MeetingRecord.objects.filter(fingerprint=fingerprint, meeting__status=MeetingStatus.SIGNED)
        .select_related("meeting__organization")
        .first()
    )
    if record is not None:
        meeting = record.meeting
        return Match(meeting, None, "", "", fingerprint, meeting.signed_at, _signers(meeting, None))
    addendum = (
        Addendum.objects.filter(fingerprint=fingerprint, frozen_at__isnull=False)
        .select_related("meeting__organization")
        .first()
    )
    if addendum is not None:
        return Match(
            addendum.meeting,
            addendum,
            "addendum",
            "",
            fingerprint,
            addendum.frozen_at,
            _signers(addendum.meeting, addendum),
        )
    return None


# -- the minutes book and the resolution book (R5.1, R5.2) ----------------------------------

MINUTES_BOOK, RESOLUTION_BOOK = "minutes", "resolutions"
BOOKS = (MINUTES_BOOK, RESOLUTION_BOOK)


def signed_meetings(cell: Organization, year: int):
    """The cell's signed meetings of `year`, in date order, with their records."""
    return (
        Meeting.objects.filter(organization=cell, status=MeetingStatus.SIGNED, date__year=year)
        .select_related("record")
        .order_by("date", "time", "id")
    )


def book_documents(cell: Organization, year: int, book: str) -> list:
    """The documents of a book, in order: each signed meeting's minutes followed by its signed
    addenda (minutes book), or each signed meeting's resolution (resolution book). Built from
    the frozen content: three queries whatever the number of meetings."""
    meetings = list(signed_meetings(cell, year))
    addenda: dict[int, list[Addendum]] = {}
    if book == MINUTES_BOOK and meetings:
        for row in (
            Addendum.objects.filter(meeting__in=meetings, frozen_at__isnull=False)
            .exclude(fingerprint="")
            .select_related("meeting__organization")
            .prefetch_related(
                Prefetch("signatures", queryset=Signature.objects.select_related("member"))
            )
            .order_by("number")
        ):
            addenda.setdefault(row.meeting_id, []).append(row)
    documents: list = []
    with translation.override(DOCUMENT_LANGUAGE):
        for meeting in meetings:
            record = meeting.record
            data = (
                DocumentData.from_json(record.frozen_content)
                if record.frozen_content
                else document_data(meeting)
            )
            if book == RESOLUTION_BOOK:
                documents.append(document_layout.resolution(data, fingerprint=record.fingerprint))
                continue
            documents.append(document_layout.minutes(data, fingerprint=record.fingerprint))
            for row in addenda.get(meeting.pk, []):
                documents.append(
                    document_layout.addendum(
                        _addendum_data_from(row, data, record.fingerprint, meeting),
                        fingerprint=row.fingerprint,
                    )
                )
    return documents


def _addendum_data_from(
    addendum: Addendum, data: DocumentData, original_fingerprint: str, meeting: Meeting
) -> AddendumData:
    made = addendum.frozen_at or addendum.created_at
    return AddendumData(
        meeting=data,
        number=addendum.number,
        text=addendum.text,
        reason=addendum.reason,
        date=timezone.localtime(made).date().isoformat(),
        original_fingerprint=original_fingerprint,
        original_signed_at=_local(meeting.signed_at),
        signatures=[
            SignatureEntry(role=s.role, name=s.member.full_name, signed_at=_local(s.signed_at))
            for s in addendum.signatures.all()
        ],
    )


@dataclass
class Book:
    content: bytes
    pages: int
    meetings: int


def render_book_pdf(cell: Organization, year: int, book: str = MINUTES_BOOK) -> Book | None:
    """One PDF for the cell's book of `year`: a cover ("SỔ BIÊN BẢN SINH HOẠT CHI BỘ" or "SỔ
    NGHỊ QUYẾT", the cell, the year), the table of contents, then every signed meeting's
    document from a new page, each with its fingerprint. None when no meeting of the year is
    signed."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if book not in BOOKS:
        raise ValueError(f"no such book: {book}")
    documents = book_documents(cell, year, book)
    if not documents:
        return None
    count = sum(1 for doc in documents if doc.kind != "addendum")
    parent = Organization.objects.get_parent(cell)
    with translation.override(DOCUMENT_LANGUAGE):
        title = (
            _("MINUTES BOOK OF THE CELL'S MEETINGS")
            if book == MINUTES_BOOK
            else _("RESOLUTION BOOK")
        )
        cover = pdf_render.Cover(
            upper=(parent.name if parent else "").upper(),
            issuer=cell.name.upper(),
            title=title,
            year_line=_("YEAR %(year)s") % {"year": year},
            summary=ngettext("%(count)s signed meeting", "%(count)s signed meetings", count)
            % {"count": count},
            contents_title=_("CONTENTS"),
            contents_columns=[_("No."), _("Date"), _("Document"), _("Page")],
        )
        laid_out = pdf_render.pdf_document(
            documents, cover=cover, title=f"{title} — {cell.name} — {year}"
        )
        content = laid_out.write_pdf()
    return Book(content=content, pages=len(laid_out.pages), meetings=count)
