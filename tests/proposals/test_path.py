"""The escalation path Khối 1 → ward → province, and who sees what at each step (issue 10:
nobody outside the path sees a proposal; a cell never sees another cell's, a committee only
its subtree's; acting belongs to the unit holding it now)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chibo.notify.models import Notification
from chibo.proposals import services
from chibo.proposals.models import ProposalStatus, StepKind
from tests.conftest import make_member, make_user
from tests.proposals.helpers import raise_proposal


def status_of(client, user, url, method="get", data=None):
    client.force_login(user)
    response = getattr(client, method)(url, data or {})
    client.logout()
    return response.status_code


def test_cell_escalates_ward_escalates_province_answers_and_everyone_on_the_path_sees_it(
    client, world, levels
):
    proposal = raise_proposal(world)
    detail = reverse("proposals:detail", args=[proposal.pk])
    # At the cell: the raiser, the cell's secretary and the committees above read it.
    assert status_of(client, world.binh_user, detail) == 200
    assert status_of(client, world.an_user, detail) == 200
    assert status_of(client, levels.ward_user, detail) == 200
    # Another cell of the same ward, another ward: the proposal does not exist for them.
    assert status_of(client, levels.khoi2_user, detail) == 404
    assert status_of(client, levels.other_ward_user, detail) == 404
    # The ward reads it but does not hold it yet: 403 on acting.
    answer_url = reverse("proposals:answer", args=[proposal.pk])
    data = {"answer": "Đã xử lý", "answered_on": "2026-11-10"}
    assert status_of(client, levels.ward_user, answer_url, "post", data) == 403
    assert status_of(client, levels.khoi2_user, answer_url, "post", data) == 404

    client.force_login(world.an_user)
    response = client.post(
        reverse("proposals:escalate", args=[proposal.pk]),
        {"reason": "Vượt thẩm quyền của chi bộ: cần UBND phường bố trí kinh phí."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.level == world.ward and proposal.status == ProposalStatus.ESCALATED
    # The ward's keepers are told it arrived.
    assert Notification.objects.filter(recipient=levels.ward_user, code="proposal.arrived").exists()
    # The cell no longer holds it: its secretary reads, cannot act.
    assert status_of(client, world.an_user, answer_url, "post", data) == 403

    client.force_login(levels.ward_user)
    client.post(
        reverse("proposals:escalate", args=[proposal.pk]),
        {"reason": "Cần tỉnh bố trí vốn cải tạo hệ thống thu gom."},
    )
    proposal.refresh_from_db()
    assert proposal.level == world.province
    assert status_of(client, levels.province_user, detail) == 200
    assert status_of(client, levels.other_ward_user, detail) == 404

    client.force_login(levels.province_user)
    response = client.post(
        answer_url,
        {"answer": "Tỉnh bố trí kinh phí trong quý I/2027.", "answered_on": "2026-11-20"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ANSWERED
    assert proposal.answered_by_unit == world.province
    # The raiser and the cell's secretary are told.
    assert Notification.objects.filter(recipient=world.binh_user, code="proposal.answered")
    assert Notification.objects.filter(recipient=world.an_user, code="proposal.answered")
    assert [step.kind for step in proposal.steps.all()] == [
        StepKind.RAISED,
        StepKind.ESCALATED,
        StepKind.ESCALATED,
        StepKind.ANSWERED,
    ]

    # The raiser sees every step and the answer on their phone.
    client.force_login(world.binh_user)
    page = client.get(detail).content.decode()
    assert "Tỉnh bố trí kinh phí trong quý I/2027." in page
    assert page.count("list-group-item small") >= 4
    assert "Vượt thẩm quyền của chi bộ" in page


def test_plain_member_of_the_cell_does_not_see_a_fellow_members_proposal(
    client, world, levels, django_user_model
):
    fellow = make_member(world.khoi1, "Lý Văn Bạn")
    fellow_user = make_user(django_user_model, "ban", fellow)
    proposal = raise_proposal(world)
    assert status_of(client, fellow_user, reverse("proposals:detail", args=[proposal.pk])) == 404


@pytest.mark.parametrize("who", ["khoi2_user", "other_ward_user"])
def test_lists_of_other_cells_and_wards_do_not_show_it(client, world, levels, who):
    raise_proposal(world)
    client.force_login(getattr(levels, who))
    response = client.get(reverse("proposals:list") + "?level=")
    assert "Bố trí thêm thùng rác" not in response.content.decode()


def test_the_member_finds_the_answer_in_their_handbook(client, world):

    proposal = raise_proposal(world)
    services.proposal_answer(
        actor=world.an_user, proposal=proposal, answer="Tổ dân phố đã lắp hai thùng rác."
    )
    client.force_login(world.binh_user)
    page = client.get(reverse("accounts:handbook")).content.decode()
    assert reverse("proposals:detail", args=[proposal.pk]) in page
    assert "Tổ dân phố đã lắp hai thùng rác." in page


ACTIONS = {
    "answer": {"answer": "Đã xử lý", "answered_on": "2026-11-10"},
    "escalate": {"reason": "Cần cấp trên"},
    "assign": {"handler": ""},
    "hand_off": {"body": "UBND phường Hưng Phú", "sent_on": "2026-11-10"},
    "outside_answer": {"answer": "Đã xử lý", "answered_on": "2026-11-10"},
}


@pytest.mark.parametrize("route", sorted(ACTIONS))
def test_every_action_route_404_outside_the_path_403_when_only_readable(
    client, world, levels, route
):
    proposal = raise_proposal(world)
    url = reverse(f"proposals:{route}", args=[proposal.pk])
    data = dict(ACTIONS[route], handler=world.binh.pk)
    assert status_of(client, levels.khoi2_user, url, "post", data) == 404
    assert status_of(client, levels.other_ward_user, url, "post", data) == 404
    assert status_of(client, world.binh_user, url, "post", data) == 403  # the raiser reads
    assert status_of(client, levels.ward_user, url, "post", data) == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AT_CELL and proposal.steps.count() == 1


def test_attachments_are_read_only_on_the_path(client, world, levels):
    photo = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "image/png")
    proposal = raise_proposal(world, attachments=[photo])
    attachment = proposal.attachments.get()
    url = reverse("proposals:attachment", args=[proposal.pk, attachment.pk])
    assert status_of(client, world.binh_user, url) == 200
    assert status_of(client, levels.khoi2_user, url) == 404
