"""Bad input gets a clear refusal and changes nothing (issue 10): escalating an answered
proposal, answering from outside the path, escalating above the province, dates in the future
or before the raise, empty answers and reasons, a raiser from another cell."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.core.errors import ServiceError
from chibo.proposals import services
from chibo.proposals.models import HandOff, Proposal, ProposalStatus, ProposalStep
from tests.proposals.helpers import RAISED_ON, raise_proposal


def unchanged(proposal):
    fresh = Proposal.objects.get(pk=proposal.pk)
    return (fresh.version, fresh.status, fresh.level_id, fresh.answer) == (
        proposal.version,
        proposal.status,
        proposal.level_id,
        proposal.answer,
    ) and ProposalStep.objects.filter(proposal=proposal).count() == proposal.steps.count()


def test_escalating_or_answering_an_answered_proposal_is_refused(world):
    proposal = services.proposal_answer(
        actor=world.an_user, proposal=raise_proposal(world), answer="Chi bộ đã đề nghị tổ dân phố"
    )
    steps = proposal.steps.count()
    with pytest.raises(ServiceError, match="đã được trả lời"):
        services.proposal_escalate(actor=world.an_user, proposal=proposal, reason="Chưa thỏa đáng")
    with pytest.raises(ServiceError, match="đã được trả lời"):
        services.proposal_answer(actor=world.an_user, proposal=proposal, answer="Lần hai")
    proposal.refresh_from_db()
    assert proposal.level == world.khoi1 and proposal.steps.count() == steps


def test_answering_from_outside_the_path_is_refused_by_the_service_too(world, levels):
    proposal = raise_proposal(world)
    for user in (levels.ward_user, levels.khoi2_user, levels.other_ward_user):
        with pytest.raises(ServiceError, match="Chi bộ Khối 1"):
            services.proposal_answer(actor=user, proposal=proposal, answer="Đã xử lý")
    assert unchanged(proposal)


def test_escalating_above_the_province_is_refused(world, levels):
    proposal = raise_proposal(world)
    proposal = services.proposal_escalate(actor=world.an_user, proposal=proposal, reason="a")
    proposal = services.proposal_escalate(actor=levels.ward_user, proposal=proposal, reason="b")
    assert proposal.level == world.province
    with pytest.raises(ServiceError, match="cấp cao nhất"):
        services.proposal_escalate(actor=levels.province_user, proposal=proposal, reason="c")
    assert unchanged(proposal)


def test_empty_reason_and_empty_answer_are_refused(world):
    proposal = raise_proposal(world)
    with pytest.raises(ServiceError, match="lý do"):
        services.proposal_escalate(actor=world.an_user, proposal=proposal, reason="   ")
    with pytest.raises(ServiceError, match="Hãy ghi nội dung trả lời"):
        services.proposal_answer(actor=world.an_user, proposal=proposal, answer=" ")
    assert unchanged(proposal)


def test_future_dates_and_dates_before_the_raise_are_refused(world):
    proposal = raise_proposal(world)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = RAISED_ON - datetime.timedelta(days=1)
    for day in (tomorrow, before):
        with pytest.raises(ServiceError):
            services.proposal_answer(
                actor=world.an_user, proposal=proposal, answer="Đã xử lý", answered_on=day
            )
        with pytest.raises(ServiceError):
            services.proposal_hand_off(
                actor=world.an_user, proposal=proposal, body="UBND phường", sent_on=day
            )
    with pytest.raises(ServiceError, match="tương lai"):
        raise_proposal(world, raised_on=tomorrow)
    assert unchanged(proposal)
    assert not HandOff.objects.exists()


def test_a_raiser_from_another_cell_is_refused(world):
    with pytest.raises(ServiceError, match="đảng viên của chi bộ"):
        raise_proposal(world, raised_by=world.dung)
    assert not Proposal.objects.exists()


def test_a_bad_form_answers_400_with_the_refusal_and_changes_nothing(client, world):
    proposal = raise_proposal(world)
    client.force_login(world.an_user)
    response = client.post(reverse("proposals:escalate", args=[proposal.pk]), {"reason": ""})
    assert response.status_code == 400
    response = client.post(
        reverse("proposals:answer", args=[proposal.pk]),
        {"answer": "Đã xử lý", "answered_on": (RAISED_ON - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert "02/11/2026" in response.content.decode()
    assert unchanged(proposal)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.AT_CELL


def test_hand_off_then_outside_answer_then_the_level_answers_with_it(client, world, levels):
    proposal = raise_proposal(world)
    proposal = services.proposal_escalate(actor=world.an_user, proposal=proposal, reason="a")
    client.force_login(levels.ward_user)
    response = client.post(
        reverse("proposals:hand_off", args=[proposal.pk]),
        {"body": "UBND phường Hưng Phú", "sent_on": "2026-11-10"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.HANDED_OFF
    # While it waits for the body, it cannot be escalated.
    with pytest.raises(ServiceError, match="cơ quan chính quyền"):
        services.proposal_escalate(actor=levels.ward_user, proposal=proposal, reason="x")
    # The outside answer cannot predate the hand-off.
    response = client.post(
        reverse("proposals:outside_answer", args=[proposal.pk]),
        {"answer": "Sẽ lắp thùng rác", "answered_on": "2026-11-09"},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("proposals:outside_answer", args=[proposal.pk]),
        {"answer": "UBND phường lắp 2 thùng rác trước 30/11.", "answered_on": "2026-11-18"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ESCALATED  # back with the ward, to answer
    hand_off = proposal.hand_offs.get()
    assert hand_off.answered_on == datetime.date(2026, 11, 18)
    # The answer form is filled with the body's answer.
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert page.count("UBND phường lắp 2 thùng rác trước 30/11.") >= 2
    client.post(
        reverse("proposals:answer", args=[proposal.pk]),
        {"answer": "UBND phường lắp 2 thùng rác trước 30/11.", "answered_on": "2026-11-19"},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ANSWERED
    assert proposal.answered_by_unit == world.ward
