"""The official documents of a meeting (DOMAIN §1.7, §5.3): minutes and resolution generated
from the meeting's rows as PDF and DOCX, frozen and fingerprinted when signed, served, verified,
and gathered into the cell's yearly books."""

from __future__ import annotations

import datetime
import hashlib
import io

import docx
import pytest
from django.apps import apps
from django.urls import reverse

from chibo.core.models import AuditEntry
from chibo.meetings import documents, jobs, services
from chibo.meetings.documents import book as book_file
from chibo.meetings.documents import files
from chibo.meetings.immutable import signed_records_purge
from chibo.meetings.models import MeetingKind, MeetingStatus, SignedFile
from chibo.members import services as member_services
from tests.conftest import PASSWORD
from tests.meetings.doc_builders import cell_people, docx_text, italic_lines, pdf_text, run_meeting
from tests.meetings.factories import make_meeting

OCTOBER = datetime.date(2026, 10, 5)


@pytest.fixture
def signed(world):
    people = cell_people(world)
    meeting = run_meeting(world, people)
    return meeting


@pytest.mark.django_db
def test_signed_minutes_pdf_states_the_facts_of_the_meeting(signed):
    record = signed.record
    text = pdf_text(bytes(files.signed_file(signed, "minutes", "pdf").content))

    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG ỦY PHƯỜNG HƯNG PHÚ" in text and "CHI BỘ KHỐI 1" in text
    assert "BIÊN BẢN SINH HOẠT CHI BỘ (ĐỊNH KỲ) THÁNG 11 NĂM 2026" in text
    assert "Chủ trì: đồng chí Nguyễn Văn An, Bí thư chi bộ." in text
    assert "Thư ký: đồng chí Trần Thị Bình." in text
    assert "Đại biểu dự: đồng chí Lê Thị Cúc" in text
    # The roll call, computed from the attendance rows (DOMAIN §1.7), by membership class so
    # that it adds up: the exempted member (Hải) is official, 6 + 1 = 7.
    assert "Tổng số đảng viên của chi bộ: 7 đồng chí (chính thức: 6; dự bị: 1;" in text
    assert "Số đảng viên được miễn công tác và sinh hoạt đảng: 1 đồng chí." in text
    assert "Có mặt: 4 đồng chí (chính thức: 3; dự bị: 1;" in text
    assert "Trong đó 1 đồng chí đến muộn." in text
    assert "Vắng có lý do: 1 đồng chí: Đỗ Văn Em (Đi công tác Hà Nội)." in text
    assert "Vắng không có lý do: 1 đồng chí: Vũ Thị Giang." in text
    # Speeches with each speaker's name, the chair's conclusion, praise, assignments.
    assert "Đồng chí Lê Văn Cường: Đề nghị bố trí thêm thùng rác ở đầu hẻm 12." in text
    assert "Kết luận của chủ trì: Ghi nhận kết quả" in text
    assert "Biểu dương đồng chí Lê Văn Cường" in text
    assert "Vận động hộ dân đóng góp Quỹ vì người nghèo" in text
    assert "30/11/2026" in text
    # Votes: 3 of the 5 official members passes, 2 of 5 does not (DOMAIN R2.1, R2.3).
    assert "Nghị quyết tháng 11: 3/5 đảng viên chính thức tán thành (60%)" in text
    assert "Kết quả: thông qua." in text
    assert "Đề nghị tổ chức tham quan: 2/5 đảng viên chính thức tán thành (40%)" in text
    assert "Kết quả: không thông qua." in text
    assert "xếp loại" in text
    assert "Buổi sinh hoạt kết thúc lúc 21 giờ 10 phút cùng ngày." in text
    # Signature block and the fingerprint on the signed document.
    assert "THƯ KÝ" in text and "CHỦ TRÌ" in text
    assert "Đã ký điện tử lúc 21:15 ngày 05/11/2026" in text
    assert f"Mã xác thực (SHA-256): {record.fingerprint}" in text
    assert "/meetings/verify/" in text
    assert "BẢN NHÁP" not in text
    assert "Hưng Phú, ngày 03 tháng 11 năm 2026" in " ".join(
        italic_lines(bytes(files.signed_file(signed, "minutes", "pdf").content))
    )


