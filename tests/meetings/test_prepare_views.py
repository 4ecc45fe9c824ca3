"""The preparation page (DOMAIN §1.3): the cell committee's preparatory meeting, the agenda
built from the standard sequence with last month's assignments and deferred items, documents,
the draft resolution and publishing with the notice rule."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chibo.meetings import services
from chibo.meetings.models import AgendaItem, MeetingDocument, MeetingStatus, PreparatoryMeeting
from chibo.notify.models import Notification
from tests.conftest import make_member
from tests.meetings.factories import at, make_meeting, mark_all, open_meeting

pytestmark = pytest.mark.django_db

VN = datetime.timezone(datetime.timedelta(hours=7))
HTMX = {"HTTP_HX_REQUEST": "true"}
# A week before the meeting of 3/11/2026: well inside the notice period.
BEFORE = datetime.datetime(2026, 10, 27, 9, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded documents go to a temporary directory, not the project's var/."""
    settings.MEDIA_ROOT = tmp_path


def _login(client, user):
    client.force_login(user)
    return client


def _text(response):
    return response.content.decode()


def _url(name, meeting, *extra):
    return reverse(f"meetings:{name}", args=[meeting.pk, *extra])


@pytest.fixture
def meeting(world):
    return make_meeting(world.khoi1)


def test_prepare_page_for_the_secretary_only(world, client, meeting):
    url = _url("prepare", meeting)
    page = _login(client, world.an_user).get(url)
    assert page.status_code == 200
    text = _text(page)
    assert "Chi ủy họp chuẩn bị" in text
    assert "Lập theo trình tự chuẩn" in text
    # The notice rule explains itself (DOMAIN R1.12, 42-HD/BTCTW).
    assert "Số ngày trước buổi sinh hoạt phải đăng tải tài liệu: 1 ngày" in text
    assert _login(client, world.binh_user).get(url).status_code == 403
    assert _login(client, world.cuc_user).get(url).status_code == 403
    assert _login(client, world.dung_user).get(url).status_code == 404
    assert _login(client, world.an_user).post(url).status_code == 405


def test_prepare_page_sends_a_started_meeting_to_its_page(world, client, meeting):
    open_meeting(meeting, world.an, world.binh)
    response = _login(client, world.an_user).get(_url("prepare", meeting))
    assert response.status_code == 302
    assert response["Location"] == _url("detail", meeting)


def test_preparatory_meeting_is_recorded(world, client, meeting):
    _login(client, world.an_user)
    response = client.post(
        _url("prepare_preparation", meeting),
        {
            "held_on": "2026-10-28",
            "participants": [world.an.pk, world.binh.pk],
            "agreed": "Thống nhất đánh giá tháng 10 và dự thảo nghị quyết tháng 11.",
        },
    )
    assert response.status_code == 302
    preparation = PreparatoryMeeting.objects.get(meeting=meeting)
    assert set(preparation.participants.all()) == {world.an, world.binh}
    assert "Đã ghi nhận: họp ngày 28/10/2026." in _text(client.get(_url("prepare", meeting)))


def test_preparatory_meeting_needs_participants_of_the_cell(world, client, meeting):
    _login(client, world.an_user)
    response = client.post(
        _url("prepare_preparation", meeting),
        {"held_on": "2026-10-28", "participants": [world.dung.pk], "agreed": "Thống nhất"},
    )
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ." in _text(response)  # Dũng is not in Khối 1
    response = client.post(
        _url("prepare_preparation", meeting),
        {"held_on": "2026-11-10", "participants": [world.an.pk], "agreed": "Thống nhất"},
    )
    assert "Cuộc họp chuẩn bị phải được tổ chức trước buổi sinh hoạt." in _text(response)
    assert not PreparatoryMeeting.objects.exists()


def _previous_meeting_with_assignment_and_deferred_item(world):
    """October's meeting: held, it assigned a task to Bình and deferred one item."""
    october = make_meeting(world.khoi1, date=datetime.date(2026, 10, 3))
    services.agenda_build(actor=None, meeting=october)
    open_meeting(october, world.an, world.binh)
    mark_all(october)
    services.assignment_add(
        actor=None,
        meeting=october,
        title="Rà soát hộ nghèo khu phố",
        members=[world.binh],
        due_date=datetime.date(2026, 10, 31),
    )
    item = services.agenda_item_add(actor=None, meeting=october, title="Sửa chữa nhà văn hóa")
    services.agenda_item_update(actor=None, item=item, deferred=True)
    services.meeting_close(actor=None, meeting=october, ended_at=at(october.date, 21, 15))
    return october


