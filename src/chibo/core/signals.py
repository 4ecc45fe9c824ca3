"""Signals through which a lower layer tells the layers above that something they summarise
changed, without importing them (the layer contract forbids the import).

`meetings_changed` is sent inside the transaction of every change to a cell's meetings: the
meetings services (`meetings.services._base.meeting_change`, scheduling) and the supervision
visits (an adjusted rating). Keyword arguments: `cell_id` (int) and `periods` (a set of first
days of months whose figures may have changed). Receivers run synchronously in the same
transaction, so a rollup they maintain commits or rolls back with the change itself.

`subtree_changed` is sent, in the same way, when something a summary of a whole subtree depends
on changed other than its meetings: a meeting policy (the day meetings are due), a rule override
(`rule_key`: which rule), a unit moved, created before its siblings in code order (treebeard
renumbers their paths) or given another kind or cell type. Keyword arguments: `organization_ids`
(a list, in order; None stands for the whole tree) and `rule_key` (str or None). Rare changes:
a receiver may recount the subtrees."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.dispatch import Signal

meetings_changed = Signal()
subtree_changed = Signal()


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def send_meetings_changed(cell_id: int, periods: Iterable[datetime.date | None]) -> None:
    months = {month_of(p) for p in periods if p is not None}
    if months:
        meetings_changed.send(sender=None, cell_id=cell_id, periods=months)


def send_subtree_changed(
    organization_ids: Iterable[int | None], *, rule_key: str | None = None
) -> None:
    ids = list(dict.fromkeys(organization_ids))
    if ids:
        subtree_changed.send(sender=None, organization_ids=ids, rule_key=rule_key)
