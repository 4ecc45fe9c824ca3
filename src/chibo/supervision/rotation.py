"""Which cell hosts the next model meeting (DOMAIN R7.5, §9a; field report 002, Vị Xuyên: the
model meeting rotates across all the cells of the committee, through every term).

Pure: the caller passes the cells (in the committee's order) and the model meetings held or
planned so far, of every year and term; nothing here reads the database."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PastModelMeeting:
    cell_id: int
    # The day of the meeting (or the first day of its quarter when it has no meeting yet).
    on: datetime.date


def rotation_order(cell_ids: Sequence[int], past: Iterable[PastModelMeeting]) -> list[int]:
    """The cells in the order they should host: fewest model meetings so far first (so every
    cell hosts once before any hosts twice), then the one whose last model meeting is oldest
    (never hosted counts as oldest), then the committee's order of cells. Past model meetings
    of cells not in `cell_ids` (another type, a closed cell) are ignored."""
    position = {cell_id: index for index, cell_id in enumerate(cell_ids)}
    counts = dict.fromkeys(cell_ids, 0)
    last: dict[int, datetime.date] = {}
    for held in past:
        if held.cell_id not in position:
            continue
        counts[held.cell_id] += 1
        if held.cell_id not in last or held.on > last[held.cell_id]:
            last[held.cell_id] = held.on
    return sorted(
        cell_ids,
        key=lambda cell_id: (
            counts[cell_id],
            last.get(cell_id, datetime.date.min),
            position[cell_id],
        ),
    )


def next_cell(cell_ids: Sequence[int], past: Iterable[PastModelMeeting]) -> int | None:
    """The cell that should host the next model meeting, or None when there is no cell."""
    order = rotation_order(cell_ids, past)
    return order[0] if order else None


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * (quarter - 1) + 1, 1)
