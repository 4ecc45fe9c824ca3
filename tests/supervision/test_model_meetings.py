"""Planning model meetings (links or schedules the cell's meeting, invites and notifies the
secretaries), who reads a model meeting before and after signing, who plans."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.core.errors import ServiceError
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.notify.models import Notification
from chibo.supervision import selectors_model_meetings as selectors
from chibo.supervision.models import ModelMeeting
from chibo.supervision.services_model_meetings import model_meeting_cancel, model_meeting_plan
from tests.conftest import give_position, make_member, make_org, make_user
from tests.meetings.doc_builders import cell_people, run_meeting
from tests.meetings.factories import make_meeting

DAY = datetime.date(2026, 11, 10)


@pytest.fixture
def ward_keeper(world, django_user_model):
    """Hà, the ward's secretary (a member of Khối 2): she keeps the ward."""
    ha = make_member(world.khoi2, "Đinh Thị Hà", sex="female")
    give_position(ha, world.ward, "secretary")
    return make_user(django_user_model, "ha.ward", ha)


@pytest.fixture
def outsider(world, django_user_model):
    """Giáp, an ordinary member of a cell of another commune."""
    giap = make_member(world.other_cell, "Vũ Văn Giáp")
    return make_user(django_user_model, "giap", giap)


def plan_in_khoi2(world, actor, **extra):
    values = {
        "actor": actor,
        "committee": world.ward,
        "cell": world.khoi2,
        "date": DAY,
        "time": datetime.time(19, 30),
        "place": "Nhà văn hóa khối 2",
        "topic": "Học tập và làm theo tư tưởng, đạo đức Hồ Chí Minh",
        "invited_cells": [world.khoi1],
    }
    values.update(extra)
    return model_meeting_plan(**values)


def test_planning_schedules_the_month_meeting_and_invites_the_secretary(world, ward_keeper):
    mm = plan_in_khoi2(world, ward_keeper)
    assert (mm.year, mm.quarter, mm.cell_type) == (2026, 4, "residential_group")
    meeting = mm.meeting
    assert meeting.organization == world.khoi2
    assert (meeting.date, meeting.status, meeting.period) == (
        DAY,
        MeetingStatus.PLANNED,
        datetime.date(2026, 11, 1),
    )
    invitation = mm.invitations.get()
    assert (invitation.cell, invitation.invitee) == (world.khoi1, world.an)
    note = Notification.objects.get(recipient=world.an_user, code="meeting.model_invitation")
    assert note.url == reverse("supervision:model_meeting", args=[mm.pk])
    assert "Khối 2" in note.title


def test_planning_links_the_cells_meeting_of_that_month_when_not_held(world, ward_keeper):
    existing = make_meeting(world.khoi2, date=datetime.date(2026, 11, 3))
    mm = plan_in_khoi2(world, ward_keeper)
    assert mm.meeting_id == existing.pk
    assert Meeting.objects.filter(organization=world.khoi2).count() == 1
    existing.refresh_from_db()
    assert existing.date == DAY  # moved to the planned day, members told


def test_a_month_already_held_gets_a_thematic_model_meeting(world, ward_keeper):
    held = run_meeting(world, cell_people(world))  # Khối 1's meeting of 11/2026, signed
    values = {
        "actor": ward_keeper,
        "committee": world.ward,
        "cell": world.khoi1,
        "date": datetime.date(2026, 11, 24),
        "time": datetime.time(19, 30),
    }
    with pytest.raises(ServiceError):  # no topic: refused, nothing planned
        model_meeting_plan(**values)
    assert not ModelMeeting.objects.exists()
    mm = model_meeting_plan(**values, topic="Chuyên đề mẫu về công tác dân vận")
    assert mm.meeting != held
    assert (mm.meeting.kind, mm.meeting.topic) == ("thematic", "Chuyên đề mẫu về công tác dân vận")


