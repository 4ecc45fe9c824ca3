"""Correction requests (issue 14; Nghị định 13/2023/NĐ-CP Art. 9.5: the data subject may ask for
their data to be corrected): Bình asks from her handbook; An, who keeps Khối 1's register, is
notified, sees it in his list and answers; Bình is notified and reads the answer in her
handbook. A keeper of another cell neither sees nor answers it."""

import pytest
from django.urls import reverse

from chibo.core.models import AuditEntry
from chibo.members.models import CorrectionRequest, CorrectionStatus
from chibo.notify.models import Notification
from tests.conftest import give_position, make_member, make_user

pytestmark = pytest.mark.django_db

NEW_URL = reverse("accounts:correction_new")
LIST_URL = reverse("accounts:corrections")
ASK = {
    "section": "profile",
    "field_label": "Ngày sinh",
    "wrong_text": "Ngày sinh ghi 01/05/1970",
    "correct_text": "Ngày sinh đúng là 01/06/1970",
}


@pytest.fixture
def keepers(world, django_user_model):
    """Dũng keeps Khối 2's register; Giang is organisation staff of the ward (above both)."""
    give_position(world.dung, world.khoi2, "secretary")
    giang = make_member(world.khoi2, "Đỗ Thị Giang", sex="female", party_card_number="10000007")
    give_position(giang, world.ward, "organization_staff")
    world.giang_user = make_user(django_user_model, "giang", giang)
    return world


def _ask(client, user, data=ASK):
    client.force_login(user)
    return client.post(NEW_URL, data)


def test_request_reaches_the_cells_keeper_by_notification_and_list(client, keepers):
    response = _ask(client, keepers.binh_user)
    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    assert request.member == keepers.binh and request.status == CorrectionStatus.OPEN
    assert request.wrong_text == "Ngày sinh ghi 01/05/1970"
    # The nearest level with a register keeper (Khối 1: An) is told; not the ward, not Dũng.
    told = Notification.objects.filter(code="correction.requested")
    assert [n.recipient_id for n in told] == [keepers.an_user.pk]
    assert told[0].url == reverse("accounts:correction", args=[request.pk])
    assert AuditEntry.objects.filter(code="correction_request.created").count() == 1
    client.force_login(keepers.an_user)
    page = client.get(LIST_URL).content.decode()
    assert "Trần Thị Bình" in page
    # The ward's organisation staff keep the register of the whole ward: they see it too.
    client.force_login(keepers.giang_user)
    assert "Trần Thị Bình" in client.get(LIST_URL).content.decode()


def test_keeper_of_another_cell_neither_sees_nor_answers(client, keepers):
    _ask(client, keepers.binh_user)
    request = CorrectionRequest.objects.get()
    client.force_login(keepers.dung_user)
    assert "Trần Thị Bình" not in client.get(LIST_URL).content.decode()
    url = reverse("accounts:correction", args=[request.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"status": "done", "answer": "Đã sửa"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == CorrectionStatus.OPEN and request.answer == ""


def test_members_and_observers_have_no_list(client, keepers):
    _ask(client, keepers.binh_user)
    request = CorrectionRequest.objects.get()
    # Bình keeps no register; Cúc oversees the ward but does not keep its register.
    for user in (keepers.binh_user, keepers.cuc_user):
        client.force_login(user)
        assert client.get(LIST_URL).status_code == 403
        assert client.get(reverse("accounts:correction", args=[request.pk])).status_code == 404


def test_answer_reaches_the_member(client, keepers):
    _ask(client, keepers.binh_user)
    request = CorrectionRequest.objects.get()
    client.force_login(keepers.an_user)
    url = reverse("accounts:correction", args=[request.pk])
    assert 'id="correction-answer-form"' in client.get(url).content.decode()
    response = client.post(url, {"status": "done", "answer": "Đã sửa ngày sinh thành 01/06/1970."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == CorrectionStatus.DONE
    assert request.handled_by == keepers.an_user and request.handled_at is not None
    told = Notification.objects.get(code="correction.answered")
    assert told.recipient == keepers.binh_user
    client.force_login(keepers.binh_user)
    handbook = client.get(reverse("accounts:handbook")).content.decode()
    assert "Đã sửa ngày sinh thành 01/06/1970." in handbook
    # Answered once: a second answer is refused and changes nothing.
    client.force_login(keepers.an_user)
    page = client.post(url, {"status": "rejected", "answer": "Khác"}).content.decode()
    assert "đã được trả lời" in page
    request.refresh_from_db()
    assert request.status == CorrectionStatus.DONE
    assert AuditEntry.objects.filter(code="correction_request.answered").count() == 1


def test_an_answer_without_text_is_refused_and_changes_nothing(client, keepers):
    _ask(client, keepers.binh_user)
    request = CorrectionRequest.objects.get()
    client.force_login(keepers.an_user)
    response = client.post(
        reverse("accounts:correction", args=[request.pk]), {"status": "rejected", "answer": " "}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    request.refresh_from_db()
    assert request.status == CorrectionStatus.OPEN
    assert not Notification.objects.filter(code="correction.answered").exists()


def test_a_request_without_what_is_wrong_is_refused_and_nothing_is_kept(client, keepers):
    response = _ask(client, keepers.binh_user, {**ASK, "wrong_text": "", "section": "nonsense"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not CorrectionRequest.objects.exists()
    assert not Notification.objects.filter(code="correction.requested").exists()


def test_a_keeper_asking_for_their_own_correction_is_not_told_of_it(client, keepers):
    """An keeps Khối 1's register: his own request goes to the ward's keeper instead."""
    _ask(client, keepers.an_user)
    told = Notification.objects.filter(code="correction.requested")
    assert [n.recipient_id for n in told] == [keepers.giang_user.pk]


def test_wrong_methods(client, keepers):
    client.force_login(keepers.an_user)
    assert client.post(LIST_URL).status_code == 405
    assert client.put(NEW_URL).status_code == 405
