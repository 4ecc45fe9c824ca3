"""Probation and recognition as an official member (DOMAIN R3.8, R3.9, R2.5): the probation
runs n months from the admission ceremony; the cell considers recognition within m working days
after it ends. Both numbers are rule-set data (`probation.months`,
`recognition.deadline_working_days`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from chibo.core import calendar
from chibo.core.dates import add_months
from chibo.core.models import RuleOverride
from chibo.core.rules import (
    RECOGNITION_AT_DECISION,
    Resolved,
    ancestor_paths,
    central_default,
    resolved_from_override,
)
from chibo.lifecycle.rules import rule_for

MONTHS_KEY = "probation.months"
DEADLINE_KEY = "recognition.deadline_working_days"
EFFECTIVE_DATE_KEY = "recognition.effective_date"

IN_PROBATION = "in_probation"
DUE = "due"
OVERDUE = "overdue"
DONE = "done"

STATES: tuple[tuple[str, Any], ...] = (
    (IN_PROBATION, gettext_lazy("In probation")),
    (DUE, gettext_lazy("Recognition due")),
    (OVERDUE, gettext_lazy("Overdue")),
    (DONE, gettext_lazy("Recognised this year")),
)
STATE_LABELS = dict(STATES)


@dataclass(frozen=True)
class ProbationDates:
    ceremony: datetime.date
    # The day probation ends: from this day on the cell may recognise the member.
    end: datetime.date
    # The last day for the cell's consideration.
    deadline: datetime.date
    months_rule: Resolved
    deadline_rule: Resolved

    def state_on(self, today: datetime.date) -> str:
        """In probation before the end, due up to the deadline, overdue after it."""
        if today < self.end:
            return IN_PROBATION
        if today <= self.deadline:
            return DUE
        return OVERDUE


def probation_end(*, ceremony_date: datetime.date, organization: Any):
    """(the day probation ends, the rule): n calendar months after the ceremony (R3.8)."""
    rule = rule_for(MONTHS_KEY, organization=organization, on=ceremony_date)
    return add_months(ceremony_date, rule.value), rule


def recognition_deadline(*, end: datetime.date, organization: Any):
    """(the last day for the cell's consideration, the rule): n working days after the end of
    probation (R3.9)."""
    rule = rule_for(DEADLINE_KEY, organization=organization, on=end)
    return calendar.add_working_days(end, rule.value), rule


def recognition_effective_date(
    *, end: datetime.date, decision_date: datetime.date, organization: Any
) -> tuple[datetime.date, Resolved]:
    """(the day a recognised member becomes official, the setting): the day probation ends or
    the decision date, as the setting `recognition.effective_date` in force when probation
    ends selects (R3.9, DOMAIN §9a: the end of probation by default)."""
    rule = rule_for(EFFECTIVE_DATE_KEY, organization=organization, on=end)
    if rule.value == RECOGNITION_AT_DECISION:
        return decision_date, rule
    return end, rule


def probation_dates(*, ceremony_date: datetime.date, organization: Any) -> ProbationDates:
    end, months_rule = probation_end(ceremony_date=ceremony_date, organization=organization)
    deadline, deadline_rule = recognition_deadline(end=end, organization=organization)
    return ProbationDates(ceremony_date, end, deadline, months_rule, deadline_rule)


class RuleBook:
    """The two probation rules for many cells and dates with one query: the overrides of the
    cells' ancestors are loaded once and resolved as `rules.rule_in_force` does (nearest
    organization first, then the latest start). Used by the lists, so their query count does
    not grow with the rows."""

    def __init__(self, cells: list[Any]) -> None:
        paths = {path for cell in cells for path in ancestor_paths(cell.path)}
        self._overrides = list(
            RuleOverride.objects.filter(
                organization__path__in=paths, key__in=[MONTHS_KEY, DEADLINE_KEY]
            )
            .select_related("organization")
            .order_by("-organization__depth", "-effective_from", "-pk")
        )
        self._cache: dict[tuple[int, str, datetime.date], Resolved] = {}

    def _resolve(self, key: str, cell: Any, on: datetime.date) -> Resolved:
        ancestors = set(ancestor_paths(cell.path))
        for override in self._overrides:
            if (
                override.key == key
                and override.organization.path in ancestors
                and override.effective_from <= on
                and (override.effective_to is None or override.effective_to >= on)
            ):
                return resolved_from_override(override)
        # core.rules' one fallback policy, as rules.rule_in_force.
        return central_default(key, on=on)

    def rule(self, key: str, cell: Any, on: datetime.date) -> Resolved:
        cache_key = (cell.pk, key, on)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._resolve(key, cell, on)
        return self._cache[cache_key]


class Calendar:
    """Working days for many dates: one calendar loaded for the whole span of the list."""

    def __init__(self, first: datetime.date, last: datetime.date) -> None:
        # Room for the working days after the last date (30 working days never span two
        # years, but a rule may be set longer).
        self._loaded = calendar.WorkingCalendar.load(first.year, last.year + 1)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        try:
            return self._loaded.add_working_days(start, n)
        except calendar.CalendarOutsideSpan:
            return calendar.add_working_days(start, n)


def dates_for_many(members: list[Any]) -> dict[int, ProbationDates]:
    """The probation dates of members with a ceremony date, by member id, with a bounded
    number of queries. Each member's `cell` must be loaded."""
    members = [member for member in members if member.ceremony_date]
    if not members:
        return {}
    book = RuleBook(list({member.cell_id: member.cell for member in members}.values()))
    ends = {}
    for member in members:
        months = book.rule(MONTHS_KEY, member.cell, member.ceremony_date)
        ends[member.pk] = (add_months(member.ceremony_date, months.value), months)
    working = Calendar(min(end for end, _r in ends.values()), max(end for end, _r in ends.values()))
    result = {}
    for member in members:
        end, months = ends[member.pk]
        deadline_rule = book.rule(DEADLINE_KEY, member.cell, end)
        deadline = working.add_working_days(end, deadline_rule.value)
        result[member.pk] = ProbationDates(
            member.ceremony_date, end, deadline, months, deadline_rule
        )
    return result
