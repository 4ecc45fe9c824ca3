"""Hostile member lists (issue 14): each limit of core.uploads.ParseLimits is hit by a file an
attacker would build — sheet XML written straight into a zip, a zip bomb, a CSV with a 10 MB
line — and the import stops at the limit with a sentence naming it, before or while the file
streams, writing nothing. The tests assert on the limit being hit (the rows the reader gave,
never more than the limit + 1), not on wall-clock time.

An (secretary of Khối 1) uploads; the people are those of tests/conftest.py."""

import io
import itertools
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from chibo.core.errors import ServiceError
from chibo.core.exports import reader as reader_module
from chibo.core.uploads import Deadline
from chibo.members.imports import HEADERS, parse_member_file
from chibo.members.models import Member
from tests.members.fixtures_xlsx import member_list_file, member_row

pytestmark = pytest.mark.django_db

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def read_in_the_request(settings, tmp_path):
    # These files are read in the request (test_import_jobs.py covers the jobs).
    settings.CHIBO_IMPORT_JOB_ROWS = 10**9
    settings.MEDIA_ROOT = tmp_path


def hostile_xlsx(
    empty_rows: int,
    *,
    compression: int = zipfile.ZIP_DEFLATED,
    header: bool = True,
    numbered: bool = True,
    extra_part: tuple[str, int] | None = None,
) -> io.BytesIO:
    """An XLSX written by hand as an attacker would: a header row, then `empty_rows` rows that
    hold nothing (`<row r="n"/>`), streamed into the zip without ever being in memory whole.
    `extra_part` adds (name, bytes) of spaces — a part that expands enormously."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}"><sheets>'
            '<sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONS}/worksheet" Target="worksheets/s.xml"/>'
            "</Relationships>",
        )
        with archive.open("xl/worksheets/s.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            if header:
                cells = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in HEADERS)
                sheet.write(f'<row r="1">{cells}</row>'.encode())
            batch = 100_000
            for start in range(2, empty_rows + 2, batch):
                stop = min(start + batch, empty_rows + 2)
                if numbered:
                    rows = "".join(f'<row r="{n}"/>' for n in range(start, stop))
                else:  # rows without a number follow the one before: what compresses best
                    rows = "<row/>" * (stop - start)
                sheet.write(rows.encode())
            sheet.write(b"</sheetData></worksheet>")
        if extra_part is not None:
            name, size = extra_part
            with archive.open(name, "w") as part:
                for _ in range(size // (1 << 20)):
                    part.write(b" " * (1 << 20))
    buffer.seek(0)
    buffer.name = "danh-sach.xlsx"
    return buffer


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows the XLSX and CSV readers gave the import (a list with one count)."""
    counted = [0]
    for reader_class in (reader_module.XlsxReader, reader_module.CsvReader):
        original = reader_class.rows

        def counting(self, path, _original=original):
            for row in _original(self, path):
                counted[0] += 1
                yield row

        monkeypatch.setattr(reader_class, "rows", counting)
    return counted


