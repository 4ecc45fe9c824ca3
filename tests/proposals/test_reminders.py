"""Reminders of proposals nearing and past their level's deadline: each sent exactly once per
(proposal, person, kind, day), however often the job runs (issue 10)."""

import datetime

from chibo.notify.models import Notification
from chibo.proposals import services
from chibo.proposals.jobs import remind_proposals
from tests.proposals.helpers import raise_proposal

# Raised Monday 2/11/2026: due Monday 23/11/2026 (15 working days).
DUE = datetime.date(2026, 11, 23)


def test_due_soon_goes_to_the_keepers_and_the_handler_once(world):
    proposal = raise_proposal(world)
    services.proposal_assign(actor=world.an_user, proposal=proposal, handler=world.binh)
    assert proposal.due_on == DUE
    # Four working days before: too early.
    assert remind_proposals(today=datetime.date(2026, 11, 17)) == 0
    day = datetime.date(2026, 11, 18)  # three working days before the deadline
    assert remind_proposals(today=day) == 2
    assert remind_proposals(today=day) == 0
    due = Notification.objects.filter(code="proposal.due")
    assert sorted(n.recipient.username for n in due) == ["an", "binh"]
    assert due.first().url == f"/proposals/{proposal.pk}/"


def test_overdue_once_and_again_a_week_later_never_after_the_answer(world, levels):
    proposal = raise_proposal(world)
    services.proposal_escalate(actor=world.an_user, proposal=proposal, reason="Cần phường")
    proposal.refresh_from_db()
    day_after = proposal.due_on + datetime.timedelta(days=1)
    assert remind_proposals(today=day_after) == 1
    assert remind_proposals(today=day_after) == 0
    overdue = Notification.objects.get(code="proposal.overdue")
    assert overdue.recipient == levels.ward_user  # the unit holding it, not the cell
    assert remind_proposals(today=day_after + datetime.timedelta(days=1)) == 0
    assert remind_proposals(today=day_after + datetime.timedelta(days=7)) == 1
    services.proposal_answer(actor=levels.ward_user, proposal=proposal, answer="Đã giải quyết")
    assert remind_proposals(today=day_after + datetime.timedelta(days=14)) == 0


def test_a_bounded_number_of_queries(world, levels, django_assert_max_num_queries):
    for number in range(12):
        raise_proposal(world, title=f"Kiến nghị số {number}")
    with django_assert_max_num_queries(6 + 12 * 6):
        assert remind_proposals(today=datetime.date(2026, 11, 24)) == 12
    with django_assert_max_num_queries(4):
        assert remind_proposals(today=datetime.date(2026, 11, 25)) == 0
