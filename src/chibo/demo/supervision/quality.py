"""Demo quality (see chibo.demo.supervision)."""

from __future__ import annotations

import datetime
from typing import Any

from chibo.orgs.models import Organization


def seed(*, actor: Any, root: Organization, today: datetime.date) -> int:
    return 0


def delete(root: Organization) -> None:
    return None
