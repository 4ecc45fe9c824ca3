"""Perfunctory meetings (issue 11; field report 003: "nội dung đơn điệu, qua loa"): pure
detection over one cell's signed regular meetings, oldest first.

- Repeated text: each part that should change every month (the month's review, next month's
  tasks; rule `perfunctory.thresholds`, "parts") is compared with the same part of the SAME
  cell's previous `lookback_meetings` meetings only, never with another cell's — comparing
  across cells would be quadratic in the number of cells and a cell copying a model text is not
  the question. Similarity is rapidfuzz's `fuzz.ratio` on text normalised to NFC, lower case,
  whitespace collapsed, diacritics kept ("họp" and "hợp" are different words).
- Same speakers: over `speakers_meetings` meetings, at most `speakers_max` members made
  `speakers_share_percent` of the speeches while `speakers_min_present` or more attended.

Work per cell is lookback × parts comparisons per meeting: linear in the number of meetings.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from chibo.core.rule_formats_quality import compared_parts

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, lower case, whitespace collapsed; diacritics are kept (they change the word)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).lower()).strip()


def similarity(first: str, second: str) -> float:
    """0–100: rapidfuzz's normalised Indel similarity of the two normalised texts."""
    return float(fuzz.ratio(normalise(first), normalise(second)))


@dataclass
class MeetingTexts:
    """What detection needs of one signed regular meeting."""

    meeting_id: int
    cell_id: int
    date: datetime.date
    texts: dict[str, str]  # part → text
    speakers: list[int] = field(default_factory=list)  # member id per speech
    present: int = 0


@dataclass(frozen=True)
class Finding:
    meeting_id: int
    cell_id: int
    kind: str  # supervision.models.PerfunctoryKind value
    part: str
    similarity: float
    earlier_meeting_id: int | None
    detail: dict[str, Any]


def repeated_texts(
    meetings: list[MeetingTexts], rule: dict[str, Any], *, from_index: int = 0
) -> list[Finding]:
    """Findings of repeated text in one cell's meetings (oldest first), for the meetings from
    `from_index` on; each is compared with the `lookback_meetings` before it."""
    lookback, minimum = rule["lookback_meetings"], rule["min_length"]
    parts = compared_parts(rule)
    normalised = [{part: normalise(m.texts.get(part, "")) for part in parts} for m in meetings]
    findings = []
    for index in range(from_index, len(meetings)):
        meeting = meetings[index]
        earlier = range(max(0, index - lookback), index)
        for part in parts:
            text = normalised[index][part]
            if len(text) < minimum:
                continue
            best, best_index = -1.0, None
            for other in reversed(earlier):  # the latest wins a tie
                other_text = normalised[other][part]
                if len(other_text) < minimum:
                    continue
                score = fuzz.ratio(text, other_text, score_cutoff=rule["similarity_percent"])
                if score > best:
                    best, best_index = score, other
            if best_index is None or best < rule["similarity_percent"]:
                continue
            findings.append(
                Finding(
                    meeting_id=meeting.meeting_id,
                    cell_id=meeting.cell_id,
                    kind="repeated_text",
                    part=part,
                    similarity=round(best, 1),
                    earlier_meeting_id=meetings[best_index].meeting_id,
                    detail={"compared_with": [meetings[i].meeting_id for i in earlier]},
                )
            )
    return findings


def same_speakers(
    meetings: list[MeetingTexts], rule: dict[str, Any], *, from_index: int = 0
) -> list[Finding]:
    """Findings of the same few speakers: each meeting closing a window of `speakers_meetings`
    meetings in which the `speakers_max` most frequent speakers made at least
    `speakers_share_percent` of the speeches while at least `speakers_min_present` members
    attended on average."""
    window = rule["speakers_meetings"]
    findings = []
    for index in range(max(from_index, window - 1), len(meetings)):
        span = meetings[index - window + 1 : index + 1]
        speeches = Counter(member for m in span for member in m.speakers)
        total = sum(speeches.values())
        if not total:
            continue
        top = speeches.most_common(rule["speakers_max"])
        share = 100.0 * sum(count for _, count in top) / total
        present = sum(m.present for m in span) / len(span)
        if share < rule["speakers_share_percent"] or present < rule["speakers_min_present"]:
            continue
        findings.append(
            Finding(
                meeting_id=meetings[index].meeting_id,
                cell_id=meetings[index].cell_id,
                kind="same_speakers",
                part="speakers",
                similarity=round(share, 1),
                earlier_meeting_id=span[0].meeting_id,
                detail={
                    "meetings": [m.meeting_id for m in span],
                    "speakers": [member for member, _ in top],
                    "distinct_speakers": len(speeches),
                    "speeches": total,
                    "average_present": round(present, 1),
                },
            )
        )
    return findings


def word_diff(earlier: str, later: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The two texts as runs of words, each marked True where it differs from the other (for
    display; the similarity itself is rapidfuzz's)."""
    left, right = earlier.split(), later.split()
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    left_runs: list[tuple[str, bool]] = []
    right_runs: list[tuple[str, bool]] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        changed = tag != "equal"
        if a2 > a1:
            left_runs.append((" ".join(left[a1:a2]), changed))
        if b2 > b1:
            right_runs.append((" ".join(right[b1:b2]), changed))
    return left_runs, right_runs