def test_agenda_is_built_with_last_months_assignments_and_deferred_items(world, client, meeting):
    _previous_meeting_with_assignment_and_deferred_item(world)
    _login(client, world.an_user)
    page = _text(client.get(_url("prepare", meeting)))
    assert "Nhiệm vụ cần đánh giá tại buổi sinh hoạt này" in page
    assert "Rà soát hộ nghèo khu phố" in page
    assert "Nội dung buổi sinh hoạt ngày 03/10/2026 chuyển sang" in page
    response = client.post(_url("prepare_agenda_build", meeting), **HTMX)
    assert response.status_code == 200
    partial = _text(response)
    assert partial.startswith('<div id="agenda-editor">')
    assert "Thông tin thời sự" in partial
    assert "Rà soát hộ nghèo khu phố" in partial  # in the review step's guidance, with status
    assert "Sửa chữa nhà văn hóa" in partial
    assert "Chuyển từ buổi trước" in partial
    carried = AgendaItem.objects.get(meeting=meeting, title="Sửa chữa nhà văn hóa")
    assert carried.carried_from is not None
    # A second build is refused: the agenda exists.
    again = client.post(_url("prepare_agenda_build", meeting), **HTMX)
    assert "Buổi sinh hoạt đã có nội dung, chương trình." in _text(again)


def test_agenda_items_are_added_edited_moved_and_deleted(world, client, meeting):
    _login(client, world.an_user)
    services.agenda_build(actor=None, meeting=meeting)
    items = list(meeting.agenda_items.order_by("position"))
    response = client.post(
        _url("prepare_agenda_add", meeting),
        {"new-title": "Góp ý dự thảo quy ước khu phố", "new-guidance": ""},
        **HTMX,
    )
    assert "Góp ý dự thảo quy ước khu phố" in _text(response)
    added = AgendaItem.objects.get(meeting=meeting, title="Góp ý dự thảo quy ước khu phố")
    # Before the closing, which stays last (issue 9, item 21).
    assert added.position == len(items)
    assert meeting.agenda_items.order_by("position").last().step == "closing"
    first, second = items[0], items[1]
    client.post(_url("prepare_agenda_move", meeting, second.pk), {"direction": "up"}, **HTMX)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.position < first.position
    response = client.post(
        _url("prepare_agenda_edit", meeting, first.pk),
        {
            f"item{first.pk}-title": "Thu đảng phí tháng 11",
            f"item{first.pk}-guidance": "Báo cáo tình hình thu nộp.",
            f"item{first.pk}-version": first.version,
        },
        **HTMX,
    )
    assert "Thu đảng phí tháng 11" in _text(response)
    # A stale edit from another phone is refused with a clear message.
    stale = client.post(
        _url("prepare_agenda_edit", meeting, first.pk),
        {f"item{first.pk}-title": "Đảng phí", f"item{first.pk}-version": first.version},
        **HTMX,
    )
    assert "alert-danger" in _text(stale)
    first.refresh_from_db()
    assert first.title == "Thu đảng phí tháng 11"
    client.post(_url("prepare_agenda_delete", meeting, added.pk), **HTMX)
    assert not AgendaItem.objects.filter(pk=added.pk).exists()
    # Without htmx the same actions answer with a redirect to the agenda.
    response = client.post(_url("prepare_agenda_move", meeting, first.pk), {"direction": "down"})
    assert response.status_code == 302
    assert response["Location"].endswith("#agenda")


