"""Who reaches the visit pages (issue 11): only a follower or standing attendee of the cell
records a visit (anyone else 404, even a reader of the cell), a committee's coverage stays in
its subtree, the calendar feed answers only its current secret address, and the pages work
end to end for the visitor and the cell's secretary."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from chibo.meetings.models import MeetingScore
from chibo.proposals.models import Proposal
from chibo.supervision.models import CalendarFeed, Visit
from tests.conftest import PASSWORD, give_position, make_member, make_user
from tests.meetings.doc_builders import cell_people, run_meeting
from tests.meetings.factories import make_meeting


@pytest.fixture
def people(world):
    return cell_people(world)


@pytest.fixture
def signed(world, people):
    return run_meeting(world, people)


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_only_followers_reach_the_visit_record(world, signed, django_user_model):
    url = reverse("supervision:visit_record", args=[signed.pk])
    assert client_for(world.cuc_user).get(url).status_code == 200
    # A member and the secretary of the cell itself, another cell's member: not followers.
    assert client_for(world.binh_user).get(url).status_code == 404
    assert client_for(world.an_user).get(url).status_code == 404
    assert client_for(world.dung_user).get(url).status_code == 404
    stranger = make_member(world.other_cell, "Hà Văn Xa")
    assert client_for(make_user(django_user_model, "xa", stranger)).get(url).status_code == 404
    # A ward secretary reads the cell but does not follow it: 404 here too, nothing changes.
    secretary = make_member(world.khoi2, "Bùi Văn Bí Thư")
    give_position(secretary, world.ward, "secretary")
    boss = client_for(make_user(django_user_model, "bithu", secretary))
    assert boss.post(url, {"observations": "x", "p-TOTAL_FORMS": "0"}).status_code == 404
    assert not Visit.objects.exists()
    assert (
        client_for(world.cuc_user)
        .get(reverse("supervision:visit_record", args=[999999]))
        .status_code
        == 404
    )


def test_a_meeting_not_held_is_refused(world):
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 11, 3))
    url = reverse("supervision:visit_record", args=[meeting.pk])
    assert client_for(world.cuc_user).get(url).status_code == 403


def rows(*proposals):
    data = {"p-TOTAL_FORMS": str(len(proposals)), "p-INITIAL_FORMS": "0"}
    for index, proposal in enumerate(proposals):
        for key, value in proposal.items():
            data[f"p-{index}-{key}"] = value
    return data


def test_visitor_records_a_visit_with_a_proposal_and_confirms(world, people, signed):
    client = client_for(world.cuc_user)
    response = client.post(
        reverse("supervision:visit_record", args=[signed.pk]),
        {
            "observations": "Sinh hoạt nền nếp.",
            "guidance": "Cụ thể hóa nghị quyết.",
            "confirm_score": "on",
            **rows(
                {
                    "title": "Sửa đèn hẻm 12",
                    "content": "Đèn hỏng hai tháng.",
                    "source": "citizens",
                    "citizen_name": "Hộ dân tổ 3",
                    "topic": "infrastructure",
                    "raised_by": str(people["cuong"].pk),
                },
                {"title": "", "content": "", "source": "own", "topic": "land", "raised_by": ""},
            ),
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("supervision:visit_detail", args=[visit.pk])
    assert [p.title for p in visit.proposals.all()] == ["Sửa đèn hẻm 12"]
    assert MeetingScore.objects.get(meeting=signed).confirmed_by == world.cuc
    # The cell's secretary sees the visit; a member of another cell does not.
    detail = reverse("supervision:visit_detail", args=[visit.pk])
    page = client_for(world.an_user).get(detail)
    assert page.status_code == 200
    assert "Sửa đèn hẻm 12" in page.content.decode()
    assert client_for(world.dung_user).get(detail).status_code == 404
    # The meeting's page lists the visit for the cell.
    meeting_page = client_for(world.an_user).get(reverse("meetings:detail", args=[signed.pk]))
    assert detail in meeting_page.content.decode()
    # Back on the form, a confirmed score is not offered for confirmation again; only an
    # adjustment with its reason is left.
    form = client.get(reverse("supervision:visit_record", args=[signed.pk])).context["form"]
    assert "confirm_score" not in form.fields
    assert {"adjusted_total", "adjusted_rating", "adjustment_reason"} <= set(form.fields)


def test_a_meeting_without_a_score_offers_nothing_to_confirm(world, signed):
    MeetingScore.objects.filter(meeting=signed).delete()
    page = client_for(world.cuc_user).get(reverse("supervision:visit_record", args=[signed.pk]))
    assert page.status_code == 200
    assert not {"confirm_score", "adjusted_total"} & set(page.context["form"].fields)


def test_a_proposal_row_without_its_member_is_refused(world, signed):
    response = client_for(world.cuc_user).post(
        reverse("supervision:visit_record", args=[signed.pk]),
        {
            "observations": "x",
            **rows({"title": "Đề nghị", "content": "Nội dung", "source": "own", "topic": "land"}),
        },
    )
    assert response.status_code == 400
    assert not Visit.objects.exists()
    assert not Proposal.objects.exists()


def test_coverage_stays_in_the_committees_subtree(world, django_user_model):
    url = reverse("supervision:coverage", args=[world.ward.pk])
    commune_secretary = make_member(world.other_cell, "Hà Văn Xã")
    give_position(commune_secretary, world.other_ward, "secretary")
    commune = client_for(make_user(django_user_model, "bithuxa", commune_secretary))
    assert commune.get(url).status_code == 404
    assert (
        commune.get(reverse("supervision:coverage", args=[world.other_ward.pk])).status_code == 200
    )
    ward_secretary = make_member(world.khoi2, "Bùi Văn Bí Thư")
    give_position(ward_secretary, world.ward, "secretary")
    ward = client_for(make_user(django_user_model, "bithu", ward_secretary))
    page = ward.get(url + "?year=2026&quarter=4")
    assert page.status_code == 200
    assert "Chi bộ Khối 2" in page.content.decode()
    # A cell member reads no committee page.
    assert client_for(world.binh_user).get(url).status_code == 404


def test_assignments_read_by_readers_changed_by_keepers(world, django_user_model):
    url = reverse("supervision:assignments", args=[world.ward.pk])
    police = make_member(world.khoi2, "Đặng Văn Công An")
    data = {
        "member": police.pk,
        "cell": world.khoi1.pk,
        "role": "standing_attendee",
        "start_date": "2026-01-01",
    }
    follower = client_for(world.cuc_user)  # reads the ward, does not keep it
    assert follower.get(url).status_code == 200
    assert follower.post(url, data).status_code == 403
    secretary = make_member(world.khoi2, "Bùi Văn Bí Thư")
    give_position(secretary, world.ward, "secretary")
    keeper = client_for(make_user(django_user_model, "bithu", secretary))
    assert keeper.post(url, data).status_code == 302
    assert "Đặng Văn Công An" in keeper.get(url).content.decode()
    commune_secretary = make_member(world.other_cell, "Hà Văn Xã")
    give_position(commune_secretary, world.other_ward, "secretary")
    commune = client_for(make_user(django_user_model, "bithuxa", commune_secretary))
    assert commune.get(url).status_code == 404


def test_calendar_and_its_feed(world, people, signed):
    client = client_for(world.cuc_user)
    page = client.get(reverse("supervision:calendar"))
    assert page.status_code == 200
    assert "Chi bộ Khối 1" in page.content.decode()
    feed = CalendarFeed.objects.get(user=world.cuc_user)
    assert "webcal://" in page.content.decode()
    anonymous = Client()
    ics = anonymous.get(reverse("supervision:calendar_feed", args=[feed.token]))
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "Chi bộ Khối 1" in body
    assert "Nhà văn hóa khu phố" in body
    # No personal data: neither the chair nor the minute-taker, nor the subscriber.
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc"):
        assert name not in body
    assert (
        anonymous.get(reverse("supervision:calendar_feed", args=["wrong-token"])).status_code == 404
    )
    old = feed.token
    assert client.post(reverse("supervision:calendar_renew")).status_code == 302
    feed.refresh_from_db()
    assert feed.token != old
    assert anonymous.get(reverse("supervision:calendar_feed", args=[old])).status_code == 404
    assert anonymous.get(reverse("supervision:calendar_feed", args=[feed.token])).status_code == 200


def test_calendar_skips_planned_meetings_and_unfollowed_cells(world):
    planned = make_meeting(world.khoi1, date=datetime.date.today() + datetime.timedelta(days=5))
    other = make_meeting(world.other_cell, date=datetime.date.today() + datetime.timedelta(days=5))
    from chibo.meetings import services  # noqa: PLC0415

    services.agenda_build(actor=None, meeting=other)
    services.meeting_publish(actor=None, meeting=other)
    page = client_for(world.cuc_user).get(reverse("supervision:calendar")).content.decode()
    assert reverse("meetings:detail", args=[planned.pk]) not in page
    assert reverse("meetings:detail", args=[other.pk]) not in page
    services.agenda_build(actor=None, meeting=planned)
    services.meeting_publish(actor=None, meeting=planned)
    page = client_for(world.cuc_user).get(reverse("supervision:calendar")).content.decode()
    assert reverse("meetings:detail", args=[planned.pk]) in page


def test_the_opening_offers_standing_attendees_as_guests(world, django_user_model):
    from chibo.meetings import services  # noqa: PLC0415
    from chibo.meetings.models import MeetingGuest  # noqa: PLC0415

    police = make_member(world.khoi2, "Đặng Văn Công An")
    give_position(police, world.khoi1, "standing_attendee")
    meeting = make_meeting(world.khoi1, date=datetime.date.today())
    services.agenda_build(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)
    client = client_for(world.an_user)
    url = reverse("meetings:open", args=[meeting.pk])
    assert "Đặng Văn Công An" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "chair": world.an.pk,
            "minute_taker": world.binh.pk,
            "started_at": f"{datetime.date.today():%Y-%m-%d}T19:30",
            "standing_guests": [police.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    guest = MeetingGuest.objects.get(meeting=meeting, member=police)
    assert not guest.is_upper_level
    assert guest.name == "Đặng Văn Công An"


def test_a_standing_attendee_reads_the_published_meeting_not_the_cell(world, django_user_model):
    """Invited like the upper-level member, the standing attendee opens the meeting the
    notification points to once it is published — never a meeting still being planned, the
    cell's register, or anything that runs the meeting."""
    from chibo.meetings import services  # noqa: PLC0415
    from chibo.notify.models import Notification  # noqa: PLC0415

    police = make_member(world.khoi2, "Đặng Văn Công An")
    police_user = make_user(django_user_model, "congan", police)
    give_position(police, world.khoi1, "standing_attendee")
    meeting = make_meeting(world.khoi1, date=datetime.date.today())
    client = client_for(police_user)
    detail = reverse("meetings:detail", args=[meeting.pk])
    assert client.get(detail).status_code == 404  # planned: not theirs yet
    services.agenda_build(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)
    told = Notification.objects.get(recipient=police_user, code="meeting.published")
    assert told.url == detail
    assert client.get(detail).status_code == 200
    assert client.get(reverse("meetings:prepare", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("members:cell_list", args=[world.khoi1.pk])).status_code == 404
    other = make_meeting(world.khoi2, date=datetime.date.today())
    services.agenda_build(actor=None, meeting=other)
    services.meeting_publish(actor=None, meeting=other)
    # Khối 2 is the police officer's own cell: read as its member, as before.
    assert client.get(reverse("meetings:detail", args=[other.pk])).status_code == 200
