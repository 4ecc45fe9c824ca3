"""Issue 9, item 5: a cell below the minimum of official members (cell.min_official_members,
3, Điều lệ Đảng Điều 24 khoản 1, DOMAIN R2.7) cannot vote on its own on recognition as an
official member; its pages say so. Changing the number changes what is refused."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from chibo.core.errors import ServiceError
from chibo.core.rules import rule_in_force
from chibo.lifecycle import services
from chibo.meetings import services as meeting_services
from chibo.meetings.models import VoteSubject
from chibo.members.models import MemberStatus
from chibo.orgs import services_rules
from tests.lifecycle.test_probation import VOTE_DAY, _at, _probationary
from tests.meetings.factories import add_members, make_meeting, mark_all, open_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(_at(datetime.date(2026, 4, 10)), tick=False):
        yield


def _vote_of_khoi1(world, member, *, officials: int):
    """Khối 1 (An and Bình, official, with `officials - 2` more) votes unanimously to
    recognise `member`."""
    add_members(world.khoi1, officials - 2)
    with time_machine.travel(_at(VOTE_DAY, 19), tick=False):
        meeting = make_meeting(world.khoi1, date=VOTE_DAY)
        meeting_services.agenda_build(actor=world.an_user, meeting=meeting)
        meeting_services.meeting_publish(actor=world.an_user, meeting=meeting)
        open_meeting(meeting, world.an, world.binh)
        mark_all(meeting)
        vote, _created = meeting_services.vote_record(
            actor=world.an_user,
            meeting=meeting,
            title=f"Công nhận đảng viên chính thức đối với đồng chí {member.full_name}",
            subject=VoteSubject.RECOGNITION,
            subject_member=member,
            in_favour=officials,
            against=0,
            abstain=0,
        )
    assert vote.adopted
    return vote


def _recognise(world, member, vote):
    return services.recognition_record(
        actor=world.an_user, member=member, vote=vote, decision_date=datetime.date(2026, 4, 9)
    )


def test_the_minimum_is_3_official_members():
    rule = rule_in_force("cell.min_official_members", organization=None, on=VOTE_DAY)
    assert rule.value == 3
    assert rule.clause == "Điều 24, khoản 1"


def test_a_cell_of_2_official_members_cannot_recognise_a_member_on_its_own(world):
    member = _probationary(world.khoi1)
    vote = _vote_of_khoi1(world, member, officials=2)
    with pytest.raises(ServiceError) as refused:
        _recognise(world, member, vote)
    text = " ".join(refused.value.messages)
    assert "2" in text and "3" in text and "Điều 24, khoản 1" in text
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY


def test_a_cell_of_3_official_members_may(world):
    member = _probationary(world.khoi1)
    vote = _vote_of_khoi1(world, member, officials=3)
    assert _recognise(world, member, vote).status == MemberStatus.OFFICIAL


def test_a_minimum_of_2_set_by_the_province_lets_the_2_member_cell_vote(world):
    member = _probationary(world.khoi1)
    vote = _vote_of_khoi1(world, member, officials=2)
    with pytest.raises(ServiceError):
        _recognise(world, member, vote)
    services_rules.rule_override_create(
        actor=None,
        organization=world.province,
        key="cell.min_official_members",
        value=2,
        regulation="Quy định 01-QĐ/TU (thử nghiệm)",
        clause="",
        effective_from=datetime.date(2026, 1, 1),
    )
    assert _recognise(world, member, vote).status == MemberStatus.OFFICIAL


def test_the_cell_and_probation_pages_warn_of_a_cell_below_the_minimum(client, world):
    client.force_login(world.an_user)
    for url in (
        reverse("orgs:detail", args=[world.khoi1.pk]),
        reverse("lifecycle:probation", args=[world.khoi1.pk]),
    ):
        body = client.get(url).content.decode()
        assert "dưới mức tối thiểu 3" in body, url
    add_members(world.khoi1, 1)
    body = client.get(reverse("orgs:detail", args=[world.khoi1.pk])).content.decode()
    assert "dưới mức tối thiểu" not in body
