"""The removal alert list (DOMAIN §3.4; rule removal.unexcused_months_per_year = 3): members
who, in one calendar year, had 3 months without party activity or without dues, without a valid
reason. Counted per calendar year, a month once even when both happened."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.demo.meetings import seeding as meeting_demo
from chibo.lifecycle import removal, status
from chibo.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberCategory,
)
from chibo.members import services as member_services
from chibo.members.models import DuesBasis, DuesChannel, Member, MemberEvent, MemberStatus
from chibo.members.selectors import gaps_by_member
from chibo.orgs.models import Organization
from tests.conftest import PASSWORD, give_position

VN = datetime.timezone(datetime.timedelta(hours=7))
D = datetime.date
UNEXCUSED = AttendanceStatus.ABSENT_UNEXCUSED


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=VN), tick=False):
        yield


def _months(year: int, last: int = 12) -> list[datetime.date]:
    return [D(year, month, 1) for month in range(1, last + 1)]


def _pay(member, months, *, paid_on=None):
    for month in months:
        member_services.dues_payment_record(
            actor=None,
            member=member,
            month=month,
            amount_paid=20_000,
            paid_on=paid_on or month.replace(day=10),
            channel=DuesChannel.CASH,
        )


def _dues(member, *, year=2026, unpaid=()):
    """A dues basis and every past month of `year` paid except `unpaid` (month numbers)."""
    member_services.dues_basis_set(
        actor=None, member=member, basis=DuesBasis.FIXED, basis_amount=20_000
    )
    last = 10 if year == 2026 else 12
    _pay(member, [month for month in _months(year, last) if month.month not in unpaid])


def _meeting(cell, month: datetime.date, marks: dict, *, status=MeetingStatus.SIGNED):
    """The month's regular meeting, with `marks` {member: attendance status}; everyone else
    of the cell's named people present."""
    meeting = Meeting.objects.create(
        organization=cell,
        kind=MeetingKind.REGULAR,
        period=month,
        date=month.replace(day=5),
        time=datetime.time(19, 30),
        status=status,
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=member, category=MemberCategory.OFFICIAL, status=mark)
        for member, mark in marks.items()
    )
    return meeting


def _alerts(world, year=2026, organization=None):
    rows, rule = removal.removal_alerts(
        organization=organization or world.khoi1, year=year, today=D(2026, 11, 20)
    )
    return {row.member.pk: [month.month.month for month in row.months] for row in rows}, rule


@pytest.fixture
def paying(world):
    """An and Bình pay every month of 2025 and 2026 so far."""
    for member in (world.an, world.binh):
        _dues(member, year=2025)
        _pay(member, _months(2026, 10))
    return world


def test_3_unexcused_months_raise_the_alert_2_do_not(paying):
    world = paying
    for month in (3, 6):
        _meeting(world.khoi1, D(2026, month, 1), {world.binh: UNEXCUSED, world.an: "present"})
    alerts, rule = _alerts(world)
    assert alerts == {}
    assert rule.value == 3

    _meeting(world.khoi1, D(2026, 9, 1), {world.binh: UNEXCUSED, world.an: "present"})
    alerts, _rule = _alerts(world)
    assert alerts == {world.binh.pk: [3, 6, 9]}


def test_unpaid_dues_months_count_and_a_month_with_both_counts_once(world):
    _dues(world.binh, unpaid=(3, 7))
    _meeting(world.khoi1, D(2026, 3, 1), {world.binh: UNEXCUSED})
    assert _alerts(world)[0] == {}  # March (both) and July: 2 months

    _meeting(world.khoi1, D(2026, 5, 1), {world.binh: UNEXCUSED})
    alerts, _rule = _alerts(world)
    assert alerts == {world.binh.pk: [3, 5, 7]}
    [row] = removal.removal_alerts(organization=world.khoi1, year=2026, today=D(2026, 11, 20))[0]
    march = row.months[0]
    assert (march.absences, march.dues_unpaid) == ([D(2026, 3, 5)], True)
    assert (row.months[2].absences, row.months[2].dues_unpaid) == ([], True)


def test_3_months_across_two_years_do_not_raise_the_alert(paying):
    world = paying
    for month in (D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1)):
        _meeting(world.khoi1, month, {world.binh: UNEXCUSED})
    assert _alerts(world, 2025)[0] == {}
    assert _alerts(world, 2026)[0] == {}


def test_excused_absences_and_open_meetings_do_not_count(paying):
    world = paying
    for month in (2, 4, 6):
        _meeting(world.khoi1, D(2026, month, 1), {world.binh: AttendanceStatus.ABSENT_EXCUSED})
    _meeting(world.khoi1, D(2026, 10, 1), {world.binh: UNEXCUSED}, status=MeetingStatus.IN_PROGRESS)
    assert _alerts(world)[0] == {}


def test_dues_paid_late_in_the_same_year_do_not_count(world):
    """Decision: a month whose payment is recorded is paid, even when it was paid months
    later; the list reflects the dues book as it stands today."""
    _dues(world.binh, unpaid=(2, 3, 4))
    assert _alerts(world)[0] == {world.binh.pk: [2, 3, 4]}

    _pay(world.binh, [D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)], paid_on=D(2026, 9, 15))
    assert _alerts(world)[0] == {}


