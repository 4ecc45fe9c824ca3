"""Scoring a meeting with the frame in force for its cell (rule `meeting.scoring_frame`,
DOMAIN R1.13–R1.17). Criteria chibo can measure are computed here with their evidence; the
others are entered by the cell and confirmed or adjusted by the upper-level attendee.

The criteria are measured from a `ScoreFacts` (counts and summaries of the meeting's rows):
`facts_of` reads them from the database for a real meeting, the demo builds them from the rows
it holds in memory; both go through the same `measure_facts` and `rate`. The rules in force are
looked up through a `RuleBook` (by default `rules.rule_in_force` for the meeting's cell and
day; the demo passes one that remembers what it found)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from chibo.core import rules
from chibo.followup.models import AssignmentStatus
from chibo.meetings import selectors
from chibo.meetings.models import Meeting, MeetingRating, VoteSubject


@dataclass(frozen=True)
class Measured:
    points: Decimal
    evidence: str


def _d(value: float | int | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))


def band_points(line: dict, measure: Decimal) -> Decimal:
    """The points of the first of the line's bands (best first) whose "from" the measure
    reaches, 0 if none (the shape is documented beside the frame in core.rule_data)."""
    for band in line.get("bands") or ():
        if measure >= Decimal(str(band["from"])):
            return Decimal(str(band["points"]))
    return Decimal(0)


def lowest_band_points(line: dict) -> Decimal:
    bands = line.get("bands") or ()
    return Decimal(str(bands[-1]["points"])) if bands else Decimal(0)


def format_points(value: float | int | Decimal) -> str:
    """Points or a percentage as Vietnamese readers write them: "10", "7,5", "98,9"."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return number_format(number)


class RuleBook(Protocol):
    """Where the criteria find the rules in force for a meeting, and their explanations."""

    def rule(self, key: str) -> rules.Resolved: ...

    def explain(self, resolved: rules.Resolved) -> str: ...


class InForce:
    """The rules in force for the meeting's cell on the meeting day (rules.rule_in_force)."""

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = meeting

    def rule(self, key: str) -> rules.Resolved:
        return rules.rule_in_force(
            key, organization=self.meeting.organization, on=self.meeting.date
        )

    def explain(self, resolved: rules.Resolved) -> str:
        return resolved.explain()


@dataclass(frozen=True)
class ScoreFacts:
    """What the automatic criteria measure, for one meeting."""

    summary: selectors.RollCallSummary
    agenda_items: int
    noted: int  # agenda items with notes
    preparation: tuple[datetime.date, int] | None  # (held on, participants)
    documents: int
    commendations: int
    speakers: int  # different members who spoke
    review: tuple[int, int] | None  # (done, total) of the assignments to review, None if none
    adopted: bool  # an adopted vote on the resolution or conclusion
    assignments_set: int
    worst_streak: int  # the longest run of absences this year among the members on the roll


def facts_of(meeting: Meeting, summary: selectors.RollCallSummary) -> ScoreFacts:
    """A meeting's score facts read from the database (about a dozen queries)."""
    preparation = getattr(meeting, "preparation", None)
    to_review = list(selectors.assignments_to_review(meeting))
    done = sum(1 for row in to_review if row.status == AssignmentStatus.DONE)
    return ScoreFacts(
        summary=summary,
        agenda_items=meeting.agenda_items.count(),
        noted=meeting.agenda_items.exclude(notes="").count(),
        preparation=(
            (preparation.held_on, preparation.participants.count()) if preparation else None
        ),
        documents=meeting.documents.count(),
        commendations=meeting.commendations.count(),
        speakers=meeting.speeches.values("member_id").distinct().count() if meeting.pk else 0,
        review=(done, len(to_review)) if to_review else None,
        adopted=meeting.votes.filter(subject=VoteSubject.RESOLUTION, adopted=True).exists(),
        assignments_set=meeting.assignments.count(),
        worst_streak=max(selectors.absence_streaks(meeting).values(), default=0),
    )


def required_minutes(meeting: Meeting, roll: int, book: RuleBook) -> tuple[int, list[str]]:
    """(the shortest duration for this meeting, the explanations of the rules used), by the
    reading of R1.9 selected in `meeting.duration_reading`: by cell size, the band of the
    roll; by kind, the first band, or the combined minimum for a regular meeting with a
    thematic part."""
    rule = book.rule("meeting.min_duration_minutes")
    reading = book.rule("meeting.duration_reading")
    used = [rule]
    if reading.value == rules.DURATION_COMBINED_THEMATIC:
        required = min(band["minutes"] for band in rule.value)
        if meeting.with_thematic_part:
            combined = book.rule("meeting.combined_min_duration_minutes")
            required = max(required, combined.value)
            used.append(combined)
        used.append(reading)
    else:
        required = 0
        for band in rule.value:
            if roll >= band["members_from"]:
                required = max(required, band["minutes"])
        if len(rule.value) > 1:
            used.append(reading)
    return required, [book.explain(item) for item in used]


