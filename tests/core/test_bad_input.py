"""Bad input found by fuzzing (issue 9, item 23): dates in year 1 or 9999, names holding
invisible or control characters, text exported as live spreadsheet formulas, numbers too large
for a date or for the database. Each is refused with a Vietnamese sentence, never HTTP 500."""

from __future__ import annotations

import csv
import datetime
import importlib
import io
import pkgutil
import re
import sys
import unicodedata
import zipfile

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

import chibo
from chibo.core.errors import ServiceError
from chibo.core.exports.tables import Sheet, render_csv, render_xlsx
from chibo.core.forms import BoundedModelMultipleChoiceField, validate_date_bounds
from chibo.core.text import InvalidName, fold, normalize_name
from chibo.meetings.forms import PolicyForm
from chibo.meetings.forms_live import AssignmentForm
from chibo.members import selectors
from chibo.members.forms import MemberForm
from chibo.members.forms_dues import DuesSheetForm
from chibo.members.imports import BIRTH_DATE, NAME, SEX, parse_member_file
from chibo.members.models import DuesAssessment, Member
from chibo.members.services import member_create
from chibo.orgs.forms import OrganizationForm
from chibo.orgs.forms_rules import RuleOverrideForm
from tests.conftest import make_member
from tests.members.fixtures_xlsx import excel_like_xlsx, member_list_file, member_row

pytestmark = pytest.mark.django_db

VN = datetime.timezone(datetime.timedelta(hours=7))
NOW = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=VN)
BOUNDS = "Đồng chí hãy nhập ngày trong khoảng từ 01/01/1900 đến 15/06/2076."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False), translation.override("vi"):
        yield


# -- dates: 1/1/1900 to 50 years ahead, in all seven places ---------------------------------


def date_forms(world):
    """(form class name, field, the field as the form builds it) for the seven places."""
    member = MemberForm()
    sheet = DuesSheetForm(
        sheet=selectors.dues_sheet(organization=world.khoi1, month=datetime.date(2026, 6, 1))
    )
    assignment = AssignmentForm(members=Member.objects.none())
    return [
        ("MemberForm", "birth_date", member.fields["birth_date"]),
        ("MemberForm", "admission_decision_date", member.fields["admission_decision_date"]),
        ("DuesSheetForm", "paid_on", sheet.fields["paid_on"]),
        ("AssignmentForm", "due_date", assignment.fields["due_date"]),
        ("PolicyForm", "term_start", PolicyForm().fields["term_start"]),
        ("OrganizationForm", "active_from", OrganizationForm().fields["active_from"]),
        ("RuleOverrideForm", "effective_from", RuleOverrideForm().fields["effective_from"]),
    ]


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "1899-12-31", "2076-06-16"])
def test_every_date_field_refuses_dates_outside_1900_to_fifty_years_ahead(world, typed):
    for form, name, field in date_forms(world):
        with pytest.raises(ValidationError) as refused:
            field.clean(typed)
        assert BOUNDS in refused.value.messages, (form, name)


def test_the_bounds_themselves_are_accepted(world):
    for _form, _name, field in date_forms(world):
        assert field.clean("1900-01-01") == datetime.date(1900, 1, 1)
        assert field.clean("2076-06-15") == datetime.date(2076, 6, 15)


def test_the_member_form_page_says_so_in_vietnamese(world, client):
    client.force_login(world.an_user)
    url = reverse("members:edit", args=[world.binh.pk])
    data = {
        "full_name": "Trần Thị Bình",
        "sex": "female",
        "birth_date": "0001-01-01",
        "admission_decision_date": "2000-03-01",
        "ceremony_date": "2000-03-19",
        "official_date": "2001-03-19",
        "version": world.binh.version,
    }
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    assert BOUNDS in response.content.decode()
    world.binh.refresh_from_db()
    assert world.binh.birth_date == datetime.date(1970, 5, 1)


@pytest.mark.parametrize("written", ["01/01/0001", "31/12/9999", "9999-12-31"])
def test_the_import_refuses_a_date_out_of_bounds_by_row_and_column(world, written):
    file = member_list_file([member_row("Lê Văn Xa", **{"Ngày sinh": written})])
    result = parse_member_file(file, organization=world.khoi1)
    problems = {(problem.row, problem.column): problem.message for problem in result.problems}
    assert problems == {(4, BIRTH_DATE): BOUNDS}


