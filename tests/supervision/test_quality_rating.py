"""The annual meeting quality (DOMAIN R1.16, Phú Thọ): Tốt = 100 % of the year's regular
meetings rated Khá or better and at least 7 rated Tốt; Khá = 100 % rated Trung bình or better;
Trung bình (chibo's choice, the source is cut off) = at most 2 rated Kém; otherwise Kém."""

from __future__ import annotations

import datetime

import pytest

from chibo.core.models import RuleOverride
from chibo.core.rules import rule_in_force
from chibo.meetings.models import MeetingKind
from chibo.supervision import selectors_quality
from chibo.supervision.models import Visit, VisitorRole
from chibo.supervision.quality import annual_quality
from tests.supervision.quality_builders import month, signed_meeting

RULE = rule_in_force(
    "meeting_quality.annual_rating", organization=None, on=datetime.date(2026, 6, 1)
).value


def rate(ratings: list[str]) -> str | None:
    return annual_quality(ratings, RULE).rating


def test_central_rule_quotes_r1_16_thresholds():
    assert RULE["good_share_fair_or_better"] == 100
    assert RULE["good_min_good"] == 7
    assert RULE["fair_share_average_or_better"] == 100


def test_seven_good_and_the_rest_fair_is_good():
    assert rate(["good"] * 7 + ["fair"] * 5) == "good"


def test_six_good_and_the_rest_fair_is_only_fair():
    assert rate(["good"] * 6 + ["fair"] * 6) == "fair"


def test_twelve_good_but_one_average_is_fair():
    # 100 % must be fair or better for good: a single average meeting spoils it.
    assert rate(["good"] * 11 + ["average"]) == "fair"


def test_one_poor_meeting_drops_below_fair_to_average():
    assert rate(["good"] * 11 + ["poor"]) == "average"


def test_three_poor_meetings_is_poor():
    assert rate(["fair"] * 9 + ["poor"] * 3) == "poor"


def test_counts_and_share_of_good():
    result = annual_quality(["good"] * 3 + ["fair"] * 9, RULE)
    assert result.counts == {"good": 3, "fair": 9, "average": 0, "poor": 0}
    assert result.rated == 12
    assert result.share_good == 25.0


def test_no_rated_meeting_has_no_rating():
    assert rate([]) is None


@pytest.mark.django_db
def test_a_province_override_changes_the_annual_rating(world):
    # A province that asks only 6 meetings rated good: 6 good + 6 fair becomes good.
    for number in range(1, 13):
        signed_meeting(world.khoi1, month(2025, number), rating="good" if number <= 6 else "fair")
    rows, _ = selectors_quality.committee_quality(world.ward, 2025)
    assert {row.cell.pk: row.quality.rating for row in rows}[world.khoi1.pk] == "fair"
    RuleOverride.objects.create(
        organization=world.province,
        key="meeting_quality.annual_rating",
        value={**RULE, "good_min_good": 6},
        regulation="Hướng dẫn 05-HD/TU",
        effective_from=datetime.date(2020, 1, 1),
    )
    rows, rule = selectors_quality.committee_quality(world.ward, 2025)
    assert {row.cell.pk: row.quality.rating for row in rows}[world.khoi1.pk] == "good"
    assert "05-HD/TU" in rule.explain()


@pytest.mark.django_db
def test_visit_adjustment_is_the_effective_rating(world):
    meetings = [
        signed_meeting(world.khoi1, month(2025, number), rating="good") for number in range(1, 9)
    ]
    rows, _ = selectors_quality.committee_quality(world.ward, 2025)
    assert {row.cell.pk: row.quality.rating for row in rows}[world.khoi1.pk] == "good"
    # The upper-level member who attended lowered one meeting to average (R1.15).
    Visit.objects.create(
        meeting=meetings[0],
        cell=world.khoi1,
        visitor=world.cuc,
        role=VisitorRole.UPPER_MEMBER,
        adjusted_rating="average",
        adjustment_reason="Ít đảng viên phát biểu",
    )
    rows, _ = selectors_quality.committee_quality(world.ward, 2025)
    row = {row.cell.pk: row for row in rows}[world.khoi1.pk]
    assert row.quality.rating == "fair"
    assert row.quality.counts["average"] == 1


@pytest.mark.django_db
def test_only_signed_regular_meetings_count(world):
    for number in range(1, 8):
        signed_meeting(world.khoi1, month(2025, number), rating="good")
    # A thematic meeting rated poor is not counted: R1.16 speaks of regular meetings.
    signed_meeting(world.khoi1, month(2025, 8), rating="poor", kind=MeetingKind.THEMATIC)
    history = selectors_quality.cell_history(world.khoi1)
    assert [(row.year, row.quality.rating, row.quality.rated) for row in history] == [
        (2025, "good", 7)
    ]


@pytest.mark.django_db
def test_committee_quality_is_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for cell in (world.khoi1, world.khoi2):
        for number in range(1, 13):
            signed_meeting(cell, month(2025, number), rating="good")
    with django_assert_max_num_queries(4):
        rows, _ = selectors_quality.committee_quality(world.ward, 2025)
    assert len(rows) == 2