def _duration(meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook) -> Measured | None:
    minutes = meeting.duration_minutes
    if minutes is None:
        return None
    roll = facts.summary.total
    required, explanations = required_minutes(meeting, roll, book)
    # The share of the required time held, exactly (no rounding before the comparison).
    held = Decimal(minutes) * 100 / required if required else Decimal(100)
    points = band_points(line, held)
    return Measured(
        _d(points),
        _("%(minutes)s minutes; %(required)s required for %(roll)s members. %(rule)s")
        % {
            "minutes": minutes,
            "required": required,
            "roll": roll,
            "rule": ". ".join(explanations),
        },
    )


def _attendance(meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook) -> Measured | None:
    summary = facts.summary
    if summary.rate is None:
        return None
    rate = summary.rate
    # An absence without reason gives the lowest band, whatever the rate (R1.17 criterion 2).
    points = lowest_band_points(line) if summary.absent_unexcused else band_points(line, rate)
    return Measured(
        _d(points),
        _(
            "%(present)s of %(denominator)s members present (%(rate)s%%); %(unexcused)s absent "
            "without reason."
        )
        % {
            "present": summary.present,
            "denominator": summary.denominator,
            "rate": format_points(rate),
            "unexcused": len(summary.absent_unexcused),
        },
    )


