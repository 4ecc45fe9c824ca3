"""The one way a service changes a meeting (`meeting_change`: lock → check → change → one audit
entry) and the one answer to "who signs" (`selectors.signer_roles`)."""

from __future__ import annotations

import pytest

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.meetings import selectors, services
from chibo.meetings.models import MeetingStatus, SignerRole
from tests.meetings.factories import make_meeting, open_meeting

pytestmark = pytest.mark.django_db


def test_a_change_writes_its_one_audit_entry(world):
    meeting = make_meeting(world.khoi1)

    with services.meeting_change(
        meeting, actor=world.an_user, code="meeting.changed", allowed=(MeetingStatus.PLANNED,)
    ) as change:
        change.changes = {"place": True}

    entry = AuditEntry.objects.filter(code="meeting.changed").get()
    assert entry.changes == {"place": True}


def test_a_refused_status_changes_nothing_and_writes_nothing(world):
    meeting = make_meeting(world.khoi1)
    before = AuditEntry.objects.count()

    with (
        pytest.raises(ServiceError) as refused,
        services.meeting_change(
            meeting,
            actor=world.an_user,
            code="meeting.closed",
            allowed=(MeetingStatus.IN_PROGRESS,),
            message="Only a meeting in progress can be closed.",
        ),
    ):
        pytest.fail("the body must not run")

    assert refused.value.messages == ["Only a meeting in progress can be closed."]
    assert AuditEntry.objects.count() == before


def test_a_change_that_finds_nothing_to_do_writes_no_entry(world):
    """Moving the first agenda item up is no move: no audit entry."""
    meeting = make_meeting(world.khoi1)
    first = services.agenda_build(actor=world.an_user, meeting=meeting)[0]
    before = AuditEntry.objects.filter(code="agenda_item.moved").count()

    services.agenda_item_move(actor=world.an_user, item=first, offset=-1)

    assert AuditEntry.objects.filter(code="agenda_item.moved").count() == before


def test_the_chair_and_the_minute_taker_sign_and_nobody_else(world):
    meeting = open_meeting(make_meeting(world.khoi1), world.an, world.binh)

    assert selectors.signer_roles(meeting, world.an.pk) == [SignerRole.CHAIR]
    assert selectors.signer_roles(meeting, world.binh.pk) == [SignerRole.MINUTE_TAKER]
    assert selectors.may_sign(world.an.pk, meeting)
    assert not selectors.may_sign(None, meeting)


def test_one_person_chairing_and_taking_minutes_signs_in_both_roles(world):
    meeting = open_meeting(make_meeting(world.khoi1), world.an, world.an)

    assert selectors.signer_roles(meeting, world.an.pk) == [
        SignerRole.CHAIR,
        SignerRole.MINUTE_TAKER,
    ]
