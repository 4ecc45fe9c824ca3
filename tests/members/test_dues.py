"""Party dues (Quy định 01-QĐ/TW, 3/2/2026; DOMAIN §3.8, R3.28–R3.32): monthly, 1% of last
month's insurable salary, 0.5% of the pension, 5,000 VND for students, other groups a fixed
amount; paid in cash to the cell or on the National Public Service Portal. DOMAIN sets no
rounding, so amounts are whole đồng."""

import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.members import dues, selectors, services, services_dues
from chibo.members.models import DuesPayment
from chibo.orgs import services_rules
from tests.conftest import make_member
from tests.meetings.doc_builders import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
VN = datetime.timezone(datetime.timedelta(hours=7))
NOW = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=VN)
TODAY = D(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def salary(world, member, amount=8_500_000):
    return services.dues_basis_set(
        actor=world.an_user, member=member, basis="insurable_salary", basis_amount=amount
    )


def pay(world, member, month, amount=85_000, channel="cash"):
    return services.dues_payment_record(
        actor=world.an_user,
        member=member,
        month=month,
        amount_paid=amount,
        paid_on=TODAY,
        channel=channel,
    )


def test_one_percent_of_an_insurable_salary_of_8_500_000_is_85_000(world):
    salary(world, world.binh)
    payment = pay(world, world.binh, D(2026, 5, 1))
    assert payment.amount_due == 85_000
    assert payment.basis == "insurable_salary" and payment.basis_amount == 8_500_000
    entry = AuditEntry.objects.get(code="dues.payment_recorded")
    assert entry.changes["amount_due"] == [None, 85_000]
    assert AuditEntry.objects.filter(code="dues.basis_set").count() == 1


def test_half_a_percent_of_a_pension_of_6_000_000_is_30_000(world):
    services.dues_basis_set(
        actor=world.an_user, member=world.binh, basis="pension", basis_amount=6_000_000
    )
    row = selectors.member_dues(member=world.binh, year=2026, today=TODAY)
    assert row.cells[5].state == dues.DUE and row.cells[5].amount_due == 30_000


def test_students_pay_the_rules_fixed_amount_of_5_000(world):
    services.dues_basis_set(actor=world.an_user, member=world.binh, basis="student")
    payment = pay(
        world, world.binh, D(2026, 6, 1), amount=5_000, channel="national_public_service_portal"
    )
    assert payment.amount_due == 5_000
    assert payment.basis_amount == 0


def test_amounts_are_whole_dong_with_no_other_rounding():
    # DOMAIN §3.8 gives no rounding rule: 1% of 8,512,345 is 85,123.45 → 85,123 đồng.
    assert dues.percent_of(8_512_345, 1.0) == 85_123
    assert dues.percent_of(6_123_457, 0.5) == 30_617  # 30,617.285


def test_a_province_override_of_the_salary_percent_is_used(world):
    services_rules.rule_override_create(
        actor=world.admin_user,
        organization=world.province,
        key="dues.salary_percent",
        value=1.5,
        regulation="Quyết định 98-QĐ/TU (01/04/2026)",
        clause="Điều 2",
        effective_from=D(2026, 4, 1),
    )
    salary(world, world.binh)
    assert pay(world, world.binh, D(2026, 3, 1)).amount_due == 85_000  # before the override
    assert pay(world, world.binh, D(2026, 4, 1), amount=127_500).amount_due == 127_500
    book = selectors.dues_book(organization=world.khoi1, year=2026, today=TODAY)
    assert "Quyết định 98-QĐ/TU" in book.current_rates.salary.explain()


def test_three_unpaid_past_months_are_three_months_in_arrears(world, client):
    salary(world, world.binh)
    for month in (1, 2):
        pay(world, world.binh, D(2026, month, 1))
    # March, April and May are past and unpaid; June is the current month, only due.
    row = selectors.member_dues(member=world.binh, year=2026, today=TODAY)
    assert [cell.state for cell in row.cells[:7]] == [
        dues.PAID,
        dues.PAID,
        dues.ARREARS,
        dues.ARREARS,
        dues.ARREARS,
        dues.DUE,
        dues.FUTURE,
    ]
    assert row.arrears_months == 3 and row.arrears_amount == 255_000
    client.force_login(world.an_user)
    response = client.get(reverse("members:detail", args=[world.binh.pk]))
    assert "3 tháng" in response.content.decode()


def test_months_before_admission_are_not_owed(world):
    newcomer = make_member(
        world.khoi1,
        "Lê Văn Mới",
        official=False,
        admission_decision_date=D(2026, 4, 10),
        ceremony_date=D(2026, 4, 20),
    )
    row = selectors.member_dues(member=newcomer, year=2026, today=TODAY)
    assert [cell.state for cell in row.cells[:3]] == [dues.NOT_MEMBER] * 3
    assert row.arrears_months == 2  # April (the month of the decision) and May


def test_paying_twice_for_a_month_is_refused(world):
    salary(world, world.binh)
    pay(world, world.binh, D(2026, 5, 1))
    with pytest.raises(ServiceError, match="05/2026"):
        pay(world, world.binh, D(2026, 5, 1))
    assert DuesPayment.objects.count() == 1


def test_a_future_month_a_negative_amount_and_no_basis_are_refused(world):
    with pytest.raises(ServiceError):
        pay(world, world.binh, D(2026, 5, 1))  # no basis yet
    salary(world, world.binh)
    with pytest.raises(ServiceError):
        pay(world, world.binh, D(2026, 7, 1))
    with pytest.raises(ServiceError):
        pay(world, world.binh, D(2026, 5, 1), amount=-85_000)
    assert DuesPayment.objects.count() == 0


def grid_url(world, cell=None, year=2026):
    return reverse("members:dues", args=[(cell or world.khoi1).pk]) + f"?year={year}"


def sheet_url(world, cell=None, month="2026-06"):
    return reverse("members:dues_sheet", args=[(cell or world.khoi1).pk]) + f"?month={month}"


def sheet_post(*rows, paid_on="2026-06-15", channel="cash"):
    """The sheet's POST: rows are (member, amount) or (member, amount, partial)."""
    data = {"paid_on": paid_on, "channel": channel}
    for member, amount, *partial in rows:
        data[f"take_{member.pk}"] = "on"
        data[f"amount_{member.pk}"] = str(amount)
        if partial and partial[0]:
            data[f"partial_{member.pk}"] = "on"
    return data


def test_access_matrix(world, client):
    salary(world, world.binh)
    form = sheet_post((world.binh, 85_000))
    # An, secretary of Khối 1: reads and records.
    client.force_login(world.an_user)
    assert client.get(grid_url(world)).status_code == 200
    assert client.get(sheet_url(world)).status_code == 200
    response = client.post(sheet_url(world), form)
    assert response.status_code == 302
    assert DuesPayment.objects.get().amount_paid == 85_000
    assert client.put(sheet_url(world)).status_code == 405
    # Cúc, upper-level committee member on the ward: reads the ward's cells, cannot record.
    client.force_login(world.cuc_user)
    assert client.get(grid_url(world)).status_code == 200
    assert client.get(grid_url(world, world.khoi2)).status_code == 200
    assert client.get(sheet_url(world)).status_code == 200
    assert client.post(sheet_url(world, month="2026-05"), form).status_code == 403
    # Dũng, a member of Khối 2: the page does not exist for him.
    client.force_login(world.dung_user)
    assert client.get(grid_url(world)).status_code == 404
    assert client.get(sheet_url(world)).status_code == 404
    assert client.post(sheet_url(world), form).status_code == 404
    assert client.get(reverse("members:dues_xlsx", args=[world.khoi1.pk])).status_code == 404
    assert DuesPayment.objects.count() == 1


def test_the_grid_page_shows_arrears_and_the_cell_list_links_it(world, client):
    salary(world, world.binh)
    pay(world, world.binh, D(2026, 1, 1))
    client.force_login(world.an_user)
    page = client.get(grid_url(world)).content.decode()
    assert "Đảng phí" in page
    assert "Trần Thị Bình" in page and "85.000" in page
    assert "dues-late" in page
    cell_list = client.get(reverse("members:cell_list", args=[world.khoi1.pk])).content.decode()
    assert reverse("members:dues", args=[world.khoi1.pk]) in cell_list
    client.force_login(world.cuc_user)
    cell_list = client.get(reverse("members:cell_list", args=[world.khoi1.pk])).content.decode()
    assert reverse("members:dues", args=[world.khoi1.pk]) not in cell_list


def test_the_xlsx_holds_the_grids_numbers(world, client):
    salary(world, world.binh)
    pay(world, world.binh, D(2026, 1, 1))
    pay(world, world.binh, D(2026, 2, 1), amount=100_000)
    client.force_login(world.an_user)
    response = client.get(reverse("members:dues_xlsx", args=[world.khoi1.pk]) + "?year=2026")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "Chi bộ Khối 1" in rows[0][0]
    header = rows[3]
    assert header[:4] == ("STT", "Họ và tên", "Căn cứ", "T1")
    binh = next(row for row in rows if row[1] == "Trần Thị Bình")
    assert binh[3:9] == (85_000, 100_000, "nợ", "nợ", "nợ", None)
    assert binh[15] == 185_000 and binh[16] == 3
    paid_total = next(row for row in rows if row[1] == "Cộng đã thu")
    assert paid_total[3] == 85_000 and paid_total[4] == 100_000 and paid_total[15] == 185_000


def test_the_pdf_names_the_cell_and_its_members(world, client):
    salary(world, world.binh)
    pay(world, world.binh, D(2026, 1, 1))
    client.force_login(world.cuc_user)
    response = client.get(reverse("members:dues_pdf", args=[world.khoi1.pk]) + "?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Chi bộ Khối 1" in text
    assert "Trần Thị Bình" in text
    assert "SỔ THU NỘP ĐẢNG PHÍ NĂM 2026" in text


def test_the_grid_page_query_count_does_not_grow_with_members(world, client):
    client.force_login(world.an_user)
    client.get(grid_url(world))  # warm the per-request caches the same way both times
    with CaptureQueriesContext(connection) as small:
        assert client.get(grid_url(world)).status_code == 200
    for number in range(8):
        member = make_member(world.khoi1, f"Phạm Văn Thêm {number}")
        salary(world, member)
        pay(world, member, D(2026, 1, 1))
    with CaptureQueriesContext(connection) as large:
        assert client.get(grid_url(world)).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


# -- the monthly collection sheet (issue 9, item 12) ----------------------------------------


def amount_input(page, member):
    match = re.search(rf'name="amount_{member.pk}"[^>]*value="(\d*)"', page)
    return match and match.group(1)


def test_the_sheet_prefills_each_members_amount_from_the_basis_and_rule(world, client):
    """R3.29 (01-QĐ/TW): 1% of an insurable salary of 8,500,000 is 85,000; 0.5% of a pension
    of 6,000,000 is 30,000. A member without a basis is listed, without an amount."""
    salary(world, world.binh)
    services.dues_basis_set(
        actor=world.an_user, member=world.an, basis="pension", basis_amount=6_000_000
    )
    no_basis = make_member(world.khoi1, "Đỗ Văn Chưa")
    client.force_login(world.an_user)
    page = client.get(sheet_url(world)).content.decode()
    assert amount_input(page, world.binh) == "85000"
    assert amount_input(page, world.an) == "30000"
    assert f'name="amount_{no_basis.pk}"' not in page
    assert "Đỗ Văn Chưa" in page and "chưa có căn cứ" in page.lower()
    assert "115.000 đ" in page  # the month's total due
    # The dues page links to the current month's sheet.
    grid = client.get(grid_url(world)).content.decode()
    assert reverse("members:dues_sheet", args=[world.khoi1.pk]) + "?month=2026-06" in grid


def test_one_submit_records_every_ticked_member(world, client):
    salary(world, world.binh)
    services.dues_basis_set(
        actor=world.an_user, member=world.an, basis="pension", basis_amount=6_000_000
    )
    client.force_login(world.an_user)
    response = client.post(sheet_url(world), sheet_post((world.binh, 85_000), (world.an, 30_000)))
    assert response.status_code == 302
    payments = {p.member_id: p for p in DuesPayment.objects.all()}
    assert payments[world.binh.pk].amount_paid == payments[world.binh.pk].amount_due == 85_000
    assert payments[world.an.pk].amount_paid == payments[world.an.pk].amount_due == 30_000
    assert {p.month for p in payments.values()} == {D(2026, 6, 1)}
    entry = AuditEntry.objects.get(code="dues.sheet_recorded")
    assert entry.changes["month"] == [None, "2026-06-01"]
    page = client.get(response["Location"]).content.decode()
    assert "Đã ghi đảng phí của 2 đảng viên." in page
    assert f'name="amount_{world.binh.pk}"' not in page  # paid in full: not payable again


def test_a_bad_row_records_nothing_and_names_the_member_and_the_field(world, client):
    salary(world, world.binh)
    salary(world, world.an)
    client.force_login(world.an_user)
    huge = 2**64  # above what the database column holds: was an OverflowError (HTTP 500)
    response = client.post(sheet_url(world), sheet_post((world.binh, 85_000), (world.an, huge)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa ghi khoản nào" in page
    assert "Nguyễn Văn An — Số tiền nộp (đồng)" in page
    assert DuesPayment.objects.count() == 0
    assert not AuditEntry.objects.filter(code="dues.sheet_recorded").exists()


def test_a_partial_payment_must_be_ticked_as_partial_and_leaves_the_rest_owed(world, client):
    salary(world, world.binh)
    client.force_login(world.an_user)
    # 50,000 of the 85,000 due, not marked partial: refused, with the amount still due.
    response = client.post(sheet_url(world), sheet_post((world.binh, 50_000)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Trần Thị Bình — Số tiền nộp (đồng)" in page and "85.000" in page
    assert "Thu một phần" in page
    assert DuesPayment.objects.count() == 0
    # Marked partial: recorded; the sheet shows the 35,000 still owed, pre-filled.
    response = client.post(sheet_url(world), sheet_post((world.binh, 50_000, True)))
    assert response.status_code == 302
    payment = DuesPayment.objects.get()
    assert (payment.amount_due, payment.amount_paid) == (85_000, 50_000)
    page = client.get(sheet_url(world)).content.decode()
    assert amount_input(page, world.binh) == "35000"
    assert "35.000 đ" in page
    # The rest paid: one payment for the month, paid in full.
    assert client.post(sheet_url(world), sheet_post((world.binh, 35_000))).status_code == 302
    payment.refresh_from_db()
    assert (payment.amount_due, payment.amount_paid) == (85_000, 85_000)
    assert DuesPayment.objects.count() == 1


def test_a_month_paid_in_full_is_not_payable_again_and_says_so_without_http_400(world, client):
    salary(world, world.binh)
    client.force_login(world.an_user)
    stale = sheet_post((world.binh, 85_000))  # the form as a second phone loaded it
    assert client.post(sheet_url(world), stale).status_code == 302
    response = client.post(sheet_url(world), stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Trần Thị Bình: đảng phí tháng 06/2026 đã nộp đủ (85.000 đ)" in page
    assert DuesPayment.objects.get().amount_paid == 85_000


def test_the_sheet_service_refuses_the_whole_sheet_naming_each_bad_row(world):
    salary(world, world.binh)
    pay(world, world.binh, D(2026, 5, 1))
    cuc_elsewhere = world.cuc  # a member of Khối 2
    with pytest.raises(ServiceError, match="Trần Thị Bình"):
        services_dues.dues_sheet_record(
            actor=world.an_user,
            organization=world.khoi1,
            month=D(2026, 5, 1),
            entries=[services_dues.SheetEntry(member=world.binh, amount=85_000)],
            paid_on=TODAY,
            channel="cash",
        )
    with pytest.raises(ServiceError):
        services_dues.dues_sheet_record(
            actor=world.an_user,
            organization=world.khoi1,
            month=D(2026, 6, 1),
            entries=[services_dues.SheetEntry(member=cuc_elsewhere, amount=85_000)],
            paid_on=TODAY,
            channel="cash",
        )
    assert DuesPayment.objects.count() == 1


def test_the_sheet_lists_only_members_admitted_by_the_month(world, client):
    newcomer = make_member(
        world.khoi1,
        "Lý Thị Mới",
        official=False,
        admission_decision_date=D(2026, 6, 2),
        ceremony_date=D(2026, 6, 10),
    )
    salary(world, newcomer)
    client.force_login(world.an_user)
    assert "Lý Thị Mới" in client.get(sheet_url(world)).content.decode()
    assert "Lý Thị Mới" not in client.get(sheet_url(world, month="2026-05")).content.decode()


def test_the_sheet_page_query_count_does_not_grow_with_members(world, client):
    salary(world, world.binh)
    client.force_login(world.an_user)
    client.get(sheet_url(world))
    with CaptureQueriesContext(connection) as small:
        assert client.get(sheet_url(world)).status_code == 200
    for number in range(8):
        member = make_member(world.khoi1, f"Phạm Văn Thêm {number}")
        salary(world, member)
        if number % 2:
            pay(world, member, D(2026, 6, 1))
    with CaptureQueriesContext(connection) as large:
        assert client.get(sheet_url(world)).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
