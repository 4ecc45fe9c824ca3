"""The export kit (chibo.core.exports): a table renders the same rows to XLSX and CSV, reads its
source once; official documents render to PDF with the bundled font and to DOCX; file
responses name the file."""

import csv
import datetime
import io
import re
import shutil
import subprocess
import zlib

import openpyxl
import pytest
from docx import Document as DocxDocument

from chibo.core.exports import docx as docx_render
from chibo.core.exports import pdf as pdf_render
from chibo.core.exports.fonts import FONT_DIR, font_faces_css
from chibo.core.exports.layout import (
    Closing,
    Column,
    Document,
    Letterhead,
    Signer,
    Table,
    paragraph,
)
from chibo.core.exports.reader import XlsxReader, open_xlsx
from chibo.core.exports.responses import csv_response, docx_response, pdf_response, xlsx_response
from chibo.core.exports.tables import EXCEL_DATE_FORMAT, ROW_NUMBER, Sheet, bold, render_xlsx
from chibo.core.exports.tables import Column as ListColumn
from chibo.core.exports.tables import Table as ListTable
from chibo.core.exports.tables import title as title_cell

PEOPLE = [
    ("Nguyễn Văn An", datetime.date(1975, 9, 5), "Bí thư"),
    ("Trần Thị Bình", datetime.date(1988, 2, 29), "Đảng viên"),
    ("Lê Thị Cúc", datetime.date(1969, 12, 1), "Ủy viên"),
]


def people_table(source, **extra):
    return ListTable(
        [
            ListColumn("STT", ROW_NUMBER, width=6),
            ListColumn("Họ và tên", lambda person: person[0], width=28),
            ListColumn("Ngày sinh", lambda person: person[1], number_format=EXCEL_DATE_FORMAT),
            ListColumn("Chức vụ", lambda person: person[2]),
        ],
        source,
        sheet_title="Danh sách đảng viên",
        **extra,
    )


def xlsx_rows(content: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


class TestTable:
    def test_xlsx_has_the_headers_in_order_then_one_row_per_item(self):
        rows = xlsx_rows(people_table(PEOPLE).xlsx())
        assert rows[0] == ("STT", "Họ và tên", "Ngày sinh", "Chức vụ")
        assert rows[1] == (1, "Nguyễn Văn An", datetime.datetime(1975, 9, 5), "Bí thư")
        assert [row[1] for row in rows[1:]] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc"]

    def test_xlsx_and_csv_hold_the_same_rows(self):
        table = people_table(PEOPLE)
        from_xlsx = xlsx_rows(table.xlsx())
        from_csv = csv_rows(table.csv())

        def as_text(value):
            if isinstance(value, datetime.datetime):
                return value.strftime("%d/%m/%Y")
            return "" if value is None else str(value)

        assert [[as_text(value) for value in row] for row in from_xlsx] == from_csv
        assert from_csv[2] == ["2", "Trần Thị Bình", "29/02/1988", "Đảng viên"]

    def test_vietnamese_titles_and_sheet_name_round_trip(self):
        table = people_table(
            PEOPLE, title_lines=[title_cell("DANH SÁCH ĐẢNG VIÊN — Chi bộ Khối 1"), "Mã: 01"]
        )
        workbook = openpyxl.load_workbook(io.BytesIO(table.xlsx()))
        sheet = workbook["Danh sách đảng viên"]
        assert sheet["A1"].value == "DANH SÁCH ĐẢNG VIÊN — Chi bộ Khối 1"
        assert sheet["A1"].font.bold and sheet["A1"].font.size == 14
        assert sheet["A2"].value == "Mã: 01"
        assert sheet["A3"].value is None  # a blank row before the header
        assert sheet["B4"].value == "Họ và tên" and sheet["B4"].font.bold
        assert sheet["C5"].number_format == EXCEL_DATE_FORMAT
        assert sheet.print_title_rows == "$4:$4"
        assert table.header_row == 4

    def test_csv_leaves_the_title_lines_out(self):
        table = people_table(PEOPLE, title_lines=["DANH SÁCH"], footer=[[None, bold("Cộng"), 3]])
        rows = csv_rows(table.csv())
        assert rows[0][1] == "Họ và tên"
        assert rows[-1] == ["", "Cộng", "3"]

    def test_a_generator_source_is_read_once_and_lazily(self):
        read = []

        def source():
            for person in PEOPLE:
                read.append(person[0])
                yield person

        table = people_table(source())
        assert read == []  # nothing is read before rendering
        rows = xlsx_rows(table.xlsx())
        assert read == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc"]
        assert len(rows) == 4
        with pytest.raises(RuntimeError):
            table.csv()  # a consumed one-shot source is refused, not rendered empty

    def test_a_list_source_renders_as_often_as_asked(self):
        table = people_table(PEOPLE)
        assert xlsx_rows(table.xlsx()) == xlsx_rows(table.xlsx())

    def test_sheets_of_free_rows_render_to_one_workbook(self):
        first = Sheet("Cơ cấu", [[bold("Giới tính")], ["Nữ", 2]], widths=[40, 12])
        second = Sheet("Hướng dẫn", [["Cột", "Cách ghi"]])
        workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx([first, second])))
        assert workbook.sheetnames == ["Cơ cấu", "Hướng dẫn"]
        assert workbook["Cơ cấu"]["B2"].value == 2
        assert workbook["Cơ cấu"].column_dimensions["A"].width == 40


