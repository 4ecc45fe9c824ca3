"""Scoring bands are rule data (issue 9, item 4; DOMAIN R1.13, R1.14, R1.17).

The attendance, speaker, results and duration bands live in the frame (`meeting.scoring_frame`
in core.rule_data), so a province's frame sets each line's bands with its maximum; a frame
whose best band cannot reach the maximum is refused."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

import pytest

from chibo.core import rules
from chibo.core.errors import ServiceError
from chibo.meetings.models import MeetingRating
from chibo.orgs import services_rules
from tests.meetings.factories import MEETING_DAY
from tests.meetings.test_scoring import full_meeting, lines_of, manual_full_marks

PROVINCE_DECISION = "Quyết định 15-QĐi/TU (14/11/2018)"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def central_frame() -> dict:
    return copy.deepcopy(
        rules.rule_in_force("meeting.scoring_frame", organization=None, on=MEETING_DAY).value
    )


def line_of(frame: dict, code: str) -> dict:
    return next(line for line in frame["lines"] if line["code"] == code)


def override_frame(world, frame: dict):
    return services_rules.rule_override_create(
        actor=world.admin_user,
        organization=world.province,
        key="meeting.scoring_frame",
        value=frame,
        regulation=PROVINCE_DECISION,
        clause="Phụ lục",
        effective_from=datetime.date(2026, 1, 1),
    )


def test_the_graded_criteria_carry_their_bands_in_the_frame():
    """R1.17 (Phường An Phú): attendance ≥ 90% → 4, 75% → 3, 65% → 2, else 1; members
    speaking > 50% → 5, 40% → 4, 30% → 3, else 2; previous assignments done ≥ 90% → 30, 80%
    → 27, 70% → 24, 60% → 20, 50% → 15, else 10; duration held ≥ 100% of the time required →
    5, 15 minutes short of 90 (83.3%) → 4, 30 short (66.6%) → 3, half → 2, else 1."""
    frame = central_frame()

    def bands(code):
        return [(band["from"], band["points"]) for band in line_of(frame, code)["bands"]]

    assert bands("attendance") == [(90, 4), (75, 3), (65, 2), (0, 1)]
    assert bands("conduct_speakers") == [(50.1, 5), (40, 4), (30, 3), (0, 2)]
    assert bands("results") == [(90, 30), (80, 27), (70, 24), (60, 20), (50, 15), (0, 10)]
    assert bands("duration") == [(100, 5), (83.3, 4), (66.6, 3), (50, 2), (0, 1)]
    for line in frame["lines"]:
        if line["bands"]:
            assert line["bands"][0]["points"] == line["max"], line["code"]


@pytest.mark.django_db
def test_a_provincial_frame_giving_attendance_5_points_rates_good_end_to_end(world):
    """A province moves one point from the thematic part to attendance (5 points): a
    well-run meeting, everyone present, earns the 5 and is rated Tốt (R1.13: full marks on
    the must-have criteria)."""
    frame = central_frame()
    attendance = line_of(frame, "attendance")
    attendance["max"] = 5
    if "bands" in attendance:
        attendance["bands"] = [
            {"from": 95.0, "points": 5},
            {"from": 85.0, "points": 4},
            {"from": 70.0, "points": 3},
            {"from": 0.0, "points": 1},
        ]
    line_of(frame, "conduct_thematic")["max"] = 4
    override_frame(world, frame)

    meeting = full_meeting(world)
    score = manual_full_marks(world, meeting)

    line = lines_of(meeting)["attendance"]
    assert (line.max_points, line.points) == (5, 5)
    assert (score.total, score.rating) == (Decimal("100.0"), MeetingRating.GOOD)
    assert score.explanation.startswith("100 điểm: Tốt.")


@pytest.mark.django_db
def test_a_provincial_frame_changes_the_speaker_bands(world):
    """The province asks that every member present speak for full marks (100% → 5, else
    0): 1 of 2 members present speaking gives 0 points."""
    frame = central_frame()
    speakers = line_of(frame, "conduct_speakers")
    speakers["bands"] = [{"from": 100.0, "points": 5}]
    override_frame(world, frame)

    meeting = full_meeting(world, members=[world.an])

    assert lines_of(meeting)["conduct_speakers"].points == 0


@pytest.mark.django_db
def test_a_frame_whose_best_band_cannot_reach_the_maximum_is_refused(world):
    """Attendance raised to 5 points with the bands still stopping at 4 could never earn
    full marks, so never Tốt: refused, nothing saved."""
    frame = central_frame()
    line_of(frame, "attendance")["max"] = 5
    line_of(frame, "conduct_thematic")["max"] = 4
    with pytest.raises(ServiceError, match="tối đa, 5 điểm"):
        override_frame(world, frame)
    assert (
        rules.rule_in_force("meeting.scoring_frame", organization=world.khoi1, on=MEETING_DAY).value
        == central_frame()
    )


@pytest.mark.django_db
def test_a_measured_criterion_without_bands_is_refused(world):
    """A frame that drops the speaker bands would score every meeting 0 on a must-have
    criterion: refused."""
    frame = central_frame()
    line_of(frame, "conduct_speakers")["bands"] = []
    with pytest.raises(ServiceError, match="cần có các mức điểm"):
        override_frame(world, frame)
