"""Holding a demo meeting: roll call, speeches, praise, assignments, votes and the agenda
notes (see chibo.demo.meetings)."""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any

from django.utils import timezone

from chibo.core import rules
from chibo.demo import meeting_text as text
from chibo.demo.meetings.rows import (
    MEMBERSHIP_SUBJECTS,
    MEMBERSHIP_VOTES_A_YEAR,
    MOST_SPEAKERS,
    Bundle,
    CellPlan,
    CellState,
    ItemRow,
    Person,
    RollRow,
    Rows,
    SpeechRow,
    _month,
    _names,
    _Rules,
    _times,
)
from chibo.followup.models import Assignment, AssignmentStatus
from chibo.meetings import agenda, selectors, services, votes
from chibo.meetings.models import (
    PRESENT_STATUSES,
    AttendanceStatus,
    Commendation,
    CommendationKind,
    Meeting,
    MeetingGuest,
    MeetingKind,
    MeetingPolicy,
    MemberCategory,
    Vote,
    VoteRule,
    VoteSubject,
)
from chibo.members.models import Member, MembershipClass


class Base:
    def __init__(self, *, actor: Any, today: datetime.date) -> None:
        self.actor = actor
        self.today = today
        self.now = timezone.now()
        self.rules = _Rules()
        self.rows = Rows()
        self.states: dict[int, CellState] = {}
        self.planned_thematic: list[tuple[CellPlan, datetime.date, str]] = []
        self.bundles: list[Bundle] = []
        self._explained: dict[int, str] = {}
        self._days: dict[tuple[int, int, int], datetime.date] = {}
        self._titles = {
            step.code: (str(step.title), str(step.guidance) if step.guidance else "")
            for step in agenda.STANDARD_STEPS
        }

    def token(self, rng: random.Random) -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def scheduled(self, policy: MeetingPolicy, month: datetime.date) -> datetime.date:
        key = (policy.pk, month.year, month.month)
        if key not in self._days:
            self._days[key] = services.scheduled_day(policy, month.year, month.month)
        return self._days[key]

    # -- which months --------------------------------------------------------------------------

    def explain(self, resolved: rules.Resolved) -> str:
        if id(resolved) not in self._explained:
            self._explained[id(resolved)] = resolved.explain()
        return self._explained[id(resolved)]


