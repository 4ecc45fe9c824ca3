"""The trends page of a subtree: monthly figures read from the rollups agree with the meetings
recounted from their rows, the annual quality, the admissions pipeline and the structure, the
XLSX holds the tables' numbers, only those who oversee the unit read it, bad parameters never
break it, and its query count does not grow with the cells."""

import datetime
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from chibo.lifecycle.models import Candidate, Introducer
from chibo.meetings.models import (
    PRESENT_STATUSES,
    Attendance,
    AttendanceStatus,
    MeetingKind,
    MeetingStatus,
    MemberCategory,
)
from chibo.members import standing
from chibo.orgs.models import CELL_KINDS, Organization
from chibo.reports import rollups
from chibo.reports.exports_trends import export_trends_xlsx
from chibo.reports.selectors_trends import month_periods, percent, trend_report
from tests.conftest import make_member, make_org
from tests.supervision.quality_builders import month, signed_meeting

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)
HELD = (MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED, MeetingStatus.SIGNED)


def rows_of(report, key):
    return {row[0]: row[1:] for row in report.by_key(key).rows}


def timed(meeting, minutes):
    start = timezone.make_aware(datetime.datetime.combine(meeting.date, datetime.time(19, 30)))
    meeting.started_at = start
    meeting.ended_at = start + datetime.timedelta(minutes=minutes)
    meeting.save(update_fields=["started_at", "ended_at"])


def absent(meeting, member, status=AttendanceStatus.ABSENT_UNEXCUSED, category="official"):
    Attendance.objects.create(
        meeting=meeting,
        member=member,
        category=category,
        membership_class="official",
        status=status,
    )


@pytest.fixture
def ward_meetings(world):
    """February 2026: Khối 1 (An and Bình present, Bình spoke, 90 minutes, good) and Khối 2
    (Cúc present and spoke, Dũng absent, an exempted member absent, 60 minutes, fair).
    March 2026: Khối 1 only (An present, Bình absent excused, 120 minutes, average)."""
    exempted = make_member(world.khoi2, "Ngô Văn Khang", status="exempted")
    feb = month(2026, 2)
    m1 = signed_meeting(
        world.khoi1, feb, rating="good", present=[world.an, world.binh], speakers=[world.binh]
    )
    timed(m1, 90)
    m2 = signed_meeting(world.khoi2, feb, rating="fair", present=[world.cuc], speakers=[world.cuc])
    absent(m2, world.dung)
    absent(m2, exempted, category=MemberCategory.EXEMPTED)
    timed(m2, 60)
    m3 = signed_meeting(world.khoi1, month(2026, 3), rating="average", present=[world.an])
    absent(m3, world.binh, status=AttendanceStatus.ABSENT_EXCUSED)
    timed(m3, 120)
    rollups.rebuild(world.ward)
    return m1, m2, m3


def test_the_ward_trends_sum_its_cells_meetings_month_by_month(world, ward_meetings):
    report = trend_report(world.ward, today=TODAY, months=12)

    assert report.first == datetime.date(2025, 4, 1)
    assert report.last == datetime.date(2026, 3, 1)
    attendance = rows_of(report, "attendance")
    # February: 3 present of 4 expected (the exempted member is not expected); March: 1 of 2.
    assert attendance["02/2026"] == (4, 3, Decimal("75.0"))
    assert attendance["03/2026"] == (2, 1, Decimal("50.0"))
    assert attendance["01/2026"] == (0, 0, None)
    assert rows_of(report, "duration")["02/2026"] == (2, Decimal("75.0"))
    assert rows_of(report, "speakers")["02/2026"] == (3, 2, Decimal("66.7"))
    assert rows_of(report, "speakers")["03/2026"] == (1, 0, Decimal("0.0"))
    assert rows_of(report, "ratings")["02/2026"] == (1, 1, 0, 0)
    assert rows_of(report, "ratings")["03/2026"] == (0, 0, 1, 0)
    # Annual quality: two cells in 2026, both rated on their meetings so far; none in 2025.
    quality = rows_of(report, "quality")
    assert sum(quality["2026"][:4]) == 2
    assert quality["2025"] == (0, 0, 0, 0, 2)


def test_a_cell_shows_its_own_months_and_its_quality_history(world, ward_meetings):
    report = trend_report(world.khoi1, today=TODAY, months=12)

    assert rows_of(report, "attendance")["02/2026"] == (2, 2, Decimal("100.0"))
    assert rows_of(report, "attendance")["03/2026"] == (2, 1, Decimal("50.0"))
    assert rows_of(report, "duration")["03/2026"] == (1, Decimal("120.0"))
    quality = rows_of(report, "quality")
    assert quality["2026"][1:] == (1, 0, 1, 0)  # one good, one average meeting
    assert quality["2025"][1:] == (0, 0, 0, 0)