def _absence_streak(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    rule = book.rule("meeting.max_consecutive_excused_absences")
    ok = facts.worst_streak <= rule.value
    return Measured(
        _d(line["max"] if ok else 0),
        _("Longest run of absences this year: %(worst)s. %(rule)s")
        % {"worst": facts.worst_streak, "rule": book.explain(rule)},
    )


def _agenda_prepared(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    ok = facts.agenda_items > 0 and meeting.published_at is not None
    return Measured(
        _d(line["max"] if ok else 0),
        _("%(count)s agenda items; published: %(published)s.")
        % {"count": facts.agenda_items, "published": _("yes") if meeting.published_at else _("no")},
    )


def _draft_resolution(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    ok = bool(meeting.resolution_draft.strip())
    return Measured(
        _d(line["max"] if ok else 0),
        _("A draft resolution was prepared.") if ok else _("No draft resolution was prepared."),
    )


def _preparatory_meeting(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    if facts.preparation is None:
        return Measured(_d(0), _("No preparatory meeting of the cell committee was recorded."))
    held_on, participants = facts.preparation
    return Measured(
        _d(line["max"]),
        _("Preparatory meeting on %(date)s, %(count)s participants.")
        % {"date": held_on.strftime("%d/%m/%Y"), "count": participants},
    )


def notice_deadline(
    meeting: Meeting, book: RuleBook | None = None
) -> tuple[datetime.datetime, Any]:
    """When members must be notified of the meeting at the latest, and the rule saying so
    (meeting.notice_days_before, DOMAIN R1.12)."""
    rule = (book or InForce(meeting)).rule("meeting.notice_days_before")
    start = timezone.make_aware(datetime.datetime.combine(meeting.date, meeting.time))
    return start - datetime.timedelta(days=rule.value), rule


def _notice(meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook) -> Measured | None:
    if meeting.published_at is None:
        return Measured(_d(0), _("Members were not notified through chibo."))
    return Measured(
        _d(line["max"]),
        _("Members and the assigned upper-level member notified on %(date)s.")
        % {"date": timezone.localtime(meeting.published_at).strftime("%d/%m/%Y %H:%M")},
    )


def _materials_on_time(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    deadline, rule = notice_deadline(meeting, book)
    on_time = meeting.published_at is not None and meeting.published_at <= deadline
    ok = on_time and facts.documents > 0
    return Measured(
        _d(line["max"] if ok else 0),
        _("%(count)s documents; published before %(deadline)s: %(on_time)s. %(rule)s")
        % {
            "count": facts.documents,
            "deadline": timezone.localtime(deadline).strftime("%d/%m/%Y %H:%M"),
            "on_time": _("yes") if on_time else _("no"),
            "rule": book.explain(rule),
        },
    )


def _commendations(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    count = facts.commendations
    return Measured(
        _d(line["max"] if count else 0),
        _("%(count)s notes of praise, reminder or criticism.") % {"count": count},
    )


def _speakers_share(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    present = facts.summary.present
    if not present:
        return None
    share = (Decimal(facts.speakers) * 100 / present).quantize(Decimal("0.1"))
    points = band_points(line, share)
    return Measured(
        _d(points),
        _("%(speakers)s of %(present)s members present spoke (%(share)s%%).")
        % {"speakers": facts.speakers, "present": present, "share": format_points(share)},
    )


def _minutes_written(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    ok = meeting.minute_taker_id is not None and facts.agenda_items > 0 and facts.noted > 0
    return Measured(
        _d(line["max"] if ok else 0),
        _("Minute-taker appointed; notes on %(noted)s of %(total)s agenda items.")
        % {"noted": facts.noted, "total": facts.agenda_items},
    )


def _previous_assignments(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    if facts.review is None:
        return None
    done, total = facts.review
    share = Decimal(done) * 100 / total
    return Measured(
        _d(band_points(line, share)),
        _("%(done)s of %(total)s assignments from the previous meeting done (%(share)s%%).")
        % {"done": done, "total": total, "share": format_points(_d(share))},
    )


def _resolution_adopted(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    return Measured(
        _d(line["max"] if facts.adopted else 0),
        _("The resolution or conclusion was adopted by vote.")
        if facts.adopted
        else _("No adopted vote on the resolution or conclusion was recorded."),
    )


def _assignments_set(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook
) -> Measured | None:
    count = facts.assignments_set
    return Measured(
        _d(line["max"] if count else 0),
        _("%(count)s assignments set for next month.") % {"count": count},
    )


Measure = Callable[[Meeting, dict, ScoreFacts, RuleBook], "Measured | None"]
MEASURES: dict[str, Measure] = {
    "duration": _duration,
    "attendance": _attendance,
    "absence_streak": _absence_streak,
    "agenda_prepared": _agenda_prepared,
    "draft_resolution": _draft_resolution,
    "preparatory_meeting": _preparatory_meeting,
    "notice": _notice,
    "materials_on_time": _materials_on_time,
    "commendations": _commendations,
    "speakers_share": _speakers_share,
    "minutes_written": _minutes_written,
    "previous_assignments": _previous_assignments,
    "resolution_adopted": _resolution_adopted,
    "assignments_set": _assignments_set,
}


def applicable(meeting: Meeting, line: dict) -> bool:
    has_thematic = meeting.kind == "thematic" or meeting.with_thematic_part
    return not line.get("thematic_only") or has_thematic


def measure_facts(
    meeting: Meeting, line: dict, facts: ScoreFacts, book: RuleBook | None = None
) -> Measured | None:
    """The points and evidence of an automatic criterion, None for a criterion the cell
    enters (or one that cannot be measured yet)."""
    method = MEASURES.get(line.get("auto") or "")
    return method(meeting, line, facts, book or InForce(meeting)) if method else None


def measure(meeting: Meeting, line: dict, ctx: dict) -> Measured | None:
    """measure_facts for a meeting in the database; `ctx` holds its roll-call "summary" and
    keeps the facts read for it ("facts"), so one scoring reads them once."""
    if "facts" not in ctx:
        ctx["facts"] = facts_of(meeting, ctx["summary"])
    return measure_facts(meeting, line, ctx["facts"])


@dataclass(frozen=True)
class Rated:
    total: Decimal  # out of 100
    rating: str
    explanation: str


def rate(meeting: Meeting, lines: list[Any], book: RuleBook | None = None) -> Rated:
    """Total and rating from score lines (objects with points, max_points, must_have, code).
    Lines not applicable this month are not in `lines`; the total is scaled to 100. A Good
    total without full marks on the must-have criteria is Fair (DOMAIN R1.13)."""
    book = book or InForce(meeting)
    bands = book.rule("meeting.rating_bands")
    possible = sum((Decimal(line.max_points) for line in lines), Decimal(0))
    earned = sum((Decimal(line.points or 0) for line in lines), Decimal(0))
    total = _d(earned * 100 / possible) if possible else Decimal(0)
    missing_must = [
        line.label
        for line in lines
        if line.must_have and Decimal(line.points or 0) < Decimal(line.max_points)
    ]
    values = bands.value
    if total >= values["good"] and not missing_must:
        rating = MeetingRating.GOOD
        text = _("%(total)s points: good. %(rule)s")
    elif total >= values["good"]:
        rating = MeetingRating.FAIR
        text = _(
            "%(total)s points, but not full marks on: %(missing)s — so fair, not good. %(rule)s"
        )
    elif total >= values["fair"]:
        rating = MeetingRating.FAIR
        text = _("%(total)s points: fair. %(rule)s")
    elif total >= values["average"]:
        rating = MeetingRating.AVERAGE
        text = _("%(total)s points: average. %(rule)s")
    else:
        rating = MeetingRating.POOR
        text = _("%(total)s points: poor. %(rule)s")
    return Rated(
        total=total,
        rating=rating,
        explanation=text
        % {
            "total": format_points(total),
            "missing": "; ".join(missing_must),
            "rule": book.explain(bands),
        },
    )
