"""The access matrix: each page × secretary / member / upper-level / other cell / anonymous.
Outside scope answers 404 (existence is not revealed); inside but read-only answers 403."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def status_for(client, user, url, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    return response.status_code


def test_cell_member_list_matrix(client, world):
    url = reverse("members:cell_list", args=[world.khoi1.pk])
    assert status_for(client, world.an_user, url) == 200  # secretary of the cell
    assert status_for(client, world.binh_user, url) == 200  # member of the cell
    assert status_for(client, world.cuc_user, url) == 200  # upper level, ward overseer
    assert status_for(client, world.dung_user, url) == 404  # member of another cell
    assert status_for(client, world.admin_user, url) == 200
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_member_detail_matrix(client, world):
    binh_url = reverse("members:detail", args=[world.binh.pk])
    assert status_for(client, world.an_user, binh_url) == 200
    assert status_for(client, world.binh_user, binh_url) == 200  # own record
    assert status_for(client, world.cuc_user, binh_url) == 200
    assert status_for(client, world.dung_user, binh_url) == 404
    an_url = reverse("members:detail", args=[world.an.pk])
    # A fellow member sees An in the list, not An's record.
    assert status_for(client, world.binh_user, an_url) == 404


def test_member_edit_matrix(client, world):
    url = reverse("members:edit", args=[world.binh.pk])
    assert status_for(client, world.an_user, url) == 200  # secretary keeps the register
    assert status_for(client, world.binh_user, url) == 403  # own record, read-only
    assert status_for(client, world.cuc_user, url) == 403  # overseer, read-only
    assert status_for(client, world.dung_user, url) == 404
    assert status_for(client, world.admin_user, url) == 200


def test_secretary_cannot_change_another_cells_member(client, world):
    client.force_login(world.an_user)
    url = reverse("members:edit", args=[world.dung.pk])
    response = client.post(url, {"full_name": "Đổi Tên", "sex": "male", "birth_date": "1970-05-01"})
    assert response.status_code == 404
    world.dung.refresh_from_db()
    assert world.dung.full_name == "Phạm Văn Dũng"


def test_other_commune_is_invisible_to_ward_overseer(client, world):
    from chibo.members.services import member_create

    stranger = member_create(
        actor=None,
        cell=world.other_cell,
        full_name="Hoàng Văn Tú",
        sex="male",
        birth_date=datetime.date(1980, 1, 1),
    )
    assert status_for(client, world.cuc_user, reverse("members:detail", args=[stranger.pk])) == 404
    assert (
        status_for(client, world.cuc_user, reverse("members:cell_list", args=[world.other_cell.pk]))
        == 404
    )


def test_unknown_ids_answer_like_forbidden_ones(client, world):
    assert status_for(client, world.an_user, reverse("members:detail", args=[999999])) == 404
    assert status_for(client, world.an_user, reverse("members:cell_list", args=[999999])) == 404


def test_member_list_shows_only_the_cells_members(client, world):
    client.force_login(world.binh_user)
    response = client.get(reverse("members:cell_list", args=[world.khoi1.pk]))
    names = [m.full_name for m in response.context["page"]]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert "Phạm Văn Dũng" not in response.content.decode()
