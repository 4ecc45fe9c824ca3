"""Form fields every app shares: a date bounded to a sensible range and a whole amount of
đồng bounded to what the database stores (issue 9, item 23: fuzzing found dates in year 1 or
9999 accepted, and amounts above 2^63 crashing the save with OverflowError).

The bounds are input sanity limits, not regulations: no party rule is about them, so they are
not rule data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMAT = "%d/%m/%Y"
EARLIEST_DATE = datetime.date(1900, 1, 1)
YEARS_AHEAD = 50  # deadlines, terms and plans reach at most this far into the future
# A sanity limit far above any dues amount and below the 2^63 - 1 a BigInteger column holds.
MAX_AMOUNT_VND = 10**12


def latest_date(today: datetime.date | None = None) -> datetime.date:
    """The last date chibo accepts: YEARS_AHEAD years after today."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_out_of_bounds(day: datetime.date) -> str | None:
    """None when `day` is within the accepted range, else the sentence that says the range."""
    last = latest_date()
    if EARLIEST_DATE <= day <= last:
        return None
    return str(
        _("Enter a date between %(first)s and %(last)s.")
        % {"first": EARLIEST_DATE.strftime(DATE_FORMAT), "last": last.strftime(DATE_FORMAT)}
    )


def validate_date_bounds(value: Any) -> None:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        message = date_out_of_bounds(value)
        if message:
            raise ValidationError(message, code="date_bounds")


class BoundedDateField(forms.DateField):
    """A date between 1/1/1900 and 50 years from today, shown with the browser's date picker."""

    widget = DATE_WIDGET
    default_validators = [validate_date_bounds]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DATE_WIDGET)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        try:
            return super().to_python(value)
        except OverflowError:  # a year past 9999 typed by hand
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BoundedDateTimeField(forms.DateTimeField):
    """A moment whose date lies between 1/1/1900 and 50 years from today."""

    default_validators = [validate_date_bounds]

    def to_python(self, value: Any) -> datetime.datetime | None:
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class AmountField(forms.IntegerField):
    """A whole number of đồng, 0 to MAX_AMOUNT_VND (a larger number would overflow the
    database column)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AMOUNT_VND)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}))
        super().__init__(**kwargs)


# The largest primary key a database column holds (a 64-bit signed integer).
MAX_PK = 2**63 - 1


def whole_number(text: Any, *, limit: int = MAX_PK) -> int | None:
    """The whole number 0..limit that `text` (a query or form parameter) spells in decimal
    digits, or None. Guards the `text.isdigit()` then `int(text)` idiom, which fails on
    hostile input (issue 14): "²" is a digit to str.isdigit() but not to int(), int() refuses
    more than 4,300 digits, and an id past 2^63 crashes the database query."""
    text = str(text or "").strip()
    if not text.isdecimal() or len(text) > len(str(limit)):
        return None
    number = int(text)
    return number if number <= limit else None


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's several-objects picker, refusing ids no database column holds before it asks
    the database: an id past 2^63 crashed the query (SQLite: OverflowError; PostgreSQL: out of
    range) instead of being reported as an invalid choice. Every multiple picker of chibo is
    this field."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            if not whole_number(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)