class Conduct(Base):
    def attendance(
        self,
        plan: CellPlan,
        meeting: Meeting,
        roll: list[tuple[Person, str]],
        always_present: set[int],
    ) -> list[RollRow]:
        rng = plan.rng
        factor = 0.7 if plan.rich else (1.6 if plan.lax else 1.0)
        if meeting.date.month == 2:  # Tết
            factor *= 1.3
        unexcused_share = 0.12 if plan.lax else (0.0 if plan.rich else 0.03)
        late_share = 0.06 if plan.profile == "village" else 0.03
        reasons = text.ABSENCE_REASONS[plan.profile]
        late_reasons = text.LATE_REASONS.get(plan.profile, text.LATE_REASONS["other"])
        rows = []
        for person, category in roll:
            member = person.member
            status, reason = AttendanceStatus.PRESENT, ""
            if category == MemberCategory.EXEMPTED:
                status = AttendanceStatus.EXEMPT
            elif category == MemberCategory.SUSPENDED:
                status = AttendanceStatus.SUSPENDED
            elif member.pk in always_present:
                pass
            elif rng.random() < person.absence * factor:
                if rng.random() < unexcused_share:
                    status = AttendanceStatus.ABSENT_UNEXCUSED
                else:
                    status = AttendanceStatus.ABSENT_EXCUSED
                    if person.away:
                        reason = text.AWAY_REASON.get(plan.profile, "Đi công tác dài ngày")
                    elif (meeting.date - member.birth_date).days > 78 * 365:
                        reason = rng.choice(text.ABSENCE_REASONS_ELDERLY)
                    else:
                        reason = rng.choice(reasons)
            elif rng.random() < late_share:
                status, reason = AttendanceStatus.LATE, rng.choice(late_reasons)
            rows.append(
                RollRow(
                    meeting,
                    member,
                    member.pk,
                    category,
                    status,
                    reason,
                    membership_class=person.class_on(meeting.date),
                )
            )
        # Keep at least 70% of the voters present, so every demo resolution is adoptable
        # (more than half of the official members, R2.1) with a few abstentions.
        electorate = votes.electorate(rows)
        absent = [
            row
            for row in rows
            if row.category == MemberCategory.OFFICIAL
            and row.membership_class == MembershipClass.OFFICIAL
            and row.status not in PRESENT_STATUSES
        ]
        while absent and electorate.present * 10 < electorate.eligible * 7:
            row = absent.pop()
            row.status, row.reason = AttendanceStatus.PRESENT, ""
            electorate = votes.electorate(rows)
        self.rows.attendance.extend(rows)
        return rows

    def duration(self, plan: CellPlan, meeting: Meeting, roll: int, thematic: bool) -> int:
        rng = plan.rng
        if plan.brief:
            return rng.randint(50, 70)
        if meeting.kind == MeetingKind.THEMATIC:
            return rng.randint(75, 105)
        bands = self.rules.get("meeting.min_duration_minutes", plan.area, meeting.date).value
        required = max((b["minutes"] for b in bands if roll >= b["members_from"]), default=90)
        good = plan.rich or plan.exemplary
        minutes = required + (rng.randint(0, 30) if good else rng.randint(-12, 25))
        if thematic:
            minutes += rng.randint(25, 40)
        return minutes

    def speeches(
        self,
        plan: CellPlan,
        meeting: Meeting,
        items: dict[str, ItemRow],
        present: list[Member],
        thematic: bool,
    ) -> list[SpeechRow]:
        rng = plan.rng
        if plan.quiet:
            count = 1 if rng.random() < 0.4 else (2 if rng.random() < 0.85 else 3)
        elif plan.rich:
            count = rng.randint(5, 8)
        elif plan.exemplary:
            count = min(len(present) // 2 + rng.randint(1, 3), MOST_SPEAKERS)
        elif plan.engaged and rng.random() < 0.7:
            # A small cell where most members speak (more than half: full marks, R1.17).
            count = min(len(present) // 2 + rng.randint(1, 3), MOST_SPEAKERS)
        elif plan.profile == "village":
            count = rng.randint(2, 5)
        else:
            count = rng.randint(2, 6)
        speakers = rng.sample(present, min(count, len(present)))
        pools = {
            "review": list(text.REVIEW[plan.profile]),
            "tasks": list(text.TASKS[plan.profile]),
            "discussion": list(text.DISCUSSION[plan.profile]) + list(text.DISCUSSION_COMMON),
            "thematic": list(text.THEMATIC_SPEECHES),
        }
        order = ["review", "tasks", "discussion"]
        if thematic:
            order = ["thematic", "thematic", "review", "tasks", "discussion"]
            if meeting.kind == MeetingKind.THEMATIC:
                order = ["thematic", "thematic", "thematic", "discussion"]
        steps = [
            order[index] if index < len(order) else rng.choice(order)
            for index in range(len(speakers))
        ]
        steps.sort(key=lambda step: items[step].position)  # speeches follow the agenda
        rows = []
        started, ended = _times(meeting)
        minutes = max(1, int((ended - started).total_seconds() // 60))
        for index, (member, step) in enumerate(zip(speakers, steps, strict=True)):
            pool = pools[step] or pools["discussion"] or list(text.DISCUSSION_COMMON)
            summary = pool.pop(rng.randrange(len(pool)))
            at = started + datetime.timedelta(
                minutes=int(minutes * (0.3 + 0.6 * index / max(len(speakers), 1)))
            )
            rows.append(
                SpeechRow(
                    meeting=meeting,
                    item=items[step],
                    member=member,
                    summary=summary.format(n=rng.randint(5, 15)),
                    token=self.token(rng),
                    created_at=at,
                )
            )
        rows.sort(key=lambda speech: (speech.created_at, speech.item.position))
        self.rows.speeches.extend(rows)
        return rows

    def commendations(
        self,
        plan: CellPlan,
        meeting: Meeting,
        attendance: list[RollRow],
        speeches: list[SpeechRow],
        not_done: list[tuple[Assignment, list[Member]]],
    ) -> list[Commendation]:
        rng = plan.rng
        at = _times(meeting)[1] - datetime.timedelta(minutes=20)
        rows = []
        praise = list(text.PRAISE[plan.profile]) + list(text.PRAISE_COMMON)
        if plan.rich:
            wanted = rng.randint(2, 3)
        elif plan.quiet:
            wanted = rng.choice((0, 0, 1))
        else:
            wanted = rng.choice((0, 1, 1, 2))
        candidates = [speech.member for speech in speeches]
        for member in rng.sample(candidates, min(wanted, len(candidates))):
            rows.append(
                Commendation(
                    meeting=meeting,
                    kind=CommendationKind.PRAISE,
                    member=member,
                    note=praise.pop(rng.randrange(len(praise))),
                    client_token=self.token(rng),
                    created_at=at,
                )
            )
        for row in attendance:
            if row.status == AttendanceStatus.ABSENT_UNEXCUSED:
                rows.append(
                    Commendation(
                        meeting=meeting,
                        kind=CommendationKind.REMINDER,
                        member=row.member,
                        note=text.REMINDER_UNEXCUSED,
                        client_token=self.token(rng),
                        created_at=at,
                    )
                )
        for assignment, members in not_done[:1]:
            rows.append(
                Commendation(
                    meeting=meeting,
                    kind=CommendationKind.REMINDER,
                    member=members[0],
                    note=text.REMINDER_NOT_DONE.format(title=assignment.title.lower()),
                    client_token=self.token(rng),
                    created_at=at,
                )
            )
        self.rows.commendations.extend(rows)
        return rows

    def new_assignments(
        self, plan: CellPlan, meeting: Meeting, present: list[Member], thematic: bool
    ) -> list[tuple[Assignment, list[Member]]]:
        rng = plan.rng
        if meeting.kind == MeetingKind.THEMATIC:
            titles = [text.THEMATIC_ASSIGNMENT] if rng.random() < 0.6 else []
            due = meeting.date + datetime.timedelta(days=20)
        else:
            count = rng.randint(4, 6) if plan.rich else rng.randint(1 if plan.quiet else 2, 4)
            titles = rng.sample(text.ASSIGNMENTS[plan.profile], count)
            next_day = self.scheduled(plan.policy, _month(meeting.date.replace(day=1), 1))
            due = next_day - datetime.timedelta(days=1)
        made = []
        for title in titles:
            # Before the next meeting, some of them well before.
            latest = max((due - meeting.date).days, 8)
            due_date = meeting.date + datetime.timedelta(days=rng.randint(7, latest))
            members = rng.sample(present, min(len(present), rng.choice((1, 1, 2, 2, 3))))
            assignment = Assignment(
                organization=plan.org,
                source_meeting=meeting,
                title=title,
                due_date=due_date,
                status=AssignmentStatus.OPEN,
                client_token=self.token(rng),
                created_at=_times(meeting)[1],
                created_by_id=meeting.chair.user_id if meeting.chair else None,
                updated_at=_times(meeting)[1],
            )
            made.append((assignment, members))
        self.rows.assignments.extend(made)
        return made

    def votes(
        self,
        plan: CellPlan,
        state: CellState,
        meeting: Meeting,
        items: dict[str, ItemRow],
        attendance: list[RollRow],
        regular: bool,
    ) -> list[tuple[Vote, ItemRow]]:
        """The resolution (or the thematic conclusion), sometimes the score, and the
        admission and recognition votes that fall in this month (DOMAIN R2.1–R2.5)."""
        rng = plan.rng
        electorate = votes.electorate(attendance)
        cast_votes: list[tuple[Vote, ItemRow]] = []

        def show_of_hands(subject: str, title: str, item: ItemRow, member=None) -> None:
            rule_key = (
                VoteRule.TWO_THIRDS
                if subject in (VoteSubject.ADMISSION, VoteSubject.RECOGNITION)
                else VoteRule.MAJORITY
            )
            rule = self.rules.get(rule_key, plan.area, meeting.date)
            against = 1 if rng.random() < 0.03 else 0
            abstain = 1 if rng.random() < 0.07 else 0
            in_favour = electorate.present - against - abstain
            adopted = votes.passes(in_favour, electorate.eligible, rule.value)
            if not adopted and rule_key == VoteRule.TWO_THIRDS:
                return  # the cell waits for a fuller meeting
            cast_votes.append(
                (
                    Vote(
                        meeting=meeting,
                        subject=subject,
                        title=title,
                        subject_member=member,
                        rule=rule_key,
                        in_favour=in_favour,
                        against=against,
                        abstain=abstain,
                        eligible=electorate.eligible,
                        adopted=adopted,
                        explanation=votes.explain(
                            in_favour=in_favour,
                            eligible=electorate.eligible,
                            adopted=adopted,
                            rule_text=self.explain(rule),
                            fraction=rule.value,
                        ),
                        client_token=self.token(rng),
                        recorded_at=_times(meeting)[1] - datetime.timedelta(minutes=15),
                    ),
                    item,
                )
            )

        if regular:
            month = meeting.date
            title = f"Nghị quyết lãnh đạo thực hiện nhiệm vụ tháng {month.month}/{month.year}"
        else:
            title = f"Kết luận sinh hoạt chuyên đề: {meeting.topic}"
        show_of_hands(VoteSubject.RESOLUTION, title, items["conclusion"])
        if regular:
            for person in plan.people:
                member = person.member
                # Admissions and recognitions come up now and then: one a meeting at most,
                # a few a year in a cell.
                if member.pk in state.voted_on or len(state.voted_on) >= MEMBERSHIP_VOTES_A_YEAR:
                    continue
                if any(v.subject in MEMBERSHIP_SUBJECTS for v, _item in cast_votes):
                    break
                official = member.official_date
                decision = member.admission_decision_date
                on_roll = person.category_in(plan.org.pk, meeting.date)
                if (
                    on_roll == MemberCategory.PROBATIONARY
                    and official
                    and meeting.date <= official <= meeting.date + datetime.timedelta(days=45)
                ):
                    state.voted_on.add(member.pk)
                    show_of_hands(
                        VoteSubject.RECOGNITION,
                        f"Đề nghị công nhận đảng viên chính thức đối với đồng chí "
                        f"{member.full_name}",
                        items["membership"],
                        member,
                    )
                elif (
                    on_roll is None
                    and decision
                    and person.timeline
                    and person.timeline[0][2] == plan.org.pk
                    and meeting.date + datetime.timedelta(days=20)
                    <= decision
                    <= meeting.date + datetime.timedelta(days=100)
                ):
                    state.voted_on.add(member.pk)
                    show_of_hands(
                        VoteSubject.ADMISSION,
                        f"Đề nghị kết nạp quần chúng {member.full_name} vào Đảng",
                        items["membership"],
                        member,
                    )
            if plan.rich or rng.random() < 0.35:
                show_of_hands(
                    VoteSubject.SCORE,
                    "Kết quả tự chấm điểm, xếp loại buổi sinh hoạt",
                    items["scoring"],
                )
        self.rows.votes.extend(cast_votes)
        return cast_votes

    # -- words ---------------------------------------------------------------------------------

    def agreed(
        self,
        plan: CellPlan,
        month: datetime.date,
        participants: list[Member],
        minute_taker: Member,
    ) -> str:
        previous = _month(month, -1)
        # Where there is no cell committee, the secretary and the deputy consult (R1.11).
        if plan.has_committee:
            body = "Chi ủy"
        elif len(plan.committee) > 1:
            body = "Bí thư và phó bí thư chi bộ"
        else:
            body = "Đồng chí bí thư chi bộ"
        return (
            f"{body} thống nhất đánh giá kết quả tháng {previous.month}/{previous.year}, dự kiến "
            f"nhiệm vụ tháng {month.month}/{month.year}; đồng chí "
            f"{participants[0].full_name} chuẩn bị dự thảo nghị quyết, đồng chí "
            f"{minute_taker.full_name} chuẩn bị thông tin thời sự và ghi biên bản."
        )

    def resolution_tasks(self, made: list[tuple[Assignment, list[Member]]], topic: str) -> str:
        lines = [
            f"{index}. {assignment.title} (giao đồng chí {_names(members)}; hạn "
            f"{assignment.due_date:%d/%m/%Y})."
            for index, (assignment, members) in enumerate(made, start=1)
        ]
        if topic:
            lines.append(
                f"{len(lines) + 1}. Mỗi đảng viên đăng ký việc làm cụ thể thực hiện chuyên đề "
                f"“{topic}”."
            )
        return "\n".join(lines) or "Tiếp tục thực hiện các nhiệm vụ đã đề ra."

    def fill_agenda(
        self,
        plan: CellPlan,
        meeting: Meeting,
        items: dict[str, ItemRow],
        summary: selectors.RollCallSummary,
        guest: MeetingGuest | None,
        review: tuple[int, int] | None,
        made: list[tuple[Assignment, list[Member]]],
        cast_votes: list[tuple[Vote, ItemRow]],
        commendations: list[Commendation],
        topic: str,
    ) -> None:
        chair, taker = meeting.chair, meeting.minute_taker
        assert chair is not None and taker is not None
        day = meeting.date
        notes = {
            "dues": f"Thu đảng phí tháng {day.month}/{day.year} của các đồng chí có mặt; các "
            "đồng chí vắng nộp qua Cổng Dịch vụ công quốc gia.",
            "opening": f"Đồng chí {chair.full_name} tuyên bố lý do, giới thiệu đại biểu."
            + (f" Dự có đồng chí {guest.name}, {guest.title}." if guest else ""),
            "minute_taker": f"Chi bộ thống nhất cử đồng chí {taker.full_name} làm thư ký.",
            "roll_call": f"Đồng chí {chair.full_name} thông báo tình hình đảng viên của chi bộ "
            "và số đảng viên dự sinh hoạt.",
            "agenda": "Chi bộ thống nhất nội dung, chương trình buổi sinh hoạt.",
            "news": f"Đồng chí {taker.full_name} thông tin: "
            + text.news_of_month(day.year, day.month, plan.area.name),
            "review": f"Đồng chí {chair.full_name} báo cáo kết quả thực hiện nghị quyết tháng "
            "trước"
            + (f"; hoàn thành {review[0]}/{review[1]} nhiệm vụ được phân công." if review else "."),
            "tasks": "Chi bộ thống nhất nhiệm vụ tháng tới:\n" + self.resolution_tasks(made, ""),
            "discussion": "Đảng viên thảo luận, tự phê bình và phê bình; trao đổi tình hình tư "
            "tưởng của đảng viên và nhân dân (khoảng 20 phút).",
            "commendation": "; ".join(
                f"{row.get_kind_display()} đồng chí {row.member.full_name}: {row.note.rstrip('.')}"
                for row in commendations
            )
            or "Không có.",
            "conclusion": f"Đồng chí {chair.full_name} kết luận; chi bộ biểu quyết thông qua.",
            "membership": "; ".join(
                f"{vote.title}: {vote.in_favour}/{vote.eligible} tán thành"
                for vote, _item in cast_votes
                if vote.subject in (VoteSubject.ADMISSION, VoteSubject.RECOGNITION)
            )
            or "Không có nội dung trong tháng.",
            "scoring": "Chi bộ tự chấm điểm, xếp loại buổi sinh hoạt.",
            "minutes_read": f"Đồng chí {taker.full_name} đọc biên bản; chi bộ thống nhất "
            "thông qua.",
            "closing": f"Buổi sinh hoạt kết thúc lúc "
            f"{timezone.localtime(meeting.ended_at):%H giờ %M} cùng ngày.",
            "thematic": f"Đồng chí {chair.full_name} trình bày chuyên đề “{topic}”; đảng viên "
            "thảo luận, liên hệ bản thân.",
        }
        conclusions = {
            "review": "Chi bộ đánh giá tháng qua hoàn thành tốt các nhiệm vụ đề ra."
            if not review or review[0] * 10 >= review[1] * 8
            else "Chi bộ đánh giá tháng qua hoàn thành cơ bản các nhiệm vụ; một số việc phải "
            "tiếp tục làm trong tháng tới.",
            "tasks": "Các đồng chí được phân công chủ động thực hiện, báo cáo kết quả tại buổi "
            "sinh hoạt tháng sau.",
            "conclusion": (
                f"Chi bộ thống nhất thông qua nghị quyết với {len(made)} nhiệm vụ đã phân công."
                if meeting.kind == MeetingKind.REGULAR
                else f"Chi bộ thống nhất thông qua kết luận về chuyên đề “{topic}”."
            ),
            "thematic": "Chi bộ thống nhất mỗi đảng viên đăng ký ít nhất một việc làm cụ thể "
            "để thực hiện chuyên đề.",
        }
        for code, item in items.items():
            item.notes = notes.get(code, "")
            item.conclusion = conclusions.get(code, "")

    # -- score and record ----------------------------------------------------------------------
