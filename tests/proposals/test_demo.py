"""The demo's proposals (issue 10: "about 40 proposals at every stage, a few overdue"), Khối
1's coming meeting reporting answers back, and the reminders of proposals in the inbox."""

import pytest
from django.utils import timezone

from chibo.meetings.models import AgendaItem
from chibo.notify.models import Notification
from chibo.proposals.models import HandOff, Proposal, ProposalStatus, ProposalTopic

pytestmark = pytest.mark.django_db


def test_the_demo_has_proposals_at_every_stage(demo_data):
    rows = list(Proposal.objects.select_related("level"))
    assert 35 <= len(rows) <= 45
    assert {row.status for row in rows} == set(ProposalStatus.values)
    assert {row.topic for row in rows} == set(ProposalTopic.values)
    assert {row.level.kind for row in rows} >= {"cell", "ward_committee", "province_committee"}
    today = timezone.localdate()
    overdue = [row for row in rows if row.is_overdue_on(today)]
    assert 1 <= len(overdue) <= 10
    assert HandOff.objects.filter(answered_on__isnull=True).exists()
    assert HandOff.objects.filter(answered_on__isnull=False).exists()
    assert all(row.raised_on <= today for row in rows)
    # Khối 1's coming meeting reports its answers back.
    item = AgendaItem.objects.filter(proposals__cell__code="38.168.000.000.001").distinct().get()
    assert item.meeting.date >= today
    assert set(item.proposals.all()) == set(
        Proposal.objects.filter(cell=item.meeting.organization, status=ProposalStatus.ANSWERED)
    )
    assert Notification.objects.filter(code="proposal.due").exists()
