"""The dashboard's pages on the demo: the grid, its filters, the flag lists, the XLSX with the
same figures, the landing page, and a number of queries that does not grow with the subtree."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from chibo.orgs.models import Organization
from chibo.reports.selectors_dashboard import dashboard
from tests.conftest import give_position, make_member, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(demo_data):
    return Organization.objects.get(code="38.168")


def login(client, username, django_user_model):
    client.force_login(django_user_model.objects.get(username=username))


def test_the_ward_secretary_sees_the_grid_flags_and_links(client, ward, django_user_model):
    login(client, "bithu.phuong", django_user_model)
    khoi2 = Organization.objects.get(code="38.168.000.000.002")

    response = client.get(reverse("reports:dashboard", args=[ward.pk]))

    assert response.status_code == 200
    board = response.context["board"]
    assert len(board.rows) == 24 and len(board.months) == 6
    page = response.content.decode()
    assert "Bảng theo dõi" in page and "Cảnh báo" in page
    assert 'id="flag-unpublished_late"' in page
    assert reverse("meetings:cell_meetings", args=[khoi2.pk]) in page
    late = next(r for r in board.rows if r.cell.pk == khoi2.pk).months[-1]
    assert late.status == "unpublished_late"
    assert reverse("meetings:detail", args=[late.meeting_id]) in page
    assert "Chưa thông báo" in page  # the status in words, not colour alone
    crumbs = response.context["breadcrumbs"]
    assert [c["label"] for c in crumbs] == [ward.name, "Bảng theo dõi"]  # she reads no higher
    assert crumbs[0]["url"] == reverse("reports:dashboard", args=[ward.pk])


def test_the_flag_list_names_khoi2_and_leads_back(client, ward, django_user_model):
    login(client, "bithu.phuong", django_user_model)
    response = client.get(reverse("reports:dashboard_flag", args=[ward.pk, "unpublished_late"]))
    assert response.status_code == 200
    assert [item.label for item in response.context["items"]] == ["Chi bộ Khối 2"]
    page = response.content.decode()
    assert "Chưa thông báo khi đã quá hạn" in page
    assert response.context["breadcrumbs"][0]["url"] == reverse("reports:dashboard", args=[ward.pk])
    assert reverse("reports:dashboard", args=[ward.pk]) in page
    missing = client.get(reverse("reports:dashboard_flag", args=[ward.pk, "no_such_flag"]))
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?months=abc",
        "?months=13000000000000000000",
        "?months=0",
        "?end=2026-13",
        "?end=abc",
        "?end=99999-01",
        "?sort=drop table",
        "?cell_type=moon",
    ],
)
def test_bad_filters_fall_back_to_the_defaults_with_a_notice(
    client, ward, django_user_model, query
):
    login(client, "bithu.phuong", django_user_model)
    response = client.get(reverse("reports:dashboard", args=[ward.pk]) + query)
    assert response.status_code == 200
    assert "Một số điều kiện lọc không hợp lệ" in response.content.decode()
    board = response.context["board"]
    assert len(board.months) == 6 and board.months[-1] == timezone.localdate().replace(day=1)
    assert len(board.rows) == 24
    xlsx = client.get(reverse("reports:dashboard_xlsx", args=[ward.pk]) + query)
    assert xlsx.status_code == 200


def test_filters_choose_the_months_and_the_cell_type(client, ward, django_user_model):
    login(client, "bithu.phuong", django_user_model)
    url = reverse("reports:dashboard", args=[ward.pk])
    response = client.get(url + "?months=3&end=2026-09&cell_type=school&sort=score")
    board = response.context["board"]
    assert board.months == [
        datetime.date(2026, 7, 1),
        datetime.date(2026, 8, 1),
        datetime.date(2026, 9, 1),
    ]
    assert board.rows and all(r.cell.cell_type == "school" for r in board.rows)
    assert "Một số điều kiện lọc không hợp lệ" not in response.content.decode()
    # The export link keeps the filters.
    assert "months=3" in response.context["xlsx_url"]


def test_the_xlsx_holds_the_grid_figures(client, ward, django_user_model):
    login(client, "bithu.phuong", django_user_model)
    response = client.get(reverse("reports:dashboard_xlsx", args=[ward.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bang-theo-doi-38.168-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:4] == ("Chi bộ", "Mã", "Tháng", "Tình trạng")
    lines = rows[4:]
    with translation.override("vi"):
        board = dashboard(ward, today=timezone.localdate())
        expected = [
            (
                row.cell.name,
                f"{m.period:%m/%Y}",
                m.label,
                float(m.score) if m.score is not None else None,
                round(float(m.attendance) / 100, 4) if m.attendance is not None else None,
            )
            for row in board.rows
            for m in row.months
        ]
    got = [
        (line[0], line[2], line[3], line[5], round(line[7], 4) if line[7] else None)
        for line in lines
    ]
    assert len(got) == 24 * 6
    assert got == expected
    assert ("Chi bộ Khối 2", f"{timezone.localdate():%m/%Y}", "Chưa thông báo khi đã quá hạn") in {
        g[:3] for g in got
    }


def test_the_drill_down_goes_from_the_province_to_the_ward(client, demo_data, django_user_model):
    login(client, "admin", django_user_model)
    province = Organization.objects.get(depth=1)
    ward = Organization.objects.get(code="38.168")
    response = client.get(reverse("reports:dashboard", args=[province.pk]))
    assert not response.context["board"].cell_level
    assert reverse("reports:dashboard", args=[ward.pk]) in response.content.decode()
    crumbs = client.get(reverse("reports:dashboard", args=[ward.pk])).context["breadcrumbs"]
    assert [c["url"] for c in crumbs[:2]] == [
        reverse("reports:dashboard", args=[province.pk]),
        reverse("reports:dashboard", args=[ward.pk]),
    ]


def test_the_province_xlsx_lists_its_units(client, demo_data, django_user_model):
    login(client, "admin", django_user_model)
    province = Organization.objects.get(depth=1)
    response = client.get(reverse("reports:dashboard_xlsx", args=[province.pk]))
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[3][:5] == ("Đơn vị", "Mã", "Tháng", "Chi bộ có buổi họp", "Đã họp thường kỳ")
    assert {r[0] for r in rows[4:]} >= {"Đảng ủy phường Hưng Phú", "Đảng ủy xã Tân Sơn"}


def test_the_landing_page(client, demo_data, django_user_model):
    ward = Organization.objects.get(code="38.168")
    login(client, "bithu.phuong", django_user_model)
    response = client.get(reverse("reports:dashboard_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard", args=[ward.pk])
    login(client, "capuy.khoi1", django_user_model)
    response = client.get(reverse("reports:dashboard_home"))
    assert response.status_code == 200
    assert len(response.context["organizations"]) == 4
    login(client, "dangvien.khoi1", django_user_model)
    response = client.get(reverse("reports:dashboard_home"))
    assert response.status_code == 200
    assert "Đồng chí chưa theo dõi tổ chức nào" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "reports:dashboard_home",
        "reports:dashboard",
        "reports:dashboard_xlsx",
        "reports:dashboard_flag",
    ],
)
def test_the_pages_are_read_only(client, ward, django_user_model, name):
    login(client, "bithu.phuong", django_user_model)
    args = {
        "reports:dashboard_home": [],
        "reports:dashboard_flag": [ward.pk, "unpublished_late"],
    }.get(name, [ward.pk])
    assert client.post(reverse(name, args=args)).status_code == 405


# -- queries --------------------------------------------------------------------------------


def _queries(client, url):
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _small_unit(province):
    unit = make_org(province, "Đảng ủy phường Thử", "ward_committee", "38.999")
    cells = [
        make_org(unit, f"Chi bộ Khu {number}", "cell", f"38.999.000.000.00{number}")
        for number in (1, 2)
    ]
    # A committee member following a cell, as in the ward (the visit coverage reads the rule
    # of each committee that has followers).
    give_position(make_member(cells[0], "Hoàng Văn Thử"), cells[1], "upper_committee_member")
    return unit


@pytest.mark.parametrize("name", ["reports:dashboard", "reports:dashboard_xlsx"])
def test_the_queries_do_not_grow_with_the_number_of_cells(client, ward, django_user_model, name):
    login(client, "admin", django_user_model)
    small = _small_unit(Organization.objects.get(depth=1))
    big = _queries(client, reverse(name, args=[ward.pk]))
    assert big == _queries(client, reverse(name, args=[small.pk]))
    assert big <= 40


def test_each_flag_list_has_a_bounded_number_of_queries(client, ward, django_user_model):
    login(client, "admin", django_user_model)
    small = _small_unit(Organization.objects.get(depth=1))
    for code in ("unpublished_late", "no_thematic", "perfunctory", "proposals_late"):
        url = reverse("reports:dashboard_flag", args=[ward.pk, code])
        assert _queries(client, url) == _queries(
            client, reverse("reports:dashboard_flag", args=[small.pk, code])
        ), code


def test_the_province_queries_do_not_grow_with_its_units(client, demo_data, django_user_model):
    login(client, "admin", django_user_model)
    province = Organization.objects.get(depth=1)
    url = reverse("reports:dashboard", args=[province.pk])
    before = _queries(client, url)
    _small_unit(province)
    make_org(province, "Đảng ủy xã Thử", "commune_committee", "38.998")
    assert _queries(client, url) == before
