"""Structure statistics of a subtree: members on the rolls by sex, age band, ethnicity,
religion, education, political theory, party age band, status and cell type — on a page with
charts and in an XLSX sheet, for the committees who oversee the subtree only."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from chibo.reports.exports import SECTION_TITLES, export_structure_xlsx
from chibo.reports.selectors import structure_report, years_before
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 3, 2)
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MORNING_OF_AS_OF = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=VN)


def counts(report, key: str) -> dict[str, int]:
    table = next(table for table in report.tables if table.key == key)
    return {row.key: row.count for row in table.rows}


def add_ward_members(world):
    """Two more members on the ward's rolls, one removed from the rolls, one in another ward.
    World members: born 01/05/1970, Kinh, no religion, decision 01/03/2000, official."""
    make_member(
        world.khoi1,
        "Hoàng Thị Em",
        sex="female",
        # Exactly 30 years old on AS_OF, and exactly 5 years of party age.
        birth=datetime.date(1996, 3, 2),
        official=False,
        admission_decision_date=datetime.date(2021, 3, 2),
        ceremony_date=datetime.date(2021, 3, 20),
        ethnicity="Tày",
        religion="Phật giáo",
        general_education="12/12",
        political_theory="intermediate",
    )
    # One day short of 30; no admission decision recorded.
    make_member(world.khoi2, "Vũ Văn Giang", birth=datetime.date(1996, 3, 3), official=False)
    make_member(world.khoi1, "Đỗ Văn Hùng", status="removed")
    make_member(world.other_cell, "Lò Văn Ích", ethnicity="Thái")


def test_the_ward_counts_every_dimension_of_its_members_on_the_rolls(world):
    add_ward_members(world)

    report = structure_report(world.ward, as_of=AS_OF)

    assert report.total == 6
    assert counts(report, "sex") == {"male": 3, "female": 3}
    assert counts(report, "age") == {
        "under_30": 1,
        "30_39": 1,
        "40_49": 0,
        "50_59": 4,
        "60_69": 0,
        "70_over": 0,
    }
    assert counts(report, "ethnicity") == {"Kinh": 5, "Tày": 1}
    assert counts(report, "religion") == {"Không": 5, "Phật giáo": 1}
    # Typed values first, most frequent first; an empty value is "not recorded", last.
    assert list(counts(report, "education").items()) == [("12/12", 1), ("", 5)]
    assert counts(report, "political_theory") == {
        "none": 5,
        "elementary": 0,
        "intermediate": 1,
        "advanced": 0,
        "bachelor": 0,
    }
    assert counts(report, "party_age") == {
        "under_5": 0,
        "5_9": 1,
        "10_19": 0,
        "20_29": 4,
        "30_39": 0,
        "40_over": 0,
        "unknown": 1,
    }
    assert counts(report, "status") == {
        "probationary": 2,
        "official": 4,
        "exempted": 0,
        "temporarily_attached": 0,
        "suspended": 0,
    }
    assert counts(report, "cell_type") == {"residential_group": 6}
    for table in report.tables:
        assert table.total == 6, table.key


def test_a_cell_counts_only_its_own_members_and_shares_round_to_one_decimal(world):
    add_ward_members(world)

    report = structure_report(world.khoi1, as_of=AS_OF)

    assert report.total == 3  # An, Bình, Em; Hùng is off the rolls
    ethnicity = {row.key: row for row in report.tables[2].rows}
    assert ethnicity["Tày"].percent == Decimal("33.3")
    assert ethnicity["Kinh"].percent == Decimal("66.7")


def test_age_bands_count_full_years_on_the_reference_date(world):
    for name, birth in [
        ("Tròn Ba Mươi", datetime.date(1996, 3, 2)),
        ("Thiếu Một Ngày", datetime.date(1996, 3, 3)),
        ("Tròn Bảy Mươi", datetime.date(1956, 3, 2)),
        ("Sáu Mươi Chín", datetime.date(1956, 3, 3)),
        ("Tròn Bốn Mươi", datetime.date(1986, 3, 2)),
    ]:
        make_member(world.other_cell, name, birth=birth)

    age = counts(structure_report(world.other_ward, as_of=AS_OF), "age")

    # Exactly 30 years old is in 30–39; a day short of 30 is under 30.
    assert age["under_30"] == 1
    assert age["30_39"] == 1
    assert age["40_49"] == 1
    assert age["60_69"] == 1
    assert age["70_over"] == 1


def test_party_age_bands_count_full_years_from_the_admission_decision(world):
    for name, decision in [
        ("Mới Kết Nạp", datetime.date(2021, 3, 3)),  # a day short of 5 years
        ("Tròn Năm Năm", datetime.date(2021, 3, 2)),
        ("Tròn Mười Năm", datetime.date(2016, 3, 2)),
        ("Gần Bốn Mươi", datetime.date(1986, 3, 3)),
        ("Tròn Bốn Mươi", datetime.date(1986, 3, 2)),
    ]:
        make_member(
            world.other_cell,
            name,
            birth=datetime.date(1960, 1, 1),
            official=False,
            admission_decision_date=decision,
        )

    party_age = counts(structure_report(world.other_ward, as_of=AS_OF), "party_age")

    assert party_age == {
        "under_5": 1,
        "5_9": 1,
        "10_19": 1,
        "20_29": 0,
        "30_39": 1,
        "40_over": 1,
    }


def test_party_age_bands_subtract_the_years_off_the_rolls(world):
    """R3.10: party age runs from the admission decision, less the gaps. Decided 02/03/2014
    (12 years on 02/03/2026), removed 01/06/2016, re-admitted 01/06/2019: 3 years off the
    rolls leave 9 years of party age, band 5 to 9."""
    from chibo.members.services import member_change_status

    member = make_member(
        world.other_cell,
        "Trở Lại Đảng",
        official=False,
        admission_decision_date=datetime.date(2014, 3, 2),
        ceremony_date=datetime.date(2014, 3, 20),
    )
    with time_machine.travel(MORNING_OF_AS_OF):
        member_change_status(
            actor=None, member=member, status="removed", effective_date=datetime.date(2016, 6, 1)
        )
        member_change_status(
            actor=None,
            member=member,
            status="probationary",
            effective_date=datetime.date(2019, 6, 1),
        )

    party_age = counts(structure_report(world.other_ward, as_of=AS_OF), "party_age")

    assert party_age["5_9"] == 1
    assert party_age["10_19"] == 0


def test_a_birthday_on_29_february_is_reached_on_28_february_of_a_common_year():
    assert years_before(datetime.date(2028, 2, 29), 30) == datetime.date(1998, 2, 28)
    assert years_before(datetime.date(2026, 3, 2), 30) == datetime.date(1996, 3, 2)


def test_cell_types_come_from_each_members_cell(world):
    school = world.other_cell
    school.cell_type = "school"
    school.save(update_fields=["cell_type"])
    make_member(school, "Giáo Viên Một")

    by_type = counts(structure_report(world.province, as_of=AS_OF), "cell_type")

    # Cell types nobody belongs to are left out.
    assert by_type == {"residential_group": 4, "school": 1}


@time_machine.travel(MORNING_OF_AS_OF, tick=False)
def test_the_page_shows_tables_charts_data_and_the_reference_date(world, client):
    add_ward_members(world)
    client.force_login(world.cuc_user)

    response = client.get(reverse("reports:structure", args=[world.ward.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Thống kê cơ cấu đảng viên" in page
    assert "Số liệu đến ngày 02/03/2026" in page
    assert "Trình độ lý luận chính trị" in page and "Tuổi đảng" in page
    assert "Loại hình chi bộ" in page and "Tổ dân phố" in page
    # 1 of 6 members is Tày: a Vietnamese decimal comma.
    assert "16,7%" in page and "50,0%" in page
    assert 'id="structure-data"' in page
    assert "reports/structure.js" in page and "chartjs/chart.umd.min.js" in page
    # The data is JSON for the static script, never an inline script.
    assert "<script>" not in page
    assert response.context["chart_data"]["sex"] == {"labels": ["Nam", "Nữ"], "counts": [3, 3]}
    assert reverse("reports:structure_xlsx", args=[world.ward.pk]) in page


def test_the_organization_page_links_to_the_statistics(world, client):
    client.force_login(world.cuc_user)

    page = client.get(reverse("orgs:detail", args=[world.ward.pk])).content.decode()

    assert reverse("reports:structure", args=[world.ward.pk]) in page


@pytest.mark.parametrize("url_name", ["reports:structure", "reports:structure_xlsx"])
def test_only_overseers_of_the_subtree_see_its_statistics(world, client, url_name):
    def status(user, organization):
        client.force_login(user)
        return client.get(reverse(url_name, args=[organization.pk])).status_code

    assert status(world.cuc_user, world.ward) == 200
    assert status(world.cuc_user, world.khoi2) == 200
    assert status(world.cuc_user, world.other_ward) == 404
    # A plain member oversees nothing, not even their own cell.
    assert status(world.dung_user, world.khoi2) == 404
    assert status(world.dung_user, world.ward) == 404
    # A cell secretary oversees their cell, not the ward above it.
    assert status(world.an_user, world.khoi1) == 200
    assert status(world.an_user, world.ward) == 404
    assert status(world.admin_user, world.other_ward) == 200
    client.logout()
    assert client.get(reverse(url_name, args=[world.ward.pk])).status_code == 302


def test_the_statistics_are_read_only(world, client):
    client.force_login(world.cuc_user)

    response = client.post(reverse("reports:structure", args=[world.ward.pk]))

    assert response.status_code == 405


def xlsx_sections(content: bytes) -> tuple[list[tuple], dict[str, dict[str, tuple]]]:
    """The title rows, and per section heading: category → (count, share)."""
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].values)
    sections: dict[str, dict[str, tuple]] = {}
    current = None
    for row in rows[3:]:
        if not row or row[0] is None:
            current = None
        elif current is None and row[0] in {title.upper() for title in SECTION_TITLES.values()}:
            current = sections.setdefault(row[0], {})
        elif current is not None and row[0] not in {"Nội dung", "Cộng"}:
            current[row[0]] = (row[1], row[2])
    return rows[:3], sections


def test_the_xlsx_holds_the_same_numbers_with_vietnamese_headings(world):
    add_ward_members(world)
    with translation.override("vi"):
        report = structure_report(world.ward, as_of=AS_OF)

    titles, sections = xlsx_sections(export_structure_xlsx(report))

    assert "THỐNG KÊ CƠ CẤU ĐẢNG VIÊN" in titles[0][0] and "Đảng ủy phường Hưng Phú" in titles[0][0]
    assert "38.168" in titles[1][0] and "02/03/2026" in titles[1][0]
    assert titles[2][:2] == ("Tổng số đảng viên", 6)
    assert len(sections) == len(report.tables)
    for table in report.tables:
        section = sections[SECTION_TITLES[table.key].upper()]
        assert section == {row.label: (row.count, float(row.share)) for row in table.rows}
    assert sections["GIỚI TÍNH"] == {"Nam": (3, 0.5), "Nữ": (3, 0.5)}
    assert sections["TUỔI ĐẢNG"]["Chưa ghi nhận"] == (1, pytest.approx(1 / 6, abs=1e-4))


@time_machine.travel(MORNING_OF_AS_OF, tick=False)
def test_the_xlsx_download_is_named_after_the_code_and_date(world, client):
    client.force_login(world.cuc_user)

    response = client.get(reverse("reports:structure_xlsx", args=[world.ward.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "co-cau-dang-vien-38.168-20260302.xlsx" in response["Content-Disposition"]
    _titles, sections = xlsx_sections(response.content)
    assert sections["GIỚI TÍNH"] == {"Nam": (2, 0.5), "Nữ": (2, 0.5)}


def test_queries_do_not_grow_with_the_number_of_members(
    world, client, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(world.cuc_user)
    url = reverse("reports:structure", args=[world.ward.pk])
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for number in range(30):
        make_member(
            world.khoi1 if number % 2 else world.khoi2,
            f"Đảng Viên Số {number}",
            sex="female" if number % 3 else "male",
            birth=datetime.date(1950 + number, 1, 1),
            ethnicity=["Kinh", "Tày", "Nùng", "Mường"][number % 4],
            general_education=["12/12", "10/10", "9/12"][number % 3],
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    # The report itself: one aggregate query per dimension, one for the members with a gap.
    with django_assert_num_queries(10):
        structure_report(world.ward, as_of=AS_OF)


def test_the_xlsx_is_an_attachment_kept_out_of_shared_caches(world, client):
    """Personal data: the export carries Cache-Control: no-store like the member exports."""
    client.force_login(world.cuc_user)

    response = client.get(reverse("reports:structure_xlsx", args=[world.ward.pk]))

    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="co-cau-dang-vien-')
