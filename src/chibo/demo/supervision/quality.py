"""Demo quality (see chibo.demo.supervision): the perfunctory-meeting detection over the demo's
signed meetings, run once everything else is seeded. Three cells copy their month's review
and tasks month after month (demo.meetings.seeding, trait "repeats"); every other cell writes
a different review each month, so only those three are flagged for repeated text."""

from __future__ import annotations

import datetime
from typing import Any

from chibo.orgs.models import CELL_KINDS, Organization
from chibo.supervision.models import PerfunctoryFlag
from chibo.supervision.services_quality import detect_perfunctory


def seed(*, actor: Any, root: Organization, today: datetime.date) -> int:
    cells = Organization.objects.filter(path__startswith=root.path, kind__in=CELL_KINDS)
    return detect_perfunctory(cells=cells, today=today)


def delete(root: Organization) -> None:
    PerfunctoryFlag.objects.filter(cell__path__startswith=root.path).delete()
