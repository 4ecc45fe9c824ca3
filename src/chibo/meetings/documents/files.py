"""The documents of a meeting as files: drafts rendered on demand, signed files rendered once and
stored, verification of a file or fingerprint (the yearly books are in `book`).

Signing calls `freeze` once: the canonical content is frozen with its fingerprint and the PDF
and DOCX are rendered and stored in the same transaction. Meetings frozen in bulk (the demo)
get their files from the job `meetings.jobs.store_signed_files`; until then a download renders
the frozen content without storing anything. Reading a document never writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import translation

from chibo.core import audit
from chibo.core.exports import docx as docx_render
from chibo.core.exports import pdf as pdf_render
from chibo.meetings.documents import layout as document_layout
from chibo.meetings.documents import layout_addendum
from chibo.meetings.documents.data import (
    DOCUMENT_LANGUAGE,
    FORMATS,
    MEETING_KINDS,
    AddendumData,
    DocumentData,
    addendum_data,
    build,
    canonical_content,
    document_data,
    fingerprint_of,
    load_facts,
)
from chibo.meetings.models import (
    Addendum,
    Meeting,
    MeetingRecord,
    MeetingStatus,
    Signature,
    SignedFile,
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
        return pdf_render.pdf([layout_addendum.addendum(data, fingerprint=fingerprint)])


def render_addendum_docx(data: AddendumData, *, fingerprint: str = "") -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return docx_render.docx(layout_addendum.addendum(data, fingerprint=fingerprint))


RENDERERS = {
    ("minutes", "pdf"): render_minutes_pdf,
    ("minutes", "docx"): render_minutes_docx,
    ("resolution", "pdf"): render_resolution_pdf,
    ("resolution", "docx"): render_resolution_docx,
}
ADDENDUM_RENDERERS = {"pdf": render_addendum_pdf, "docx": render_addendum_docx}


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


# -- freezing and the stored signed files ---------------------------------------------------


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class Prerendered:
    """The four signed files rendered from a meeting's content BEFORE the signing transaction
    (`prerender`): rendering takes about a second, and on SQLite a write transaction holds the
    database's only write lock, so every other phone's write would wait behind it. `freeze`
    uses these bytes only if the content it freezes has the same fingerprint."""

    fingerprint: str
    files: dict[tuple[str, str], bytes]


def prerender(meeting: Meeting, *, signatures: list[Signature]) -> Prerendered:
    """Render the signed files, outside any transaction, from the meeting's current content
    plus the `signatures` about to be given (unsaved, with the `signed_at` they will be saved
    with): what the content will be once they are stored."""
    record = MeetingRecord.objects.filter(meeting_id=meeting.pk).first()
    facts = load_facts(meeting, record)
    facts = replace(facts, signatures=[*facts.signatures, *signatures])
    content = build(facts).as_json()
    fingerprint = fingerprint_of(content)
    # Rendered from the JSON, as `store_signed_files` renders from the frozen content.
    data = DocumentData.from_json(content)
    return Prerendered(
        fingerprint=fingerprint,
        files={key: renderer(data, fingerprint=fingerprint) for key, renderer in RENDERERS.items()},
    )


def freeze(
    meeting: Meeting, *, actor: Any, prerendered: Prerendered | None = None
) -> MeetingRecord:
    """Freeze a meeting's record once both have signed (called by the signing service inside
    its transaction, after the meeting is marked signed): the canonical content and its
    fingerprint are kept, the PDF and DOCX rendered from them once (or taken from `prerendered`
    when it was rendered from the same content) and stored, and the freeze is audited
    ("minutes.frozen")."""
    record = MeetingRecord.objects.get(meeting_id=meeting.pk)
    record.frozen_content = canonical_content(meeting)
    record.fingerprint = fingerprint_of(record.frozen_content)
    record.save(update_fields=["frozen_content", "fingerprint"])
    store_signed_files(meeting, prerendered=prerendered)
    audit.record(
        actor=actor,
        code="minutes.frozen",
        target=meeting,
        organization=meeting.organization,
        changes={"fingerprint": record.fingerprint},
    )
    return record


def store_signed_files(
    meeting: Meeting, *, prerendered: Prerendered | None = None
) -> list[SignedFile]:
    """Render the signed minutes and resolution as PDF and DOCX from the frozen content and
    keep their bytes with their SHA-256 (the files not stored yet only: a meeting frozen in
    bulk gets them from the job meetings.jobs.store_signed_files). Files pre-rendered from
    content with the same fingerprint are used as they are (the same content gives the same
    bytes)."""
    record = MeetingRecord.objects.get(meeting_id=meeting.pk)
    data = DocumentData.from_json(record.frozen_content or {})
    ready = (
        prerendered.files
        if prerendered is not None and prerendered.fingerprint == record.fingerprint
        else {}
    )
    stored = set(
        SignedFile.objects.filter(meeting_id=meeting.pk, addendum__isnull=True).values_list(
            "kind", "format"
        )
    )
    rows = []
    for (kind, fmt), renderer in RENDERERS.items():
        if (kind, fmt) in stored:
            continue
        content = ready.get((kind, fmt)) or renderer(data, fingerprint=record.fingerprint)
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


def meetings_without_files(meeting_ids: Iterable[int] | None = None) -> list[int]:
    """Signed meetings (of `meeting_ids`, else all) with a frozen record but not all four
    signed files stored: the demo's history, frozen in bulk."""
    query = Meeting.objects.filter(status=MeetingStatus.SIGNED, record__fingerprint__gt="")
    if meeting_ids is not None:
        query = query.filter(pk__in=list(meeting_ids))
    complete = set(
        SignedFile.objects.filter(meeting__in=query, addendum__isnull=True)
        .values_list("meeting_id", "kind", "format")
        .distinct()
    )
    counts: dict[int, int] = {}
    for meeting_id, _kind, _fmt in complete:
        counts[meeting_id] = counts.get(meeting_id, 0) + 1
    return [
        pk
        for pk in query.order_by("date", "id").values_list("pk", flat=True)
        if counts.get(pk, 0) < len(RENDERERS)
    ]