# -- numbers too large: no OverflowError ------------------------------------------------------


def _with_cell_value(file: io.BytesIO, old: str, new: str) -> io.BytesIO:
    """The XLSX with one cell's stored value replaced (what a hand-edited file can hold)."""
    source = zipfile.ZipFile(file)
    out = io.BytesIO()
    replaced = False
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if old.encode() in data and info.filename.startswith("xl/worksheets/"):
                data = data.replace(old.encode(), new.encode())
                replaced = True
            target.writestr(info, data)
    assert replaced
    out.seek(0)
    out.name = "danh-sach.xlsx"
    return out


def test_a_date_styled_cell_holding_1e300_is_a_cell_error_not_a_crash(world):
    birth = datetime.date(1975, 9, 2)
    serial = (birth - datetime.date(1899, 12, 30)).days
    file = excel_like_xlsx([[NAME, SEX, BIRTH_DATE], ["Đinh Văn Yên", "Nam", birth]])
    file = _with_cell_value(file, f"<x:v>{serial}</x:v>", "<x:v>1e300</x:v>")
    result = parse_member_file(file, organization=world.khoi1)
    assert [(problem.row, problem.column) for problem in result.problems] == [(2, BIRTH_DATE)]
    assert "dd/mm/yyyy" in result.problems[0].message


def test_a_dues_basis_above_2_63_is_refused_with_a_message(world, client):
    client.force_login(world.an_user)
    url = reverse("members:dues_basis", args=[world.khoi1.pk]) + "?year=2026"
    response = client.post(
        url,
        {
            "basis-member": world.binh.pk,
            "basis-basis": "insurable_salary",
            "basis-basis_amount": str(2**64),
        },
    )
    assert response.status_code == 400  # the page again, with the field's error
    assert "1000000000000" in response.content.decode().replace(".", "")
    assert not DuesAssessment.objects.exists()


# -- names: normalised, invisible and control characters refused -----------------------------

HIDDEN = {
    "zero-width space": "Trần\u200bThị Bình",
    "zero-width joiner": "Trần Thị\u200d Bình",
    "right-to-left override": "\u202eTrần Thị Bình",
    "byte-order mark": "Trần Thị Bình\ufeff",
    "tab": "Trần\tThị Bình",
    "newline": "Trần Thị\nBình",
    "line separator": "Trần Thị\u2028Bình",
}
REFUSED = "Họ tên có ký tự ẩn hoặc ký tự điều khiển"


@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
def test_the_member_form_refuses_invisible_and_control_characters(name):
    form = MemberForm(
        data={"full_name": name, "sex": "female", "birth_date": "1970-05-01", "version": 0}
    )
    assert not form.is_valid()
    assert REFUSED in form.errors["full_name"][0]


@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
def test_the_service_and_the_import_refuse_them_too(world, name):
    with pytest.raises(ServiceError, match=REFUSED):
        member_create(
            actor=None,
            cell=world.khoi1,
            full_name=name,
            sex="female",
            birth_date=datetime.date(1970, 5, 1),
        )
    file = member_list_file([member_row(name, **{"Ngày sinh": "01/05/1970"})])
    result = parse_member_file(file, organization=world.khoi1)
    assert [(problem.row, problem.column) for problem in result.problems] == [(4, NAME)]
    assert REFUSED in result.problems[0].message


def test_a_zero_width_space_no_longer_hides_a_duplicate(world):
    """Bình (born 1/5/1970) is registered; the same name with a zero-width space inside used to
    pass as a new person."""
    disguised = "Trần Thị Bì\u200bnh"
    assert fold(disguised) == fold("Trần Thị Bình")
    assert list(
        selectors.find_duplicates(
            full_name=disguised, birth_date=datetime.date(1970, 5, 1), party_card_number=None
        )
    ) == [world.binh]


def test_names_are_stored_composed_and_single_spaced(world):
    decomposed = unicodedata.normalize("NFD", "  Lê   Thị Hồng  ")
    member = make_member(world.khoi1, decomposed)
    assert member.full_name == "Lê Thị Hồng"
    assert unicodedata.is_normalized("NFC", member.full_name)


