"""The demo meetings' score sheets and signed records (see chibo.demo.meetings)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from chibo.core import rules
from chibo.demo import meeting_text as text
from chibo.demo.meetings.conduct import Conduct
from chibo.demo.meetings.rows import (
    SEED,
    Bundle,
    CellPlan,
    CellState,
    LineRow,
    _d,
    _month,
    _times,
)
from chibo.meetings import scoring
from chibo.meetings.models import (
    MeetingGuest,
    MeetingRecord,
    MeetingScore,
    ResolutionKind,
    Signature,
    SignerRole,
)
from chibo.orgs.models import Organization


class _Book:
    """meetings.scoring's RuleBook over the rules the history remembers: the rules in force
    for the cell's area on the meeting day, and their explanations, each looked up once."""

    def __init__(self, history: Conduct, area: Organization, day: datetime.date) -> None:
        self.history, self.area, self.day = history, area, day

    def rule(self, key: str) -> rules.Resolved:
        return self.history.rules.get(key, self.area, self.day)

    def explain(self, resolved: rules.Resolved) -> str:
        return self.history.explain(resolved)


class Scoring(Conduct):
    def score(self, bundle: Bundle, facts: scoring.ScoreFacts, guest: MeetingGuest | None) -> None:
        plan, meeting = bundle.plan, bundle.meeting
        rng = plan.rng
        book = _Book(self, plan.area, meeting.date)
        frame = book.rule("meeting.scoring_frame")
        lines = []
        for position, spec in enumerate(frame.value["lines"], start=1):
            if not scoring.applicable(meeting, spec):
                continue
            measured = scoring.measure_facts(meeting, spec, facts, book)
            top = Decimal(spec["max"])
            if measured is None:
                # Entered by the cell: a little below or at the top, by the cell's quality.
                quality = min(1.0, max(0.35, plan.quality + rng.gauss(0, 0.07)))
                if spec["code"] == "results":
                    points = Decimal((10, 15, 20, 24, 27, 30)[min(5, int(quality * 6))])
                elif top <= 2:
                    points = Decimal(round(float(top) * quality))
                else:
                    points = Decimal(round(float(top) * quality * 2) / 2)
                points = _d(points * top / 30) if spec["code"] == "results" else _d(points)
                evidence = ""
            else:
                points, evidence = measured.points, measured.evidence
            lines.append(
                LineRow(
                    meeting=meeting,
                    code=spec["code"],
                    position=position,
                    label=f"{spec['group']} — {spec['label']}",
                    max_points=_d(top),
                    points=points,
                    must_have=bool(spec["must_have"]),
                    automatic=measured is not None,
                    evidence=evidence,
                )
            )
        rated = scoring.rate(meeting, lines, book)
        confirmed_by, confirmed_at = self._confirmation(bundle, guest)
        score = MeetingScore(
            meeting=meeting,
            frame_source=self.explain(frame),
            total=rated.total,
            rating=rated.rating,
            explanation=rated.explanation,
            confirmed_by=confirmed_by,
            confirmed_at=confirmed_at,
            updated_at=_times(meeting)[1],
        )
        self.rows.score_lines.extend(lines)
        self.rows.scores.append(score)
        bundle.score, bundle.lines = score, lines

    def _confirmation(self, bundle: Bundle, guest: MeetingGuest | None) -> tuple:
        """Who confirmed the score and when: the upper-level guest at the meeting; otherwise
        the member following the cell, some days later, for meetings ended more than a month
        ago (the recent ones still wait on their home page)."""
        meeting, plan = bundle.meeting, bundle.plan
        if guest is not None and guest.member is not None:
            return guest.member, meeting.ended_at
        ended = meeting.ended_at
        if plan.upper is None or ended is None or (self.today - ended.date()).days <= 30:
            return None, None
        return plan.upper, ended + datetime.timedelta(days=plan.rng.randint(2, 12))

    def month_review(self, plan: CellPlan, previous: datetime.date, done: str) -> str:
        """A review that changes with the month: what the month was about, two results and a
        shortcoming, drawn with a generator of its own (the cell's rng stays as it was)."""
        rng = random.Random(f"{SEED}:review:{plan.org.code}:{previous:%Y-%m}")
        results = [
            line.replace("{n}", str(rng.randint(3, 40)))
            for line in rng.sample(text.REVIEW[plan.profile], 2)
        ]
        return (
            f"Trong tháng {previous.month}/{previous.year}, chi bộ "
            f"{text.MONTH_WORK[previous.month]}; đã lãnh đạo đảng viên {done}. "
            f"{' '.join(results)} {rng.choice(text.SHORTCOMINGS)}"
        )

    def record(
        self,
        bundle: Bundle,
        state: CellState,
        month: datetime.date,
        review: tuple[int, int] | None,
        topic: str,
        regular: bool,
    ) -> None:
        plan, meeting, made = bundle.plan, bundle.meeting, bundle.assignments
        rng = plan.rng
        # A monthly meeting is held early in its month: it reviews the month before and leads
        # the work of its own month.
        previous = _month(month, -1)
        if regular:
            state.resolution_number += 1
            kind, number = ResolutionKind.RESOLUTION, state.resolution_number
            subject = f"Lãnh đạo thực hiện nhiệm vụ tháng {month.month} năm {month.year}"
        else:
            state.conclusion_number += 1
            kind, number = ResolutionKind.CONCLUSION, state.conclusion_number
            subject = f"Sinh hoạt chuyên đề: {topic}"
        done = (
            f"hoàn thành {review[0]}/{review[1]} nhiệm vụ đã phân công"
            if review
            else "hoàn thành các nhiệm vụ đã đề ra"
        )
        body = "Chi ủy" if plan.has_committee else "Đồng chí bí thư chi bộ"
        evaluation = self.month_review(plan, previous, done)
        tasks = self.resolution_tasks(made, topic if not regular else "")
        if plan.repeats and regular:
            # A perfunctory cell (demo.supervision.quality): the same paragraphs every month.
            evaluation = text.REPEATED_EVALUATION.format(month=previous.month, year=previous.year)
            tasks = text.REPEATED_TASKS.format(month=month.month)
        if not regular:
            evaluation = (
                f"Chi bộ đã sinh hoạt chuyên đề “{topic}”; đảng viên nghiêm túc nghiên cứu, "
                "thảo luận và liên hệ với nhiệm vụ của bản thân."
            )
        bundle.record = MeetingRecord(
            meeting=meeting,
            organization=plan.org,
            resolution_kind=kind,
            resolution_subject=subject,
            resolution_number=number,
            term_start=plan.policy.term_start,
            resolution_evaluation=evaluation,
            resolution_tasks=tasks,
            resolution_implementation=(
                f"{body} chỉ đạo, đôn đốc thực hiện nghị quyết; các đồng chí được phân công "
                "chủ động thực hiện và báo cáo kết quả tại buổi sinh hoạt tháng sau. Báo cáo "
                f"{plan.area.name} và đưa tài liệu lên Sổ tay đảng viên trong 2 ngày."
            ),
            version=2,
        )
        self.rows.records.append(bundle.record)
        assert meeting.ended_at is not None
        latest = self.now - datetime.timedelta(minutes=5)
        taker_signed = min(meeting.ended_at + datetime.timedelta(hours=rng.randint(1, 20)), latest)
        chair_signed = min(taker_signed + datetime.timedelta(hours=rng.randint(1, 30)), latest)
        for role, member, signed_at in (
            (SignerRole.MINUTE_TAKER, meeting.minute_taker, taker_signed),
            (SignerRole.CHAIR, meeting.chair, chair_signed),
        ):
            assert member is not None
            signature = Signature(
                meeting=meeting,
                role=role,
                member=member,
                user_id=member.user_id or self.actor.pk,
                signed_at=signed_at,
            )
            bundle.signatures.append(signature)
            self.rows.signatures.append(signature)
        meeting.signed_at = chair_signed
        meeting.updated_at = chair_signed

    # -- after the last month ------------------------------------------------------------------
