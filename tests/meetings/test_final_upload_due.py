"""Issue 9, item 5: after the meeting the final minutes are due within 2 days
(meeting.final_upload_days_after, Hướng dẫn 42-HD/BTCTW, DOMAIN §1.4 step 16, unsure); the
meeting page shows the due date and flags it late. Changing the number moves the date."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from chibo.core.rules import rule_in_force
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.orgs import services_rules
from tests.meetings.factories import MEETING_DAY, at, make_meeting

pytestmark = pytest.mark.django_db


def _held(world, *, signed_on: datetime.date | None = None) -> Meeting:
    """A meeting of Khối 1 held on 03/11/2026 (setting its state directly: this page only reads
    it), closed, or signed on `signed_on`."""
    meeting = make_meeting(world.khoi1)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.SIGNED if signed_on else MeetingStatus.CLOSED,
        started_at=at(MEETING_DAY, 19, 30),
        ended_at=at(MEETING_DAY, 21, 30),
        signed_at=at(signed_on, 20) if signed_on else None,
    )
    return meeting


def _page(client, world, meeting, today: datetime.date) -> str:
    client.force_login(world.an_user)
    with time_machine.travel(at(today, 9), tick=False):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_rule_is_2_days():
    rule = rule_in_force("meeting.final_upload_days_after", organization=None, on=MEETING_DAY)
    assert rule.value == 2 and "42-HD/BTCTW" in rule.regulation


def test_the_page_shows_the_due_date_two_days_after_the_meeting(client, world):
    body = _page(client, world, _held(world), datetime.date(2026, 11, 4))
    assert "Hạn hoàn thành biên bản chính thức: 05/11/2026" in body
    assert "Chậm:" not in body


def test_unsigned_minutes_after_the_due_date_are_flagged_late(client, world):
    body = _page(client, world, _held(world), datetime.date(2026, 11, 6))
    assert "Chậm: biên bản chính thức phải hoàn thành trước ngày 05/11/2026" in body


def test_minutes_signed_after_the_due_date_are_flagged_late(client, world):
    meeting = _held(world, signed_on=datetime.date(2026, 11, 7))
    body = _page(client, world, meeting, datetime.date(2026, 11, 20))
    assert "Chậm: biên bản chính thức được ký ngày 07/11/2026, sau hạn 05/11/2026" in body


def test_a_5_day_rule_set_by_the_province_moves_the_deadline(client, world):
    services_rules.rule_override_create(
        actor=None,
        organization=world.province,
        key="meeting.final_upload_days_after",
        value=5,
        regulation="Quy định 01-QĐ/TU (thử nghiệm)",
        clause="",
        effective_from=datetime.date(2026, 1, 1),
    )
    meeting = _held(world, signed_on=datetime.date(2026, 11, 7))
    body = _page(client, world, meeting, datetime.date(2026, 11, 20))
    assert "Biên bản chính thức được ký ngày 07/11/2026, trong hạn 08/11/2026" in body
