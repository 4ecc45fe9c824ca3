"""The working-day calendar: deadlines counted in working days (DOMAIN §8.4: 30 working days
for the admission ceremony and for recognition, 60 for an official transfer).

Public holidays follow the Labour Code 2019 (Bộ luật Lao động 45/2019/QH14), Art. 112:

- 1/1 (New Year's Day);
- Tết (lunar new year): 5 days. The law lets the government choose which 5 days; by default
  chibo takes the lunar new year's eve plus days 1 to 4 of the new year. The government
  announces the real period every year (often 2 days before and 3 after, stretched with the
  weekends around it); a `LunarNewYear` row replaces the default with the announced first and
  last day off, and the announced period is taken as the whole break (weekends and make-up
  arrangements already included, so no compensatory days are added for it);
- Hùng Kings' Commemoration Day, the 10th day of the 3rd lunar month;
- 30/4 (Reunification Day) and 1/5 (International Workers' Day);
- 2/9 (National Day) plus one adjacent day, 1/9 or 3/9 (from 1/1/2021; the Labour Code 2012
  gave 2/9 alone). The law lets the government choose; chibo picks the day the government has
  picked in practice, the one that joins the break to a weekend: 2021 (Thursday) → 3/9,
  2022 (Friday) → 1/9, 2023 (Saturday) → 1/9, 2024 (Monday) → 3/9, 2025 (Tuesday) → 1/9.
  When neither joins a weekend (2/9 on a Wednesday) the day before, 1/9, is taken. Another
  choice is entered as `CalendarDay` rows.

Saturdays and Sundays are not working days. A holiday falling on a Saturday or Sunday gives a
compensatory day off on the next working day (Art. 112.3); when several holidays fall on a
weekend, each takes the next free working day in turn (30/4/2023 and Hùng Kings' day on
29/4/2023 gave 2/5 and 3/5).

`CalendarDay` rows have the last word on a date: make-up working Saturdays, bridge days the
government announces, a holiday moved by decision.

The lunar dates are built-in tables for 2015-2040, computed with Hồ Ngọc Đức's astronomical
algorithm for the Vietnamese calendar (UTC+7; it differs from the Chinese calendar, e.g. Tết
2030 is 2/2, not 3/2) and checked against the dates announced for 2015-2026. For a year outside
the tables, Tết must come from a `LunarNewYear` row (and Hùng Kings' day from a `CalendarDay`
row); without one the calendar refuses to guess and raises `CalendarYearUnknown`.

Each public function loads the database rows for the years it needs with two queries. A caller
that needs many answers (a list of members and their deadlines) loads a `WorkingCalendar` once
and asks it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _

from chibo.core.models import CalendarDay, LunarNewYear

# First day of Tết (day 1 of the 1st lunar month), Vietnamese calendar.
TET_FIRST_DAY: dict[int, datetime.date] = {
    2015: datetime.date(2015, 2, 19),
    2016: datetime.date(2016, 2, 8),
    2017: datetime.date(2017, 1, 28),
    2018: datetime.date(2018, 2, 16),
    2019: datetime.date(2019, 2, 5),
    2020: datetime.date(2020, 1, 25),
    2021: datetime.date(2021, 2, 12),
    2022: datetime.date(2022, 2, 1),
    2023: datetime.date(2023, 1, 22),
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
    2027: datetime.date(2027, 2, 6),
    2028: datetime.date(2028, 1, 26),
    2029: datetime.date(2029, 2, 13),
    2030: datetime.date(2030, 2, 2),
    2031: datetime.date(2031, 1, 23),
    2032: datetime.date(2032, 2, 11),
    2033: datetime.date(2033, 1, 31),
    2034: datetime.date(2034, 2, 19),
    2035: datetime.date(2035, 2, 8),
    2036: datetime.date(2036, 1, 28),
    2037: datetime.date(2037, 2, 15),
    2038: datetime.date(2038, 2, 4),
    2039: datetime.date(2039, 1, 24),
    2040: datetime.date(2040, 2, 12),
}

# Hùng Kings' Commemoration Day (10th day of the 3rd lunar month), Vietnamese calendar.
HUNG_KINGS_DAY: dict[int, datetime.date] = {
    2015: datetime.date(2015, 4, 28),
    2016: datetime.date(2016, 4, 16),
    2017: datetime.date(2017, 4, 6),
    2018: datetime.date(2018, 4, 25),
    2019: datetime.date(2019, 4, 14),
    2020: datetime.date(2020, 4, 2),
    2021: datetime.date(2021, 4, 21),
    2022: datetime.date(2022, 4, 10),
    2023: datetime.date(2023, 4, 29),
    2024: datetime.date(2024, 4, 18),
    2025: datetime.date(2025, 4, 7),
    2026: datetime.date(2026, 4, 26),
    2027: datetime.date(2027, 4, 16),
    2028: datetime.date(2028, 4, 4),
    2029: datetime.date(2029, 4, 23),
    2030: datetime.date(2030, 4, 12),
    2031: datetime.date(2031, 4, 1),
    2032: datetime.date(2032, 4, 19),
    2033: datetime.date(2033, 4, 9),
    2034: datetime.date(2034, 4, 28),
    2035: datetime.date(2035, 4, 17),
    2036: datetime.date(2036, 4, 6),
    2037: datetime.date(2037, 4, 24),
    2038: datetime.date(2038, 4, 13),
    2039: datetime.date(2039, 4, 3),
    2040: datetime.date(2040, 4, 20),
}

# The Labour Code 2019 (in force 1/1/2021) added the day next to 2/9.
NATIONAL_DAY_TWO_DAYS_FROM = 2021

_SATURDAY = 5
# add_working_days gives up rather than load more than about a century of calendar.
_MAX_SPAN_DAYS = 100 * 366
_ONE_DAY = datetime.timedelta(days=1)
# 2/9's weekday (Monday = 0) → the adjacent day off, 1/9 or 3/9 (see the module docstring).
_NATIONAL_DAY_ADJACENT = {0: 3, 1: 1, 2: 1, 3: 3, 4: 1, 5: 1, 6: 3}


class CalendarYearUnknown(LookupError):
    """The calendar has no lunar holiday dates for a year (outside 2015-2040 and no
    `LunarNewYear` row in the database)."""


class CalendarOutsideSpan(CalendarYearUnknown):
    """A loaded `WorkingCalendar` was asked about a year it did not load."""


def _is_weekend(day: datetime.date) -> bool:
    return day.weekday() >= _SATURDAY


def _days(first: datetime.date, last: datetime.date) -> Iterable[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += _ONE_DAY


class WorkingCalendar:
    """The working days of a span of whole years, with the database overrides for those years
    already loaded. Build it with `WorkingCalendar.load(first_year, last_year)`; asking about a
    date outside the span raises `CalendarYearUnknown`."""

    def __init__(
        self,
        *,
        first_year: int,
        last_year: int,
        tet_periods: dict[int, tuple[datetime.date, datetime.date]],
        calendar_days: dict[datetime.date, tuple[bool, str]],
    ) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self._calendar_days = calendar_days
        self._days_off: dict[int, dict[datetime.date, str]] = {
            year: self._statutory_days_off(year, tet_periods.get(year))
            for year in range(first_year, last_year + 1)
        }

    @classmethod
    def load(cls, first_year: int, last_year: int) -> WorkingCalendar:
        """The calendar for `first_year` to `last_year` (two queries)."""
        tet_periods = {
            row.year: (row.first_day_off, row.last_day_off)
            for row in LunarNewYear.objects.filter(year__gte=first_year, year__lte=last_year)
        }
        calendar_days = {
            row.date: (row.is_working_day, row.name)
            for row in CalendarDay.objects.filter(
                date__gte=datetime.date(first_year, 1, 1),
                date__lte=datetime.date(last_year, 12, 31),
            )
        }
        return cls(
            first_year=first_year,
            last_year=last_year,
            tet_periods=tet_periods,
            calendar_days=calendar_days,
        )

    # -- building one year ------------------------------------------------------------------

    @staticmethod
    def _statutory_days_off(
        year: int, tet_period: tuple[datetime.date, datetime.date] | None
    ) -> dict[datetime.date, str]:
        """Holidays and compensatory days of `year` before `CalendarDay` rows are applied."""
        if tet_period is None and year not in TET_FIRST_DAY:
            raise CalendarYearUnknown(
                f"No Tết dates for {year}: add a LunarNewYear row for that year "
                "(and its Hùng Kings' day as a CalendarDay row)."
            )
        # Statutory holidays that earn a compensatory day when they fall on a weekend.
        holidays: dict[datetime.date, str] = {datetime.date(year, 1, 1): _("New Year's Day")}
        if tet_period is None:
            first = TET_FIRST_DAY[year]
            holidays[first - _ONE_DAY] = _("Lunar New Year's Eve")
            for number in range(1, 5):
                holidays[first + (number - 1) * _ONE_DAY] = _("Lunar New Year, day %(number)s") % {
                    "number": number
                }
        if year in HUNG_KINGS_DAY:
            holidays[HUNG_KINGS_DAY[year]] = _("Hùng Kings' Commemoration Day")
        holidays[datetime.date(year, 4, 30)] = _("Reunification Day")
        holidays[datetime.date(year, 5, 1)] = _("International Workers' Day")
        national_day = datetime.date(year, 9, 2)
        holidays[national_day] = _("National Day")
        if year >= NATIONAL_DAY_TWO_DAYS_FROM:
            adjacent = datetime.date(year, 9, _NATIONAL_DAY_ADJACENT[national_day.weekday()])
            holidays[adjacent] = _("National Day holiday")

        # The announced Tết period is off as a whole, weekends and arrangements included.
        announced: dict[datetime.date, str] = {}
        if tet_period is not None:
            announced = {day: _("Lunar New Year holiday") for day in _days(*tet_period)}

        days_off = {**announced, **holidays}
        for day in sorted(holidays):
            if not _is_weekend(day):
                continue
            substitute = day + _ONE_DAY
            while _is_weekend(substitute) or substitute in days_off:
                substitute += _ONE_DAY
            days_off[substitute] = _("Compensatory day off for %(holiday)s") % {
                "holiday": holidays[day]
            }
        return days_off

    # -- questions ----------------------------------------------------------------------------

    def _year_days_off(self, year: int) -> dict[datetime.date, str]:
        try:
            return self._days_off[year]
        except KeyError:
            raise CalendarOutsideSpan(
                f"This calendar covers {self.first_year}-{self.last_year}, not {year}."
            ) from None

    def is_working_day(self, day: datetime.date) -> bool:
        days_off = self._year_days_off(day.year)
        override = self._calendar_days.get(day)
        if override is not None:
            return override[0]
        return not _is_weekend(day) and day not in days_off

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `start` (`start` itself is not counted; n=0 gives
        `start` back unchanged)."""
        if n < 0:
            raise ValueError("n must be zero or more")
        day = start
        remaining = n
        while remaining:
            day += _ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days fall after `start` up to and including `end`, so that
        `working_days_between(d, add_working_days(d, n)) == n`. Negative when `end` is before
        `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for day in _days(start + _ONE_DAY, end) if self.is_working_day(day))

    def holidays(self, year: int) -> list[tuple[datetime.date, str]]:
        """The days off of `year` other than ordinary weekends, in date order: public holidays
        (also when they fall on a weekend), compensatory days, the announced Tết period and
        days the database marks off."""
        days_off = dict(self._year_days_off(year))
        for day, (working, name) in self._calendar_days.items():
            if day.year != year:
                continue
            if working:
                days_off.pop(day, None)
            else:
                days_off[day] = name
        return sorted(days_off.items())


def _load(first: datetime.date, last: datetime.date) -> WorkingCalendar:
    return WorkingCalendar.load(first.year, last.year)


def is_working_day(day: datetime.date) -> bool:
    """Whether `day` is a working day (not a weekend, holiday or compensatory day off)."""
    return _load(day, day).is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start`; `start` itself is not counted and n=0 gives `start`.
    A decision received on `start` with "within 30 working days" is due on
    `add_working_days(start, 30)`."""
    if n < 0:
        raise ValueError("n must be zero or more")
    # A generous first guess (5 working days a week plus about 20 days off a year); a longer
    # run of days off in the database makes the loop load a longer span.
    span_days = n * 7 // 5 + 60
    while True:
        calendar = _load(start, start + datetime.timedelta(days=span_days))
        try:
            return calendar.add_working_days(start, n)
        except CalendarOutsideSpan:
            if span_days > _MAX_SPAN_DAYS:
                raise
            span_days *= 2


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days fall after `start` up to and including `end` (negative when `end`
    is before `start`)."""
    first, last = min(start, end), max(start, end)
    return _load(first, last).working_days_between(start, end)


def holidays(year: int) -> list[tuple[datetime.date, str]]:
    """The days off of `year` other than ordinary weekends, as (date, translated name)."""
    day = datetime.date(year, 1, 1)
    return _load(day, day).holidays(year)