def test_a_year_shows_its_twelve_months_and_other_wards_do_not_count(world, ward_meetings):
    signed_meeting(world.other_cell, month(2026, 2), rating="poor", present=[world.dung])
    rollups.rebuild()

    report = trend_report(world.ward, today=TODAY, year=2026)

    # The current year up to today's month; a past year has its twelve months.
    assert [row[0] for row in report.by_key("attendance").rows] == [
        "01/2026",
        "02/2026",
        "03/2026",
    ]
    assert rows_of(report, "ratings")["02/2026"] == (1, 1, 0, 0)
    assert len(trend_report(world.ward, today=TODAY, year=2025).periods) == 12


def test_the_pipeline_counts_candidates_by_last_step_and_admissions_by_month(world):
    def candidate(name, cell=world.khoi1, **dates):
        return Candidate.objects.create(
            cell=cell, full_name=name, sex="female", birth_date=datetime.date(2000, 1, 1), **dates
        )

    candidate("Chưa nộp đơn")
    candidate("Đã có đơn", application_date=datetime.date(2025, 10, 1))
    with_introducer = candidate(
        "Có người giới thiệu",
        cell=world.khoi2,
        application_date=datetime.date(2025, 9, 1),
        personal_history_date=datetime.date(2025, 9, 10),
        verification_date=datetime.date(2025, 10, 1),
    )
    Introducer.objects.create(
        candidate=with_introducer,
        member=world.an,
        known_since=datetime.date(2024, 1, 1),
        introduced_on=datetime.date(2025, 10, 5),
    )
    decided = {
        "application_date": datetime.date(2025, 6, 1),
        "resolution_date": datetime.date(2026, 1, 10),
        "decision_date": datetime.date(2026, 2, 3),
    }
    candidate("Đã có quyết định", **decided)
    candidate("Đã kết nạp", **decided, ceremony_date=datetime.date(2026, 2, 20))
    candidate("Rút khỏi danh sách", withdrawn_on=datetime.date(2026, 1, 1))
    candidate("Xã khác", cell=world.other_cell, **decided)

    with translation.override("en"):
        report = trend_report(world.ward, today=TODAY, months=12)

    stages = rows_of(report, "pipeline")
    assert stages["No step done yet"] == (1,)
    assert stages["Application letter received"] == (1,)
    assert stages["Introducers"] == (1,)
    assert stages["Admission decision"] == (1,)
    assert sum(count for (count,) in stages.values()) == 4
    admissions = rows_of(report, "admissions")
    assert admissions["02/2026"] == (2,)
    assert sum(count for (count,) in admissions.values()) == 2


def test_the_structure_summary_counts_the_members_on_the_rolls(world):
    with translation.override("en"):
        report = trend_report(world.ward, today=TODAY)

    assert report.members_total == 4
    assert rows_of(report, "structure_sex") == {
        "Male": (2, Decimal("50.0")),
        "Female": (2, Decimal("50.0")),
    }


def test_the_xlsx_holds_the_numbers_of_every_table(world, ward_meetings):
    with translation.override("vi"):
        report = trend_report(world.ward, today=TODAY, months=12)
        workbook = load_workbook(io.BytesIO(export_trends_xlsx(report)))

    assert len(workbook.worksheets) == len(report.series)
    for sheet, series in zip(workbook.worksheets, report.series, strict=True):
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][0].startswith(series.title)
        assert values[3] == series.headers
        assert len(values) == 4 + len(series.rows)
        for row, expected in zip(values[4:], series.rows, strict=True):
            for got, want, kind in zip(row, expected, series.kinds, strict=True):
                if want is None:
                    assert got is None
                elif kind == "percent":
                    assert round(Decimal(str(got)) * 100, 1) == want
                elif kind == "number":
                    assert Decimal(str(got)) == want
                else:
                    assert got == want


# -- the demo: the ward of 24 cells --------------------------------------------------------


def user(username):
    return get_user_model().objects.get(username=username)


def recounted_attendance(ward, period):
    """The ward's present / expected for a month, recounted from the Attendance rows of its
    cells' held regular meetings (present and late are present; the expected are those
    present and every absent member who must attend)."""
    counts = defaultdict(int)
    for row in (
        Attendance.objects.filter(
            meeting__organization__path__startswith=ward.path,
            meeting__kind=MeetingKind.REGULAR,
            meeting__status__in=HELD,
            meeting__period=period,
        )
        .values("category", "status")
        .annotate(n=Count("id"))
    ):
        counts[(row["category"], row["status"])] += row["n"]
    present = sum(n for (_c, status), n in counts.items() if status in PRESENT_STATUSES)
    expected = sum(
        n
        for (category, status), n in counts.items()
        if status in PRESENT_STATUSES or standing.must_attend(category)
    )
    return expected, present


