"""The vote engine (DOMAIN §2). Pure functions over counts, so the rule tests quote numbers.

Who may vote: official members only; probationary members attend and speak but have no vote
(Charter Art. 3.4, R2.4), even when exempted from activity. The denominator is the cell's
official members (R2.3: absent members who are not exempted stay in it), excluding members
exempted from activity who are absent and members suspended from activity (R2.2). Exempted
official members who attend and vote are counted. members.standing.may_vote says it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from chibo.meetings.models import PRESENT_STATUSES
from chibo.members import standing


@dataclass(frozen=True)
class Electorate:
    eligible: int  # the denominator of the adoption rule
    present: int  # eligible members present, who can raise a hand


def electorate(rows: Iterable[Any]) -> Electorate:
    """Count the electorate from attendance rows (objects with `category`,
    `membership_class` and `status`)."""
    eligible = present = 0
    for row in rows:
        is_present = row.status in PRESENT_STATUSES
        if standing.may_vote(
            status=row.category, membership_class=row.membership_class, present=is_present
        ):
            eligible += 1
            present += is_present
    return Electorate(eligible=eligible, present=present)


def passes(in_favour: int, eligible: int, fraction: dict[str, Any]) -> bool:
    """Whether `in_favour` of `eligible` meets `fraction` ({"numerator", "denominator",
    "strict"}): strict = more than the fraction (a majority), else at least it (two thirds).
    Integer arithmetic, no rounding: 5 of 9 is more than half, 6 of 9 is two thirds."""
    if eligible <= 0:
        return False
    left = in_favour * fraction["denominator"]
    right = fraction["numerator"] * eligible
    return left > right if fraction["strict"] else left >= right


def needed(eligible: int, fraction: dict[str, Any]) -> int:
    """The smallest number in favour that passes (for the explanation on screen)."""
    for count in range(eligible + 1):
        if passes(count, eligible, fraction):
            return count
    return eligible + 1


def explain(*, in_favour: int, eligible: int, adopted: bool, rule_text: str, fraction: dict) -> str:
    """The sentence shown beside the result, citing the rule: "Adopted: 5 of 9 official members
    in favour (at least 5 needed) — …"."""
    values = {
        "in_favour": in_favour,
        "eligible": eligible,
        "needed": needed(eligible, fraction),
        "rule": rule_text,
    }
    if adopted:
        text = _(
            "Adopted: %(in_favour)s of %(eligible)s official members in favour (at least "
            "%(needed)s needed). %(rule)s"
        )
    else:
        text = _(
            "Not adopted: %(in_favour)s of %(eligible)s official members in favour, at least "
            "%(needed)s needed. %(rule)s"
        )
    return text % values