def test_every_control_or_format_character_is_refused_and_every_letter_kept():
    """Over the whole Basic Multilingual Plane: a name holding a control (Cc), format (Cf),
    line or paragraph separator character is refused; letters and spaces never are, and a
    normalised name is normalised again unchanged."""
    for code in range(sys.maxunicode if sys.maxunicode < 0x10000 else 0x10000):
        char = chr(code)
        category = unicodedata.category(char)
        name = f"Nguyễn{char}An"
        if category in ("Cc", "Cf", "Zl", "Zp"):
            with pytest.raises(InvalidName):
                normalize_name(name)
        elif (category.startswith("L") or category == "Zs") and "FILLER" not in unicodedata.name(
            char, ""
        ):  # Hangul fillers are letters that show nothing: refused as well
            clean = normalize_name(name)
            assert clean == normalize_name(clean)
            assert "  " not in clean and clean == clean.strip()


# -- spreadsheet formulas are exported as text ---------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","Bấm")', "+84912000111", "-2+3", "@SUM(A1:A9)"]


def test_xlsx_cells_starting_with_a_formula_sign_are_text_and_numbers_stay_numbers():
    rows = [[text, -5, 1.5] for text in FORMULAS]
    for write_only in (True, False):
        data = render_xlsx([Sheet("S", rows)], write_only=write_only)
        assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        sheet = load_workbook(io.BytesIO(data)).active
        for row, text in zip(sheet.iter_rows(), FORMULAS, strict=True):
            assert (row[0].value, row[0].data_type) == (text, "s")
            assert row[0].quotePrefix
            assert (row[1].value, row[1].data_type) == (-5, "n")
            assert row[2].value == 1.5


def test_csv_cells_starting_with_a_formula_sign_get_a_quote():
    data = render_csv(Sheet("S", [[text, -5] for text in FORMULAS]))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["'" + text, "-5"] for text in FORMULAS]


def test_the_member_export_writes_a_formula_typed_into_a_note_as_text(world, client):
    world.binh.notes = '=HYPERLINK("http://x","Bấm")'
    world.binh.save(update_fields=["notes"])
    client.force_login(world.an_user)
    response = client.get(reverse("members:export", args=[world.khoi1.pk]))
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml")
    assert not re.search(rb"<f>", xml)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == world.binh.notes]
    assert cells and all(cell.data_type == "s" for cell in cells)


def all_form_classes():
    """Every form class chibo declares (its apps' forms modules, imported)."""
    for module_info in pkgutil.walk_packages(chibo.__path__, "chibo."):
        if ".forms" in module_info.name or module_info.name.endswith("forms_rules"):
            importlib.import_module(module_info.name)
    seen, stack = set(), [forms.BaseForm]
    while stack:
        for subclass in stack.pop().__subclasses__():
            if subclass not in seen:
                seen.add(subclass)
                stack.append(subclass)
    return sorted(
        (cls for cls in seen if cls.__module__.startswith("chibo.")),
        key=lambda cls: (cls.__module__, cls.__qualname__),
    )


def test_every_date_field_of_every_form_is_bounded():
    """Item 23: no form accepts year 1 or 9999 — every date (and date-time) field of every
    form carries the bounds, not only the seven the fuzzer reported."""
    unbounded = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in all_form_classes()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
        and validate_date_bounds not in field.validators
    ]
    assert unbounded == []


def test_every_multiple_picker_is_bounded():
    """Fuzzing found an id past 2^63 in a several-objects picker crashing the query (SQLite
    OverflowError, PostgreSQL out of range): every such field of every form is the bounded one
    (fields set in a form's __init__ included, through an instance with no data)."""
    unbounded = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in all_form_classes()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, BoundedModelMultipleChoiceField)
    ]
    assert unbounded == []


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "0", "1e3", "x", " "])
def test_a_multiple_picker_refuses_an_impossible_id_as_an_invalid_choice(world, value):
    field = BoundedModelMultipleChoiceField(queryset=Member.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean([str(world.an.pk), value])
    assert refused.value.code == "invalid_choice"
    assert list(field.clean([str(world.an.pk)])) == [world.an]