def upload(client, org, file):
    file.seek(0)
    return client.post(
        reverse("members:import", args=[org.pk]),
        {"file": file, "mode": "all_or_nothing"},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def refusal(response) -> str:
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    return errors[0]


# -- every physical row counts ----------------------------------------------------------------


def test_millions_of_empty_rows_are_refused_from_the_zip_directory_alone(world, client, rows_read):
    # The file: a small XLSX whose sheet holds a million empty rows (the had
    # 20 million in 177 kB; the ratio is the same, over 100:1).
    file = hostile_xlsx(1_000_000, numbered=False)
    assert len(file.getvalue()) < 200_000
    client.force_login(world.an_user)

    message = refusal(upload(client, world.khoi1, file))

    assert "expands more than 100 times" in message
    assert rows_read[0] == 0  # refused before a single row was read


def test_empty_rows_count_toward_the_row_limit_and_reading_stops_there(
    world, client, rows_read, settings
):
    # Stored without compression, the ratio is 1:1 and passes: the row count must stop it.
    settings.CHIBO_IMPORT_MAX_ROWS = 1000
    file = hostile_xlsx(200_000, compression=zipfile.ZIP_STORED)
    client.force_login(world.an_user)

    message = refusal(upload(client, world.khoi1, file))

    assert "more than 1.000 rows below the header (blank rows count too)" in message
    # The header row, then at most the limit + 1 rows below it.
    assert rows_read[0] <= 1 + 1000 + 1
    assert (
        not Member.objects.filter(cell=world.khoi1)
        .exclude(full_name__in=["Nguyễn Văn An", "Trần Thị Bình"])
        .exists()
    )


def test_blank_rows_between_members_count_too(world, settings):
    settings.CHIBO_IMPORT_MAX_ROWS = 5
    # Three members separated by blank lines: 6 rows below the header.
    file = member_list_file(
        [
            member_row("Lê Văn Một"),
            None,
            member_row("Lê Văn Hai"),
            None,
            None,
            member_row("Lê Văn Ba"),
        ],
        title_rows=(),
    )

    with pytest.raises(ServiceError, match="more than 5 rows below the header"):
        parse_member_file(file, organization=world.khoi1)


def test_a_list_at_the_row_limit_is_read(world, settings):
    settings.CHIBO_IMPORT_MAX_ROWS = 3
    file = member_list_file(
        [member_row("Lê Văn Một"), None, member_row("Lê Văn Ba")], title_rows=()
    )

    result = parse_member_file(file, organization=world.khoi1)

    assert result.row_count == 2


# -- the zip: uncompressed size and compression ratio -----------------------------------------


def test_a_zip_bomb_part_is_refused_by_its_compression_ratio(world, client, rows_read):
    # 8 MB of spaces deflate to about 8 kB: 1000:1 (a real bomb nests or repeats this).
    file = hostile_xlsx(10, extra_part=("xl/media/bomb.xml", 8 << 20))
    assert len(file.getvalue()) < 200_000
    client.force_login(world.an_user)

    message = refusal(upload(client, world.khoi1, file))

    assert "expands more than 100 times" in message
    assert rows_read[0] == 0


def test_a_file_expanding_beyond_the_size_cap_is_refused_before_reading(
    world, client, rows_read, settings
):
    settings.CHIBO_IMPORT_MAX_UNCOMPRESSED_MB = 2
    # Stored: ratio 1:1, but 3 MB once opened.
    file = hostile_xlsx(
        10, compression=zipfile.ZIP_STORED, extra_part=("xl/media/big.xml", 3 << 20)
    )
    client.force_login(world.an_user)

    message = refusal(upload(client, world.khoi1, file))

    assert "expands to more than 2 MB when opened" in message
    assert rows_read[0] == 0


def test_a_zip_that_understates_a_parts_size_is_unreadable_not_expanded(world):
    """zipfile never inflates past the size the directory declares; a part that hides more
    fails its check and the file is refused as unreadable."""
    file = hostile_xlsx(5000)
    data = bytearray(file.getvalue())
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/s.xml")
    # Rewrite the declared size (local header and central directory) to 100 bytes.
    true_size = info.file_size.to_bytes(4, "little")
    data = data.replace(true_size, (100).to_bytes(4, "little"))
    lying = io.BytesIO(bytes(data))

    with pytest.raises(ServiceError, match="could not be read"):
        parse_member_file(lying, organization=world.khoi1)


# -- the reading time -------------------------------------------------------------------------


def test_reading_past_the_time_cap_stops_with_a_clear_error_and_writes_nothing(
    world, client, settings, monkeypatch
):
    # A clock that moves one second each time it is read: deterministic, no sleeping.
    ticks = itertools.count()
    monkeypatch.setattr("chibo.core.uploads._clock", lambda: float(next(ticks)))
    settings.CHIBO_IMPORT_REQUEST_SECONDS = 3
    before = Member.objects.count()
    client.force_login(world.an_user)

    message = refusal(upload(client, world.khoi1, member_list_file([member_row("Lê Văn Tư")])))

    assert "took longer than 3 seconds" in message
    assert Member.objects.count() == before


def test_a_deadline_in_the_past_stops_the_reader_at_its_first_chunk(world):
    with pytest.raises(ServiceError, match="took longer than"):
        parse_member_file(
            member_list_file([member_row("Lê Văn Năm")]),
            organization=world.khoi1,
            deadline=Deadline(-1),
        )


# -- CSV ----------------------------------------------------------------------------------------


def csv_file(text: str | bytes, name: str = "danh-sach.csv") -> io.BytesIO:
    file = io.BytesIO(text.encode() if isinstance(text, str) else text)
    file.name = name
    return file


CSV_HEADER = "Họ và tên,Giới tính,Ngày sinh,Ngày quyết định kết nạp,Ngày vào Đảng (lễ kết nạp)\n"


def test_a_csv_list_is_imported_like_an_xlsx_one(world, client, media_root):
    text = "\ufeff" + CSV_HEADER + "Lê Văn Sáu,Nam,15/06/1990,01/03/2020,19/03/2020\n"
    client.force_login(world.an_user)

    response = upload(client, world.khoi1, csv_file(text))

    assert response.status_code == 200
    assert response.context["result"].valid_count == 1
    token = response.context["token"]
    confirmed = client.post(
        reverse("members:import_confirm", args=[world.khoi1.pk, token]),
        {"mode": "all_or_nothing"},
    )
    assert confirmed.status_code == 302
    assert Member.objects.filter(full_name="Lê Văn Sáu", cell=world.khoi1).exists()


def test_a_semicolon_csv_is_read(world):
    text = CSV_HEADER.replace(",", ";") + "Lê Văn Bảy;Nam;15/06/1990;01/03/2020;19/03/2020\n"

    result = parse_member_file(csv_file(text), organization=world.khoi1, filename="ds.csv")

    assert [row.values["full_name"] for row in result.rows] == ["Lê Văn Bảy"]


def test_a_csv_with_a_10_mb_line_is_refused_naming_the_row(world, client, rows_read):
    text = CSV_HEADER + "Lê Văn Tám,Nam,15/06/1990\n" + "x" * (10 << 20) + "\n"
    client.force_login(world.an_user)

    message = refusal(upload(client, world.khoi1, csv_file(text)))

    assert "Row 3 of the CSV file is longer than 10.000 characters" in message
    assert rows_read[0] == 0


def test_a_csv_over_the_size_cap_is_refused(world, settings):
    settings.CHIBO_IMPORT_MAX_CSV_MB = 1
    text = CSV_HEADER + "Lê Văn Chín,Nam,15/06/1990,01/03/2020,19/03/2020\n" * 30_000

    with pytest.raises(ServiceError, match="larger than 1 MB"):
        parse_member_file(csv_file(text), organization=world.khoi1, filename="ds.csv")


def test_a_csv_with_too_many_lines_is_refused_before_parsing(world, settings, rows_read):
    settings.CHIBO_IMPORT_MAX_ROWS = 100
    text = CSV_HEADER + "\n" * 500

    with pytest.raises(ServiceError, match="more than 100 rows below the header"):
        parse_member_file(csv_file(text), organization=world.khoi1, filename="ds.csv")
    assert rows_read[0] == 0


def test_a_csv_that_is_not_utf8_names_the_row(world):
    data = (CSV_HEADER + "Lê Văn Mười,Nam,15/06/1990\n").encode() + "Lê Văn An\n".encode("cp1258")

    with pytest.raises(ServiceError) as refused:
        parse_member_file(csv_file(data), organization=world.khoi1, filename="ds.csv")

    assert "Row 3 of the CSV file is not UTF-8 text" in refused.value.messages[0]


def test_a_csv_with_an_unclosed_quote_is_read_or_refused_cleanly(world):
    text = CSV_HEADER + 'Lê Văn Một,Nam,15/06/1990\n"Lê Văn Hai,Nam\n'

    try:
        result = parse_member_file(csv_file(text), organization=world.khoi1, filename="ds.csv")
    except ServiceError as error:
        assert "Row" in error.messages[0]
    else:
        assert all(problem.row >= 2 for problem in result.problems)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
