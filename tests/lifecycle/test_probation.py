"""Probation and recognition as an official member (DOMAIN R3.8, R3.9, R2.5): 12 months from
the ceremony, recognition considered within 30 working days after, on an individual vote of
at least two thirds of the official members."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.core.calendar import add_working_days, holidays
from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.lifecycle import probation, selectors, services
from chibo.meetings import services as meeting_services
from chibo.meetings.models import VoteSubject
from chibo.members.models import MemberEvent, MemberStatus
from chibo.orgs.scope import scope_for
from tests.conftest import PASSWORD, make_member
from tests.meetings.factories import add_members, make_meeting, mark_all, open_meeting

VN = datetime.timezone(datetime.timedelta(hours=7))
D = datetime.date
CEREMONY = D(2025, 3, 19)
END = D(2026, 3, 19)  # 12 months after the ceremony (Charter Art. 5.1)
# 30 working days after Thursday 19/03/2026 (294 §4.2): the Hùng Kings' day falls on Sunday
# 26/4, so Monday 27/4 is off, and 30/4 and 1/5 are holidays.
DEADLINE = D(2026, 5, 5)
VOTE_DAY = D(2026, 4, 7)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(_at(D(2026, 4, 10)), tick=False):
        yield


def _probationary(cell, name="Võ Thị Hoa", ceremony=CEREMONY):
    return make_member(
        cell,
        name,
        official=False,
        sex="female",
        admission_decision_date=ceremony - datetime.timedelta(days=18),
        ceremony_date=ceremony,
    )


def _recognition_vote(world, member, *, in_favour, day=VOTE_DAY):
    """A meeting of Khối 1 with 9 official members present and the vote on `member`."""
    add_members(world.khoi1, 7)
    with time_machine.travel(_at(day, 19), tick=False):
        meeting = make_meeting(world.khoi1, date=day)
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
            in_favour=in_favour,
            against=9 - in_favour,
            abstain=0,
        )
    return vote


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


# -- the dates: 12 months, then 30 working days (R3.8, R3.9) ---------------------------------


@pytest.mark.django_db
def test_probation_is_12_months_from_the_ceremony_and_recognition_30_working_days_after(world):
    dates = probation.probation_dates(ceremony_date=CEREMONY, organization=world.khoi1)
    assert dates.end == END
    assert dates.months_rule.value == 12
    assert dates.deadline_rule.value == 30
    assert dates.deadline == add_working_days(END, 30) == DEADLINE


@pytest.mark.django_db
def test_the_30_working_days_run_across_tet_2027(world):
    dates = probation.probation_dates(ceremony_date=D(2026, 1, 10), organization=world.khoi1)
    assert dates.end == D(2027, 1, 10)
    # Counted independently: weekdays that are not among the days off of 2027.
    days_off = {day for day, _name in holidays(2027)}
    assert D(2027, 2, 8) in days_off  # Tết
    day, counted = dates.end, 0
    while counted < 30:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in days_off:
            counted += 1
    assert dates.deadline == day == D(2027, 2, 26)


@pytest.mark.django_db
def test_the_state_is_due_on_working_day_29_and_overdue_after_the_deadline(world):
    member = _probationary(world.khoi1)
    scope = scope_for(world.an_user)

    def state_on(today):
        rows = selectors.probation_rows(world.khoi1, scope, today=today)
        return {row.member.pk: row.state for row in rows}[member.pk]

    assert state_on(END - datetime.timedelta(days=1)) == probation.IN_PROBATION
    assert state_on(END) == probation.DUE
    assert state_on(add_working_days(END, 29)) == probation.DUE
    assert state_on(DEADLINE) == probation.DUE
    assert state_on(DEADLINE + datetime.timedelta(days=1)) == probation.OVERDUE


# -- recording the recognition ---------------------------------------------------------------


@pytest.mark.django_db
def test_recognition_on_an_adopted_vote_6_of_9_makes_the_member_official(world):
    member = _probationary(world.khoi1)
    vote = _recognition_vote(world, member, in_favour=6)
    assert vote.adopted and vote.eligible == 9
    services.recognition_record(
        actor=world.an_user, member=member, vote=vote, decision_date=D(2026, 4, 9)
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    # Official from the day probation ends, not the decision (R3.9, DOMAIN §9a default).
    assert member.official_date == END
    event = member.events.order_by("-effective_date", "-id").first()
    assert (event.status, event.effective_date) == (MemberStatus.OFFICIAL, END)
    codes = list(AuditEntry.objects.filter(target_id=str(member.pk)).values_list("code", flat=True))
    assert "member.recognised" in codes
    # The list now shows them as recognised this year.
    rows = selectors.probation_rows(world.khoi1, scope_for(world.an_user), today=D(2026, 4, 10))
    assert [(row.member.pk, row.state) for row in rows] == [(member.pk, probation.DONE)]


@pytest.mark.django_db
def test_a_rejected_vote_5_of_9_is_refused_with_nothing_changed(world):
    member = _probationary(world.khoi1)
    vote = _recognition_vote(world, member, in_favour=5)
    assert not vote.adopted
    with pytest.raises(ServiceError, match="không thông qua"):
        services.recognition_record(
            actor=world.an_user, member=member, vote=vote, decision_date=D(2026, 4, 9)
        )
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY and member.official_date is None


@pytest.mark.django_db
def test_recognition_before_probation_ends_is_refused(world):
    member = _probationary(world.khoi1)
    # The cell votes on 10/03/2026, nine days before the end of probation.
    with time_machine.travel(_at(D(2026, 3, 10), 20), tick=False):
        vote = _recognition_vote(world, member, in_favour=9, day=D(2026, 3, 10))
        with pytest.raises(ServiceError, match="kết thúc ngày 19/03/2026"):
            services.recognition_record(
                actor=world.an_user, member=member, vote=vote, decision_date=D(2026, 3, 10)
            )
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY
    assert not MemberEvent.objects.filter(member=member, status=MemberStatus.OFFICIAL).exists()


@pytest.mark.django_db
def test_a_vote_about_another_member_is_refused(world):
    member = _probationary(world.khoi1)
    other = _probationary(world.khoi1, name="Đỗ Văn Khánh")
    vote = _recognition_vote(world, other, in_favour=7)
    with pytest.raises(ServiceError, match="Hãy chọn lần biểu quyết công nhận"):
        services.recognition_record(
            actor=world.an_user, member=member, vote=vote, decision_date=D(2026, 4, 9)
        )


@pytest.mark.django_db
def test_removal_from_the_probationary_list_only_after_the_end_and_with_a_reason(world):
    member = _probationary(world.khoi1)
    with pytest.raises(ServiceError, match="lý do"):
        services.probation_end_without_recognition(
            actor=world.an_user, member=member, decided_on=D(2026, 4, 9), reason="  "
        )
    with pytest.raises(ServiceError, match="kết thúc ngày 19/03/2026"):
        services.probation_end_without_recognition(
            actor=world.an_user, member=member, decided_on=D(2026, 3, 18), reason="Vi phạm"
        )
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY
    services.probation_end_without_recognition(
        actor=world.an_user,
        member=member,
        decided_on=D(2026, 4, 9),
        reason="Không đủ tư cách đảng viên",
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.REMOVED
    event = member.events.order_by("-effective_date", "-id").first()
    assert event.reason == "Không đủ tư cách đảng viên"
    assert AuditEntry.objects.filter(code="member.probation_ended_without_recognition").exists()


# -- pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_the_dates_and_filters_by_state(world, client):
    _probationary(world.khoi1)
    _probationary(world.khoi1, name="Đỗ Văn Khánh", ceremony=D(2025, 9, 20))
    _login(client, world.an_user)
    url = reverse("lifecycle:probation", args=[world.khoi1.pk])
    page = client.get(url).content.decode()
    assert "Võ Thị Hoa" in page and "Đỗ Văn Khánh" in page
    assert "19/03/2026" in page and "05/05/2026" in page
    assert "Đến hạn xét công nhận" in page and "Đang dự bị" in page
    due = client.get(url, {"state": "due"}).content.decode()
    assert "Võ Thị Hoa" in due and "Đỗ Văn Khánh" not in due


@pytest.mark.django_db
def test_an_records_the_recognition_through_the_page(world, client):
    member = _probationary(world.khoi1)
    vote = _recognition_vote(world, member, in_favour=6)
    _login(client, world.an_user)
    url = reverse("lifecycle:probation", args=[world.khoi1.pk])
    assert "Ghi nhận công nhận chính thức" in client.get(url).content.decode()
    prefix = f"recognise-{member.pk}"
    response = client.post(
        reverse("lifecycle:probation_recognise", args=[member.pk]),
        {f"{prefix}-vote": vote.pk, f"{prefix}-decision_date": "2026-04-09", "back": world.ward.pk},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "đã được công nhận là đảng viên chính thức" in response.content.decode()
    member.refresh_from_db()
    assert member.official_date == END  # the end of probation (R3.9, DOMAIN §9a default)


@pytest.mark.django_db
def test_access_matrix(world, client):
    member = _probationary(world.khoi1)
    listing = reverse("lifecycle:probation", args=[world.khoi1.pk])
    ward_listing = reverse("lifecycle:probation", args=[world.ward.pk])
    remove = reverse("lifecycle:probation_remove", args=[member.pk])
    recognise = reverse("lifecycle:probation_recognise", args=[member.pk])
    prefix = f"remove-{member.pk}"
    post = {f"{prefix}-decided_on": "2026-04-09", f"{prefix}-reason": "Không đủ tư cách"}

    # Cúc oversees the ward: reads the ward's and Khối 1's lists, may not record.
    _login(client, world.cuc_user)
    assert client.get(ward_listing).status_code == 200
    page = client.get(listing).content.decode()
    assert "Võ Thị Hoa" in page and "Ghi nhận quyết định của chi bộ" not in page
    assert client.post(remove, post).status_code == 403
    assert client.post(recognise, {}).status_code == 403
    client.logout()

    # Bình (a plain member of Khối 1) and Dũng (of Khối 2): as if nothing existed.
    for user in (world.binh_user, world.dung_user):
        _login(client, user)
        assert client.get(listing).status_code == 404
        assert client.post(remove, post).status_code == 404
        client.logout()
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY

    # An keeps Khối 1's register: reads it (not the ward's) and records.
    _login(client, world.an_user)
    assert client.get(ward_listing).status_code == 404
    page = client.get(listing).content.decode()
    assert "Ghi nhận quyết định của chi bộ" in page
    # Wrong method.
    assert client.get(remove).status_code == 405
    assert client.post(listing).status_code == 405
    assert client.post(remove, post).status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.REMOVED


@pytest.mark.django_db
def test_the_list_query_count_does_not_grow_with_the_rows(world, client):
    _login(client, world.cuc_user)
    url = reverse("lifecycle:probation", args=[world.ward.pk])
    _probationary(world.khoi1, name="Hoa 1", ceremony=D(2025, 3, 19))
    vote_member = _probationary(world.khoi1, name="Hoa 2", ceremony=D(2025, 2, 10))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number, ceremony in enumerate((D(2025, 1, 5), D(2025, 6, 1), D(2025, 11, 30)), start=3):
        _probationary(world.khoi1, name=f"Hoa {number}", ceremony=ceremony)
    _probationary(world.khoi2, name="Hoa 6", ceremony=D(2024, 12, 1))
    _recognition_vote(world, vote_member, in_favour=6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)

    # An keeps Khối 1's register: the rows carry the recording forms and the votes.
    client.logout()
    cell_url = reverse("lifecycle:probation", args=[world.khoi1.pk])
    with time_machine.travel(_at(D(2027, 1, 20)), tick=False):
        _login(client, world.an_user)
        client.get(cell_url)
        with CaptureQueriesContext(connection) as before:
            assert client.get(cell_url).status_code == 200
        for number in range(7, 10):
            _probationary(world.khoi1, name=f"Hoa {number}", ceremony=D(2025, number, 2))
        with CaptureQueriesContext(connection) as after:
            page = client.get(cell_url)
    assert "Ghi nhận công nhận chính thức" in page.content.decode()
    assert len(after) == len(before)