@pytest.mark.django_db
def test_signed_resolution_pdf_has_number_vote_line_recipients_and_signature(signed):
    content = bytes(files.signed_file(signed, "resolution", "pdf").content)
    text = pdf_text(content)

    assert "Số 01-NQ/CB" in text  # 36-HD/VPTW numbering, from 01 in the term (R5.9)
    assert "NGHỊ QUYẾT" in text
    assert "Lãnh đạo thực hiện nhiệm vụ tháng 12 năm 2026" in text
    assert "Sau khi thảo luận, Chi bộ thống nhất QUYẾT NGHỊ:" in text
    assert "Chi bộ lãnh đạo hoàn thành tốt nhiệm vụ tháng 10." in text
    assert "Nghị quyết được thông qua: 3/5 đảng viên chính thức tán thành (60%)." in text
    assert "Nơi nhận:" in text
    assert "Đảng ủy phường Hưng Phú (để báo cáo)" in text
    assert "Đồng chí Lê Thị Cúc, cấp ủy viên phụ trách chi bộ" in text
    assert "T/M CHI BỘ" in text and "BÍ THƯ" in text and "Nguyễn Văn An" in text
    assert f"Mã xác thực (SHA-256): {signed.record.fingerprint}" in text
    assert any("ngày 03 tháng 11 năm 2026" in line for line in italic_lines(content))


@pytest.mark.django_db
def test_signed_docx_is_editable_word_in_times_new_roman(signed):
    content = bytes(files.signed_file(signed, "minutes", "docx").content)
    text = docx_text(content)
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]

    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Hưng Phú, ngày 03 tháng 11 năm 2026" in text
    assert "Vắng có lý do: 1 đồng chí: Đỗ Văn Em (Đi công tác Hà Nội)." in text
    assert "3/5 đảng viên chính thức tán thành (60%)" in text
    assert f"Mã xác thực (SHA-256): {signed.record.fingerprint}" in text
    assert document.styles["Normal"].font.name == "Times New Roman"
    # A4, margins 25/25/35/15 mm (R5.10, R5.11), page numbers from page 2.
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(value.mm) for value in (section.top_margin, section.bottom_margin)] == [25, 25]
    assert [round(value.mm) for value in (section.left_margin, section.right_margin)] == [35, 15]
    assert section.different_first_page_header_footer

    resolution = docx_text(bytes(files.signed_file(signed, "resolution", "docx").content))
    assert "Số 01-NQ/CB" in resolution and "T/M CHI BỘ" in resolution


@pytest.mark.django_db
def test_signed_content_is_frozen_and_renaming_a_member_changes_nothing(signed, world):
    record = signed.record
    assert record.frozen_content == documents.document_data(signed).as_json()
    assert services.fingerprint_of(services.canonical_content(signed)) == record.fingerprint
    before = bytes(files.signed_file(signed, "minutes", "pdf").content)

    member_services.member_update(actor=world.an_user, member=world.an, full_name="Nguyễn Văn Ân")

    data = documents.document_data(signed)
    assert data.chair == "Nguyễn Văn An"
    assert services.fingerprint_of(data.as_json()) == record.fingerprint
    assert bytes(files.signed_file(signed, "minutes", "pdf").content) == before