def test_planning_refuses_a_cell_outside_the_committee(world, ward_keeper):
    with pytest.raises(ServiceError):
        plan_in_khoi2(world, ward_keeper, cell=world.other_cell)
    with pytest.raises(ServiceError):
        plan_in_khoi2(world, ward_keeper, invited_cells=[world.other_cell])
    assert not ModelMeeting.objects.exists()


def test_cancelling_tells_the_invited_secretaries(world, ward_keeper):
    mm = plan_in_khoi2(world, ward_keeper)
    model_meeting_cancel(actor=ward_keeper, model_meeting=mm, reason="Trùng lịch bầu cử")
    mm.refresh_from_db()
    assert mm.cancelled_at is not None
    assert Notification.objects.filter(recipient=world.an_user, code="meeting.model_cancelled")


def test_year_plan_suggests_by_rotation_and_counts_planned(world, ward_keeper):
    next_year = timezone.localdate().year + 1
    plan_in_khoi2(world, ward_keeper, date=datetime.date(next_year, 2, 10))  # Q1: Khối 2
    rows = selectors.year_plan(world.ward, next_year, today=timezone.localdate())
    by_quarter = {row.quarter: row for row in rows if row.cell_type == "residential_group"}
    assert [mm.cell for mm in by_quarter[1].planned] == [world.khoi2]
    assert by_quarter[1].suggestions == []
    # Khối 1 never hosted: it is next, then Khối 2 again (each cell once before any twice).
    assert by_quarter[2].suggestions == [world.khoi1]
    assert by_quarter[3].suggestions == [world.khoi2]


def test_a_cell_type_with_one_cell_has_no_rotation_rows(world, ward_keeper):
    """Nothing rotates across one cell: the plan shows no slot for its type (it can still be
    planned by hand, and then shows)."""
    next_year = timezone.localdate().year + 1
    school = make_org(
        world.ward, "Chi bộ Trường Tiểu học", "cell", "38.168.000.000.009", cell_type="school"
    )
    rows = selectors.year_plan(world.ward, next_year, today=timezone.localdate())
    assert {row.cell_type for row in rows} == {"residential_group"}
    plan_in_khoi2(world, ward_keeper, cell=school, date=datetime.date(next_year, 5, 6))
    rows = selectors.year_plan(world.ward, next_year, today=timezone.localdate())
    assert [mm.cell for row in rows if row.cell_type == "school" for mm in row.planned] == [school]


# -- pages and access -------------------------------------------------------------------------


def _get(client, user, name, pk):
    client.force_login(user)
    return client.get(reverse(f"supervision:{name}", args=[pk]))


def test_before_signing_only_the_committee_host_and_invited_secretaries_read(
    client, world, ward_keeper, outsider
):
    mm = plan_in_khoi2(world, ward_keeper)
    assert _get(client, ward_keeper, "model_meeting", mm.pk).status_code == 200
    assert _get(client, world.dung_user, "model_meeting", mm.pk).status_code == 200  # host cell
    page = _get(client, world.an_user, "model_meeting", mm.pk)  # invited secretary
    assert page.status_code == 200
    assert "Nhà văn hóa khối 2" in page.content.decode()
    # Bình is an ordinary member of the invited cell, not its secretary.
    assert _get(client, world.binh_user, "model_meeting", mm.pk).status_code == 404
    assert _get(client, outsider, "model_meeting", mm.pk).status_code == 404


