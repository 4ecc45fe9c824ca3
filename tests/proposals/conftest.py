"""Keepers of the levels above Khối 1, for the escalation path."""

from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import give_position, make_member, make_user


@dataclass
class Levels:
    ward_user: Any  # secretary of Đảng ủy phường Hưng Phú
    province_user: Any  # secretary of the province
    other_ward_user: Any  # secretary of Đảng ủy xã Tân Sơn
    khoi2_user: Any  # secretary of Chi bộ Khối 2 (another cell of the ward)


@pytest.fixture
def levels(world, django_user_model) -> Levels:
    ward_secretary = make_member(world.khoi2, "Hồ Văn Phường", party_card_number="10000011")
    give_position(ward_secretary, world.ward, "secretary")
    province_secretary = make_member(world.other_cell, "Đinh Văn Tỉnh")
    give_position(province_secretary, world.province, "secretary")
    other_secretary = make_member(world.other_cell, "Lò Văn Sơn")
    give_position(other_secretary, world.other_ward, "secretary")
    give_position(world.dung, world.khoi2, "secretary")
    return Levels(
        ward_user=make_user(django_user_model, "phuong", ward_secretary),
        province_user=make_user(django_user_model, "tinh", province_secretary),
        other_ward_user=make_user(django_user_model, "tanson", other_secretary),
        khoi2_user=world.dung_user,
    )
