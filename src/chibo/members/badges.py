"""Party age and the Party badge (Huy hiệu Đảng): DOMAIN §3.7, R3.24–R3.27.

Party age runs from the admission decision and leaves out the periods a member was off the
rolls: a gap opens with an event to "removed from the rolls" and closes with a later event back
to probationary or official (re-admission). A gap still open stops the party age. Ages are
counted in whole months.

A milestone (30, 40, 45, … 90 years: rule `badge.milestones_years`) is reached on the admission
decision date plus the milestone plus every gap that began before it. The badge is awarded on the
first award occasion (rule `badge.award_occasions`: 3/2, 19/5, 2/9, 7/11) on or after that date; a
seriously ill member may receive it up to 12 months (30–65 years) or 24 months (70–90 years)
early (rule `badge.early_award_months`). Every function here is pure: callers fetch the events
and awards (selectors do it for a whole subtree in one query each).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import pgettext

from chibo.core.dates import add_months, full_months_between
from chibo.core.rules import Resolved, rules_for
from chibo.members.models import MemberStatus

GAP_OPENS = MemberStatus.REMOVED
GAP_CLOSES = frozenset({MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL})
RULE_KEYS = ("badge.milestones_years", "badge.award_occasions", "badge.early_award_months")


@dataclass(frozen=True)
class Gap:
    """A period off the rolls: from the removal to the re-admission (None: still removed)."""

    start: datetime.date
    end: datetime.date | None

    def months(self, until: datetime.date) -> int:
        """Whole months of the gap that fall before `until`."""
        stop = until if self.end is None else min(self.end, until)
        return full_months_between(self.start, stop)


def gaps_from_events(events: Iterable[tuple[str, datetime.date]]) -> list[Gap]:
    """The gaps in a member's history, from (status, effective date) pairs in date order."""
    gaps: list[Gap] = []
    opened: datetime.date | None = None
    for status, day in events:
        if opened is None and status == GAP_OPENS:
            opened = day
        elif opened is not None and status in GAP_CLOSES:
            gaps.append(Gap(opened, day))
            opened = None
    if opened is not None:
        gaps.append(Gap(opened, None))
    return gaps


@dataclass(frozen=True)
class PartyAge:
    months: int
    stopped_on: datetime.date | None = None  # the removal that stopped it, when still open

    @property
    def years(self) -> int:
        return self.months // 12

    @property
    def label(self) -> str:
        """'N năm M tháng' in the active language."""
        return pgettext("party age", "%(years)s years %(months)s months") % {
            "years": self.months // 12,
            "months": self.months % 12,
        }


def party_age(
    decision: datetime.date | None, gaps: Iterable[Gap], *, on: datetime.date
) -> PartyAge | None:
    """Party age on `on`: whole months since the admission decision, less the gaps."""
    if decision is None or on < decision:
        return None
    months = full_months_between(decision, on)
    stopped_on = None
    for gap in gaps:
        if gap.start >= on:
            continue
        months -= gap.months(on)
        if gap.end is None:
            stopped_on = gap.start
    return PartyAge(max(months, 0), stopped_on)


def milestone_date(
    decision: datetime.date | None, years: int, gaps: Iterable[Gap]
) -> datetime.date | None:
    """The day the member reaches `years` of party age: the admission decision plus the years
    plus every gap that began before that day. None when a gap still open stops the count."""
    if decision is None:
        return None
    reached = add_months(decision, years * 12)
    for gap in sorted(gaps, key=lambda gap: gap.start):
        if gap.start >= reached:
            break
        if gap.end is None:
            return None
        reached = add_months(reached, full_months_between(gap.start, gap.end))
    return reached


@dataclass(frozen=True)
class EarlyBand:
    from_years: int
    to_years: int
    months: int


