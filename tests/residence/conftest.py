import datetime
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from tests.conftest import give_position, make_member, make_org, make_user

TODAY = datetime.date(2026, 11, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0), tick=False):
        yield


@dataclass
class Res:
    agency: Any
    hoa: Any  # secretary of the agency cell (the workplace cell)
    giang: Any  # member of the agency cell who lives in Khối 1
    khanh: Any  # member of the agency cell, no link
    hoa_user: Any
    giang_user: Any
    dung_user: Any  # secretary of Khối 2: another residence cell


@pytest.fixture
def res(world, django_user_model, frozen) -> Res:
    agency = make_org(
        world.ward,
        "Chi bộ Cơ quan UBND phường",
        "cell",
        "38.168.000.000.010",
        cell_type="agency",
    )
    hoa = make_member(agency, "Đỗ Thị Hoa", sex="female", party_card_number="10000011")
    giang = make_member(agency, "Vũ Văn Giang", party_card_number="10000012")
    khanh = make_member(agency, "Hồ Văn Khánh", party_card_number="10000013")
    give_position(hoa, agency, "secretary")
    give_position(world.dung, world.khoi2, "secretary")
    return Res(
        agency=agency,
        hoa=hoa,
        giang=giang,
        khanh=khanh,
        hoa_user=make_user(django_user_model, "hoa", hoa),
        giang_user=make_user(django_user_model, "giang", giang),
        dung_user=world.dung_user,
    )