def test_agenda_bad_input_changes_nothing(world, client, meeting):
    _login(client, world.an_user)
    services.agenda_build(actor=None, meeting=meeting)
    count = meeting.agenda_items.count()
    response = client.post(_url("prepare_agenda_add", meeting), {"new-title": "  "}, **HTMX)
    assert "Nhập tên nội dung." in _text(response)
    assert meeting.agenda_items.count() == count
    item = meeting.agenda_items.first()
    assert (
        client.post(
            _url("prepare_agenda_move", meeting, item.pk), {"direction": "left"}
        ).status_code
        == 400
    )
    other = make_meeting(world.khoi1, kind="extraordinary", date=datetime.date(2026, 11, 20))
    # An item of another meeting is not found through this one.
    assert client.post(_url("prepare_agenda_delete", other, item.pk)).status_code == 404
    assert client.get(_url("prepare_agenda_delete", meeting, item.pk)).status_code == 405
    assert (
        _login(client, world.binh_user)
        .post(_url("prepare_agenda_delete", meeting, item.pk))
        .status_code
        == 403
    )
    assert meeting.agenda_items.count() == count


def _upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_documents_are_attached_and_removed(world, client, meeting):
    _login(client, world.an_user)
    response = client.post(
        _url("prepare_document_add", meeting),
        {"title": "Dự thảo nghị quyết tháng 11", "file": _upload("du-thao.pdf", b"%PDF-1.7 ...")},
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get(meeting=meeting)
    assert document.content_type == "application/pdf"
    # A phone that sends a Word file as octet-stream still gets it stored as Word.
    client.post(
        _url("prepare_document_add", meeting),
        {"file": _upload("ke-hoach.docx", b"PK\x03\x04 docx", "application/octet-stream")},
    )
    word = MeetingDocument.objects.get(meeting=meeting, title="ke-hoach.docx")
    assert word.content_type.endswith("wordprocessingml.document")
    response = client.post(_url("prepare_document_remove", meeting, word.pk))
    assert response.status_code == 302
    assert list(MeetingDocument.objects.filter(meeting=meeting)) == [document]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cai-dat.exe", b"MZ\x90\x00", "Đính kèm tệp PDF, Word, Excel hoặc ảnh (JPEG, PNG)."),
        ("cai-dat.pdf", b"MZ\x90\x00", "Nội dung tệp không khớp với phần mở rộng của tên tệp"),
        ("qua-lon.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "Tệp lớn hơn 10 MB."),
    ],
)
def test_bad_documents_are_refused(world, client, meeting, name, content, message):
    _login(client, world.an_user)
    response = client.post(_url("prepare_document_add", meeting), {"file": _upload(name, content)})
    assert response.status_code == 200
    assert message in _text(response)
    assert not MeetingDocument.objects.exists()