def test_the_demo_ward_attendance_equals_its_meetings_attendance_rows(demo_data):
    ward = Organization.objects.get(code="38.168")
    today = timezone.localdate()

    report = trend_report(ward, today=today, months=12)

    attendance = rows_of(report, "attendance")
    checked = 0
    for period in month_periods(today=today, months=12):
        expected, present = recounted_attendance(ward, period)
        assert attendance[f"{period:%m/%Y}"] == (expected, present, percent(present, expected))
        checked += bool(expected)
    assert checked >= 6  # the demo holds meetings in most of the months shown


def test_the_page_shows_charts_tables_and_exports(client, demo_data):
    ward = Organization.objects.get(code="38.168")
    client.force_login(user("bithu.phuong"))

    response = client.get(reverse("reports:trends", args=[ward.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Xu hướng" in page
    for key in ("attendance", "duration", "speakers", "ratings", "quality", "pipeline"):
        assert f'data-chart="{key}"' in page
        assert reverse("reports:trends_csv", args=[ward.pk, key]) in page
    assert reverse("reports:structure", args=[ward.pk]) in page
    assert 'id="trends-data"' in page

    xlsx = client.get(reverse("reports:trends_xlsx", args=[ward.pk]) + "?months=24")
    assert xlsx.status_code == 200
    assert "xu-huong-38.168" in xlsx["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert len(workbook.worksheets[0]["A"]) == 4 + 24

    csv = client.get(reverse("reports:trends_csv", args=[ward.pk, "attendance"]))
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Tháng,Phải dự,Có mặt,Tỷ lệ có mặt"
    assert len(lines) == 13
    assert client.get(reverse("reports:trends_csv", args=[ward.pk, "nothing"])).status_code == 404


@pytest.mark.parametrize(
    "query, message",
    [
        ("?months=abc", "Hãy chọn 12, 24 hoặc 36 tháng."),
        ("?months=99999999999999999999999", "Hãy chọn 12, 24 hoặc 36 tháng."),
        ("?year=99999", "Hãy chọn một năm từ 2000 đến"),
        ("?year=abc", "Hãy chọn một năm từ 2000 đến"),
        ("?year=-5&months=12", "Hãy chọn một năm từ 2000 đến"),
    ],
)
def test_bad_parameters_show_the_last_12_months_with_a_message(client, demo_data, query, message):
    ward = Organization.objects.get(code="38.168")
    client.force_login(user("bithu.phuong"))

    response = client.get(reverse("reports:trends", args=[ward.pk]) + query)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Đang hiển thị 12 tháng gần nhất." in page
    assert len(response.context["report"].periods) == 12
    xlsx = client.get(reverse("reports:trends_xlsx", args=[ward.pk]) + query)
    assert xlsx.status_code == 200


def test_outside_the_scope_and_plain_members_get_404_and_post_is_refused(client, demo_data):
    ward = Organization.objects.get(code="38.168")
    urls = [
        reverse("reports:trends", args=[ward.pk]),
        reverse("reports:trends_xlsx", args=[ward.pk]),
        reverse("reports:trends_csv", args=[ward.pk, "attendance"]),
    ]
    for username in ("bithu.xa", "dangvien.khoi1"):
        client.force_login(user(username))
        for url in urls:
            assert client.get(url).status_code == 404, (username, url)
    client.force_login(user("bithu.phuong"))
    for url in urls:
        assert client.post(url).status_code == 405


def test_a_cell_secretary_reads_the_trends_of_the_cell(client, demo_data):
    cell = Organization.objects.get(name="Chi bộ Khối 1", kind__in=CELL_KINDS)
    client.force_login(user("bithu.khoi1"))

    response = client.get(reverse("reports:trends", args=[cell.pk]) + "?months=36")

    assert response.status_code == 200
    assert len(response.context["report"].periods) == 36


def two_cell_ward():
    """A new ward of two cells with a meeting each this month, its rollups rebuilt."""
    province = Organization.objects.get(code="38")
    ward = make_org(province, "Đảng ủy phường Thử", "ward_committee", "38.170")
    this_month = timezone.localdate().replace(day=1)
    for number in (1, 2):
        cell = make_org(ward, f"Chi bộ Tổ {number}", "cell", f"38.170.000.000.00{number}")
        member = make_member(cell, f"Đảng viên Tổ {number}")
        signed_meeting(cell, this_month, present=[member], speakers=[member])
    rollups.rebuild(ward)
    return ward


def test_the_query_count_does_not_grow_with_the_cells(
    client, demo_data, django_assert_max_num_queries
):
    small = two_cell_ward()
    big = Organization.objects.get(code="38.168")
    assert Organization.objects.filter(path__startswith=big.path, kind__in=CELL_KINDS).count() == 24
    client.force_login(user("admin"))

    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse("reports:trends", args=[small.pk])).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("reports:trends", args=[big.pk])).status_code == 200
