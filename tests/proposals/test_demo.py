"""The demo's proposals (issue 10: "about 40 proposals at every stage, a few overdue"), Khối
1's coming meeting reporting answers back, and the reminders of proposals in the inbox."""

import pytest
from django.utils import timezone

from chibo.meetings.models import AgendaItem
from chibo.notify.models import Notification
from chibo.proposals.models import HandOff, Proposal, ProposalStatus, ProposalTopic

pytestmark = pytest.mark.django_db


def test_the_demo_has_proposals_at_every_stage(demo_data):
    # The proposals demo's own (the supervision demo adds those collected at visits).
    rows = list(Proposal.objects.filter(visits__isnull=True).select_related("level"))
    assert 35 <= len(rows) <= 45
    assert {row.status for row in rows} == set(ProposalStatus.values)
    assert {row.topic for row in rows} == set(ProposalTopic.values)
    assert {row.level.kind for row in rows} >= {"cell", "ward_committee", "province_committee"}
    today = timezone.localdate()
    overdue = {row.pk for row in rows if row.is_overdue_on(today)}
    open_rows = [row for row in rows if row.is_open]
    # A few overdue, flagged by the 15 working days per level (proposal.deadline_working_days):
    # 15 working days are at least 15 calendar days, and at most 45 even across Tết.
    assert overdue and len(overdue) < len(open_rows)
    for row in open_rows:
        waited = (today - row.arrived_on).days
        if waited < 15:
            assert row.pk not in overdue, row.title
        if waited > 45:
            assert row.pk in overdue, row.title
    assert any((today - row.arrived_on).days > 45 for row in open_rows)
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