def signed_files_store(*, meeting_ids: Iterable[int], actor: Any = None) -> int:
    """Store the missing signed files of signed meetings frozen without them (the demo's
    history is frozen in bulk): each meeting in its own transaction, its row locked, one audit
    entry ("signed_file.stored") for the files it gets. Returns how many meetings got files.
    Run by the job meetings.jobs.store_signed_files, never by a download."""
    done = 0
    for pk in meetings_without_files(meeting_ids):
        with transaction.atomic():
            meeting = (
                Meeting.objects.select_for_update(of=("self",))
                .select_related("organization")
                .filter(pk=pk)
                .first()
            )
            if meeting is None:
                continue
            rows = store_signed_files(meeting)
            if not rows:
                continue
            audit.record(
                actor=actor,
                code="signed_file.stored",
                target=meeting,
                organization=meeting.organization,
                changes={"files": sorted(f"{row.kind}.{row.format}" for row in rows)},
            )
            done += 1
    return done


@dataclass
class Download:
    """The bytes of a signed document, and its stored row once it is stored."""

    content: bytes
    row: SignedFile | None


def signed_file(meeting: Meeting, kind: str, fmt: str) -> Download:
    """A signed meeting's document as `fmt`: the stored file, or, while the files of a meeting
    frozen in bulk are not stored yet, the same bytes rendered from the frozen content and
    not stored (a download never writes)."""
    if kind not in MEETING_KINDS or fmt not in FORMATS:
        raise ValueError(f"no such document: {kind}.{fmt}")
    if meeting.status != MeetingStatus.SIGNED:
        raise ValueError("only a signed meeting has signed files")
    row = (
        SignedFile.objects.filter(
            meeting_id=meeting.pk, addendum__isnull=True, kind=kind, format=fmt
        )
        .order_by("id")
        .first()
    )
    if row is not None:
        return Download(bytes(row.content), row)
    record = MeetingRecord.objects.get(meeting_id=meeting.pk)
    data = (
        DocumentData.from_json(record.frozen_content)
        if record.frozen_content
        else document_data(meeting)
    )
    return Download(RENDERERS[(kind, fmt)](data, fingerprint=record.fingerprint), None)


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


def addendum_file(addendum: Addendum, fmt: str) -> Download:
    """An addendum as `fmt`: the stored signed bytes once it is frozen, else (a draft, or a
    frozen addendum whose files are missing) a rendering that is not stored."""
    if fmt not in FORMATS:
        raise ValueError(f"no such format: {fmt}")
    if addendum.fingerprint:
        row = SignedFile.objects.filter(addendum=addendum, format=fmt).order_by("id").first()
        if row is not None:
            return Download(bytes(row.content), row)
    content = ADDENDUM_RENDERERS[fmt](addendum_data(addendum), fingerprint=addendum.fingerprint)
    return Download(content, None)


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
