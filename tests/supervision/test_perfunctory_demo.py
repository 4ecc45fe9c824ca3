"""The demo: three cells copy their resolutions month after month and are the only ones
flagged; the ward's annual meeting quality varies (good, fair, average)."""

from __future__ import annotations

import pytest

from chibo.orgs.models import Organization
from chibo.supervision import selectors_quality
from chibo.supervision.models import PerfunctoryFlag

pytestmark = pytest.mark.django_db


def test_only_the_three_repeating_cells_are_flagged(demo_data):
    cells = Organization.objects.filter(pk__in=PerfunctoryFlag.objects.values("cell_id")).order_by(
        "code"
    )
    codes = [cell.code for cell in cells]
    assert len(codes) == 3
    assert sum(code.startswith("38.168.") for code in codes) == 2
    assert sum(code.startswith("38.201.") for code in codes) == 1
    assert "38.168.000.000.001" not in codes  # Khối 1
    assert set(PerfunctoryFlag.objects.values_list("part", flat=True)) == {"evaluation", "tasks"}
    assert all(flag.similarity >= 95 for flag in PerfunctoryFlag.objects.all())


def test_ward_annual_ratings_vary(demo_data):
    ward = Organization.objects.get(code="38.168")
    rows, rule = selectors_quality.committee_quality(ward, 2026)
    ratings = {row.quality.rating for row in rows}
    assert {"good", "fair", "average"} <= ratings
    assert "Phú Thọ" in rule.explain()
