"""Briefings with the cell secretaries (field report 001): planning invites each cell's
secretary, keepers mark attendance and conclude, each secretary writes only their own cell's
report, and nobody outside the committee's subtree sees them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from chibo.notify.models import Notification
from chibo.supervision import selectors_briefings as selectors
from chibo.supervision.models import Briefing, BriefingAttendanceStatus
from chibo.supervision.services_briefings import briefing_conclude, briefing_mark, briefing_plan
from tests.conftest import give_position, make_member, make_user

DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def ward_keeper(world, django_user_model):
    ha = make_member(world.khoi2, "Đinh Thị Hà", sex="female")
    give_position(ha, world.ward, "secretary")
    return make_user(django_user_model, "ha.ward", ha)


@pytest.fixture
def briefing(world, ward_keeper):
    return briefing_plan(
        actor=ward_keeper,
        committee=world.ward,
        period="monthly",
        date=DAY,
        time=datetime.time(8, 0),
        place="Hội trường Đảng ủy phường",
        topic="Giao ban tháng 11",
    )


def test_planning_invites_each_cells_secretary(world, briefing):
    rows = {row.cell: row for row in briefing.attendance.all()}
    assert set(rows) == {world.khoi1, world.khoi2}  # the ward's cells, not another commune's
    assert rows[world.khoi1].member == world.an
    assert rows[world.khoi2].member is None  # Khối 2 has no secretary
    note = Notification.objects.get(recipient=world.an_user, code="meeting.briefing")
    assert note.url == reverse("supervision:briefing", args=[briefing.pk])


def test_attendance_rate_and_conclusions(world, ward_keeper, briefing):
    assert selectors.attendance_rate(briefing) is None  # nobody marked yet
    rows = {row.cell: row for row in briefing.attendance.all()}
    briefing_mark(
        actor=ward_keeper,
        briefing=briefing,
        attendance=rows[world.khoi1],
        status=BriefingAttendanceStatus.PRESENT,
    )
    briefing_mark(
        actor=ward_keeper,
        briefing=briefing,
        attendance=rows[world.khoi2],
        status=BriefingAttendanceStatus.ABSENT_EXCUSED,
    )
    assert selectors.attendance_rate(briefing) == 50  # 1 of 2 secretaries present
    briefing_conclude(
        actor=ward_keeper, briefing=briefing, conclusions="Các chi bộ hoàn thành thu đảng phí."
    )
    briefing.refresh_from_db()
    assert briefing.concluded_at is not None
    assert Notification.objects.filter(
        recipient=world.an_user, code="meeting.briefing_concluded"
    ).exists()


def test_a_secretary_writes_only_their_own_cells_report(client, world, briefing):
    rows = {row.cell: row for row in briefing.attendance.all()}
    client.force_login(world.an_user)
    own = reverse("supervision:briefing_report", args=[briefing.pk, rows[world.khoi1].pk])
    other = reverse("supervision:briefing_report", args=[briefing.pk, rows[world.khoi2].pk])
    assert client.post(own, {"report": "Khối 1: 100% đảng viên dự họp."}).status_code == 302
    assert client.post(other, {"report": "Khối 2 viết hộ"}).status_code == 403
    rows[world.khoi1].refresh_from_db()
    rows[world.khoi2].refresh_from_db()
    assert rows[world.khoi1].report == "Khối 1: 100% đảng viên dự họp."
    assert rows[world.khoi2].report == ""
    # The secretary does not mark attendance or conclude: that is the committee's.
    mark = reverse("supervision:briefing_mark", args=[briefing.pk, rows[world.khoi1].pk])
    assert client.post(mark, {"status": "present"}).status_code == 403
    conclude = reverse("supervision:briefing_conclude", args=[briefing.pk])
    assert client.post(conclude, {"conclusions": "x"}).status_code == 403
    briefing.refresh_from_db()
    assert briefing.conclusions == ""


def test_pages_and_access(client, world, ward_keeper, briefing, django_user_model):
    url = reverse("supervision:briefing", args=[briefing.pk])
    client.force_login(world.an_user)  # invited secretary
    assert client.get(url).status_code == 200
    mine = client.get(reverse("supervision:my_briefings"))
    assert url in mine.content.decode()
    client.force_login(world.binh_user)  # ordinary member of Khối 1
    assert client.get(url).status_code == 404
    outsider = make_user(django_user_model, "giap", make_member(world.other_cell, "Vũ Văn Giáp"))
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.cuc_user)  # reads the ward, does not keep it
    assert client.get(url).status_code == 200
    plan = reverse("supervision:briefing_plan", args=[world.ward.pk])
    data = {"period": "quarterly", "date": "2026-12-15", "time": "08:00"}
    assert client.post(plan, data).status_code == 403
    client.force_login(ward_keeper)
    page = client.get(reverse("supervision:briefings", args=[world.ward.pk]))
    assert "Giao ban tháng 11" in page.content.decode()
    assert client.post(plan, {"period": "yearly", "date": "2026-12-15"}).status_code == 400
    assert Briefing.objects.count() == 1
    assert client.post(plan, data).status_code == 302
    assert Briefing.objects.count() == 2


def test_calendar_events(world, briefing):
    events = selectors.calendar_events(world.an.pk, DAY, DAY)
    assert [event["uid"] for event in events] == [f"briefing-{briefing.pk}@chibo"]
    assert events[0]["place"] == "Hội trường Đảng ủy phường"
    assert selectors.calendar_events(world.binh.pk, DAY, DAY) == []


def test_list_pages_have_a_bounded_number_of_queries(
    client, world, ward_keeper, briefing, django_assert_max_num_queries
):
    client.force_login(ward_keeper)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("supervision:briefings", args=[world.ward.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("supervision:briefing", args=[briefing.pk])).status_code == 200
    client.force_login(world.an_user)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("supervision:my_briefings")).status_code == 200
