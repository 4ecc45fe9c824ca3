"""Issue 9, item 22: a ward's secretaries and organisation staff create and edit the units of
their own subtree (DOMAIN R6.3: the commune/ward committee is the level directly above the
cells); nothing outside or above it. Administrators keep everything. Giang is the ward's
secretary, Hạnh its organisation staff, An Khối 1's secretary, Cúc follows the ward (read
only)."""

import pytest
from django.urls import reverse

from chibo.orgs.models import Organization
from tests.conftest import give_position, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_keepers(world, django_user_model):
    giang = make_member(world.khoi2, "Hoàng Văn Giang", party_card_number="10000011")
    hanh = make_member(world.khoi2, "Đỗ Thị Hạnh", sex="female", party_card_number="10000012")
    give_position(giang, world.ward, "secretary")
    give_position(hanh, world.ward, "organization_staff")
    return (
        make_user(django_user_model, "giang", giang),
        make_user(django_user_model, "hanh", hanh),
    )


def new_cell(name="Chi bộ Khối 3", code="38.168.000.000.003"):
    return {
        "name": name,
        "kind": "cell",
        "cell_type": "residential_group",
        "code": code,
        "address": "Nhà văn hóa",
        "active_from": "2025-07-01",
    }


def test_a_ward_secretary_creates_a_cell_under_the_ward(client, world, ward_keepers):
    client.force_login(ward_keepers[0])
    assert client.get(reverse("orgs:new", args=[world.ward.pk])).status_code == 200
    response = client.post(reverse("orgs:new", args=[world.ward.pk]), new_cell())
    assert response.status_code == 302
    cell = Organization.objects.get(code="38.168.000.000.003")
    assert Organization.objects.get_parent(cell).pk == world.ward.pk


def test_organisation_staff_of_the_ward_create_a_cell_too(client, world, ward_keepers):
    client.force_login(ward_keepers[1])
    response = client.post(reverse("orgs:new", args=[world.ward.pk]), new_cell())
    assert response.status_code == 302
    assert Organization.objects.filter(code="38.168.000.000.003").exists()


def test_a_ward_secretary_cannot_create_under_another_ward(client, world, ward_keepers):
    client.force_login(ward_keepers[0])
    before = Organization.objects.count()
    response = client.post(
        reverse("orgs:new", args=[world.other_ward.pk]),
        new_cell(code="38.201.000.000.009"),
    )
    assert response.status_code == 404
    assert Organization.objects.count() == before


def test_a_ward_secretary_edits_a_cell_of_the_ward_but_not_the_ward_or_above(
    client, world, ward_keepers
):
    client.force_login(ward_keepers[0])
    response = client.post(
        reverse("orgs:edit", args=[world.khoi2.pk]),
        {**new_cell(name="Chi bộ Khối 2 (mới)", code="38.168.000.000.002")},
    )
    assert response.status_code == 302
    world.khoi2.refresh_from_db()
    assert world.khoi2.name == "Chi bộ Khối 2 (mới)"
    # The ward itself is decided above it; the province is above; the other ward is outside.
    assert client.get(reverse("orgs:edit", args=[world.ward.pk])).status_code == 403
    assert client.get(reverse("orgs:edit", args=[world.province.pk])).status_code == 404
    assert client.get(reverse("orgs:edit", args=[world.other_cell.pk])).status_code == 404
    assert client.get(reverse("orgs:new", args=[world.province.pk])).status_code == 404


def test_the_ward_page_offers_adding_a_unit_to_its_secretary(client, world, ward_keepers):
    client.force_login(ward_keepers[0])
    page = client.get(reverse("orgs:detail", args=[world.ward.pk])).content.decode()
    assert reverse("orgs:new", args=[world.ward.pk]) in page


def test_a_ward_secretary_moves_a_cell_only_inside_the_ward(client, world, ward_keepers):
    client.force_login(ward_keepers[0])
    data = {
        "new_parent_code": world.other_ward.code,
        "new_code": "38.201.000.000.002",
        "effective_date": "2025-07-01",
        "reason": "Sáp nhập",
    }
    response = client.post(reverse("orgs:move", args=[world.khoi2.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["new_parent_code"]
    world.khoi2.refresh_from_db()
    assert Organization.objects.get_parent(world.khoi2).pk == world.ward.pk


def test_cell_secretaries_and_upper_followers_still_cannot_change_the_tree(client, world):
    client.force_login(world.an_user)
    assert client.get(reverse("orgs:new", args=[world.khoi1.pk])).status_code == 403
    assert client.get(reverse("orgs:edit", args=[world.khoi1.pk])).status_code == 403
    client.force_login(world.cuc_user)
    assert client.get(reverse("orgs:new", args=[world.ward.pk])).status_code == 403
    assert client.get(reverse("orgs:edit", args=[world.khoi1.pk])).status_code == 403
