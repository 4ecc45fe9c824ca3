"""Member status changes (DOMAIN §3.3, §3.4, R3.10, R3.11, R3.14–R3.17): exemption and the
return from it, suspension and its lifting, removal from the rolls, death, re-admission. Each is
a dated event; history is never overwritten; a wrong change is reversed by a new event."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from chibo.core.dates import add_months
from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.lifecycle import status
from chibo.members import badges
from chibo.members.models import Member, MemberEvent, MemberStatus
from chibo.members.selectors import gaps_by_member
from tests.conftest import PASSWORD, give_position, make_member

VN = datetime.timezone(datetime.timedelta(hours=7))
D = datetime.date
TODAY = D(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=VN), tick=False):
        yield


def _exempt(world, member=None, **overrides):
    values = {
        "actor": world.an_user,
        "member": member or world.binh,
        "request_date": D(2026, 3, 2),
        "request_channel": status.RequestChannel.LETTER,
        "grounds": status.ExemptionGrounds.ELDERLY_WEAK,
        "weak_health": True,
        "resolution_date": D(2026, 3, 10),
        "resolution_ref": "05-NQ/CB",
    }
    values.update(overrides)
    return status.exemption_record(**values)


def _status(member) -> str:
    return Member.objects.get(pk=member.pk).status


# -- exemption -------------------------------------------------------------------------------


def test_exemption_takes_effect_from_the_cells_resolution_date(world):
    event = _exempt(world)

    assert _status(world.binh) == MemberStatus.EXEMPTED
    assert event.effective_date == D(2026, 3, 10)
    assert event.grounds == status.ExemptionGrounds.ELDERLY_WEAK
    assert event.decision_ref == "05-NQ/CB"
    assert event.details["request_date"] == "2026-03-02"
    assert event.details["request_channel"] == "letter"
    assert AuditEntry.objects.filter(code="member.exempted", target_id=str(world.binh.pk)).exists()


def test_age_alone_does_not_qualify_for_exemption(world):
    with pytest.raises(ServiceError, match="Tuổi cao không thôi"):
        _exempt(world, weak_health=False)
    assert _status(world.binh) == MemberStatus.OFFICIAL


def test_maternity_leave_exemption_is_for_women_members_only(world):
    with pytest.raises(ServiceError, match="chỉ áp dụng cho đảng viên nữ"):
        _exempt(world, member=world.an, grounds=status.ExemptionGrounds.MATERNITY_LEAVE)
    _exempt(world, grounds=status.ExemptionGrounds.MATERNITY_LEAVE, weak_health=False)
    assert _status(world.binh) == MemberStatus.EXEMPTED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"resolution_date": D(2026, 12, 1)}, "trong tương lai"),
        ({"request_date": D(2026, 3, 11)}, "không được trước ngày đảng viên đề nghị"),
        ({"resolution_date": D(2000, 1, 1), "request_date": D(2000, 1, 1)}, "19/03/2001"),
    ],
)
def test_exemption_dates_are_checked(world, overrides, message):
    with pytest.raises(ServiceError, match=message):
        _exempt(world, **overrides)
    assert not MemberEvent.objects.filter(member=world.binh, status="exempted").exists()


def test_return_from_exemption_goes_back_to_the_status_held_before(world):
    probationary = make_member(
        world.khoi1,
        "Võ Thị Hoa",
        official=False,
        sex="female",
        admission_decision_date=D(2026, 1, 5),
        ceremony_date=D(2026, 1, 20),
    )
    _exempt(world, member=probationary, grounds=status.ExemptionGrounds.MATERNITY_LEAVE)
    _exempt(world)

    status.exemption_return(
        actor=world.an_user,
        member=probationary,
        request_date=D(2026, 9, 1),
        effective_date=D(2026, 9, 8),
    )
    status.exemption_return(
        actor=world.an_user,
        member=world.binh,
        request_date=D(2026, 9, 1),
        effective_date=D(2026, 9, 8),
    )

    assert _status(probationary) == MemberStatus.PROBATIONARY
    assert _status(world.binh) == MemberStatus.OFFICIAL
    # The exemption stays in the history: three events, none changed.
    assert list(
        MemberEvent.objects.filter(member=world.binh)
        .order_by("effective_date")
        .values_list("status", flat=True)
    ) == ["official", "exempted", "official"]


def test_exempted_during_a_year_means_on_31_december_or_6_months_of_it(world):
    # Bình: exempted from 10/3/2026 to 8/9/2026: 182 days, at least 6 months.
    _exempt(world)
    status.exemption_return(
        actor=world.an_user,
        member=world.binh,
        request_date=D(2026, 9, 1),
        effective_date=D(2026, 9, 8),
    )
    # An: exempted from 10/11/2026, still on 31 December.
    _exempt(world, member=world.an, request_date=D(2026, 11, 2), resolution_date=D(2026, 11, 10))
    # Dũng: exempted from 1/2/2026 to 1/5/2026 only: 89 days, fewer than 6 months.
    _exempt(world, member=world.dung, request_date=D(2026, 1, 20), resolution_date=D(2026, 2, 1))
    status.exemption_return(
        actor=world.an_user,
        member=world.dung,
        request_date=D(2026, 4, 20),
        effective_date=D(2026, 5, 1),
    )

    ids = [world.an.pk, world.binh.pk, world.cuc.pk, world.dung.pk]
    assert status.exempted_during(ids, 2026) == {world.an.pk, world.binh.pk}
    assert status.exempted_during(ids, 2025) == set()


# -- suspension, removal, death --------------------------------------------------------------


def test_lifting_a_suspension_returns_to_the_previous_status_and_keeps_the_history(world):
    status.suspension_record(
        actor=world.an_user,
        member=world.binh,
        decision_date=D(2026, 4, 1),
        decision_ref="12-QĐ/ĐU",
        reason="Đang bị xem xét kỷ luật",
    )
    assert _status(world.binh) == MemberStatus.SUSPENDED
    with pytest.raises(ServiceError, match="Không thể ghi"):
        _exempt(world, request_date=D(2026, 5, 1), resolution_date=D(2026, 5, 2))

    status.suspension_lift(
        actor=world.an_user, member=world.binh, decision_date=D(2026, 6, 1), decision_ref="20-QĐ/ĐU"
    )

    assert _status(world.binh) == MemberStatus.OFFICIAL
    assert MemberEvent.objects.filter(member=world.binh).count() == 3
    codes = set(AuditEntry.objects.values_list("code", flat=True))
    assert {"member.suspended", "member.suspension_lifted", "member.status_changed"} <= codes


def test_removal_is_decided_by_the_committee_after_the_cells_proposal(world):
    with pytest.raises(ServiceError, match="không được trước ngày đề nghị của chi bộ"):
        status.removal_record(
            actor=world.an_user,
            member=world.binh,
            grounds=status.RemovalGrounds.UNEXCUSED_MONTHS,
            proposal_date=D(2026, 6, 10),
            decision_date=D(2026, 6, 1),
            decision_ref="30-QĐ/ĐU",
        )
    event = status.removal_record(
        actor=world.an_user,
        member=world.binh,
        grounds=status.RemovalGrounds.UNEXCUSED_MONTHS,
        proposal_date=D(2026, 6, 1),
        decision_date=D(2026, 6, 10),
        decision_ref="30-QĐ/ĐU",
        deciding_body="Đảng ủy phường Hưng Phú",
    )
    assert _status(world.binh) == MemberStatus.REMOVED
    assert event.effective_date == D(2026, 6, 10)
    assert event.details["proposal_date"] == "2026-06-01"
    assert event.grounds == "unexcused_months"


def test_death_is_final(world):
    status.death_record(actor=world.an_user, member=world.binh, date_of_death=D(2026, 2, 3))
    assert _status(world.binh) == MemberStatus.DECEASED
    assert status.allowed_actions(Member.objects.get(pk=world.binh.pk)) == []
    with pytest.raises(ServiceError):
        status.suspension_record(
            actor=world.an_user,
            member=world.binh,
            decision_date=D(2026, 3, 1),
            decision_ref="1",
            reason="x",
        )


# -- re-admission (R3.10, R3.11) -------------------------------------------------------------


def _removed_in_2020(world):
    with time_machine.travel(datetime.datetime(2020, 1, 15, 9, 0, tzinfo=VN), tick=False):
        status.removal_record(
            actor=world.an_user,
            member=world.binh,
            grounds=status.RemovalGrounds.CARD_RETURNED,
            proposal_date=D(2020, 1, 2),
            decision_date=D(2020, 1, 10),
            decision_ref="3-QĐ/ĐU",
        )


def test_readmission_is_refused_before_36_months_after_leaving(world):
    _removed_in_2020(world)
    with (
        time_machine.travel(datetime.datetime(2023, 1, 9, 9, 0, tzinfo=VN), tick=False),
        pytest.raises(ServiceError, match="từ ngày 10/01/2023") as error,
    ):
        status.readmission_record(
            actor=world.an_user,
            member=world.binh,
            decision_date=D(2023, 1, 9),
            decision_ref="7-QĐ/ĐU",
        )
    assert "36 tháng" in str(error.value)
    assert _status(world.binh) == MemberStatus.REMOVED


def test_readmission_after_36_months_keeps_the_first_decision_and_moves_party_age_by_the_gap(
    world,
):
    _removed_in_2020(world)
    with pytest.raises(ServiceError, match="không được trước ngày quyết định kết nạp"):
        status.readmission_record(
            actor=world.an_user,
            member=world.binh,
            decision_date=D(2023, 3, 10),
            decision_ref="7-QĐ/ĐU",
            ceremony_date=D(2023, 3, 1),
        )
    status.readmission_record(
        actor=world.an_user,
        member=world.binh,
        decision_date=D(2023, 3, 10),
        decision_ref="7-QĐ/ĐU",
        ceremony_date=D(2023, 3, 25),
    )

    binh = Member.objects.get(pk=world.binh.pk)
    assert binh.status == MemberStatus.PROBATIONARY
    assert binh.admission_decision_date == D(2000, 3, 1)  # the first decision
    assert (binh.ceremony_date, binh.official_date) == (D(2023, 3, 25), None)
    gaps = gaps_by_member(Member.objects.filter(pk=binh.pk))[binh.pk]
    assert gaps == [badges.Gap(D(2020, 1, 10), D(2023, 3, 10))]  # 3 years 2 months off the rolls
    age = badges.party_age(binh.admission_decision_date, gaps, on=TODAY)
    assert age is not None
    assert age.months == (26 * 12 + 8) - (3 * 12 + 2)
    # The 30-year badge: 1/3/2030 without the gap, 38 months later with it.
    assert badges.milestone_date(binh.admission_decision_date, 30, gaps) == add_months(
        D(2030, 3, 1), 38
    )
    assert AuditEntry.objects.filter(code="member.readmitted").exists()


# -- pages -----------------------------------------------------------------------------------


def _url(member, action):
    return reverse("lifecycle:status_change", args=[member.pk, action])


def _exemption_post(**overrides):
    data = {
        "request_date": "2026-03-02",
        "request_channel": "in_person",
        "grounds": "elderly_weak",
        "weak_health": "on",
        "resolution_date": "2026-03-10",
        "resolution_ref": "05-NQ/CB",
    }
    data.update(overrides)
    return data


def test_the_member_page_shows_the_status_changes_panel_with_actions_for_managers(client, world):
    client.login(username="an", password=PASSWORD)
    page = client.get(reverse("members:detail", args=[world.binh.pk])).content.decode()
    assert 'id="status-changes"' in page
    assert _url(world.binh, "exemption") in page
    assert _url(world.binh, "readmission") not in page

    client.login(username="binh", password=PASSWORD)
    own = client.get(reverse("members:detail", args=[world.binh.pk])).content.decode()
    assert 'id="status-changes"' in own
    assert _url(world.binh, "exemption") not in own


def test_the_secretary_records_an_exemption_through_the_form(client, world):
    client.login(username="an", password=PASSWORD)
    assert client.get(_url(world.binh, "exemption")).status_code == 200
    response = client.post(_url(world.binh, "exemption"), _exemption_post())
    assert response.status_code == 302
    assert _status(world.binh) == MemberStatus.EXEMPTED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"resolution_date": "2026-12-01"}, "trong tương lai"),
        ({"weak_health": ""}, "Tuổi cao không thôi"),
        ({"request_date": "2026-04-01"}, "không được trước"),
    ],
)
def test_a_bad_form_is_refused_clearly_and_changes_nothing(client, world, overrides, message):
    client.login(username="an", password=PASSWORD)
    response = client.post(_url(world.binh, "exemption"), _exemption_post(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert _status(world.binh) == MemberStatus.OFFICIAL


def test_readmission_form_refuses_a_ceremony_before_the_decision(client, world):
    _removed_in_2020(world)
    client.login(username="an", password=PASSWORD)
    page = client.get(_url(world.binh, "readmission")).content.decode()
    assert "10/01/2023" in page  # the earliest date, with the rule
    response = client.post(
        _url(world.binh, "readmission"),
        {"decision_date": "2023-03-10", "decision_ref": "7", "ceremony_date": "2023-03-01"},
    )
    assert "không được trước ngày quyết định kết nạp" in response.content.decode()
    assert _status(world.binh) == MemberStatus.REMOVED


def test_another_cells_secretary_gets_404_and_nothing_changes(client, world):
    give_position(world.dung, world.khoi2, "secretary")
    client.login(username="dung", password=PASSWORD)
    assert client.get(_url(world.binh, "exemption")).status_code == 404
    assert client.post(_url(world.binh, "exemption"), _exemption_post()).status_code == 404
    assert _status(world.binh) == MemberStatus.OFFICIAL


def test_a_plain_member_cannot_change_a_status_even_their_own(client, world):
    client.login(username="binh", password=PASSWORD)
    for member in (world.binh, world.an):
        response = client.post(_url(member, "exemption"), _exemption_post())
        assert response.status_code in (403, 404)
    assert _status(world.binh) == MemberStatus.OFFICIAL
    assert _status(world.an) == MemberStatus.OFFICIAL


def test_anonymous_is_sent_to_login_and_wrong_method_is_405(client, world):
    response = client.get(_url(world.binh, "exemption"))
    assert response.status_code == 302
    assert "login" in response["Location"]
    client.login(username="an", password=PASSWORD)
    assert client.put(_url(world.binh, "exemption")).status_code == 405
    assert client.get(_url(world.binh, "nonsense")).status_code == 404


def test_an_action_not_allowed_in_the_current_status_is_refused(client, world):
    client.login(username="an", password=PASSWORD)
    response = client.post(
        _url(world.binh, "readmission"), {"decision_date": "2026-01-10", "decision_ref": "7"}
    )
    assert response.status_code == 302
    assert _status(world.binh) == MemberStatus.OFFICIAL