@dataclass(frozen=True)
class BadgeRules:
    """The three badge rules in force for one organization on one day."""

    milestones: tuple[int, ...]
    occasions: tuple[tuple[int, int], ...]  # (day, month), in calendar order
    early_bands: tuple[EarlyBand, ...]
    resolved: tuple[Resolved, ...] = field(default=())

    def early_months(self, years: int) -> int:
        """How many months early a seriously ill member may receive the `years` badge."""
        for band in self.early_bands:
            if band.from_years <= years <= band.to_years:
                return band.months
        return 0

    @property
    def longest_early_months(self) -> int:
        return max((band.months for band in self.early_bands), default=0)

    def next_occasion(self, day: datetime.date) -> datetime.date:
        """The first award occasion on or after `day`."""
        for year in (day.year, day.year + 1):
            for occasion_day, occasion_month in self.occasions:
                candidate = datetime.date(year, occasion_month, occasion_day)
                if candidate >= day:
                    return candidate
        raise ValueError("no award occasion is configured")

    def explanations(self) -> list[str]:
        return [rule.explain() for rule in self.resolved]


def _parse_day_month(text: str) -> tuple[int, int]:
    day, month = (int(part) for part in text.split("/"))
    return day, month


def badge_rules(organization: Any, *, on: datetime.date) -> BadgeRules:
    """The badge rules in force for `organization` on `on` (one query)."""
    found = {rule.key: rule for rule in rules_for(organization, on) if rule.key in RULE_KEYS}
    missing = [key for key in RULE_KEYS if key not in found]
    if missing:
        raise LookupError(f"badge rules not in force on {on:%d/%m/%Y}: {missing}")
    occasions = sorted(
        (_parse_day_month(text) for text in found["badge.award_occasions"].value),
        key=lambda pair: (pair[1], pair[0]),
    )
    return BadgeRules(
        milestones=tuple(sorted(found["badge.milestones_years"].value)),
        occasions=tuple(occasions),
        early_bands=tuple(
            EarlyBand(band["from_years"], band["to_years"], band["months"])
            for band in found["badge.early_award_months"].value
        ),
        resolved=tuple(found[key] for key in RULE_KEYS),
    )


@dataclass(frozen=True)
class BadgeDue:
    """One badge a member reaches (or may receive early) by an occasion."""

    milestone_years: int
    reached_on: datetime.date
    occasion: datetime.date  # the first award occasion on or after the milestone
    early: bool  # reached only after the occasion: early award for serious illness
    early_from: datetime.date  # the earliest day an early award is allowed


def badge_due(
    *,
    decision: datetime.date | None,
    gaps: list[Gap],
    awarded: Iterable[int],
    rules: BadgeRules,
    by: datetime.date,
    upcoming: bool = False,
) -> BadgeDue | None:
    """The badge to list for an occasion on `by`: the highest milestone reached by then that the
    member has not received (nor any higher one); else the next milestone, if `by` falls within
    its early-award window (or at all, with `upcoming`). None when neither applies."""
    highest_awarded = max(awarded, default=0)
    reached: BadgeDue | None = None
    for years in rules.milestones:
        if years <= highest_awarded:
            continue
        day = milestone_date(decision, years, gaps)
        if day is None:
            return None
        early_from = add_months(day, -rules.early_months(years))
        due = BadgeDue(years, day, rules.next_occasion(day), day > by, early_from)
        if day <= by:
            reached = due
            continue
        if reached is not None:
            return reached
        return due if upcoming or early_from <= by else None
    return reached


@dataclass(frozen=True)
class BadgeProgress:
    """What the member detail page shows: party age today, the next badge, the awards."""

    party_age: PartyAge | None
    next_badge: BadgeDue | None  # the next badge not yet received, with its occasion
    next_occasion: datetime.date | None  # the occasion it can be awarded on, from today
    early_possible: bool
    awards: list[Any]


def badge_progress(
    *,
    decision: datetime.date | None,
    gaps: list[Gap],
    awards: list[Any],
    rules: BadgeRules,
    today: datetime.date,
) -> BadgeProgress:
    """Party age on `today`, the next badge the member has not received and the first occasion
    on which it may be awarded (for a milestone already passed: the next occasion from today)."""
    age = party_age(decision, gaps, on=today)
    next_badge = badge_due(
        decision=decision,
        gaps=gaps,
        awarded=[award.milestone_years for award in awards],
        rules=rules,
        by=today,
        upcoming=True,
    )
    next_occasion = None
    early_possible = False
    if next_badge is not None:
        next_occasion = rules.next_occasion(max(next_badge.reached_on, today))
        early_possible = next_badge.reached_on > today >= next_badge.early_from
    return BadgeProgress(age, next_badge, next_occasion, early_possible, awards)
