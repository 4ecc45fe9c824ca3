"""The residence demo rows on top of the seeded demo."""

import datetime
import tempfile
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from chibo.demo import residence as demo
from chibo.orgs.models import RESIDENTIAL_CELL_TYPES
from chibo.residence import selectors
from chibo.residence.models import (
    WORKPLACE_CELL_TYPES,
    FeedbackRequest,
    ResidenceFeedback,
    ResidenceLink,
)

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.django_db
@time_machine.travel(NOW, tick=True)
@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="chibo-residence-demo-"))
def test_seed_demo_links_workplace_members_to_residential_cells():
    call_command("seed_demo", stdout=StringIO())  # adds the residence links (chibo.demo.lifecycle)
    assert ResidenceLink.objects.count() == 10
    links = list(ResidenceLink.objects.select_related("member__cell", "residence_cell"))
    assert all(link.member.cell.cell_type in WORKPLACE_CELL_TYPES for link in links)
    assert all(link.residence_cell.cell_type in RESIDENTIAL_CELL_TYPES for link in links)
    assert sum(1 for link in links if link.special_category) == 2
    assert ResidenceFeedback.objects.filter(year=2025).count() >= 6
    assert ResidenceFeedback.objects.filter(year=2026).exists()
    assert FeedbackRequest.objects.filter(answered_by__isnull=True).count() == 1
    states = {
        e.state for e in selectors.residence_evidence([x.member_id for x in links], 2026).values()
    }
    assert {"received", "missing", "not_required"} <= states
    assert demo.seed_demo(NOW.date()) == 0  # idempotent
