"""Calendar-month arithmetic shared by the rules that count in months (ages for admission,
probation, party age, badge milestones)."""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` calendar months; the 29th–31st become the last day of a
    shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` (0 when `end` is not after `start`): 15/3 to 14/4 is
    0, 15/3 to 15/4 is 1, 31/1 to 28/2 (a common year) is 1."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months
