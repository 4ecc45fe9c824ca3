"""Pages of quality and perfunctory flags: who sees what. Cúc (ward committee member) reads the
ward; An is Khối 1's secretary; Dũng a member of Khối 2; the ward's secretary keeps the ward
and reviews flags; another commune's secretary sees nothing of the ward."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chibo.core.models import AuditEntry
from chibo.notify.models import Notification
from chibo.supervision.models import PerfunctoryFlag, PerfunctoryStatus
from chibo.supervision.services_quality import detect_perfunctory
from tests.conftest import give_position, make_member, make_user
from tests.meetings.factories import add_members
from tests.supervision.quality_builders import month, signed_meeting
from tests.supervision.test_perfunctory_detection import REVIEW

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(world, django_user_model):
    for number in range(1, 4):
        signed_meeting(
            world.khoi1, month(2025, number), rating="good", evaluation=REVIEW.format(m=number)
        )
    detect_perfunctory()
    keeper = make_member(world.khoi2, "Hoàng Văn Giang", party_card_number="10000009")
    give_position(keeper, world.ward, "secretary")
    other = make_member(world.other_cell, "Vũ Thị Hạnh", sex="female", party_card_number="10000010")
    give_position(other, world.other_ward, "secretary")
    return {
        "flag": PerfunctoryFlag.objects.order_by("meeting__date").last(),
        "keeper": make_user(django_user_model, "giang", keeper),
        "other": make_user(django_user_model, "hanh", other),
    }


def test_ward_reader_sees_quality_and_flags(client, world, flagged):
    client.force_login(world.cuc_user)
    page = client.get(reverse("supervision:quality", args=[world.ward.pk]), {"year": 2025})
    assert page.status_code == 200
    assert "Chi bộ Khối 1" in page.content.decode()
    assert "R1.16" in page.content.decode() or "Phú Thọ" in page.content.decode()
    page = client.get(reverse("supervision:perfunctory", args=[world.ward.pk]))
    assert page.status_code == 200
    assert (
        reverse("supervision:perfunctory_flag", args=[flagged["flag"].pk]) in page.content.decode()
    )
    page = client.get(reverse("supervision:perfunctory_flag", args=[flagged["flag"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="text-earlier"' in html and 'id="text-later"' in html
    assert '<mark class="diff-changed">' in html


def test_the_cell_itself_and_another_committee_get_404(client, world, flagged):
    url = reverse("supervision:perfunctory_flag", args=[flagged["flag"].pk])
    for user in (world.an_user, world.dung_user, flagged["other"]):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "dismiss", "note": "Không"}).status_code == 404
    client.force_login(flagged["other"])
    assert client.get(reverse("supervision:perfunctory", args=[world.ward.pk])).status_code == 404
    assert client.get(reverse("supervision:quality", args=[world.ward.pk])).status_code == 404
    assert client.get(reverse("supervision:cell_quality", args=[world.khoi1.pk])).status_code == 404
    assert PerfunctoryFlag.objects.get(pk=flagged["flag"].pk).status == PerfunctoryStatus.OPEN


def test_a_reader_who_keeps_nothing_cannot_review(client, world, flagged):
    client.force_login(world.cuc_user)
    url = reverse("supervision:perfunctory_flag", args=[flagged["flag"].pk])
    assert client.post(url, {"action": "confirm", "note": ""}).status_code == 403
    assert PerfunctoryFlag.objects.get(pk=flagged["flag"].pk).status == PerfunctoryStatus.OPEN


def test_keeper_confirms_and_the_cells_secretary_is_reminded(client, world, flagged):
    client.force_login(flagged["keeper"])
    url = reverse("supervision:perfunctory_flag", args=[flagged["flag"].pk])
    response = client.post(url, {"action": "confirm", "note": "Nội dung lặp lại"})
    assert response.status_code == 302
    flag = PerfunctoryFlag.objects.get(pk=flagged["flag"].pk)
    assert flag.status == PerfunctoryStatus.CONFIRMED
    notice = Notification.objects.get(code="meeting.perfunctory")
    assert notice.recipient_id == world.an_user.pk
    assert AuditEntry.objects.filter(code="perfunctory_flag.confirmed").count() == 1


def test_dismiss_needs_a_note_and_changes_nothing_without_it(client, world, flagged):
    client.force_login(flagged["keeper"])
    url = reverse("supervision:perfunctory_flag", args=[flagged["flag"].pk])
    assert client.post(url, {"action": "dismiss", "note": " "}).status_code == 400
    assert PerfunctoryFlag.objects.get(pk=flagged["flag"].pk).status == PerfunctoryStatus.OPEN
    assert client.post(url, {"action": "dismiss", "note": "Đã kiểm tra"}).status_code == 302
    assert PerfunctoryFlag.objects.get(pk=flagged["flag"].pk).status == PerfunctoryStatus.DISMISSED


def test_wrong_method_is_405(client, world, flagged):
    client.force_login(world.cuc_user)
    assert client.post(reverse("supervision:quality", args=[world.ward.pk])).status_code == 405


def test_cell_history_for_its_secretary_and_the_ward(client, world, flagged):
    url = reverse("supervision:cell_quality", args=[world.khoi1.pk])
    for user in (world.an_user, world.cuc_user):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert "2025" in page.content.decode()
    client.force_login(world.dung_user)
    assert client.get(url).status_code == 404


def test_flag_list_is_a_bounded_number_of_queries(
    client, world, flagged, django_assert_max_num_queries
):
    for number in range(4, 13):
        signed_meeting(world.khoi1, month(2025, number), evaluation=REVIEW.format(m=number))
    detect_perfunctory()
    client.force_login(world.cuc_user)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("supervision:perfunctory", args=[world.ward.pk]))
    assert page.status_code == 200
    # One card for the cell, however many meetings repeat: the latest two shown, the rest
    # folded away.
    (group,) = page.context["groups"]
    assert group.cell == world.khoi1
    assert group.meetings == PerfunctoryFlag.objects.filter(cell=world.khoi1).count() == 11
    assert [flag.meeting.date.month for flag in group.latest] == [12, 11]
    assert len(group.earlier) == 9
    assert page.content.decode().count("<details") == 1


def test_same_speakers_flag_page_lists_who_spoke(client, world):
    members = add_members(world.khoi1, 10)
    for number in range(1, 7):
        signed_meeting(world.khoi1, month(2025, number), speakers=members[:2] * 2, present=members)
    detect_perfunctory()
    flag = PerfunctoryFlag.objects.get(kind="same_speakers")
    client.force_login(world.cuc_user)
    html = client.get(reverse("supervision:perfunctory_flag", args=[flag.pk])).content.decode()
    assert 'id="perfunctory-speakers"' in html
    assert members[0].full_name in html and members[2].full_name not in html