def test_exempted_months_do_not_count_suspended_members_still_owe_dues(world):
    _dues(world.binh, unpaid=(4, 5, 6))
    _dues(world.an, unpaid=(4, 5, 6))
    # Bình exempted from 1/4 to 1/7: neither meetings nor dues are owed in those months.
    status.exemption_record(
        actor=None,
        member=world.binh,
        request_date=D(2026, 3, 20),
        request_channel=status.RequestChannel.LETTER,
        grounds=status.ExemptionGrounds.LONG_ILLNESS,
        resolution_date=D(2026, 4, 1),
        resolution_ref="03-NQ/CB",
    )
    status.exemption_return(
        actor=None, member=world.binh, request_date=D(2026, 6, 25), effective_date=D(2026, 7, 1)
    )
    # An suspended from 1/4: no meetings, but the dues are still owed (R3.32).
    status.suspension_record(
        actor=None, member=world.an, decision_date=D(2026, 4, 1), decision_ref="9", reason="x"
    )
    _meeting(world.khoi1, D(2026, 5, 1), {world.binh: UNEXCUSED})

    assert _alerts(world)[0] == {world.an.pk: [4, 5, 6]}


def test_members_without_a_dues_basis_are_not_counted_for_dues(world):
    assert _alerts(world)[0] == {}
    assert removal.members_without_dues_basis(world.khoi1) == 2


# -- the page ---------------------------------------------------------------------------------


def _url(organization, year=2026):
    return reverse("lifecycle:removal_alerts", args=[organization.pk]) + f"?year={year}"


def _alerted(world):
    _dues(world.binh, unpaid=(8,))
    for month in (3, 6):
        _meeting(world.khoi1, D(2026, month, 1), {world.binh: UNEXCUSED})


def test_the_secretary_sees_the_months_the_reasons_the_rule_and_a_link(client, world):
    _alerted(world)
    client.login(username="an", password=PASSWORD)
    page = client.get(_url(world.khoi1)).content.decode()
    assert world.binh.full_name in page
    assert "03/2026" in page and "06/2026" in page and "08/2026" in page
    assert "05/03/2026" in page  # the meeting missed
    assert "Quy định 01-QĐ/TW" in page  # the rule's source
    link = reverse("lifecycle:status_change", args=[world.binh.pk, "removal"])
    assert f"{link}?grounds=unexcused_months" in page
    assert client.get(link + "?grounds=unexcused_months").status_code == 200


def test_the_ward_sees_its_subtree_with_a_bounded_number_of_queries(client, world):
    _alerted(world)
    client.login(username="cuc", password=PASSWORD)
    client.get(_url(world.ward))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(_url(world.ward)).content.decode()
    assert world.binh.full_name in page
    assert "Chi bộ Khối 1" in page
    assert len(queries) < 25


def test_access_to_the_alert_list(client, world):
    _alerted(world)
    give_position(world.dung, world.khoi2, "secretary")
    client.login(username="dung", password=PASSWORD)
    assert client.get(_url(world.khoi1)).status_code == 404
    client.login(username="binh", password=PASSWORD)
    assert client.get(_url(world.khoi1)).status_code == 404
    client.logout()
    response = client.get(_url(world.khoi1))
    assert response.status_code == 302 and "login" in response["Location"]
    client.login(username="an", password=PASSWORD)
    assert client.post(_url(world.khoi1)).status_code == 405


# -- the demo ---------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=VN), tick=True)
class DemoStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=StringIO())  # runs demo_status (chibo.demo.lifecycle)

    def test_the_demo_has_every_kind_of_status_change(self):
        self.assertEqual(Member.objects.filter(status=MemberStatus.SUSPENDED).count(), 1)
        self.assertTrue(
            MemberEvent.objects.filter(
                status=MemberStatus.EXEMPTED,
                grounds=status.ExemptionGrounds.ELDERLY_WEAK,
                member__cell__cell_type="residential_group",
            ).exists()
        )
        readmitted = MemberEvent.objects.get(details__action="readmission").member
        self.assertEqual(readmitted.status, MemberStatus.OFFICIAL)
        gaps = gaps_by_member(Member.objects.filter(pk=readmitted.pk))[readmitted.pk]
        self.assertEqual(
            [(gap.start.year, gap.end and gap.end.year) for gap in gaps], [(2013, 2017)]
        )
        died = MemberEvent.objects.filter(status=MemberStatus.DECEASED, effective_date__year=2025)
        self.assertTrue(died.exists())

    def test_the_wards_alert_list_holds_members_behind_with_dues_or_absent_without_reason(self):
        ward = Organization.objects.get(code=meeting_demo.WARD_CODE)
        rows, _rule = removal.removal_alerts(organization=ward, year=2026, today=D(2026, 11, 20))
        self.assertTrue(rows)
        self.assertTrue(all(row.count >= 3 for row in rows))
        self.assertTrue(any(month.dues_unpaid for row in rows for month in row.months))
        self.assertTrue(any(month.absences for row in rows for month in row.months))
