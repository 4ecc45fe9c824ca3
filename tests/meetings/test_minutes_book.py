"""The yearly minutes book built from the stored signed PDFs (issue 13): a cover, a table of
contents whose page numbers are right (read back page by page with pdftotext), the signed
pages copied unchanged, bookmarks per meeting, and nothing written while reading."""

from __future__ import annotations

import datetime
import io
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from chibo.core.models import AuditEntry
from chibo.meetings import services
from chibo.meetings.documents import book as book_file
from chibo.meetings.immutable import signed_records_purge
from chibo.meetings.models import Addendum, SignedFile
from tests.conftest import PASSWORD
from tests.meetings.doc_builders import cell_people, run_meeting

SEPTEMBER = datetime.date(2026, 9, 7)
OCTOBER = datetime.date(2026, 10, 5)
NOVEMBER = datetime.date(2026, 11, 3)
CONTENTS_ROW = re.compile(r"(\d+) (\d\d/\d\d/\d{4}) (.+?) (\d+)(?= \d+ \d\d/\d\d/\d{4}|$)")


def page_text(content: bytes, number: int) -> str:
    """The text of one page (1-based) as poppler's pdftotext reads it, whitespace collapsed."""
    result = subprocess.run(  # noqa: S603 — fixed command, bytes on stdin
        ["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number), "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    return re.sub(r"\s+", " ", result.stdout.decode("utf-8")).strip()


def page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def contents_rows(content: bytes, pages: range) -> list[tuple[int, str, str, int]]:
    """(number, date, label, page) of each line of the table of contents on `pages`."""
    rows = []
    for number in pages:
        text = page_text(content, number).replace("MỤC LỤC STT Ngày Văn bản Trang", "").strip()
        rows += [
            (int(n), day, label, int(page)) for n, day, label, page in CONTENTS_ROW.findall(text)
        ]
    return rows


def stored_pdf(meeting, addendum=None) -> bytes:
    rows = SignedFile.objects.filter(meeting=meeting, format="pdf")
    rows = rows.filter(addendum=addendum) if addendum else rows.filter(kind="minutes")
    return bytes(rows.order_by("id").first().content)


def sign_addendum(world, meeting, text: str) -> Addendum:
    addendum = services.addendum_create(
        actor=world.binh_user, meeting=meeting, text=text, reason="Thiếu thông tin"
    )
    services.addendum_sign(actor=world.binh_user, addendum=addendum, password=PASSWORD)
    services.addendum_sign(actor=world.an_user, addendum=addendum, password=PASSWORD)
    addendum.refresh_from_db()
    return addendum


@pytest.fixture
def year(world):
    """Three signed meetings of 2026; October's minutes corrected by a signed addendum."""
    people = cell_people(world)
    meetings = [run_meeting(world, people, day=day) for day in (SEPTEMBER, OCTOBER, NOVEMBER)]
    addendum = sign_addendum(world, meetings[1], "Bổ sung: đồng chí Em đã báo vắng trước.")
    return meetings, addendum


@pytest.mark.django_db
def test_contents_point_at_the_page_where_each_signed_document_starts(year, world):
    (september, october, november), addendum = year

    book = book_file.render_book_pdf(world.khoi1, 2026)

    content = book.content
    assert "SỔ BIÊN BẢN SINH HOẠT CHI BỘ" in page_text(content, 1)  # the cover is page 1
    assert "NĂM 2026" in page_text(content, 1)
    assert "MỤC LỤC" in page_text(content, 2)
    rows = contents_rows(content, range(2, book.front_pages + 1))
    assert [(n, day) for n, day, _label, _page in rows] == [
        (1, "07/09/2026"),
        (2, "05/10/2026"),
        (3, timezone.localdate(addendum.frozen_at).strftime("%d/%m/%Y")),
        (4, "03/11/2026"),
    ]
    documents = [
        (september, "THÁNG 9 NĂM 2026", september.record.fingerprint),
        (october, "THÁNG 10 NĂM 2026", october.record.fingerprint),
        (october, "BIÊN BẢN BỔ SUNG, ĐÍNH CHÍNH", addendum.fingerprint),
        (november, "THÁNG 11 NĂM 2026", november.record.fingerprint),
    ]
    for (_n, _day, _label, page), (_meeting, title, fingerprint) in zip(
        rows, documents, strict=True
    ):
        first = page_text(content, page)
        assert title in first and fingerprint in first
        assert fingerprint not in page_text(content, page - 1)  # it starts on that very page
    # Cover + contents + every stored signed PDF, nothing else.
    stored = [stored_pdf(september), stored_pdf(october), stored_pdf(october, addendum)]
    stored.append(stored_pdf(november))
    assert book.pages == page_count(content) == book.front_pages + sum(map(page_count, stored))
    assert rows[1][3] - rows[0][3] == page_count(stored[0])


@pytest.mark.django_db
def test_the_books_pages_are_the_stored_signed_pages_unchanged(year, world):
    (september, october, november), addendum = year

    book = book_file.render_book_pdf(world.khoi1, 2026)

    reader = PdfReader(io.BytesIO(book.content))
    page = book.front_pages + 1
    for stored in (
        stored_pdf(september),
        stored_pdf(october),
        stored_pdf(october, addendum),
        stored_pdf(november),
    ):
        original = PdfReader(io.BytesIO(stored))
        for index, original_page in enumerate(original.pages):
            assert page_text(book.content, page) == page_text(stored, index + 1)
            copied = reader.pages[page - 1].get_contents()
            assert copied.get_data() == original_page.get_contents().get_data()
            page += 1
    assert page == book.pages + 1


@pytest.mark.django_db
def test_the_book_has_a_bookmark_per_meeting_with_its_addenda_below(year, world):
    (september, october, november), addendum = year

    book = book_file.render_book_pdf(world.khoi1, 2026)

    reader = PdfReader(io.BytesIO(book.content))
    outline = reader.outline
    meetings = [item for item in outline if not isinstance(item, list)]
    assert meetings[0].title == "MỤC LỤC" and reader.get_destination_page_number(meetings[0]) == 1
    assert [item.title[:10] for item in meetings[1:]] == ["07/09/2026", "05/10/2026", "03/11/2026"]
    starts = [part.first_page for part in book.parts if part.addendum is None]
    assert [reader.get_destination_page_number(item) + 1 for item in meetings[1:]] == starts
    below_october = outline[outline.index(meetings[2]) + 1]
    assert isinstance(below_october, list) and len(below_october) == 1
    assert str(addendum.number) in below_october[0].title
    assert reader.get_destination_page_number(below_october[0]) + 1 == book.parts[2].first_page


@pytest.mark.django_db
def test_a_meeting_whose_files_are_not_stored_yet_is_rendered_for_the_book_writing_nothing(
    world,
):
    people = cell_people(world)
    october = run_meeting(world, people, day=OCTOBER)
    november = run_meeting(world, people)
    with signed_records_purge():  # frozen in bulk, as the demo is
        SignedFile.objects.filter(meeting=october).delete()
    files_before, audit_before = SignedFile.objects.count(), AuditEntry.objects.count()

    book = book_file.render_book_pdf(world.khoi1, 2026)

    assert (SignedFile.objects.count(), AuditEntry.objects.count()) == (files_before, audit_before)
    assert [part.stored for part in book.parts] == [False, True]
    october_page, november_page = (part.first_page for part in book.parts)
    assert october.record.fingerprint in page_text(book.content, october_page)
    assert november.record.fingerprint in page_text(book.content, november_page)


@pytest.mark.django_db
def test_a_contents_longer_than_a_page_moves_every_document_on(world):
    """Two dozen signed corrections make the contents two pages long: the numbers count both."""
    october = run_meeting(world, cell_people(world), day=OCTOBER)
    correction = sign_addendum(world, october, "Bổ sung một ý.")
    signed_pdf = stored_pdf(october, correction)
    for number in range(2, 26):  # more of the same stored correction, as rows
        row = Addendum.objects.create(
            meeting=october,
            number=number,
            text="Bổ sung một ý.",
            reason="Thiếu thông tin",
            fingerprint=correction.fingerprint,
            frozen_at=correction.frozen_at,
        )
        SignedFile.objects.create(
            meeting=october,
            addendum=row,
            kind="addendum",
            format="pdf",
            content=signed_pdf,
            sha256=f"{number:064d}",
            fingerprint=correction.fingerprint,
        )

    book = book_file.render_book_pdf(world.khoi1, 2026)

    assert book.front_pages == 3  # the cover and two pages of contents
    rows = contents_rows(book.content, range(2, 4))
    assert [n for n, *_rest in rows] == list(range(1, 27))
    assert rows[0][3] == 4
    assert "THÁNG 10 NĂM 2026" in page_text(book.content, 4)
    last = rows[-1][3]
    assert last == book.pages - page_count(signed_pdf) + 1
    assert "BIÊN BẢN BỔ SUNG, ĐÍNH CHÍNH" in page_text(book.content, last)


@pytest.mark.django_db
def test_a_book_waiting_for_signed_files_runs_them_as_a_job_with_a_progress_bar(
    world, client, django_capture_on_commit_callbacks
):
    """Meetings frozen in bulk have no stored files; rendering a year of them at once takes
    seconds, so the book page waits for the job that stores them, then offers the PDF."""
    people = cell_people(world)
    october = run_meeting(world, people, day=OCTOBER)
    run_meeting(world, people)
    with signed_records_purge():  # as the demo's files are, before the job
        SignedFile.objects.filter(meeting=october).delete()
    client.force_login(world.binh_user)
    book_url = reverse("meetings:book_pdf", args=[world.khoi1.pk, 2026])
    prepare_url = reverse("meetings:book_prepare", args=[world.khoi1.pk, 2026])
    progress_url = reverse("meetings:book_progress", args=[world.khoi1.pk, 2026])

    waiting = client.get(book_url)
    polled = client.get(progress_url)

    assert waiting["Content-Type"].startswith("text/html")
    assert prepare_url in waiting.content.decode()
    assert "Đã lưu tệp đã ký: 1/2 buổi sinh hoạt" in polled.content.decode()
    assert progress_url in polled.content.decode()  # it keeps polling
    assert client.get(prepare_url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):  # jobs run inline in tests
        queued = client.post(prepare_url)
    assert progress_url in queued.content.decode()  # answered before the job ran
    page = client.get(progress_url).content.decode()
    assert "Sổ đã sẵn sàng." in page and 'aria-valuenow="100"' in page
    assert progress_url not in page  # polling stops
    assert SignedFile.objects.filter(meeting=october, addendum__isnull=True).count() == 4
    book = client.get(book_url)
    assert book["Content-Type"] == "application/pdf"
    assert october.record.fingerprint in page_text(book.content, 3)


@pytest.mark.django_db
def test_the_book_job_pages_are_not_found_from_another_cell(world, client):
    run_meeting(world, cell_people(world))
    client.force_login(world.dung_user)
    prepare_url = reverse("meetings:book_prepare", args=[world.khoi1.pk, 2026])
    progress_url = reverse("meetings:book_progress", args=[world.khoi1.pk, 2026])
    files_before = SignedFile.objects.count()
    assert client.post(prepare_url).status_code == 404
    assert client.get(progress_url).status_code == 404
    assert SignedFile.objects.count() == files_before
