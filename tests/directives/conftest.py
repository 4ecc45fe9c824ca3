import datetime

import pytest
from django.utils import timezone

from chibo.directives import services
from tests.conftest import give_position, make_member, make_user

ISSUED = datetime.date(2026, 10, 1)


def deadline(days: int = 60) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def ward_keeper(world, django_user_model):
    """The ward's secretary (a member of Khối 2), who issues the ward's directives."""
    member = make_member(world.khoi2, "Hoàng Văn Phường", party_card_number="10000009")
    give_position(member, world.ward, "secretary")
    return make_user(django_user_model, "phuong", member)


@pytest.fixture
def province_keeper(world, django_user_model):
    member = make_member(world.other_cell, "Vũ Văn Tỉnh", party_card_number="10000010")
    give_position(member, world.province, "deputy_secretary")
    return make_user(django_user_model, "tinh", member)


@pytest.fixture
def other_ward_keeper(world, django_user_model):
    member = make_member(world.other_cell, "Đinh Văn Sơn", party_card_number="10000011")
    give_position(member, world.other_ward, "secretary")
    return make_user(django_user_model, "son", member)


def issue(actor, issuer, **overrides):
    values = {
        "number_symbol": "12-CT/ĐU",
        "issued_on": ISSUED,
        "subject": "Tổ chức đón Tết Nguyên đán Bính Ngọ 2026",
        "body": "Các chi bộ phổ biến đến đảng viên.",
        "must_disseminate": True,
        "disseminate_by": deadline(),
        "target_mode": "subtree",
    }
    values.update(overrides)
    return services.directive_issue(actor=actor, issuer=issuer, **values)
