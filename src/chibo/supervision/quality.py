"""A cell's annual meeting quality from the monthly ratings of its regular meetings (DOMAIN
R1.16, Phú Thọ, a local rule used as chibo's default; rule `meeting_quality.annual_rating`).

Pure: a list of ratings in, the rating of the year, the count per rating, the share rated good
and the sentence explaining it out. Which meetings count (signed regular meetings) and which
rating a meeting has (a visit's adjustment over the cell's own) is supervision.selectors_quality.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from chibo.meetings.models import MeetingRating

RATINGS = (MeetingRating.GOOD, MeetingRating.FAIR, MeetingRating.AVERAGE, MeetingRating.POOR)


@dataclass(frozen=True)
class AnnualQuality:
    rating: str | None  # a MeetingRating value; None when no meeting was rated
    counts: dict[str, int]
    rated: int
    share_good: float  # 0–100
    explanation: str

    @property
    def rating_label(self) -> str:
        return str(MeetingRating(self.rating).label) if self.rating else ""


def _share(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def annual_quality(ratings: Iterable[str], rule: dict[str, Any]) -> AnnualQuality:
    """Rate a year from its meetings' ratings under the rule's value: good when the share rated
    fair or better reaches `good_share_fair_or_better` (100 in R1.16) and at least
    `good_min_good` (7) are rated good; fair when the share rated average or better reaches
    `fair_share_average_or_better` (100); average when at most `average_max_poor` are rated
    poor (chibo's choice: the source is cut off); otherwise poor."""
    counts = Counter(ratings)
    per_rating = {rating.value: counts.get(rating.value, 0) for rating in RATINGS}
    rated = sum(per_rating.values())
    good = per_rating[MeetingRating.GOOD]
    fair_or_better = good + per_rating[MeetingRating.FAIR]
    average_or_better = fair_or_better + per_rating[MeetingRating.AVERAGE]
    poor = per_rating[MeetingRating.POOR]
    values = {"rated": rated, "good": good, "fair": fair_or_better, "average": average_or_better}
    if rated == 0:
        return AnnualQuality(None, per_rating, 0, 0.0, _("No regular meeting was rated."))
    if (
        _share(fair_or_better, rated) >= rule["good_share_fair_or_better"]
        and good >= rule["good_min_good"]
    ):
        rating = MeetingRating.GOOD
        why = (
            _("%(fair)s of %(rated)s meetings rated fair or better and %(good)s rated good.")
            % values
        )
    elif _share(average_or_better, rated) >= rule["fair_share_average_or_better"]:
        rating = MeetingRating.FAIR
        why = (
            _(
                "%(average)s of %(rated)s meetings rated average or better; %(good)s rated good, "
                "%(fair)s fair or better: not enough for good."
            )
            % values
        )
    elif poor <= rule["average_max_poor"]:
        rating = MeetingRating.AVERAGE
        why = _("%(poor)s of %(rated)s meetings rated poor.") % {"poor": poor, "rated": rated}
    else:
        rating = MeetingRating.POOR
        why = _("%(poor)s of %(rated)s meetings rated poor.") % {"poor": poor, "rated": rated}
    return AnnualQuality(rating.value, per_rating, rated, round(_share(good, rated), 1), why)
