"""Members' own assignments (with progress) and a cell's assignments for its managers."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from chibo.followup import services
from chibo.followup.models import Assignment, AssignmentStatus
from tests.meetings.factories import make_meeting, open_meeting

pytestmark = pytest.mark.django_db

VN = datetime.timezone(datetime.timedelta(hours=7))
# 10 November 2026, a week after the meeting of 3/11.
NOV_10 = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=VN)


@pytest.fixture
def held(world):
    """Khối 1's November meeting, open, with three assignments for Bình (one overdue on
    10/11, one due later, one done) and one for An."""
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)

    def assign(title, members, due):
        row, _ = services.assignment_create(
            actor=world.an_user, meeting=meeting, title=title, members=members, due_date=due
        )
        return row

    overdue = assign("Nộp báo cáo tổ dân phố", [world.binh], datetime.date(2026, 11, 5))
    later = assign("Vận động hộ gia đình phân loại rác", [world.binh], datetime.date(2026, 11, 30))
    done = assign("Thăm hỏi gia đình chính sách", [world.binh], datetime.date(2026, 11, 20))
    services.assignment_update_status(actor=None, assignment=done, status=AssignmentStatus.DONE)
    ans = assign("Chuẩn bị dự thảo nghị quyết", [world.an], datetime.date(2026, 11, 25))
    return {"meeting": meeting, "overdue": overdue, "later": later, "done": done, "an": ans}


def test_member_sees_open_then_overdue_then_done(world, client, held):
    client.force_login(world.binh_user)
    with time_machine.travel(NOV_10, tick=False):
        page = client.get(reverse("followup:mine"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chuẩn bị dự thảo nghị quyết" not in text  # An's, not Bình's
    later = text.index("Vận động hộ gia đình phân loại rác")
    overdue = text.index("Nộp báo cáo tổ dân phố")
    done = text.index("Thăm hỏi gia đình chính sách")
    assert later < overdue < done
    assert "list-group-item-danger" in text[overdue - 400 : overdue]
    assert reverse("meetings:detail", args=[held["meeting"].pk]) in text
    assert "Hạn: 05/11/2026" in text


def test_member_records_progress_on_their_own_assignment(world, client, held):
    client.force_login(world.binh_user)
    url = reverse("followup:progress", args=[held["later"].pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"status": "in_progress", "progress": "Đã vận động 12/20 hộ"})
    assert response.status_code == 302
    held["later"].refresh_from_db()
    assert held["later"].status == AssignmentStatus.IN_PROGRESS
    assert held["later"].progress == "Đã vận động 12/20 hộ"
    client.post(url, {"status": "done", "progress": "Hoàn thành 20/20 hộ"})
    held["later"].refresh_from_db()
    assert held["later"].status == AssignmentStatus.DONE


def test_progress_on_someone_elses_assignment_is_not_found(world, client, held):
    client.force_login(world.binh_user)
    response = client.post(reverse("followup:progress", args=[held["an"].pk]), {"status": "done"})
    assert response.status_code == 404
    client.force_login(world.dung_user)
    response = client.post(
        reverse("followup:progress", args=[held["later"].pk]), {"status": "done"}
    )
    assert response.status_code == 404
    assert Assignment.objects.get(pk=held["later"].pk).status == AssignmentStatus.OPEN


def test_bad_progress_changes_nothing(world, client, held):
    client.force_login(world.binh_user)
    url = reverse("followup:progress", args=[held["later"].pk])
    # A member cannot mark their own assignment "not done" or "cancelled": the cell decides.
    response = client.post(url, {"status": "cancelled"}, follow=True)
    assert "Chọn trạng thái." in response.content.decode()
    assert Assignment.objects.get(pk=held["later"].pk).status == AssignmentStatus.OPEN


def test_cell_assignments_for_the_secretary_with_a_status_filter(world, client, held):
    url = reverse("followup:cell", args=[world.khoi1.pk])
    client.force_login(world.an_user)
    with time_machine.travel(NOV_10, tick=False):
        text = client.get(url).content.decode()
        assert "Chuẩn bị dự thảo nghị quyết" in text and "Nộp báo cáo tổ dân phố" in text
        overdue_only = client.get(url, {"status": "overdue"}).content.decode()
    assert "Nộp báo cáo tổ dân phố" in overdue_only
    assert "Vận động hộ gia đình phân loại rác" not in overdue_only
    done_only = client.get(url, {"status": "done"}).content.decode()
    assert "Thăm hỏi gia đình chính sách" in done_only
    assert "Nộp báo cáo tổ dân phố" not in done_only


def test_cell_assignments_access(world, client, held):
    url = reverse("followup:cell", args=[world.khoi1.pk])
    client.force_login(world.binh_user)
    assert client.get(url).status_code == 403
    client.force_login(world.dung_user)
    assert client.get(url).status_code == 404
    client.force_login(world.an_user)
    assert client.post(url).status_code == 405


def test_cell_assignments_query_count_does_not_grow(
    world, client, held, django_assert_max_num_queries
):
    client.force_login(world.an_user)
    url = reverse("followup:cell", args=[world.khoi1.pk])
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for number in range(20):
        services.assignment_create(
            actor=None,
            meeting=held["meeting"],
            title=f"Nhiệm vụ số {number}",
            members=[world.an, world.binh],
            due_date=datetime.date(2026, 12, 1),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_my_assignments_query_count_does_not_grow(
    world, client, held, django_assert_max_num_queries
):
    client.force_login(world.binh_user)
    url = reverse("followup:mine")
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for number in range(20):
        services.assignment_create(
            actor=None,
            meeting=held["meeting"],
            title=f"Nhiệm vụ số {number}",
            members=[world.binh],
            due_date=datetime.date(2026, 12, 1),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_without_a_member_record_there_is_nothing(world, client):
    client.force_login(world.admin_user)
    assert client.get(reverse("followup:mine")).status_code == 404


def test_each_assigned_member_with_a_login_is_notified_with_a_link_to_their_assignments(world):
    from chibo.notify.models import Notification

    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)

    services.assignment_create(
        actor=world.an_user,
        meeting=meeting,
        title="Rà soát hộ nghèo",
        members=[world.an, world.binh],
        due_date=datetime.date(2026, 11, 30),
    )

    notified = Notification.objects.filter(code="assignment.created")
    assert {row.recipient_id for row in notified} == {world.an_user.pk, world.binh_user.pk}
    assert {row.url for row in notified} == {reverse("followup:mine")}


def test_a_closed_assignment_takes_no_more_progress_but_the_cells_review_still_counts(
    world, client, held
):
    client.force_login(world.binh_user)
    url = reverse("followup:progress", args=[held["done"].pk])

    response = client.post(url, {"status": "in_progress", "progress": "Làm lại"}, follow=True)

    assert "Nhiệm vụ này đã kết thúc" in response.content.decode()
    assert Assignment.objects.get(pk=held["done"].pk).status == AssignmentStatus.DONE
    # The meeting reviewing it records the result the cell decided.
    reviewed = services.assignment_update_status(
        actor=world.an_user,
        assignment=held["done"],
        status=AssignmentStatus.NOT_DONE,
        reviewed_at=held["meeting"],
    )
    assert reviewed.status == AssignmentStatus.NOT_DONE


def test_recorded_progress_says_which_assignment_and_its_status(world, client, held):
    """Issue 9, item 19: the confirmation names the assignment and the status recorded."""
    client.force_login(world.binh_user)
    url = reverse("followup:progress", args=[held["later"].pk])
    response = client.post(url, {"status": "done", "progress": "20/20 hộ"}, follow=True)
    text = response.content.decode()
    assert "Đã ghi tiến độ “Vận động hộ gia đình phân loại rác”: Hoàn thành." in text
