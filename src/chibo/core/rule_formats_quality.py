"""How the rules of meeting quality over time and of perfunctory meetings (issue 11) show their
values and which values they refuse; kept apart so that core.rules stays short."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

# The monthly ratings, best first (meetings.models.MeetingRating's values; core stays below
# meetings, so the codes are repeated here).
RATING_ORDER = ("good", "fair", "average", "poor")
# The parts of a meeting's records supervision.perfunctory may compare.
PERFUNCTORY_PARTS = ("evaluation", "tasks", "implementation", "review_notes")


def compared_parts(value: dict[str, Any]) -> list[str]:
    """The parts of the records the rule compares (its `compare_<part>` switches)."""
    return [part for part in PERFUNCTORY_PARTS if value.get(f"compare_{part}")]


def annual_rating(value: dict[str, Any]) -> str:
    return _(
        "good: %(good_share)s%% of regular meetings rated fair or better and at least "
        "%(good_min)s rated good; fair: %(fair_share)s%% rated average or better; average: at "
        "most %(poor_max)s rated poor; otherwise poor"
    ) % {
        "good_share": value["good_share_fair_or_better"],
        "good_min": value["good_min_good"],
        "fair_share": value["fair_share_average_or_better"],
        "poor_max": value["average_max_poor"],
    }


def check_annual_rating(value: dict[str, Any]) -> str:
    shares = (value["good_share_fair_or_better"], value["fair_share_average_or_better"])
    if any(share < 0 or share > 100 for share in shares):
        return _("A share of meetings must lie between 0 and 100%.")
    if value["good_min_good"] < 0 or value["average_max_poor"] < 0:
        return _("A number of meetings cannot be negative.")
    return ""


def perfunctory_thresholds(value: dict[str, Any]) -> str:
    return _(
        "texts %(similarity)s%% similar or more to one of the cell's previous %(lookback)s "
        "meetings (texts of %(min_length)s characters or more); the same %(speakers)s members "
        "making %(share)s%% of the speeches over %(months)s meetings attended by %(present)s "
        "or more"
    ) % {
        "similarity": value["similarity_percent"],
        "lookback": value["lookback_meetings"],
        "min_length": value["min_length"],
        "speakers": value["speakers_max"],
        "share": value["speakers_share_percent"],
        "months": value["speakers_meetings"],
        "present": value["speakers_min_present"],
    }


def check_perfunctory_thresholds(value: dict[str, Any]) -> str:
    if not 0 < value["similarity_percent"] <= 100 or not 0 < value["speakers_share_percent"] <= 100:
        return _("A share must lie between 0 and 100%.")
    if value["lookback_meetings"] < 1 or value["speakers_meetings"] < 2:
        return _("Compare with at least one earlier meeting and count at least two meetings.")
    if not compared_parts(value):
        return _("Compare at least one part of the records.")
    return ""
