"""The twelve months of a demo cell: which meetings, when, and how each was held (see
chibo.demo.meetings)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.utils.translation import gettext as _

from chibo.demo import meeting_text as text
from chibo.demo.meetings.rows import (
    DOCX,
    HISTORY_MONTHS,
    NO_THEMATIC_NOW,
    NO_THEMATIC_PAST,
    TERM_START,
    UPPER_TITLES,
    Bundle,
    CellPlan,
    CellState,
    ItemRow,
    Person,
    _aware,
    _month,
    _quarter,
    docx_bytes,
)
from chibo.demo.meetings.saving import Saving
from chibo.followup.models import Assignment, AssignmentStatus
from chibo.meetings import agenda, scoring, selectors
from chibo.meetings.models import (
    PRESENT_STATUSES,
    AgendaPart,
    AttendanceStatus,
    Meeting,
    MeetingDocument,
    MeetingGuest,
    MeetingKind,
    MeetingRating,
    MeetingStatus,
    MemberCategory,
    PreparatoryMeeting,
    VoteSubject,
)
from chibo.members.models import Member


class History(Saving):
    def history_months(self, plan: CellPlan) -> list[tuple[datetime.date, datetime.date]]:
        """(month, meeting day) of the last HISTORY_MONTHS months whose meeting day is before
        today; Khối 1 keeps this month for the meeting it prepares now, Khối 2 for the meeting
        it has not published in time."""
        current = self.today.replace(day=1)
        months = []
        for offset in range(0, HISTORY_MONTHS + 2):
            month = _month(current, -offset)
            if offset == 0 and (plan.rich or plan.unpublished):
                continue
            day = self.scheduled(plan.policy, month)
            if day >= self.today:
                continue
            if day < plan.org.active_from or not self.rules_in_force(plan, day):
                break
            months.append((month, day))
            if len(months) == HISTORY_MONTHS:
                break
        return months[::-1]

    def rules_in_force(self, plan: CellPlan, day: datetime.date) -> bool:
        """Whether the frame and the duration have a version covering `day` (not one applied
        by default under core.rules' fallback policy)."""
        found = (
            self.rules.get("meeting.scoring_frame", plan.area, day),
            self.rules.get("meeting.min_duration_minutes", plan.area, day),
        )
        return not any(resolved.by_default for resolved in found)

    def build(self, plan: CellPlan) -> None:
        rng = plan.rng
        state = self.states.setdefault(plan.org.pk, CellState())
        months = self.history_months(plan)
        if not months:
            return
        # Resolutions and conclusions of the term before the first month shown existed on
        # paper: numbering continues from them.
        first = months[0][0]
        before = (first.year - TERM_START.year) * 12 + first.month - TERM_START.month
        state.resolution_number = max(before, 0)
        state.conclusion_number = max(before // 3, 0)

        skipped: dict[int, str | None] = {}
        if plan.skips and len(months) > 2:
            for index in rng.sample(range(1, len(months) - 1), min(plan.skips, len(months) - 2)):
                month_number = months[index][0].month
                reasons = [
                    reason
                    for fits, reason in text.CANCEL_REASONS.get(
                        plan.profile, text.CANCEL_REASONS["residential"]
                    )
                    if not fits or month_number in fits
                ]
                skipped[index] = rng.choice(reasons) if rng.random() < 0.5 else None
        thematic = self.thematic_plan(plan, months, skipped)

        for index, (month, day) in enumerate(months):
            if index in skipped:
                self.cancelled(plan, state, month, day, skipped[index])
                continue
            choice = thematic.get(index)
            topic = self.topic(plan) if choice else ""
            self.hold(
                plan,
                state,
                kind=MeetingKind.REGULAR,
                month=month,
                day=day,
                with_thematic=choice == "combined",
                topic=topic if choice == "combined" else "",
                last=index == len(months) - 1,
            )
            if choice == "separate":
                thematic_day = day + datetime.timedelta(days=rng.randint(6, 12))
                if thematic_day < self.today:
                    self.hold(
                        plan, state, kind=MeetingKind.THEMATIC, month=month, day=thematic_day,
                        topic=topic,
                    )  # fmt: skip
                else:
                    self.planned_thematic.append((plan, thematic_day, topic))

    def thematic_plan(
        self,
        plan: CellPlan,
        months: list[tuple[datetime.date, datetime.date]],
        skipped: dict[int, str | None],
    ) -> dict[int, str]:
        """Month index → "combined" or "separate": at least one thematic meeting a quarter
        (DOMAIN R1.3) in most quarters, none in a few; for the current quarter also a thematic
        meeting planned for later in the quarter."""
        rng = plan.rng
        quarters: dict[tuple[int, int], list[int]] = {}
        for index, (month, _day) in enumerate(months):
            if index not in skipped:
                quarters.setdefault(_quarter(month), []).append(index)
        current = _quarter(self.today)
        complete = [q for q, held in quarters.items() if len(held) == 3 and q != current]
        chosen: dict[int, str] = {}
        for quarter, held in quarters.items():
            if plan.rich:
                # Khối 1: every quarter; this quarter's is the combined meeting it prepares now.
                if quarter == current:
                    continue
                decision = "held"
            elif quarter == current:
                if plan.org.code in NO_THEMATIC_NOW:
                    continue
                decision = rng.choices(("held", "planned", "none"), (55, 30, 15))[0]
            elif plan.org.code in NO_THEMATIC_PAST and complete and quarter == complete[0]:
                continue
            else:
                decision = "held" if rng.random() < 0.88 else "none"
            if decision == "planned":
                self.plan_thematic_later(plan)
            elif decision == "held":
                index = rng.choice(held)
                chosen[index] = "combined" if rng.random() < 0.5 else "separate"
                if chosen[index] == "separate":
                    # A separate meeting a week or so later must stay in the quarter.
                    later = months[index][1] + datetime.timedelta(days=12)
                    if _quarter(later) != quarter:
                        chosen[index] = "combined"
        return chosen

    def plan_thematic_later(self, plan: CellPlan) -> None:
        """A thematic meeting scheduled for later this quarter (created by the services)."""
        quarter = _quarter(self.today)
        current = self.today.replace(day=1)
        for offset in (1, 2):
            month = _month(current, offset)
            if _quarter(month) != quarter:
                break
            day = self.scheduled(plan.policy, month) + datetime.timedelta(days=7)
            self.planned_thematic.append((plan, day, self.topic(plan)))
            return
        day = self.today + datetime.timedelta(days=plan.rng.randint(3, 6))
        if _quarter(day) == quarter:
            self.planned_thematic.append((plan, day, self.topic(plan)))

    def topic(self, plan: CellPlan) -> str:
        return plan.rng.choice(text.THEMATIC_TOPICS[plan.profile])

    # -- one month -----------------------------------------------------------------------------

    def cancelled(
        self,
        plan: CellPlan,
        state: CellState,
        month: datetime.date,
        day: datetime.date,
        reason: str | None,
    ) -> None:
        """A month without a meeting: cancelled with its reason, or simply not held."""
        if reason is None:
            return
        start = _aware(day, plan.policy.default_time)
        published = start - datetime.timedelta(days=4)
        self.rows.meetings.append(
            Meeting(
                organization=plan.org,
                kind=MeetingKind.REGULAR,
                period=month,
                date=day,
                time=plan.policy.default_time,
                place=plan.org.address or plan.policy.default_place,
                status=MeetingStatus.CANCELLED,
                generated=True,
                published_at=published if plan.rng.random() < 0.5 else None,
                cancel_reason=reason,
                created_at=published - datetime.timedelta(days=10),
                updated_at=start - datetime.timedelta(days=1),
            )
        )
        state.meetings += 1

    def roll(self, plan: CellPlan, day: datetime.date) -> list[tuple[Person, str]]:
        roll = []
        for person in plan.people:
            category = person.category_in(plan.org.pk, day)
            if category is not None:
                roll.append((person, category))
        return roll

    def hold(
        self,
        plan: CellPlan,
        state: CellState,
        *,
        kind: str,
        month: datetime.date,
        day: datetime.date,
        with_thematic: bool = False,
        topic: str = "",
        last: bool = False,
    ) -> None:
        """A held and signed meeting with everything the minutes record."""
        rng = plan.rng
        regular = kind == MeetingKind.REGULAR
        thematic = with_thematic or kind == MeetingKind.THEMATIC
        if state.year != day.year:
            state.year, state.streaks = day.year, {}
        roll = self.roll(plan, day)
        on_roll = {person.member.pk for person, _category in roll}
        chair = plan.secretary if plan.secretary.pk in on_roll else roll[0][0].member
        takers = [m for m in plan.minute_takers if m.pk in on_roll and m.pk != chair.pk]
        if not takers:
            takers = [
                person.member
                for person, category in roll
                if category == MemberCategory.OFFICIAL and person.member.pk != chair.pk
            ][:1]
        minute_taker = takers[1] if len(takers) > 1 and rng.random() < 0.15 else takers[0]

        meeting = Meeting(
            organization=plan.org,
            kind=kind,
            with_thematic_part=with_thematic,
            topic=topic,
            period=month if regular else None,
            date=day,
            time=plan.policy.default_time,
            place=plan.org.address or plan.policy.default_place,
            status=MeetingStatus.SIGNED,
            generated=regular,
            chair=chair,
            minute_taker=minute_taker,
        )
        start = _aware(day, plan.policy.default_time)
        if plan.rich:
            notice_days = rng.randint(5, 7)
        else:
            notice_days = rng.choice((0, 2, 3, 4, 5, 6) if plan.lax else (2, 3, 4, 5, 6))
        meeting.published_at = start - datetime.timedelta(days=notice_days, hours=rng.randint(2, 9))
        meeting.created_at = meeting.published_at - datetime.timedelta(days=rng.randint(6, 12))
        delay = rng.randint(0, 30 if plan.profile == "village" else 12)
        meeting.started_at = start + datetime.timedelta(minutes=delay)

        # Roll call.
        attendance = self.attendance(plan, meeting, roll, {chair.pk, minute_taker.pk})
        summary = selectors.roll_call_summary(cast(Any, attendance))
        duration = self.duration(plan, meeting, summary.total, thematic)
        meeting.ended_at = meeting.started_at + datetime.timedelta(minutes=duration)
        present = [
            row.member
            for row in attendance
            if row.status in PRESENT_STATUSES and row.member.pk != chair.pk
        ]
        if regular:
            for row in attendance:
                absent = row.status in (
                    AttendanceStatus.ABSENT_EXCUSED,
                    AttendanceStatus.ABSENT_UNEXCUSED,
                )
                state.streaks[row.member_id] = (
                    state.streaks.get(row.member_id, 0) + 1 if absent else 0
                )
        worst_streak = max(state.streaks.values(), default=0)

        guest = None
        if plan.upper is not None and rng.random() < (0.5 if plan.rich else 0.25):
            guest = MeetingGuest(
                meeting=meeting,
                member=plan.upper,
                name=plan.upper.full_name,
                title=UPPER_TITLES[plan.area.code],
                is_upper_level=True,
            )
            self.rows.guests.append(guest)

        # Agenda (DOMAIN §1.4), with the thematic part kept distinct (R1.4).
        items: dict[str, ItemRow] = {}
        ordered: list[ItemRow] = []
        for step in agenda.STANDARD_STEPS:
            if not regular and step.code == "dues":
                continue
            title, guidance = self._titles[step.code]
            item = ItemRow(meeting=meeting, step=step.code, title=title, guidance=guidance)
            items[step.code] = item
            ordered.append(item)
            if step.code == "tasks" and plan.rich and last and regular:
                deferred = ItemRow(
                    meeting=meeting,
                    step="",
                    title="Phương án sửa chữa mái tôn nhà văn hóa khối",
                    notes="Chưa có dự toán kinh phí; chi bộ thống nhất chuyển sang buổi sinh "
                    "hoạt tháng sau.",
                    deferred=True,
                )
                ordered.append(deferred)
            if step.code == "tasks" and thematic:
                item = ItemRow(
                    meeting=meeting,
                    step="thematic",
                    part=AgendaPart.THEMATIC,
                    title=_("Thematic part: %(topic)s") % {"topic": topic},
                )
                items["thematic"] = item
                ordered.append(item)
        for position, item in enumerate(ordered, start=1):
            item.position = position
        self.rows.agenda_items.extend(ordered)

        # Last month's assignments, reviewed at step 7.
        review = None
        not_done: list[tuple[Assignment, list[Member]]] = []
        if regular and state.to_review:
            completion = 0.95 if plan.rich else (0.72 if plan.quality < 0.75 else 0.86)
            done = 0
            for assignment, members in state.to_review:
                if rng.random() < completion:
                    assignment.status = AssignmentStatus.DONE
                    assignment.progress = "Đã hoàn thành, báo cáo tại buổi sinh hoạt chi bộ."
                    done += 1
                else:
                    assignment.status = AssignmentStatus.NOT_DONE
                    assignment.progress = "Chưa hoàn thành, chi bộ nhắc nhở và theo dõi tiếp."
                    not_done.append((assignment, members))
                assignment.reviewed_at = meeting
                assignment.updated_at = meeting.started_at
                assignment.version = 2
            review = (done, len(state.to_review))
            state.to_review = []

        speeches = self.speeches(plan, meeting, items, present, thematic)
        commendations = self.commendations(plan, meeting, attendance, speeches, not_done)
        new_assignments = self.new_assignments(plan, meeting, present or [chair], thematic)
        state.to_review.extend(new_assignments)
        state.assignments += len(new_assignments)
        cast_votes = self.votes(plan, state, meeting, items, attendance, regular)
        adopted = any(v.subject == VoteSubject.RESOLUTION and v.adopted for v, _item in cast_votes)

        preparation = None
        chance = 1.0 if plan.rich else (0.85 if plan.has_committee else 0.5)
        if rng.random() < chance:
            held_on = day - datetime.timedelta(days=rng.randint(2, 5))
            participants = [m for m in plan.committee if m.pk in on_roll] or [chair]
            preparation = PreparatoryMeeting(
                meeting=meeting,
                held_on=held_on,
                agreed=self.agreed(plan, month, participants, minute_taker),
                recorded_by_id=chair.user_id,
                recorded_at=_aware(held_on, datetime.time(20, 30)),
            )
            self.rows.preparations.append((preparation, participants))
        draft = self.resolution_tasks(new_assignments, topic if thematic else "")
        if plan.rich or rng.random() < 0.85:
            meeting.resolution_draft = draft
        documents = 0
        if plan.rich:
            title = f"Dự thảo nghị quyết tháng {day.month}/{day.year}"
            content = docx_bytes(title, [plan.org.name, *draft.splitlines()])
            document = MeetingDocument(
                meeting=meeting,
                title=title,
                content_type=DOCX,
                size=len(content),
                uploaded_by_id=chair.user_id,
                uploaded_at=meeting.published_at - datetime.timedelta(hours=1),
            )
            self.rows.documents.append((document, content))
            documents = 1

        self.fill_agenda(
            plan, meeting, items, summary, guest, review, new_assignments, cast_votes,
            commendations, topic,
        )  # fmt: skip
        facts = scoring.ScoreFacts(
            summary=summary,
            agenda_items=len(ordered),
            noted=sum(1 for item in ordered if item.notes),
            preparation=(preparation.held_on, len(self.rows.preparations[-1][1]))
            if preparation
            else None,
            documents=documents,
            commendations=len(commendations),
            speakers=len({speech.member.pk for speech in speeches}),
            # Only a monthly meeting reviews the assignments of the month before.
            review=review if meeting.kind == MeetingKind.REGULAR else None,
            adopted=adopted,
            assignments_set=len(new_assignments),
            worst_streak=worst_streak,
        )
        bundle = Bundle(
            plan=plan,
            meeting=meeting,
            attendance=attendance,
            summary=summary,
            items=ordered,
            speeches=speeches,
            commendations=commendations,
            assignments=new_assignments,
            votes=cast_votes,
            guests=[guest] if guest else [],
        )
        self.score(bundle, facts, guest)
        assert bundle.score is not None
        items["scoring"].notes = (
            f"Chi bộ tự chấm {scoring.format_points(bundle.score.total)} điểm, xếp loại "
            f"{str(MeetingRating(bundle.score.rating).label).lower()}."
        )
        self.record(bundle, state, month, review, topic, regular)
        self.bundles.append(bundle)
        self.rows.meetings.append(meeting)
        state.meetings += 1
        state.signed += 1
