"""Scoring a meeting with the frame in force (DOMAIN R1.13–R1.17).

The default frame is the 100-point frame of Phường An Phú (R1.17, 42-HD/BTCTW era). Rating
bands (R1.13): Tốt ≥ 90 with full marks on the must-have criteria, Khá 70–< 90 (or ≥ 90
without those full marks), Trung bình 50–< 70, Kém < 50."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.core import rules
from chibo.core.errors import ServiceError
from chibo.followup import services as followup_services
from chibo.followup.models import AssignmentStatus
from chibo.meetings import scoring, services
from chibo.meetings.models import (
    AttendanceStatus,
    CommendationKind,
    Meeting,
    MeetingRating,
    MeetingScore,
    ScoreLine,
    VoteSubject,
)
from tests.meetings.factories import (
    MEETING_DAY,
    add_members,
    at,
    make_meeting,
    mark_all,
    open_meeting,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
BEFORE_THE_MEETING = datetime.datetime(2026, 10, 28, 9, 0, tzinfo=HCM)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def prepare(world, meeting):
    """Everything the preparation criteria measure, done on 28/10/2026 for a meeting on
    03/11/2026: agenda, the cell committee's preparatory meeting, a draft resolution,
    materials attached and members notified more than 1 day before."""
    with time_machine.travel(BEFORE_THE_MEETING, tick=False):
        services.agenda_build(actor=world.an_user, meeting=meeting)
        services.preparation_record(
            actor=world.an_user,
            meeting=meeting,
            held_on=datetime.date(2026, 10, 27),
            participants=[world.an, world.binh],
            agreed="Thống nhất nội dung sinh hoạt tháng 11.",
        )
        services.meeting_update_details(
            actor=world.an_user, meeting=meeting, resolution_draft="Dự thảo nghị quyết tháng 11."
        )
        services.document_attach(
            actor=world.an_user,
            meeting=meeting,
            title="Tài liệu sinh hoạt",
            upload=SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4", content_type="application/pdf"),
        )
        services.meeting_publish(actor=world.an_user, meeting=meeting)


def conduct(world, meeting, *, speakers):
    """The live part every conduct and closing criterion measures."""
    for member in speakers:
        services.speech_add(
            actor=world.binh_user, meeting=meeting, member=member, summary="Ý kiến đóng góp."
        )
    services.commendation_add(
        actor=world.binh_user,
        meeting=meeting,
        member=world.binh,
        kind=CommendationKind.PRAISE,
        note="Hoàn thành tốt nhiệm vụ.",
    )
    item = meeting.agenda_items.get(step="review")
    services.agenda_item_update(
        actor=world.binh_user, item=item, notes="Chi bộ hoàn thành các chỉ tiêu tháng 10."
    )
    services.vote_record(
        actor=world.an_user,
        meeting=meeting,
        title="Nghị quyết tháng 11",
        subject=VoteSubject.RESOLUTION,
        in_favour=services.electorate_for(meeting).present,
        against=0,
        abstain=0,
    )
    services.assignment_add(
        actor=world.an_user,
        meeting=meeting,
        title="Vận động nhân dân giữ vệ sinh khu phố",
        members=[world.binh],
        due_date=datetime.date(2026, 11, 30),
    )


def manual_full_marks(world, meeting):
    meeting.refresh_from_db()
    manual = {line.code: line.max_points for line in meeting.score_lines.filter(automatic=False)}
    return services.score_lines_set(actor=world.an_user, meeting=meeting, points=manual)


def full_meeting(world, *, minutes=90, with_thematic_part=False, members=None):
    """A well-run meeting of Khối 1 on 03/11/2026 (all present, everyone speaks)."""
    extra = (
        {"with_thematic_part": True, "topic": "Học tập Chỉ thị 05"} if with_thematic_part else {}
    )
    meeting = make_meeting(world.khoi1, **extra)
    prepare(world, meeting)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    conduct(world, meeting, speakers=members or [world.an, world.binh])
    start = at(MEETING_DAY, 19, 30)
    services.meeting_close(
        actor=world.an_user, meeting=meeting, ended_at=start + datetime.timedelta(minutes=minutes)
    )
    return meeting


def lines_of(meeting) -> dict[str, ScoreLine]:
    return {line.code: line for line in ScoreLine.objects.filter(meeting=meeting)}


def closed_meeting(world, *, minutes=90, present=None, absent=(), unexcused=()):
    """A meeting of Khối 1 that is opened, called and closed after `minutes`."""
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.an)
    for member in absent:
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=member.pk,
            status=AttendanceStatus.ABSENT_EXCUSED,
            reason="Đi công tác",
        )
    for member in unexcused:
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=member.pk,
            status=AttendanceStatus.ABSENT_UNEXCUSED,
        )
    mark_all(meeting)
    start = at(MEETING_DAY, 19, 30)
    services.meeting_close(
        actor=world.an_user, meeting=meeting, ended_at=start + datetime.timedelta(minutes=minutes)
    )
    return meeting


# -- the frame ------------------------------------------------------------------------------


def test_the_default_frame_has_100_points():
    """R1.17: time 5, attendance 5, preparation 10, conduct 30, chairing 10, principles 5,
    results 30, closing 5 = 100."""
    frame = rules.rule_in_force("meeting.scoring_frame", organization=None, on=MEETING_DAY)
    lines = frame.value["lines"]
    assert sum(line["max"] for line in lines) == 100
    by_group: dict[str, int] = {}
    for line in lines:
        by_group[line["group"][:1]] = by_group.get(line["group"][:1], 0) + line["max"]
    assert by_group == {"1": 5, "2": 5, "3": 10, "4": 30, "5": 10, "6": 5, "7": 30, "8": 5}
    # R1.13: the must-have criteria are duration, attendance, members speaking and minutes.
    assert {line["code"] for line in lines if line["must_have"]} == {
        "duration",
        "attendance",
        "conduct_speakers",
        "conduct_minutes",
    }
    assert "Phường An Phú" in frame.regulation and "42-HD/BTCTW" in frame.regulation


@pytest.mark.django_db
def test_the_frame_describes_itself_in_vietnamese():
    frame = rules.rule_in_force("meeting.scoring_frame", organization=None, on=MEETING_DAY)
    assert frame.formatted_value == "28 tiêu chí, tổng cộng 100 điểm"


@pytest.mark.django_db
def test_a_well_run_meeting_scores_100_and_is_good(world):
    meeting = full_meeting(world)
    score = manual_full_marks(world, meeting)
    lines = lines_of(meeting)
    assert "conduct_thematic" not in lines
    assert all(line.points == line.max_points for line in lines.values()), {
        code: (line.points, line.evidence)
        for code, line in lines.items()
        if line.points != line.max_points
    }
    assert (score.total, score.rating) == (Decimal("100.0"), MeetingRating.GOOD)
    assert score.explanation.startswith("100 điểm: Tốt.")


# -- duration (R1.9: ≥ 90 minutes under 30 members, ≥ 120 from 30) --------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("minutes", "points"),
    [(120, 5), (90, 5), (89, 4), (75, 4), (74, 3), (60, 3), (59, 2), (45, 2), (44, 1)],
)
def test_duration_points_for_a_cell_under_30(world, minutes, points):
    """R1.17 criterion 1 for 2 members (< 30): 90 minutes → 5; up to 15 short (75) → 4; up to
    30 short (60) → 3; at least half (45) → 2; less than half → 1."""
    meeting = closed_meeting(world, minutes=minutes)
    line = lines_of(meeting)["duration"]
    assert line.automatic and line.points == points
    assert line.evidence.startswith(f"{minutes} phút; chi bộ 2 đảng viên cần 90 phút.")


@pytest.mark.django_db
def test_a_cell_of_30_needs_120_minutes(world):
    """R1.9 (42-HD reading of [S44]): 30 members or more need 120 minutes: 90 minutes is 30
    short → 3 points; 120 minutes → 5."""
    add_members(world.khoi1, 28)
    short = closed_meeting(world, minutes=90)
    line = lines_of(short)["duration"]
    assert line.points == 3
    assert "chi bộ 30 đảng viên cần 120 phút" in line.evidence
    full = make_meeting(world.khoi1, date=datetime.date(2026, 12, 3))
    open_meeting(full, world.an, world.an)
    mark_all(full)
    services.meeting_close(
        actor=world.an_user, meeting=full, ended_at=at(datetime.date(2026, 12, 3), 21, 30)
    )
    assert lines_of(full)["duration"].points == 5


# -- attendance (R1.17 criterion 2) ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("away", "points"),
    [(0, 4), (2, 4), (3, 3), (5, 3), (6, 2), (7, 2), (8, 1)],
)
def test_attendance_bands(world, away, points):
    """20 members: ≥ 90% present → 4 (20 or 18 present); 75–< 90% → 3 (17, 15); 65–< 75% → 2
    (14, 13); < 65% → 1 (12 of 20 is 60%)."""
    members = [world.an, world.binh, *add_members(world.khoi1, 18)]
    meeting = closed_meeting(world, absent=members[20 - away :] if away else ())
    line = lines_of(meeting)["attendance"]
    assert line.points == points
    assert line.evidence.startswith(f"{20 - away}/20 đảng viên có mặt")


@pytest.mark.django_db
def test_one_unexcused_absence_gives_one_point(world):
    """R1.17 criterion 2: any absence without reason → 1, even at 95% (19 of 20)."""
    members = [world.an, world.binh, *add_members(world.khoi1, 18)]
    meeting = closed_meeting(world, unexcused=[members[-1]])
    line = lines_of(meeting)["attendance"]
    assert line.points == 1
    assert "1 vắng không lý do" in line.evidence


@pytest.mark.django_db
def test_plus_one_when_no_member_missed_more_than_three_in_a_row(world):
    """R1.17 criterion 2, +1: Bình missed August, September and October, and misses November:
    4 in a row, more than 3 → 0. Three in a row (present in November) keeps the point."""
    for month in (8, 9, 10):
        day = datetime.date(2026, month, 3)
        meeting = make_meeting(world.khoi1, date=day)
        open_meeting(meeting, world.an, world.an)
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=world.binh.pk,
            status=AttendanceStatus.ABSENT_EXCUSED,
            reason="Đi công tác xa",
        )
        mark_all(meeting)
        services.meeting_close(actor=world.an_user, meeting=meeting, ended_at=at(day, 21))
        assert lines_of(meeting)["no_streak"].points == 1
    november = closed_meeting(world, absent=[world.binh])
    line = lines_of(november)["no_streak"]
    assert line.points == 0
    assert line.evidence.startswith("Số lần vắng liên tiếp nhiều nhất trong năm: 4.")


# -- share of attendees who spoke (R1.17 criterion 4) ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("speakers", "points"), [(10, 5), (6, 5), (5, 4), (4, 4), (3, 3), (2, 2), (0, 2)]
)
def test_speakers_share_bands(world, speakers, points):
    """10 present: > 50% spoke → 5 (6 of 10); 40–50% → 4 (5 or 4 of 10); 30–< 40% → 3;
    < 30% → 2. A member who speaks twice counts once."""
    members = [world.an, world.binh, *add_members(world.khoi1, 8)]
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    for member in members[:speakers]:
        for _time in range(2):
            services.speech_add(
                actor=world.binh_user, meeting=meeting, member=member, summary="Phát biểu."
            )
    services.meeting_close(actor=world.an_user, meeting=meeting, ended_at=at(MEETING_DAY, 21))
    line = lines_of(meeting)["conduct_speakers"]
    assert line.points == points
    assert line.evidence.startswith(f"{speakers}/10 đảng viên có mặt phát biểu")


# -- results of the previous resolution (R1.17 criterion 7) ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("done", "points"), [(10, 30), (9, 30), (8, 27), (7, 24), (6, 20), (5, 15), (4, 10)]
)
def test_previous_assignments_done(world, done, points):
    """9 of 10 of October's assignments done (90%) → 30; 80% → 27; 70% → 24; 60% → 20;
    50% → 15; below 50% → 10."""
    october = datetime.date(2026, 10, 5)
    previous = make_meeting(world.khoi1, date=october)
    open_meeting(previous, world.an, world.binh)
    mark_all(previous)
    assignments = [
        services.assignment_add(
            actor=world.an_user,
            meeting=previous,
            title=f"Nhiệm vụ số {number}",
            members=[world.binh],
            due_date=datetime.date(2026, 10, 31),
        )[0]
        for number in range(1, 11)
    ]
    services.meeting_close(actor=world.an_user, meeting=previous, ended_at=at(october, 21))
    for assignment in assignments[:done]:
        followup_services.assignment_update_status(
            actor=world.binh_user, assignment=assignment, status=AssignmentStatus.DONE
        )
    meeting = closed_meeting(world)
    line = lines_of(meeting)["results"]
    assert line.automatic and line.points == points
    assert line.evidence.startswith(f"Hoàn thành {done}/10 nhiệm vụ")


@pytest.mark.django_db
def test_older_assignments_count_again_only_while_still_open(world):
    """August's two assignments were never reviewed at a meeting: the one done long ago is not
    counted again in November; the one still open is, beside October's 8 (all done): 8 of 9
    is 88.9% → 27."""
    august = datetime.date(2026, 8, 3)
    with time_machine.travel(datetime.datetime(2026, 8, 3, 21, 0, tzinfo=HCM), tick=False):
        old_meeting = make_meeting(world.khoi1, date=august)
        open_meeting(old_meeting, world.an, world.binh)
        mark_all(old_meeting)
        old = [
            services.assignment_add(
                actor=world.an_user,
                meeting=old_meeting,
                title=title,
                members=[world.binh],
                due_date=datetime.date(2026, 8, 31),
            )[0]
            for title in ("Sửa đường hẻm 5", "Lập danh sách hộ nghèo")
        ]
        services.meeting_close(actor=world.an_user, meeting=old_meeting, ended_at=at(august, 21))
        followup_services.assignment_update_status(
            actor=world.binh_user, assignment=old[0], status=AssignmentStatus.DONE
        )
    october = datetime.date(2026, 10, 5)
    previous = make_meeting(world.khoi1, date=october)
    open_meeting(previous, world.an, world.binh)
    mark_all(previous)
    for number in range(1, 9):
        assignment, _created = services.assignment_add(
            actor=world.an_user,
            meeting=previous,
            title=f"Nhiệm vụ số {number}",
            members=[world.binh],
            due_date=datetime.date(2026, 10, 31),
        )
        followup_services.assignment_update_status(
            actor=world.binh_user, assignment=assignment, status=AssignmentStatus.DONE
        )
    services.meeting_close(actor=world.an_user, meeting=previous, ended_at=at(october, 21))
    meeting = closed_meeting(world)
    line = lines_of(meeting)["results"]
    assert line.evidence.startswith("Hoàn thành 8/9 nhiệm vụ")
    assert line.points == 27


@pytest.mark.django_db
def test_without_previous_assignments_the_results_are_entered(world):
    meeting = closed_meeting(world)
    line = lines_of(meeting)["results"]
    assert not line.automatic and line.points is None


# -- ratings (R1.13) ------------------------------------------------------------------------


@dataclass
class Line:
    label: str
    max_points: Decimal
    points: Decimal
    must_have: bool = False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("points", "rating"),
    [
        (100, MeetingRating.GOOD),
        (90, MeetingRating.GOOD),
        (Decimal("89.9"), MeetingRating.FAIR),
        (70, MeetingRating.FAIR),
        (Decimal("69.9"), MeetingRating.AVERAGE),
        (50, MeetingRating.AVERAGE),
        (Decimal("49.9"), MeetingRating.POOR),
        (0, MeetingRating.POOR),
    ],
)
def test_rating_bands_90_70_50(world, points, rating):
    """R1.13: Tốt ≥ 90; Khá 70–< 90; Trung bình 50–< 70; Kém < 50."""
    meeting = Meeting(organization=world.khoi1, date=MEETING_DAY)
    rated = scoring.rate(meeting, [Line("Tổng hợp", Decimal(100), Decimal(points))])
    assert rated.rating == rating


@pytest.mark.django_db
def test_ninety_without_full_marks_on_a_must_have_criterion_is_fair(world):
    """R1.13: 95 points, but 4 of 5 on duration (a must-have criterion) → Khá, not Tốt."""
    meeting = Meeting(organization=world.khoi1, date=MEETING_DAY)
    rated = scoring.rate(
        meeting,
        [
            Line("1. Thời gian", Decimal(5), Decimal(4), must_have=True),
            Line("Các tiêu chí khác", Decimal(95), Decimal(91)),
        ],
    )
    assert (rated.total, rated.rating) == (Decimal("95.0"), MeetingRating.FAIR)
    assert "chưa đạt điểm tối đa ở: 1. Thời gian" in rated.explanation
    assert "nên xếp loại Khá, không phải Tốt" in rated.explanation


@pytest.mark.django_db
def test_a_short_meeting_with_everything_else_full_is_fair(world):
    """Through the services: 80 minutes (10 short → 4 of 5 on duration, a must-have) and
    full marks everywhere else: 94 of 95 possible = 98.9 points, yet Khá."""
    meeting = full_meeting(world, minutes=80)
    score = manual_full_marks(world, meeting)
    assert lines_of(meeting)["duration"].points == 4
    assert (score.total, score.rating) == (Decimal("98.9"), MeetingRating.FAIR)
    assert "1. Thời gian — Thời gian và thời lượng sinh hoạt" in score.explanation


@pytest.mark.django_db
def test_thematic_criterion_only_counts_in_a_month_with_a_thematic_part(world):
    """R1.17 criterion 4: thematic content (5 points) only in the month it is held. Without
    it the frame has 95 points and the total is scaled to 100."""
    plain = full_meeting(world)
    assert "conduct_thematic" not in lines_of(plain)
    assert sum(line.max_points for line in lines_of(plain).values()) == 95
    score = manual_full_marks(world, plain)
    assert score.total == Decimal("100.0")
    # 57 of 95 possible is 60 of 100.
    services.score_lines_set(
        actor=world.an_user, meeting=plain, points={"results": 0, "conduct_content": 2}
    )
    assert MeetingScore.objects.get(meeting=plain).total == Decimal("60.0")


@pytest.mark.django_db
def test_a_combined_meeting_scores_the_thematic_part(world):
    meeting = full_meeting(world, with_thematic_part=True)
    lines = lines_of(meeting)
    assert lines["conduct_thematic"].max_points == 5 and not lines["conduct_thematic"].automatic
    assert sum(line.max_points for line in lines.values()) == 100
    assert manual_full_marks(world, meeting).total == Decimal("100.0")


# -- entering and confirming ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["11", "-1", "mười", "NaN", "Infinity"])
def test_points_outside_the_criterion_are_refused_and_nothing_changes(world, bad):
    meeting = closed_meeting(world)
    before = {code: line.points for code, line in lines_of(meeting).items()}
    with pytest.raises(ServiceError) as refused:
        services.score_lines_set(
            actor=world.an_user,
            meeting=meeting,
            points={"conduct_procedure": 5, "conduct_content": bad},
        )
    assert refused.value.message in (
        "Nhập điểm bằng số.",
        "“4. Tổ chức sinh hoạt — Nội dung sinh hoạt thường kỳ” được chấm từ 0 đến 10 điểm.",
    )
    assert {code: line.points for code, line in lines_of(meeting).items()} == before


@pytest.mark.django_db
def test_decimal_comma_is_accepted(world):
    meeting = closed_meeting(world)
    services.score_lines_set(
        actor=world.an_user, meeting=meeting, points={"conduct_content": "7,5"}
    )
    assert lines_of(meeting)["conduct_content"].points == Decimal("7.5")


@pytest.mark.django_db
def test_automatic_criteria_are_not_entered_by_hand(world):
    meeting = closed_meeting(world, minutes=60)
    services.score_lines_set(actor=world.an_user, meeting=meeting, points={"duration": 5})
    assert lines_of(meeting)["duration"].points == 3


@pytest.mark.django_db
def test_upper_level_adjustment_needs_a_reason(world):
    """R1.15: the upper-level attendee confirms the score, or adjusts it with a reason; an
    adjustment without a reason is refused and changes nothing."""
    meeting = full_meeting(world)
    manual_full_marks(world, meeting)
    with pytest.raises(ServiceError) as refused:
        services.score_confirm(
            actor=world.cuc_user,
            meeting=meeting,
            confirmer=world.cuc,
            adjustments={"conduct_content": 8},
            reason="  ",
        )
    assert refused.value.message == "Nhập lý do điều chỉnh điểm."
    line = lines_of(meeting)["conduct_content"]
    assert line.points == 10 and "điều chỉnh" not in line.evidence
    score = MeetingScore.objects.get(meeting=meeting)
    assert score.confirmed_by is None and score.total == Decimal("100.0")

    score = services.score_confirm(
        actor=world.cuc_user,
        meeting=meeting,
        confirmer=world.cuc,
        adjustments={"conduct_content": 8},
        reason="Nội dung chưa sát tình hình khu phố",
    )
    line = lines_of(meeting)["conduct_content"]
    assert line.points == 8
    assert "Đồng chí Lê Thị Cúc điều chỉnh: Nội dung chưa sát tình hình khu phố" in line.evidence
    assert score.confirmed_by == world.cuc and score.total == Decimal("97.9")


@pytest.mark.django_db
def test_confirming_without_adjustment_needs_no_reason(world):
    meeting = full_meeting(world)
    manual_full_marks(world, meeting)
    score = services.score_confirm(actor=world.cuc_user, meeting=meeting, confirmer=world.cuc)
    assert score.confirmed_by == world.cuc and score.confirmed_at is not None


@pytest.mark.django_db
def test_confirming_before_every_criterion_has_points_is_refused(world):
    meeting = closed_meeting(world)
    with pytest.raises(ServiceError) as refused:
        services.score_confirm(actor=world.cuc_user, meeting=meeting, confirmer=world.cuc)
    assert (
        refused.value.message
        == "Một số tiêu chí chưa có điểm; chi bộ cần chấm các tiêu chí đó trước."
    )
    assert MeetingScore.objects.get(meeting=meeting).confirmed_by is None


@pytest.mark.django_db
def test_a_meeting_before_42_hd_is_scored_with_chibos_default_frame(world):
    """No central frame was in force before 28/10/2025 (each province set its own scale,
    R1.14): without a province's frame, chibo's default frame applies, explained as such."""
    day = datetime.date(2025, 9, 3)
    meeting = make_meeting(world.khoi1, date=day)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    services.meeting_close(actor=world.an_user, meeting=meeting, ended_at=at(day, 21))
    assert ScoreLine.objects.filter(meeting=meeting).exists()
    frame = rules.rule_in_force("meeting.scoring_frame", organization=world.khoi1, on=day)
    assert frame.regulation == "Hướng dẫn 12-HD/BTCTW (06/7/2018)"
    assert "giá trị mặc định của chibo" in frame.explain()
