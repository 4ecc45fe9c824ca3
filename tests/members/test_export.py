"""Exporting the member register as an XLSX list in the 7-HSĐV layout: title rows, the same
header row the import reads, members in list order, and a file that re-imports unchanged."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from chibo.core.errors import ServiceError
from chibo.members.exports import export_members_xlsx, import_template_xlsx
from chibo.members.imports import HEADERS, LAYOUT, import_members, parse_member_file
from chibo.members.models import Member, MemberStatus
from chibo.members.selectors import member_list
from chibo.members.services import member_change_status, member_create

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every value the layout carries, and the cell.
LAYOUT_FIELDS = [column.field for column in LAYOUT if column.field] + ["cell_id"]


def sheet_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def add_full_record(cell):
    """A member with every column of the layout filled in."""
    return member_create(
        actor=None,
        cell=cell,
        full_name="Đoàn Thị Ánh",
        sex="female",
        birth_date=datetime.date(1988, 2, 29),
        ethnicity="Tày",
        religion="Phật giáo",
        home_town="Xã Tân Sơn, tỉnh Phú Thọ",
        residence_address="Tổ 5, phường Hưng Phú",
        general_education="12/12",
        professional_qualification="Cử nhân Luật",
        political_theory="intermediate",
        occupation="Giáo viên",
        party_card_number="012345678",
        admission_decision_date=datetime.date(2012, 5, 2),
        ceremony_date=datetime.date(2012, 5, 19),
        official_date=datetime.date(2013, 5, 19),
        phone="0912345678",
        email="anh.doan@example.org",
        notes="Chuyển đến từ Đảng bộ xã Tân Sơn",
    )


def test_the_export_has_title_rows_the_header_row_and_members_in_list_order(world):
    content = export_members_xlsx(
        member_list(organization=world.khoi1),
        organization=world.khoi1,
        today=datetime.date(2026, 3, 2),
    )

    rows = sheet_rows(content)
    assert "Chi bộ Khối 1" in rows[0][0]
    assert "38.168.000.000.001" in rows[1][0] and "02/03/2026" in rows[1][0]
    assert rows[3] == HEADERS
    body = [dict(zip(HEADERS, row, strict=False)) for row in rows[4:]]
    # Vietnamese order: by given name, An before Bình.
    assert [(row["STT"], row["Họ và tên"]) for row in body] == [
        (1, "Nguyễn Văn An"),
        (2, "Trần Thị Bình"),
    ]
    binh = body[1]
    assert (binh["Giới tính"], binh["Trạng thái"], binh["Số thẻ đảng viên"]) == (
        "Nữ",
        "Chính thức",
        "10000002",
    )
    assert binh["Ngày sinh"] == datetime.datetime(1970, 5, 1)  # a real Excel date
    assert binh["Chi bộ (mã tổ chức)"] == "38.168.000.000.001"


def test_an_exported_list_reimports_unchanged(world):
    add_full_record(world.khoi1)
    member_change_status(
        actor=None,
        member=world.binh,
        status=MemberStatus.EXEMPTED,
        effective_date=datetime.date(2025, 1, 10),
    )
    originals = list(member_list(organization=world.ward).values(*LAYOUT_FIELDS))
    content = export_members_xlsx(member_list(organization=world.ward), organization=world.ward)
    # Start from an empty register, as a new installation would.
    Member.objects.all().delete()

    with translation.override("en"):
        result = parse_member_file(io.BytesIO(content), organization=world.ward)
    assert result.problems == []
    import_members(actor=None, organization=world.ward, result=result)

    reimported = list(member_list(organization=world.ward).values(*LAYOUT_FIELDS))
    assert reimported == originals
    assert len(reimported) == 5


def test_the_blank_template_has_the_header_row_and_nothing_to_import(world):
    content = import_template_xlsx()

    rows = sheet_rows(content)
    assert HEADERS in rows[:5]
    with translation.override("en"), pytest.raises(ServiceError, match="no member rows"):
        parse_member_file(io.BytesIO(content), organization=world.khoi1)


def test_exporting_a_ward_costs_the_same_queries_as_one_cell(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        export_members_xlsx(member_list(organization=world.ward), organization=world.ward)


# --- pages ----------------------------------------------------------------------------------


def test_the_secretary_downloads_the_cell_list(client, world):
    client.force_login(world.an_user)

    response = client.get(reverse("members:export", args=[world.khoi1.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    names = [row[1] for row in sheet_rows(response.content)[4:]]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_an_overseer_downloads_the_ward_list(client, world):
    client.force_login(world.cuc_user)

    response = client.get(reverse("members:export", args=[world.ward.pk]))

    assert response.status_code == 200
    assert len(sheet_rows(response.content)[4:]) == 4


def test_a_plain_member_of_the_cell_gets_403(client, world):
    client.force_login(world.binh_user)

    assert client.get(reverse("members:export", args=[world.khoi1.pk])).status_code == 403


def test_a_member_of_another_cell_gets_404(client, world):
    client.force_login(world.dung_user)

    assert client.get(reverse("members:export", args=[world.khoi1.pk])).status_code == 404


def test_post_on_export_gets_405(client, world):
    client.force_login(world.an_user)

    assert client.post(reverse("members:export", args=[world.khoi1.pk])).status_code == 405


def test_the_template_is_for_logged_in_users(client, world):
    url = reverse("members:import_template")
    assert client.get(url).status_code == 302

    client.force_login(world.binh_user)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