class TestReader:
    def test_the_streaming_reader_reads_back_what_a_table_wrote(self):
        content = people_table(PEOPLE, title_lines=["DANH SÁCH ĐẢNG VIÊN"]).xlsx()
        with open_xlsx(io.BytesIO(content)) as archive:
            workbook = XlsxReader(archive)
            [(sheet_title, path)] = workbook.sheets
            rows = dict(workbook.rows(path))
        assert sheet_title == "Danh sách đảng viên"
        assert rows[1] == ("DANH SÁCH ĐẢNG VIÊN",)
        assert rows[3] == ("STT", "Họ và tên", "Ngày sinh", "Chức vụ")
        assert rows[5] == (2, "Trần Thị Bình", datetime.datetime(1988, 2, 29), "Đảng viên")


def sample_document() -> Document:
    return Document(
        kind="minutes",
        label="Biên bản sinh hoạt chi bộ",
        date=datetime.date(2026, 11, 5),
        blocks=[
            Letterhead(
                upper="ĐẢNG BỘ PHƯỜNG BẾN NGHÉ",
                issuer="CHI BỘ KHU PHỐ 1",
                number="",
                party="ĐẢNG CỘNG SẢN VIỆT NAM",
                place_date="Thành phố Hồ Chí Minh, ngày 05 tháng 11 năm 2026",
            ),
            paragraph("BIÊN BẢN", "type", bold=True),
            paragraph("Đồng chí Nguyễn Văn An chủ trì; ủy viên Lê Thị Cúc dự họp."),
            Table(
                columns=[Column("STT", 10, "center"), Column("Nội dung", 90)],
                rows=[["1", "Học tập nghị quyết"]],
            ),
            Closing(signers=[Signer(["THƯ KÝ"], "Trần Thị Bình"), Signer(["CHỦ TRÌ"], "An")]),
        ],
        fingerprint="",
        footer_lines=["Bản nháp"],
        draft_label="BẢN NHÁP",
    )


def embedded_font_names(content: bytes) -> bytes:
    """The decompressed streams of a PDF, where embedded fonts keep their name tables."""
    streams = re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    parts = []
    for match in streams:
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
class TestPdf:
    def test_the_bundled_font_is_embedded_and_the_text_is_vietnamese(self, tmp_path):
        content = pdf_render.pdf([sample_document()])
        path = tmp_path / "minutes.pdf"
        path.write_bytes(content)
        fonts = subprocess.run(  # noqa: S603 — fixed command, a file of the test's own
            ["pdffonts", str(path)],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        # Named as the documents ask (Times New Roman), embedded, and the glyphs are the
        # bundled Liberation Serif's (its name table travels with the subset).
        assert "Times-New-Roman" in fonts
        assert all(" yes " in line for line in fonts.splitlines()[2:])
        assert "Liberation Serif".encode("utf-16-be") in embedded_font_names(content)
        text = subprocess.run(  # noqa: S603 — fixed command, a file of the test's own
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Đồng chí Nguyễn Văn An chủ trì; ủy viên Lê Thị Cúc dự họp." in text
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text

    def test_font_faces_point_at_the_bundled_files(self):
        css = font_faces_css()
        assert css.count("@font-face") == 4
        assert (FONT_DIR / "LiberationSerif-Regular.ttf").exists()
        assert (FONT_DIR / "LICENSE-LiberationSerif.txt").exists()
        assert (FONT_DIR / "LiberationSerif-Regular.ttf").as_uri() in css


class TestDocx:
    def test_blocks_become_word_paragraphs_and_tables_in_times_new_roman(self):
        document = DocxDocument(io.BytesIO(docx_render.docx(sample_document())))
        texts = [p.text for p in document.paragraphs]
        assert "Đồng chí Nguyễn Văn An chủ trì; ủy viên Lê Thị Cúc dự họp." in texts
        assert document.tables[1].cell(1, 1).text == "Học tập nghị quyết"
        assert document.styles["Normal"].font.name == "Times New Roman"
        assert document.core_properties.language == "vi-VN"


class TestResponses:
    def test_each_format_names_its_file_and_stays_out_of_shared_caches(self):
        xlsx = xlsx_response(b"x", "danh-sach-dang-vien-01-20261105.xlsx")
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        assert xlsx["Content-Disposition"] == (
            'attachment; filename="danh-sach-dang-vien-01-20261105.xlsx"'
        )
        assert xlsx["Cache-Control"] == "no-store"
        assert pdf_response(b"x", "a.pdf", inline=True)["Content-Disposition"] == (
            'inline; filename="a.pdf"'
        )
        assert "wordprocessingml" in docx_response(b"x", "a.docx")["Content-Type"]
        assert csv_response(b"x", "a.csv")["Content-Type"] == "text/csv; charset=utf-8"

    def test_a_vietnamese_file_name_is_sent_as_utf8(self):
        response = pdf_response(b"x", "Sổ đảng phí.pdf")
        assert response["Content-Disposition"] == (
            "attachment; filename*=utf-8''S%E1%BB%95%20%C4%91%E1%BA%A3ng%20ph%C3%AD.pdf"
        )
