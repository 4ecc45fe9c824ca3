"""The rollups kept up to date change by change (reports.rollups.refresh, through the signals
the meetings, supervision and policy services send) equal a recount from the raw rows
(`rollups.rebuild`), whatever happened: hypothesis draws sequences of actions on three cells of
two committees — scheduling, moving to another month, cancelling, publishing, opening, the roll
call, speeches, votes, closing, scoring, the two signatures, addenda, visits that adjust the
rating, the committee's meeting day changed — and drives them through the real services. An
action the services refuse (a ServiceError) is part of the sequence too: it must leave the
rollups as it left the meetings.

Each example runs in its own transaction, rolled back at its end, on the same small world."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chibo.core.errors import ServiceError
from chibo.meetings import services
from chibo.meetings.models import (
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingRating,
    VoteSubject,
)
from chibo.reports import rollups
from chibo.reports.models import CellMonth, OrgMonth
from chibo.supervision.models import VisitorRole
from chibo.supervision.services_visits import visit_record
from tests.conftest import PASSWORD, give_position, make_member, make_user
from tests.meetings.factories import at

MONTHS = (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
DAYS = (2, 10, 14, 27)
# After every month drawn: no meeting is in the future of the actions (signing checks nothing
# about "today", publishing is late or not by the notice rule).
TODAY = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=datetime.UTC)


def rows(model: Any, key: tuple[str, ...]) -> dict[tuple, dict[str, Any]]:
    out = {}
    for row in model.objects.values():
        row.pop("id")
        row.pop("updated_at", None)
        for name, value in row.items():
            if isinstance(value, Decimal | float):
                row[name] = Decimal(str(value)).normalize()
        out[tuple(row[k] for k in key)] = row
    return out


def snapshot() -> tuple[dict, dict]:
    return rows(CellMonth, ("cell_id", "period")), rows(OrgMonth, ("organization_id", "period"))


class Cell:
    def __init__(self, organization, chair, minute_taker, chair_user, taker_user, members):
        self.organization = organization
        self.chair, self.minute_taker = chair, minute_taker
        self.chair_user, self.taker_user = chair_user, taker_user
        self.members = members


@pytest.fixture
def rollup_world(world, django_user_model):
    """Khối 1 (An chairs, Bình takes the minutes, a third member), Khối 2 (Cúc and Dũng) under
    the ward, and thôn Nà Mò (two members) under the commune; the ward's policy meets on the
    10th, so a meeting after the 10th is held late there (the commune has no policy)."""
    services.policy_set(actor=None, organization=world.ward, day_of_month=10)
    chau = make_member(world.khoi1, "Đỗ Minh Châu", party_card_number="10000005")
    giang = make_member(world.other_cell, "Hoàng Thị Giang", party_card_number="10000006")
    hai = make_member(world.other_cell, "Vũ Văn Hải", party_card_number="10000007")

    give_position(giang, world.other_cell, "secretary")
    give_position(world.cuc, world.khoi2, "secretary")
    return {
        "world": world,
        "cells": [
            Cell(world.khoi1, world.an, world.binh, world.an_user, world.binh_user,
                 [world.an, world.binh, chau]),
            Cell(world.khoi2, world.cuc, world.dung, world.cuc_user, world.dung_user,
                 [world.cuc, world.dung]),
            Cell(world.other_cell, giang, hai,
                 make_user(django_user_model, "giang", giang),
                 make_user(django_user_model, "hai", hai), [giang, hai]),
        ],
    }  # fmt: skip


ACTION = st.one_of(
    st.tuples(
        st.just("create"),
        st.integers(0, 2),
        st.sampled_from(
            [MeetingKind.REGULAR, MeetingKind.REGULAR, MeetingKind.THEMATIC, MeetingKind.COMMITTEE]
        ),
        st.integers(0, len(MONTHS) - 1),
        st.sampled_from(DAYS),
        st.booleans(),
    ),
    st.tuples(
        st.sampled_from(["reschedule"]),
        st.integers(0, 7),
        st.integers(0, len(MONTHS) - 1),
        st.sampled_from(DAYS),
    ),
    st.tuples(
        st.sampled_from(
            [
                "cancel",
                "publish",
                "open",
                "rest_present",
                "vote",
                "close",
                "score",
                "sign",
                "addendum",
                "unspeak",
            ]
        ),
        st.integers(0, 7),
    ),  # fmt: skip
    st.tuples(
        st.just("mark"),
        st.integers(0, 7),
        st.integers(0, 2),
        st.sampled_from(
            [
                AttendanceStatus.PRESENT,
                AttendanceStatus.LATE,
                AttendanceStatus.ABSENT_EXCUSED,
                AttendanceStatus.ABSENT_UNEXCUSED,
            ]
        ),
    ),
    st.tuples(st.just("speech"), st.integers(0, 7), st.integers(0, 2)),
    # The ward's policy moves its meeting day: "held late" changes for months already held.
    st.tuples(st.just("policy"), st.sampled_from([3, 10, 20])),
    st.tuples(
        st.just("visit"),
        st.integers(0, 7),
        st.sampled_from(["", *MeetingRating.values]),
    ),
)


STAGES = ("scheduled", "published", "opened", "roll", "closed", "scored", "signed")
# One meeting taken through its life up to a stage, with a roll call, speeches, a vote and a
# visit drawn along the way: random single actions alone rarely get a meeting held.
PLAN = st.tuples(
    st.just("plan"),
    st.integers(0, 2),
    st.sampled_from([MeetingKind.REGULAR, MeetingKind.REGULAR, MeetingKind.THEMATIC]),
    st.integers(0, len(MONTHS) - 1),
    st.sampled_from(DAYS),
    st.booleans(),
    st.sampled_from(STAGES),
    st.lists(
        st.sampled_from(
            [
                AttendanceStatus.PRESENT,
                AttendanceStatus.LATE,
                AttendanceStatus.ABSENT_EXCUSED,
                AttendanceStatus.ABSENT_UNEXCUSED,
            ]
        ),
        min_size=3,
        max_size=3,
    ),
    st.lists(st.integers(0, 2), max_size=4),
    st.integers(5, 180),
    st.sampled_from(["", *MeetingRating.values]),
)


def plan_actions(plan: tuple) -> list[tuple]:
    """The single actions of a plan, on the meeting it creates (index -1: the last one made)."""
    _, cell, kind, month, day, thematic, stage, marks, speakers, minutes, rating = plan
    actions: list[tuple] = [("create", cell, kind, month, day, thematic)]
    reached = STAGES.index(stage)
    if reached >= 1:
        actions.append(("publish", -1))
    if reached >= 2:
        actions.append(("open", -1))
    if reached >= 3:
        actions += [("mark", -1, index, status) for index, status in enumerate(marks)]
        actions += [("speech", -1, index) for index in speakers]
        actions.append(("vote", -1))
    if reached >= 4:
        actions.append(("close", -1, minutes))
    if reached >= 5:
        actions.append(("score", -1))
    if rating and reached >= 4:
        actions.append(("visit", -1, rating))
    if reached >= 6:
        actions += [("sign", -1), ("addendum", -1)]
    return actions


def run(world_data: dict, steps: list[tuple]) -> None:
    actions = [a for step in steps for a in (plan_actions(step) if step[0] == "plan" else [step])]
    cells: list[Cell] = world_data["cells"]
    world = world_data["world"]
    made: list[tuple[int, Cell]] = []

    def meeting_of(index: int) -> tuple[Meeting, Cell] | None:
        if not made:
            return None
        pk, cell = made[index % len(made)]
        return Meeting.objects.get(pk=pk), cell

    for action in actions:
        name = action[0]
        try:
            if name == "create":
                _, cell_index, kind, month, day, thematic = action
                cell = cells[cell_index]
                thematic = thematic and kind == MeetingKind.REGULAR
                meeting = services.meeting_create(
                    actor=None,
                    organization=cell.organization,
                    kind=kind,
                    date=MONTHS[month].replace(day=day),
                    time=datetime.time(19, 30),
                    topic="Học tập chuyên đề" if kind == MeetingKind.THEMATIC or thematic else "",
                    with_thematic_part=thematic,
                )
                made.append((meeting.pk, cell))
                continue
            if name == "policy":
                services.policy_set(actor=None, organization=world.ward, day_of_month=action[1])
                continue
            found = meeting_of(action[1])
            if found is None:
                continue
            meeting, cell = found
            if name == "reschedule":
                services.meeting_reschedule(
                    actor=None,
                    meeting=meeting,
                    date=MONTHS[action[2]].replace(day=action[3]),
                    time=datetime.time(8, 0),
                    place="Hội trường",
                    reason="Trùng lịch",
                )
            elif name == "cancel":
                services.meeting_cancel(actor=None, meeting=meeting, reason="Mưa bão")
            elif name == "publish":
                if not meeting.agenda_items.exists():
                    services.agenda_build(actor=None, meeting=meeting)
                services.meeting_publish(actor=None, meeting=meeting)
            elif name == "open":
                services.meeting_open(
                    actor=None,
                    meeting=meeting,
                    chair=cell.chair,
                    minute_taker=cell.minute_taker,
                    started_at=at(meeting.date, 19, 30),
                )
            elif name == "mark":
                member = cell.members[action[2] % len(cell.members)]
                services.attendance_mark(
                    actor=None,
                    meeting=meeting,
                    member_id=member.pk,
                    status=action[3],
                    reason="Đi công tác" if action[3] == AttendanceStatus.ABSENT_EXCUSED else "",
                )
            elif name == "rest_present":
                services.attendance_mark_rest_present(actor=None, meeting=meeting)
            elif name == "speech":
                member = cell.members[action[2] % len(cell.members)]
                services.speech_add(
                    actor=None, meeting=meeting, member=member, summary="Phát biểu ý kiến"
                )
            elif name == "vote":
                services.vote_record(
                    actor=None,
                    meeting=meeting,
                    title="Nghị quyết tháng",
                    subject=VoteSubject.RESOLUTION,
                    in_favour=2,
                    against=0,
                    abstain=0,
                )
            elif name == "close":
                minutes = action[2] if len(action) > 2 else 95
                services.meeting_close(
                    actor=None,
                    meeting=meeting,
                    ended_at=at(meeting.date, 19, 30) + datetime.timedelta(minutes=minutes),
                )
            elif name == "score":
                manual = {line.code: 0 for line in meeting.score_lines.filter(automatic=False)}
                services.score_lines_set(actor=None, meeting=meeting, points=manual)
            elif name == "sign":
                for user in (cell.taker_user, cell.chair_user):
                    services.meeting_sign(actor=user, meeting=meeting, password=PASSWORD)
            elif name == "addendum":
                addendum = services.addendum_create(
                    actor=cell.chair_user,
                    meeting=meeting,
                    text="Bổ sung ý kiến của đồng chí Bình.",
                    reason="Sót ý kiến",
                )
                services.addendum_sign(actor=cell.chair_user, addendum=addendum, password=PASSWORD)
            elif name == "unspeak":
                speech = meeting.speeches.first()
                if speech is not None:
                    services.speech_delete(actor=None, speech=speech)
            elif name == "visit":
                rating = action[2]
                visit_record(
                    actor=world.cuc_user,
                    meeting=meeting,
                    visitor=world.cuc,
                    role=VisitorRole.UPPER_MEMBER,
                    observations="Sinh hoạt nghiêm túc.",
                    adjusted_rating=rating,
                    adjustment_reason="Chưa thảo luận sâu" if rating else "",
                )
        except ServiceError:
            pass


PRESENT, LATE = AttendanceStatus.PRESENT, AttendanceStatus.LATE
EXCUSED, UNEXCUSED = AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED
REGULAR, THEMATIC = MeetingKind.REGULAR, MeetingKind.THEMATIC


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    database=None,  # nothing written into the worktree; a failure prints its example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.one_of(PLAN, ACTION), min_size=1, max_size=12))
# Every path that changes a figure, whatever the draws: a visit's rating after the close (the
# last change to the meeting), a late meeting signed and corrected by an addendum, a meeting
# moved to another month (a committee meeting changes month, a regular one keeps its period),
# a cancelled one, a thematic part, and cells of two committees.
@example(
    steps=[
        ("plan", 0, REGULAR, 1, 14, False, "closed", [PRESENT, LATE, EXCUSED], [0, 1], 90, "good")
    ]
)
@example(
    steps=[
        (
            "plan",
            1,
            REGULAR,
            2,
            27,
            True,
            "signed",
            [PRESENT, UNEXCUSED, PRESENT],
            [0, 0],
            130,
            "fair",
        ),
        ("plan", 2, THEMATIC, 0, 2, False, "scored", [LATE, LATE, LATE], [1], 45, "average"),
        ("visit", 0, ""),
        ("speech", 1, 0),
        ("unspeak", 1),
    ]
)
@example(
    steps=[
        ("create", 0, REGULAR, 0, 2, False),
        ("create", 0, MeetingKind.COMMITTEE, 1, 10, False),
        ("reschedule", 0, 2, 14),
        ("reschedule", 1, 2, 27),
        ("create", 1, REGULAR, 1, 10, False),
        ("publish", 2),
        ("cancel", 2),
        ("create", 2, REGULAR, 1, 10, True),
        ("publish", 3),
    ]
)
def test_incremental_rollups_equal_a_recount_after_any_actions(rollup_world, steps):
    # The world is the same for every example; each example's actions are rolled back.
    with time_machine.travel(TODAY, tick=False), transaction.atomic():
        run(rollup_world, steps)
        incremental = snapshot()

        rollups.rebuild()
        recounted = snapshot()
        transaction.set_rollback(True)
    assert incremental[0] == recounted[0], "CellMonth"
    assert incremental[1] == recounted[1], "OrgMonth"
