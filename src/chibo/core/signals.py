"""Signals through which a lower layer tells the layers above that something they summarise
changed, without importing them (the layer contract forbids the import).

`meetings_changed` is sent inside the transaction of every change to a cell's meetings: the
meetings services (`meetings.services._base.meeting_change`, scheduling) and the supervision
visits (an adjusted rating). Keyword arguments: `cell_id` (int) and `periods` (a set of first
days of months whose figures may have changed). Receivers run synchronously in the same
transaction, so a rollup they maintain commits or rolls back with the change itself."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.dispatch import Signal

meetings_changed = Signal()


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def send_meetings_changed(cell_id: int, periods: Iterable[datetime.date | None]) -> None:
    months = {month_of(p) for p in periods if p is not None}
    if months:
        meetings_changed.send(sender=None, cell_id=cell_id, periods=months)
