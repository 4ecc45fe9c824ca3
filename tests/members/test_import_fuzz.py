"""Property-based fuzzing of the member import (issue 14): lists generated with boundary
numbers, dates (0/1/1900, 29/2, far future, malformed), Unicode (combining marks, right-to-left
text, emoji, NUL, very long strings, a leading "=" as in a formula injection), missing, extra
and duplicate columns, written as XLSX (by hand, as Excel writes it) and as CSV, are uploaded
through the real page by An, the secretary of Khối 1.

Whatever the file: never a server error; either the file is refused with one sentence under
the file field and nothing is written, or the preview lists each problem with its row and
column, and confirming "valid rows only" writes exactly the valid rows, readable back by name.
Each example runs in a transaction rolled back afterwards."""

import datetime
import io

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from chibo.members.imports import HEADERS, REQUIRED_HEADERS
from chibo.members.models import Member
from tests.members.fixtures_xlsx import excel_like_xlsx

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same examples every run: a flaky test is a bug
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

NASTY_TEXT = [
    "",
    " ",
    "Nguyễn Văn A",
    "Nguye\u0302\u0303n Va\u0306n A",  # decomposed diacritics (combining marks)
    "\u202eنا\u202c محمد",  # right-to-left override and Arabic
    "Lê 👍🏽 Thị 🇻🇳",
    "Trần\x00Văn",  # NUL
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "x" * 5000,
    "Ａ全角",
    "\u200b\u200d\ufeff",
    "\t\r\n",
]
NASTY_DATES = [
    "0/0/0",
    "00/00/0000",
    "01/01/1900",
    "1/1/1900",
    "29/02/2000",
    "29/02/2023",
    "31/12/9999",
    "01/01/10000",
    "32/13/2020",
    "15-06-1990",
    "15.06.1990",
    "1990-06-15",
    "15/06/90",
    "  15/06/1990  ",
    "ngày 15 tháng 6",
]
NASTY_NUMBERS = [0, -1, 1, 59, 60, 61, 2958465, 2958466, 10**15, -(10**15), 1e308, 0.5, 2**63]

text = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=40))
# XML cannot hold control characters: a sheet with one is unreadable as a whole (and refused
# so, see test_a_sheet_holding_a_nul_is_refused_as_unreadable); the XLSX lists keep them out
# so that their rows reach the checks.
xml_text = st.one_of(
    st.sampled_from([value for value in NASTY_TEXT if "\x00" not in value]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
)
date_text = st.one_of(st.sampled_from(NASTY_DATES), st.text(max_size=12))
real_date = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
number = st.sampled_from(NASTY_NUMBERS)


@st.composite
def member_lists(draw, *, xlsx: bool):
    """(header row, data rows): the layout's headers with some missing, doubled or foreign,
    and rows of values that are mostly plausible and sometimes hostile."""
    headers = list(draw(st.permutations(HEADERS)))
    if draw(st.integers(0, 2)) == 0:  # drop a few columns (sometimes a required one)
        dropped = draw(st.lists(st.sampled_from(HEADERS), max_size=3, unique=True))
        headers = [header for header in headers if header not in dropped]
    if draw(st.integers(0, 2)) == 0:
        headers.append(draw(st.sampled_from([*HEADERS, "Cột lạ", "", "Họ và tên"])))
    cell_value = (
        st.one_of(xml_text, st.sampled_from(NASTY_DATES), number, real_date)
        if xlsx
        else st.one_of(text, date_text)
    )
    plausible = {
        "Họ và tên": st.sampled_from(
            ["Lê Văn Một", "Hà Thị Hai", "Đỗ Văn Ba", "Ngô Thị Bốn", "Vi Văn Năm", "Lò Thị Sáu"]
        ),
        "Giới tính": st.sampled_from(["Nam", "Nữ", "nam", "X", ""]),
        "Ngày sinh": st.sampled_from(["15/06/1990", "29/02/1988"]),
        "Ngày quyết định kết nạp": st.just("01/03/2020"),
        "Ngày vào Đảng (lễ kết nạp)": st.just("19/03/2020"),
    }
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        row = []
        # Half the rows have one to three hostile cells; the other cells are plausible, or
        # empty where optional.
        hostile = draw(st.sets(st.integers(0, len(headers) - 1), min_size=1, max_size=3))
        if draw(st.booleans()):
            hostile = set()
        for position, header in enumerate(headers):
            if position in hostile:
                row.append(draw(cell_value))
            elif header in plausible:
                row.append(draw(plausible[header]))
            else:
                row.append(None)
        # Rows shorter or longer than the header row.
        if draw(st.integers(0, 3)) == 0:
            row = row[: draw(st.integers(min_value=0, max_value=len(row)))]
        elif draw(st.integers(0, 3)) == 0:
            row.append(draw(cell_value))
        rows.append(row)
    return headers, [[None if value == "" else value for value in row] for row in rows]


def as_xlsx(headers, rows) -> io.BytesIO:
    file = excel_like_xlsx([headers, *rows])
    file.name = "danh-sach.xlsx"
    return file


def _csv_field(value) -> str:
    if value is None:
        return ""
    value = value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else str(value)
    return '"' + value.replace('"', '""') + '"'


def as_csv(headers, rows) -> io.BytesIO:
    lines = [",".join(_csv_field(value) for value in line) for line in [headers, *rows]]
    file = io.BytesIO("\r\n".join(lines).encode("utf-8", "surrogatepass"))
    file.name = "danh-sach.csv"
    return file


@pytest.fixture
def secretary(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CHIBO_IMPORT_JOB_ROWS = 10**9  # read in the request (the jobs have their tests)
    client.force_login(world.an_user)
    with translation.override("en"):
        yield client, world


def check_upload(client, world, file) -> None:
    """One upload, then a confirmation of the valid rows; rolled back afterwards."""
    before = Member.objects.count()
    with transaction.atomic():
        response = client.post(
            reverse("members:import", args=[world.khoi1.pk]),
            {"file": file, "mode": "valid_rows_only"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        form = response.context["form"]
        result = response.context.get("result")
        if result is None:
            # Refused as a whole: one sentence under the file field, nothing written.
            assert len(form.errors["file"]) == 1 and form.errors["file"][0].strip()
            assert Member.objects.count() == before
            event("refused: " + form.errors["file"][0][:40])
            transaction.set_rollback(True)
            return
        assert Member.objects.count() == before  # the preview writes nothing
        for problem in result.problems:
            assert problem.row > result.header_row
            assert problem.column in HEADERS
            assert problem.message.strip()
        token = response.context["token"]
        event("some rows imported" if result.valid_count else "every row has a problem")
        if result.valid_count:
            confirmed = client.post(
                reverse("members:import_confirm", args=[world.khoi1.pk, token]),
                {"mode": "valid_rows_only"},
                HTTP_ACCEPT_LANGUAGE="en",
            )
            assert confirmed.status_code == 302
            assert Member.objects.count() == before + result.valid_count
            for row in result.valid_rows:
                assert Member.objects.filter(
                    full_name=row.values["full_name"], cell=world.khoi1
                ).exists()
        else:
            assert not token
        transaction.set_rollback(True)
    assert Member.objects.count() == before


@FUZZ
@given(data=member_lists(xlsx=True))
def test_any_xlsx_list_is_imported_or_refused_cleanly(secretary, data):
    client, world = secretary
    check_upload(client, world, as_xlsx(*data))


@FUZZ
@given(data=member_lists(xlsx=False))
def test_any_csv_list_is_imported_or_refused_cleanly(secretary, data):
    client, world = secretary
    check_upload(client, world, as_csv(*data))


def test_a_sheet_holding_a_nul_is_refused_as_unreadable(secretary):
    client, world = secretary
    file = as_xlsx(list(REQUIRED_HEADERS), [["Trần\x00Văn", "Nam", "15/06/1990"]])

    response = client.post(
        reverse("members:import", args=[world.khoi1.pk]),
        {"file": file, "mode": "valid_rows_only"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "could not be read" in response.context["form"].errors["file"][0]