def test_topic_place_and_draft_resolution(world, client, meeting):
    _login(client, world.an_user)
    data = {
        "topic": "Chỉ thị 05",
        "place": "Hội trường khu phố",
        "with_thematic_part": "on",
        "resolution_draft": "1. Tiếp tục vận động...",
        "version": meeting.version,
    }
    assert client.post(_url("prepare_details", meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.place, meeting.with_thematic_part) == (
        "Chỉ thị 05",
        "Hội trường khu phố",
        True,
    )
    # The same form sent again with the old version: someone changed it meanwhile.
    response = client.post(_url("prepare_details", meeting), {**data, "topic": "Khác"})
    assert response.status_code == 200
    assert "alert-danger" in _text(response)
    meeting.refresh_from_db()
    assert meeting.topic == "Chỉ thị 05"


def test_publish_notifies_members_with_a_login_and_the_upper_level_member(world, client, meeting):
    make_member(world.khoi1, "Đỗ Văn Không Tài Khoản", party_card_number="10000010")
    _login(client, world.an_user)
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(_url("publish", meeting), follow=True)
        assert "Hãy lập nội dung, chương trình trước khi thông báo buổi sinh hoạt." in _text(
            response
        )
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.PLANNED
        services.agenda_build(actor=None, meeting=meeting)
        response = client.post(_url("publish", meeting), follow=True)
        text = _text(response)
        assert "Đã thông báo buổi sinh hoạt tới đảng viên." in text
        assert "Đã quá hạn thông báo" not in text
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PREPARED
    notified = set(
        Notification.objects.filter(code="meeting.published").values_list("recipient", flat=True)
    )
    assert notified == {world.an_user.pk, world.binh_user.pk, world.cuc_user.pk}
    # Still usable after publishing: documents until the meeting opens.
    page = client.get(_url("prepare", meeting))
    assert page.status_code == 200
    assert "Vẫn có thể đính kèm tài liệu cho đến khi khai mạc." in _text(page)
    response = client.post(
        _url("prepare_document_add", meeting), {"file": _upload("bo-sung.pdf", b"%PDF-1.4")}
    )
    assert response.status_code == 302
    assert client.get(_url("publish", meeting)).status_code == 405


def test_late_publishing_is_allowed_with_the_rule_explained(world, client, meeting):
    services.agenda_build(actor=None, meeting=meeting)
    _login(client, world.an_user)
    # The evening before the meeting: the notice was due a day before (3/11 19:30 − 1 day).
    with time_machine.travel(datetime.datetime(2026, 11, 2, 21, 0, tzinfo=VN), tick=False):
        page = _text(client.get(_url("prepare", meeting)))
        assert "Đã quá hạn thông báo" in page
        response = client.post(_url("publish", meeting), follow=True)
    text = _text(response)
    assert "Đã thông báo buổi sinh hoạt tới đảng viên." in text
    assert "Số ngày trước buổi sinh hoạt phải đăng tải tài liệu: 1 ngày" in text
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PREPARED


def test_publish_is_for_managers(world, client, meeting):
    services.agenda_build(actor=None, meeting=meeting)
    assert _login(client, world.binh_user).post(_url("publish", meeting)).status_code == 403
    assert _login(client, world.dung_user).post(_url("publish", meeting)).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert not Notification.objects.exists()


def test_a_new_agenda_item_goes_before_the_closing(world, client, meeting):
    """Issue 9, item 21: an item added to a built agenda lands before "Bế mạc", which stays
    last (DOMAIN §1.4: the closing is the last step)."""
    _login(client, world.an_user)
    services.agenda_build(actor=None, meeting=meeting)
    closing = meeting.agenda_items.get(step="closing")
    response = client.post(
        _url("prepare_agenda_add", meeting),
        {"new-title": "Góp ý dự thảo quy ước khu phố", "new-guidance": ""},
        **HTMX,
    )
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles[-2:] == ["Góp ý dự thảo quy ước khu phố", "Bế mạc"]
    text = _text(response)
    assert text.index("Góp ý dự thảo quy ước khu phố") < text.index("Bế mạc")
    closing.refresh_from_db()
    assert closing.position == len(titles)
    # A second one goes before the closing too, after the first.
    client.post(_url("prepare_agenda_add", meeting), {"new-title": "Công tác dân vận"}, **HTMX)
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles[-3:] == ["Góp ý dự thảo quy ước khu phố", "Công tác dân vận", "Bế mạc"]


def test_agenda_changes_confirm_what_changed(world, client, meeting):
    """Issue 9, item 19: every change to the agenda says what it did."""
    _login(client, world.an_user)
    text = _text(client.post(_url("prepare_agenda_build", meeting), **HTMX))
    count = meeting.agenda_items.count()
    assert f"Đã lập chương trình theo trình tự chuẩn: {count} mục." in text
    text = _text(
        client.post(_url("prepare_agenda_add", meeting), {"new-title": "Công tác dân vận"}, **HTMX)
    )
    assert 'role="status"' in text
    assert "Đã thêm “Công tác dân vận” vào trước mục “Bế mạc”." in text
    added = AgendaItem.objects.get(meeting=meeting, title="Công tác dân vận")
    text = _text(
        client.post(_url("prepare_agenda_move", meeting, added.pk), {"direction": "up"}, **HTMX)
    )
    assert "Đã chuyển “Công tác dân vận” lên một bậc." in text
    text = _text(
        client.post(
            _url("prepare_agenda_edit", meeting, added.pk),
            {
                f"item{added.pk}-title": "Công tác dân vận khu phố",
                f"item{added.pk}-version": added.version,
            },
            **HTMX,
        )
    )
    assert "Đã lưu “Công tác dân vận khu phố”." in text
    response = client.post(_url("prepare_agenda_delete", meeting, added.pk), follow=True)
    assert "Đã xóa “Công tác dân vận khu phố” khỏi chương trình." in _text(response)
