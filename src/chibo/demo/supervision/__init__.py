"""Supervision in the demo (issue 11): a year of visits with gaps, model meetings rotating
each quarter, briefings, an inspection plan with records and open recommendations, and three
cells whose minutes repeat month after month (their flags). Each part has its own module."""

from __future__ import annotations

import datetime
from typing import Any

from chibo.demo.supervision import briefings, inspections, model_meetings, quality, visits
from chibo.orgs.models import Organization


def seed(*, actor: Any, root: Organization, today: datetime.date) -> dict[str, int]:
    """Seed every part, after the meetings, directives and proposals exist."""
    return {
        "visits": visits.seed(actor=actor, root=root, today=today),
        "model_meetings": model_meetings.seed(actor=actor, root=root, today=today),
        "briefings": briefings.seed(actor=actor, root=root, today=today),
        "inspections": inspections.seed(actor=actor, root=root, today=today),
        "perfunctory_flags": quality.seed(actor=actor, root=root, today=today),
    }


def delete(root: Organization) -> None:
    """Remove the demo's supervision records (before the meetings they point at)."""
    quality.delete(root)
    inspections.delete(root)
    briefings.delete(root)
    model_meetings.delete(root)
    visits.delete(root)
