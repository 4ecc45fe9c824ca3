"""The meeting's score: computed from the frame in force, points entered by the cell, confirmed
or adjusted by the upper level (DOMAIN R1.13–R1.17)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit, rules
from chibo.core.errors import ServiceError
from chibo.meetings import scoring, selectors
from chibo.meetings.models import Meeting, MeetingKind, MeetingScore, MeetingStatus, ScoreLine
from chibo.meetings.services._base import ensure_live, meeting_change
from chibo.members.models import Member

# The scoring frames rate the cell's regular and thematic meetings (DOMAIN R1.13–R1.17).
SCORED_KINDS = frozenset({MeetingKind.REGULAR, MeetingKind.THEMATIC})


def score_compute(*, actor: Any, meeting: Meeting, audit_it: bool = True) -> MeetingScore | None:
    """(Re)build the score sheet from the frame in force: automatic criteria are measured
    again with their evidence; points entered by hand are kept. The frame is found by core.rules'
    one fallback policy: before 42-HD/BTCTW, without a province's override, chibo's default
    frame, explained as such (DOMAIN R1.13-R1.17). Returns None for the kinds of meeting the
    frames do not rate (cell-committee, extraordinary, conference)."""
    with meeting_change(
        meeting,
        actor=actor,
        code=None,  # the score sheet writes its own entry (`audit_it`)
        live=True,
    ) as change:
        meeting = change.meeting
        if meeting.kind not in SCORED_KINDS:
            return None
        frame = rules.rule_in_force(
            "meeting.scoring_frame", organization=meeting.organization, on=meeting.date
        )
        return _score_lines_build(meeting, frame, actor=actor, audit_it=audit_it)


def _score_lines_build(
    meeting: Meeting, frame: rules.Resolved, *, actor: Any, audit_it: bool
) -> MeetingScore:
    rows = selectors.attendance_rows(meeting)
    ctx = {"summary": selectors.roll_call_summary(rows)}
    existing = {line.code: line for line in meeting.score_lines.all()}
    keep_codes = []
    for position, spec in enumerate(frame.value["lines"], start=1):
        if not scoring.applicable(meeting, spec):
            continue
        keep_codes.append(spec["code"])
        measured = scoring.measure(meeting, spec, ctx)
        line = existing.get(spec["code"]) or ScoreLine(meeting=meeting, code=spec["code"])
        line.position = position
        line.label = f"{spec['group']} — {spec['label']}"
        line.max_points = Decimal(str(spec["max"]))
        line.must_have = bool(spec["must_have"])
        line.automatic = measured is not None
        if measured is not None:
            line.points = measured.points
            line.evidence = measured.evidence
        line.save()
    meeting.score_lines.exclude(code__in=keep_codes).delete()
    return _score_total(
        meeting, frame_source=frame.explain(), actor=actor if audit_it else None, audit_it=audit_it
    )


def _score_total(
    meeting: Meeting, *, frame_source: str | None = None, actor: Any = None, audit_it: bool = False
) -> MeetingScore:
    lines = list(meeting.score_lines.all())
    rated = scoring.rate(meeting, lines)
    score, _created = MeetingScore.objects.update_or_create(
        meeting=meeting,
        defaults={
            "total": rated.total,
            "rating": rated.rating,
            "explanation": rated.explanation,
            "updated_at": timezone.now(),
            **({"frame_source": frame_source} if frame_source else {}),
        },
    )
    if audit_it:
        audit.record(
            actor=actor,
            code="meeting.scored",
            target=meeting,
            organization=meeting.organization,
            changes={"total": str(rated.total), "rating": rated.rating},
        )
    return score


def _points(value: Any, line: ScoreLine) -> Decimal:
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ServiceError(_("Enter the points as a number.")) from None
    if not points.is_finite():  # "NaN", "Infinity" parse as decimals
        raise ServiceError(_("Enter the points as a number."))
    if points < 0 or points > line.max_points:
        raise ServiceError(
            _("“%(label)s” takes from 0 to %(max)s points.")
            % {"label": line.label, "max": scoring.format_points(line.max_points)}
        )
    return points.quantize(Decimal("0.1"))


def score_lines_set(*, actor: Any, meeting: Meeting, points: dict[str, Any]) -> MeetingScore:
    """Enter the points of the criteria chibo cannot measure (by the cell, before signing).
    Automatic criteria are not entered by hand; the upper-level attendee adjusts them with a
    reason through `score_confirm`."""
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.scored",
        live=True,
    ) as change:
        meeting = change.meeting
        lines = {line.code: line for line in meeting.score_lines.select_for_update()}
        for code, value in points.items():
            line = lines.get(code)
            if line is None or line.automatic or value in (None, ""):
                continue
            line.points = _points(value, line)
            line.version += 1
            line.save(update_fields=["points", "version"])
        score = _score_total(meeting)
        change.changes = {"total": str(score.total), "rating": score.rating}
    return score


def score_confirm(
    *,
    actor: Any,
    meeting: Meeting,
    confirmer: Member,
    adjustments: dict[str, Any] | None = None,
    reason: str = "",
) -> MeetingScore:
    """The upper-level attendee confirms the score (DOMAIN R1.15), or adjusts criteria with a
    reason (any criterion, automatic ones included: the evidence stays beside it).

    Before anyone signs, the confirmation (and any adjustment) is part of the minutes. Once
    both have signed, the upper-level member may still confirm — often they could not attend
    or confirm on the night — but only the score as signed: the confirmation is recorded beside
    the frozen minutes (MeetingScore), never in them, and an adjustment would contradict the
    signed record, so it is refused (a correction is an addendum). Between the two signatures
    nothing the documents show may change, so confirming waits for the second one."""
    adjustments = {
        code: value for code, value in (adjustments or {}).items() if value not in (None, "")
    }
    with meeting_change(meeting, actor=actor, code="meeting.score_confirmed") as change:
        meeting = change.meeting
        if meeting.status == MeetingStatus.SIGNED:
            score = _confirm_signed(meeting, confirmer=confirmer, adjustments=adjustments)
            change.changes = {"after_signing": True}
            change.note = reason.strip()
            return score
        ensure_live(meeting)
        lines = {line.code: line for line in meeting.score_lines.select_for_update()}
        changed = {}
        for code, value in adjustments.items():
            line = lines.get(code)
            if line is None:
                continue
            points = _points(value, line)
            if points != line.points:
                changed[code] = [str(line.points), str(points)]
                line.points = points
                line.evidence = (line.evidence + "\n" if line.evidence else "") + _(
                    "Adjusted by %(name)s: %(reason)s"
                ) % {"name": confirmer.full_name, "reason": reason.strip()}
                line.version += 1
                line.save(update_fields=["points", "evidence", "version"])
        if changed and not reason.strip():
            raise ServiceError(_("Give the reason for adjusting the score."))
        if any(line.points is None for line in lines.values()):
            raise ServiceError(_("Some criteria have no points yet; the cell enters them first."))
        score = _score_total(meeting)
        score.confirmed_by = confirmer
        score.confirmed_at = timezone.now()
        score.adjustment_reason = reason.strip()
        score.save(update_fields=["confirmed_by", "confirmed_at", "adjustment_reason"])
        change.changes = changed
        change.note = reason.strip()
    return score


def _confirm_signed(
    meeting: Meeting, *, confirmer: Member, adjustments: dict[str, Any]
) -> MeetingScore:
    """Confirm the score of signed minutes as it was signed (the frozen content is not
    touched: the signed documents keep saying what was signed)."""
    score = MeetingScore.objects.select_for_update().filter(meeting=meeting).first()
    if score is None:
        raise ServiceError(_("This meeting has no score to confirm."))
    if score.confirmed_by_id is not None:
        raise ServiceError(_("The score of this meeting is already confirmed."))
    lines = {line.code: line for line in meeting.score_lines.all()}
    for code, value in adjustments.items():
        line = lines.get(code)
        if line is not None and _points(value, line) != line.points:
            raise ServiceError(
                _(
                    "The minutes are signed: the score can be confirmed as signed, not "
                    "changed. The cell records a correction as an addendum."
                )
            )
    score.confirmed_by = confirmer
    score.confirmed_at = timezone.now()
    score.save(update_fields=["confirmed_by", "confirmed_at"])
    return score
