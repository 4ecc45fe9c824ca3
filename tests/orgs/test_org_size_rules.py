"""Issue 9, item 5: the size rules of party organizations bite where a user meets them.
cell.committee_min_official_members (9, Điều lệ Đảng Điều 24 khoản 4, R2.8): a smaller cell
elects a secretary and a deputy, not a cell committee. grassroots.committee_min_members (30,
Điều lệ Đảng Điều 21, R6.1): from 30 members a grassroots organization is a grassroots party
committee, below it a grassroots cell. Changing the number changes the behaviour."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from chibo.core.errors import ServiceError
from chibo.core.rules import rule_in_force
from chibo.orgs import services_rules
from chibo.orgs.models import Position, Role
from tests.conftest import give_position, make_member, make_org
from tests.meetings.factories import add_members

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 1, 1)


def _override(organization, key, value):
    services_rules.rule_override_create(
        actor=None,
        organization=organization,
        key=key,
        value=value,
        regulation="Quy định 01-QĐ/TU (thử nghiệm)",
        clause="",
        effective_from=datetime.date(2020, 1, 1),
    )


def test_the_central_numbers_are_9_and_30():
    committee = rule_in_force("cell.committee_min_official_members", organization=None, on=TODAY)
    grassroots = rule_in_force("grassroots.committee_min_members", organization=None, on=TODAY)
    assert (committee.value, committee.clause) == (9, "Điều 24, khoản 4")
    assert (grassroots.value, grassroots.clause) == (30, "Điều 21")


def test_a_cell_of_8_official_members_cannot_have_a_cell_committee_member(world):
    add_members(world.khoi1, 6)  # with An and Bình: 8
    with pytest.raises(ServiceError) as refused:
        give_position(world.binh, world.khoi1, Role.COMMITTEE_MEMBER)
    text = " ".join(refused.value.messages)
    assert "8" in text and "9" in text and "Điều 24, khoản 4" in text
    assert not Position.objects.filter(role=Role.COMMITTEE_MEMBER).exists()
    # A deputy secretary is elected in such a cell.
    assert give_position(world.binh, world.khoi1, Role.DEPUTY_SECRETARY).pk


def test_a_cell_of_9_official_members_may(world):
    add_members(world.khoi1, 7)
    assert give_position(world.binh, world.khoi1, Role.COMMITTEE_MEMBER).pk


def test_a_lower_number_set_by_the_province_allows_a_committee_in_a_smaller_cell(world):
    with pytest.raises(ServiceError):
        give_position(world.binh, world.khoi1, Role.COMMITTEE_MEMBER)
    _override(world.province, "cell.committee_min_official_members", 2)
    assert give_position(world.binh, world.khoi1, Role.COMMITTEE_MEMBER).pk


def test_the_cell_page_says_which_leadership_the_cell_elects(client, world):
    client.force_login(world.an_user)
    add_members(world.khoi1, 1)
    body = client.get(reverse("orgs:detail", args=[world.khoi1.pk])).content.decode()
    assert "3 đảng viên chính thức: dưới 9 đảng viên chính thức, chi bộ bầu bí thư" in body
    add_members(world.khoi1, 6, prefix="Thêm")
    body = client.get(reverse("orgs:detail", args=[world.khoi1.pk])).content.decode()
    assert "9 đảng viên chính thức: từ 9 đảng viên chính thức, chi bộ bầu chi ủy" in body


def test_a_grassroots_committee_under_30_members_is_shown_as_a_grassroots_cell(client, world):
    committee = make_org(
        world.province, "Đảng ủy Công ty Thử Nghiệm", "grassroots_committee", "38.900"
    )
    cell = make_org(committee, "Chi bộ Phân xưởng 1", "cell", "38.900.001")
    member = make_member(cell, "Đỗ Văn Hải", party_card_number="10000099")
    give_position(member, committee, Role.SECRETARY)
    add_members(cell, 1)
    client.force_login(world.admin_user)
    url = reverse("orgs:detail", args=[committee.pk])
    text = "2 đảng viên: tổ chức cơ sở đảng có dưới 30 đảng viên là chi bộ cơ sở"
    assert text in client.get(url).content.decode()
    _override(world.province, "grassroots.committee_min_members", 2)
    assert "là chi bộ cơ sở" not in client.get(url).content.decode()


# -- R2.8: a cell committee has at most 7 members (29-QĐ/TW) ----------------------------------


def test_a_cell_committee_has_at_most_7_members(world):
    """An is the secretary; Bình the deputy; five committee members make seven: an eighth is
    refused, the rule quoted. A member already in the committee may change role."""
    rule = rule_in_force("cell.committee_max_members", organization=world.khoi1, on=TODAY)
    assert rule.value == 7
    others = add_members(world.khoi1, 10)  # 12 official members
    give_position(world.binh, world.khoi1, Role.DEPUTY_SECRETARY)
    for member in others[:5]:
        give_position(member, world.khoi1, Role.COMMITTEE_MEMBER)
    with pytest.raises(ServiceError) as refused:
        give_position(others[5], world.khoi1, Role.COMMITTEE_MEMBER)
    text = " ".join(refused.value.messages)
    assert "đã có 7 đồng chí" in text and "24-QĐ/TW" in text
    assert give_position(others[0], world.khoi1, Role.DEPUTY_SECRETARY).pk


def test_in_2019_the_7_members_are_29_qd_tws_own():
    rule = rule_in_force(
        "cell.committee_max_members", organization=None, on=datetime.date(2019, 6, 1)
    )
    assert (rule.value, rule.regulation, rule.confidence) == (
        7,
        "Quy định 29-QĐ/TW (25/7/2016)",
        "sure",
    )


def test_a_province_allowing_9_committee_members_lets_an_eighth_in(world):
    _override(world.province, "cell.committee_max_members", 9)
    others = add_members(world.khoi1, 10)
    give_position(world.binh, world.khoi1, Role.DEPUTY_SECRETARY)
    for member in others[:6]:
        give_position(member, world.khoi1, Role.COMMITTEE_MEMBER)
    assert Position.objects.filter(organization=world.khoi1).count() >= 8