def test_once_signed_the_subtree_reads_it_as_an_example(client, world, ward_keeper, outsider):
    meeting = run_meeting(world, cell_people(world))  # Khối 1, signed
    mm = ModelMeeting.objects.create(
        committee=world.ward,
        cell=world.khoi1,
        cell_type="residential_group",
        year=2026,
        quarter=4,
        meeting=meeting,
        topic="Sinh hoạt mẫu",
    )
    # Dũng (Khối 2, not invited) now reads it, with the conclusions and the minutes.
    page = _get(client, world.dung_user, "model_meeting", mm.pk)
    assert page.status_code == 200
    assert 'id="model-meeting-resolution"' in page.content.decode()
    minutes = _get(client, world.dung_user, "model_meeting_minutes", mm.pk)
    assert minutes.status_code == 200
    assert minutes["Content-Type"] == "application/pdf"
    assert bytes(minutes.content).startswith(b"%PDF")
    examples = client.get(reverse("supervision:model_meeting_examples"))
    assert mm.cell.name in examples.content.decode()
    # Another commune's member: still nothing.
    assert _get(client, outsider, "model_meeting", mm.pk).status_code == 404
    assert _get(client, outsider, "model_meeting_minutes", mm.pk).status_code == 404


def test_only_keepers_plan(client, world, ward_keeper, outsider):
    data = {
        "cell": world.khoi2.pk,
        "date": "2026-11-10",
        "time": "19:30",
        "place": "Nhà văn hóa",
        "invited_cells": [world.khoi1.pk],
    }
    url = reverse("supervision:model_meeting_plan", args=[world.ward.pk])
    client.force_login(world.cuc_user)  # upper-level committee member: reads the ward
    assert (
        client.get(reverse("supervision:model_meetings", args=[world.ward.pk])).status_code == 200
    )
    assert client.post(url, data).status_code == 403
    client.force_login(world.binh_user)  # plain member: does not read the ward at all
    assert client.post(url, data).status_code == 404
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    assert not ModelMeeting.objects.exists()
    client.force_login(ward_keeper)
    assert client.get(url).status_code == 405
    response = client.post(url, data)
    mm = ModelMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:model_meeting", args=[mm.pk])


def test_bad_input_changes_nothing(client, world, ward_keeper):
    client.force_login(ward_keeper)
    url = reverse("supervision:model_meeting_plan", args=[world.ward.pk])
    response = client.post(url, {"cell": world.other_cell.pk, "date": "2026-11-10"})
    assert response.status_code == 400
    assert not ModelMeeting.objects.exists()


def test_invitations_page_and_calendar(client, world, ward_keeper):
    mm = plan_in_khoi2(world, ward_keeper)
    client.force_login(world.an_user)
    page = client.get(reverse("supervision:model_meeting_invitations"))
    assert world.khoi2.name in page.content.decode()
    events = selectors.calendar_events(world.an.pk, DAY, DAY)
    assert [event["uid"] for event in events] == [f"model-meeting-{mm.pk}@chibo"]
    assert events[0]["start"].hour == 19 and events[0]["place"] == "Nhà văn hóa khối 2"
    assert selectors.calendar_events(world.binh.pk, DAY, DAY) == []


def test_meeting_page_shows_the_model_meeting_badge(client, world, ward_keeper):
    mm = plan_in_khoi2(world, ward_keeper)
    client.force_login(ward_keeper)
    page = client.get(reverse("meetings:detail", args=[mm.meeting_id]))
    assert 'id="model-meeting-badge"' in page.content.decode()


def test_commune_of_another_tree_cannot_be_planned_by_the_ward(client, world, ward_keeper):
    client.force_login(ward_keeper)
    url = reverse("supervision:model_meetings", args=[world.other_ward.pk])
    assert client.get(url).status_code == 404


def test_list_pages_have_a_bounded_number_of_queries(
    client, world, ward_keeper, django_assert_max_num_queries
):
    for month in (2, 5, 8):
        plan_in_khoi2(world, ward_keeper, date=datetime.date(2027, month, 10))
    client.force_login(ward_keeper)
    with django_assert_max_num_queries(25):
        assert (
            client.get(reverse("supervision:model_meetings", args=[world.ward.pk])).status_code
            == 200
        )
    client.force_login(world.an_user)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("supervision:model_meeting_invitations")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("supervision:model_meeting_examples")).status_code == 200