@pytest.mark.django_db
def test_draft_documents_are_marked_and_carry_no_fingerprint(world, client):
    meeting = run_meeting(world, cell_people(world), sign=False)
    client.force_login(world.binh_user)

    response = client.get(reverse("meetings:minutes_file", args=[meeting.pk, "pdf"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "BẢN NHÁP" in text
    assert "Mã xác thực" not in text
    assert "Vắng không có lý do: 1 đồng chí: Vũ Thị Giang." in text
    assert not SignedFile.objects.filter(meeting=meeting).exists()
    resolution = client.get(reverse("meetings:resolution_file", args=[meeting.pk, "docx"]))
    assert resolution.status_code == 200
    assert "Bản nháp — chưa ký" in docx_text(resolution.content)
    assert "Số 01-NQ/CB" in docx_text(resolution.content)
    assert "attachment" in resolution["Content-Disposition"]


@pytest.mark.django_db
def test_signed_files_are_served_byte_for_byte(signed, world, client):
    client.force_login(world.binh_user)
    for kind, name in (("minutes", "minutes_file"), ("resolution", "resolution_file")):
        for fmt in ("pdf", "docx"):
            stored = SignedFile.objects.get(
                meeting=signed, kind=kind, format=fmt, addendum__isnull=True
            )
            response = client.get(reverse(f"meetings:{name}", args=[signed.pk, fmt]))
            assert response.status_code == 200
            assert response.content == bytes(stored.content)
            assert hashlib.sha256(response.content).hexdigest() == stored.sha256
            assert stored.fingerprint == signed.record.fingerprint


def row_counts() -> dict[str, int]:
    """The number of rows of every table, to show that a request wrote nothing."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def file_urls(meeting) -> list[str]:
    return [
        reverse(f"meetings:{name}", args=[meeting.pk, fmt])
        for name in ("minutes_file", "resolution_file")
        for fmt in ("pdf", "docx")
    ]


@pytest.mark.django_db
def test_downloading_signed_files_writes_nothing_stored_or_not(signed, world, client):
    client.force_login(world.an_user)
    before = row_counts()
    stored = [client.get(url) for url in file_urls(signed)]
    assert row_counts() == before
    assert all(response.status_code == 200 for response in stored)

    # Frozen in bulk without its files (as the demo is): rendered from the frozen content and
    # served, but neither stored nor audited.
    with signed_records_purge():  # as the demo's files are, before the job
        SignedFile.objects.filter(meeting=signed).delete()
    before = row_counts()
    rendered = [client.get(url) for url in file_urls(signed)]
    assert row_counts() == before
    assert signed.record.fingerprint in pdf_text(rendered[0].content)
    assert [r["Content-Type"] for r in rendered] == [r["Content-Type"] for r in stored]


@pytest.mark.django_db
def test_the_job_stores_the_missing_signed_files_once_with_one_audit_entry(signed, world):
    with signed_records_purge():  # as the demo's files are, before the job
        SignedFile.objects.filter(meeting=signed).delete()
    shown = files.signed_file(signed, "minutes", "docx").content

    assert jobs.store_signed_files.call_local([signed.pk]) == 1
    assert jobs.store_signed_files.call_local([signed.pk]) == 0  # nothing missing any more

    rows = SignedFile.objects.filter(meeting=signed, addendum__isnull=True)
    assert sorted(rows.values_list("kind", "format")) == [
        ("minutes", "docx"),
        ("minutes", "pdf"),
        ("resolution", "docx"),
        ("resolution", "pdf"),
    ]
    assert all(row.fingerprint == signed.record.fingerprint for row in rows)
    assert docx_text(bytes(rows.get(kind="minutes", format="docx").content)) == docx_text(shown)
    assert AuditEntry.objects.filter(code="signed_file.stored").count() == 1


@pytest.mark.django_db
def test_downloading_an_addendum_writes_nothing(signed, world, client):
    addendum = services.addendum_create(
        actor=world.binh_user, meeting=signed, text="Bổ sung một ý.", reason="Thiếu một ý"
    )
    client.force_login(world.an_user)
    url = reverse("meetings:addendum_file", args=[signed.pk, addendum.number, "pdf"])
    before = row_counts()
    assert "BẢN NHÁP" in pdf_text(client.get(url).content)
    assert row_counts() == before
    services.addendum_sign(actor=world.binh_user, addendum=addendum, password=PASSWORD)
    services.addendum_sign(actor=world.an_user, addendum=addendum, password=PASSWORD)
    addendum.refresh_from_db()

    before = row_counts()
    signed_copy = client.get(url)
    assert row_counts() == before
    with signed_records_purge():  # as the demo's files are, before the job
        SignedFile.objects.filter(addendum=addendum).delete()
    before = row_counts()
    rendered = client.get(url)
    assert row_counts() == before
    assert addendum.fingerprint in pdf_text(rendered.content)
    assert addendum.fingerprint in pdf_text(signed_copy.content)


@pytest.mark.django_db
def test_verification_page_matches_the_stored_file_and_not_a_changed_one(signed, world, client):
    stored = bytes(files.signed_file(signed, "minutes", "pdf").content)
    client.force_login(world.binh_user)
    url = reverse("meetings:verify")

    assert client.get(url).status_code == 200
    matched = client.post(url, {"file": _upload("bien-ban.pdf", stored)})
    changed = client.post(url, {"file": _upload("bien-ban.pdf", stored + b"\n% edited")})
    by_fingerprint = client.post(url, {"fingerprint": signed.record.fingerprint.upper()})
    unknown = client.post(url, {"fingerprint": "0" * 64})
    empty = client.post(url, {})

    page = matched.content.decode()
    assert "Tệp này khớp với một văn bản đã ký." in page
    assert "Chi bộ Khối 1" in page and signed.record.fingerprint in page
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page
    assert "Tệp này không khớp với văn bản đã ký nào." in changed.content.decode()
    assert "Mã xác thực này khớp với một văn bản đã ký." in by_fingerprint.content.decode()
    assert "Không có văn bản đã ký nào mang mã xác thực này." in unknown.content.decode()
    assert "Chọn một tệp hoặc dán mã xác thực." in empty.content.decode()


@pytest.mark.django_db
def test_verification_hides_the_details_of_a_cell_the_user_cannot_read(signed, world, client):
    stored = bytes(files.signed_file(signed, "resolution", "docx").content)
    client.force_login(world.dung_user)

    response = client.post(reverse("meetings:verify"), {"file": _upload("nq.docx", stored)})

    page = response.content.decode()
    assert "Tệp này khớp với một văn bản đã ký." in page
    assert "Chi bộ Khối 1" not in page
    assert "Nguyễn Văn An" not in page


@pytest.mark.django_db
def test_documents_and_books_of_another_cell_are_not_found(signed, world, client):
    client.force_login(world.dung_user)
    urls = [
        reverse("meetings:minutes_file", args=[signed.pk, "pdf"]),
        reverse("meetings:resolution_file", args=[signed.pk, "docx"]),
        reverse("meetings:addendum_file", args=[signed.pk, 1, "pdf"]),
        reverse("meetings:book", args=[world.khoi1.pk, 2026]),
        reverse("meetings:book_pdf", args=[world.khoi1.pk, 2026]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_file_urls_refuse_unknown_formats_and_other_methods(signed, world, client):
    client.force_login(world.an_user)
    assert client.get(reverse("meetings:minutes_file", args=[signed.pk, "odt"])).status_code == 404
    assert client.post(reverse("meetings:minutes_file", args=[signed.pk, "pdf"])).status_code == 405
    assert (
        client.get(reverse("meetings:addendum_file", args=[signed.pk, 9, "pdf"])).status_code == 404
    )
    assert client.delete(reverse("meetings:verify")).status_code == 405


@pytest.mark.django_db
def test_signed_addendum_is_rendered_kept_and_verifiable(signed, world, client):
    addendum = services.addendum_create(
        actor=world.binh_user,
        meeting=signed,
        text="Bổ sung: đồng chí Đỗ Văn Em đã báo vắng trước bằng văn bản.",
        reason="Thiếu thông tin về lý do vắng",
    )
    client.force_login(world.an_user)
    url = reverse("meetings:addendum_file", args=[signed.pk, addendum.number, "pdf"])
    draft = pdf_text(client.get(url).content)
    assert "BẢN NHÁP" in draft
    services.addendum_sign(actor=world.binh_user, addendum=addendum, password=PASSWORD)
    services.addendum_sign(actor=world.an_user, addendum=addendum, password=PASSWORD)
    addendum.refresh_from_db()

    response = client.get(url)

    text = pdf_text(response.content)
    assert "BIÊN BẢN BỔ SUNG, ĐÍNH CHÍNH" in text
    assert "Lý do: Thiếu thông tin về lý do vắng" in text
    assert "đã báo vắng trước bằng văn bản" in text
    assert signed.record.fingerprint in text  # it names the minutes it corrects
    assert f"Mã xác thực (SHA-256): {addendum.fingerprint}" in text
    assert client.get(url).content == response.content
    verified = client.post(reverse("meetings:verify"), {"file": _upload("a.pdf", response.content)})
    assert "Tệp này khớp với một văn bản đã ký." in verified.content.decode()
    # The minutes book keeps the correction right after the minutes it corrects.
    book = pdf_text(book_file.render_book_pdf(world.khoi1, 2026).content)
    assert book.index(signed.record.fingerprint) < book.index("BIÊN BẢN BỔ SUNG, ĐÍNH CHÍNH")


@pytest.mark.django_db
def test_book_page_lists_the_signed_meetings_of_the_year_in_order(
    world, client, django_assert_max_num_queries
):
    people = cell_people(world)
    october = run_meeting(world, people, day=OCTOBER)
    november = run_meeting(world, people)
    draft = run_meeting(world, people, day=datetime.date(2026, 12, 3), sign=False)
    assert draft.status == MeetingStatus.CLOSED
    client.force_login(world.binh_user)
    url = reverse("meetings:book", args=[world.khoi1.pk, 2026])

    with django_assert_max_num_queries(12):
        response = client.get(url)
    resolutions = client.get(url, {"book": "resolutions"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("05/10/2026") < page.index("03/11/2026")
    assert "03/12/2026" not in page
    assert october.record.fingerprint in page and november.record.fingerprint in page
    assert reverse("meetings:minutes_file", args=[november.pk, "pdf"]) in page
    assert reverse("meetings:book_pdf", args=[world.khoi1.pk, 2026]) in page
    resolution_page = resolutions.content.decode()
    assert "Nghị quyết số 01-NQ/CB" in resolution_page
    assert "Nghị quyết số 02-NQ/CB" in resolution_page
    assert reverse("meetings:resolution_file", args=[october.pk, "docx"]) in resolution_page


@pytest.mark.django_db
def test_book_pdf_holds_every_signed_meeting_of_the_year_in_order(world, client):
    people = cell_people(world)
    october = run_meeting(world, people, day=OCTOBER)
    november = run_meeting(world, people)
    client.force_login(world.an_user)
    url = reverse("meetings:book_pdf", args=[world.khoi1.pk, 2026])

    minutes_book = pdf_text(client.get(url).content)
    resolution_book = pdf_text(client.get(url, {"book": "resolutions"}).content)
    empty_year = client.get(reverse("meetings:book_pdf", args=[world.khoi1.pk, 2025]))

    assert "SỔ BIÊN BẢN SINH HOẠT CHI BỘ" in minutes_book and "NĂM 2026" in minutes_book
    assert "MỤC LỤC" in minutes_book
    first = minutes_book.index("SINH HOẠT CHI BỘ (ĐỊNH KỲ) THÁNG 10 NĂM 2026", 200)
    second = minutes_book.index("SINH HOẠT CHI BỘ (ĐỊNH KỲ) THÁNG 11 NĂM 2026", 200)
    assert first < second
    assert minutes_book.index(october.record.fingerprint) < minutes_book.index(
        november.record.fingerprint
    )
    assert "SỔ NGHỊ QUYẾT" in resolution_book
    assert resolution_book.index("Số 01-NQ/CB") < resolution_book.index("Số 02-NQ/CB")
    assert empty_year.status_code == 302


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.django_db
def test_draft_of_a_planned_thematic_meeting_has_its_own_title(world, client):
    meeting = make_meeting(
        world.khoi1, kind=MeetingKind.THEMATIC, topic="Học tập Nghị quyết Đại hội XIV"
    )
    client.force_login(world.binh_user)

    minutes = client.get(reverse("meetings:minutes_file", args=[meeting.pk, "pdf"]))
    resolution = client.get(reverse("meetings:resolution_file", args=[meeting.pk, "pdf"]))

    text = pdf_text(minutes.content)
    assert "SINH HOẠT CHI BỘ CHUYÊN ĐỀ THÁNG 11 NĂM 2026" in text
    assert "Chuyên đề: Học tập Nghị quyết Đại hội XIV" in text
    assert "BẢN NHÁP" in text
    assert "Số -NQ/CB" in pdf_text(resolution.content)  # not numbered before the meeting closes


@pytest.mark.django_db
def test_a_conclusion_under_a_committee_signature_policy(world):
    """The type code follows the record's kind (KL for a conclusion) and the signature block
    the policy: "T/M CHI ỦY" where the upper level chose it (DOMAIN §5.3, a configurable
    conflict)."""
    services.policy_set(
        actor=world.admin_user,
        organization=world.ward,
        signature_authority="cell_committee",
        term_start=datetime.date(2026, 1, 1),
    )
    meeting = run_meeting(world, cell_people(world), sign=False)
    services.record_update(actor=world.binh_user, meeting=meeting, resolution_kind="conclusion")

    text = pdf_text(files.render(meeting, "resolution", "pdf"))

    assert "Số 01-KL/CB" in text
    assert "KẾT LUẬN" in text
    assert "Sau khi thảo luận, Chi bộ thống nhất KẾT LUẬN:" in text
    assert "Kết luận được thông qua: 3/5 đảng viên chính thức tán thành (60%)." in text
    assert "T/M CHI ỦY" in text and "T/M CHI BỘ" not in text
