"""Demo briefings (see chibo.demo.supervision): the ward's monthly briefing with its 24 cells'
secretaries over the last twelve months and the commune's quarterly one over the last four
quarters, with attendance (a few absent, with and without reason), the cells' short reports and
the committee's conclusions; the coming one planned. Rows are bulk-created."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from chibo.core.dates import add_months
from chibo.demo.meetings.rows import COMMUNE_CODE, WARD_CODE
from chibo.orgs.models import Organization
from chibo.supervision.models import (
    Briefing,
    BriefingAttendance,
    BriefingAttendanceStatus,
    BriefingPeriod,
)
from chibo.supervision.selectors_model_meetings import committee_cells
from chibo.supervision.services_briefings import briefing_plan
from chibo.supervision.services_model_meetings import current_secretaries

REPORTS = (
    "Chi bộ họp đúng kỳ, tỷ lệ đảng viên dự họp trên 90%; đã triển khai nghị quyết của Đảng ủy.",
    "Thu đảng phí đầy đủ; vận động bà con tham gia vệ sinh môi trường khu dân cư.",
    "Một đảng viên cao tuổi xin miễn sinh hoạt; chi bộ đề nghị Đảng ủy xem xét.",
    "Đã tiếp nhận 3 kiến nghị của nhân dân về chiếu sáng và thoát nước, chuyển Ủy ban phường.",
    "Chi bộ chuẩn bị sinh hoạt chuyên đề quý; phân công đảng viên phụ trách hộ gia đình.",
)
CONCLUSIONS = (
    "Các chi bộ duy trì nền nếp sinh hoạt; cần nâng cao chất lượng thảo luận, tránh hình thức. "
    "Đề nghị các đồng chí bí thư nộp báo cáo tháng đúng hạn và đôn đốc thu đảng phí."
)


def _status(month_index: int, cell_index: int) -> str:
    """About one secretary in eight absent, one in three of them without a reason."""
    draw = (month_index * 7 + cell_index * 5) % 24
    if draw == 0:
        return BriefingAttendanceStatus.ABSENT_UNEXCUSED
    if draw in (1, 2):
        return BriefingAttendanceStatus.ABSENT_EXCUSED
    return BriefingAttendanceStatus.PRESENT


def _seed_area(
    actor: Any, area: Organization, days: list[datetime.date], period: str, today: datetime.date
) -> int:
    cells = committee_cells(area, today)
    secretaries = current_secretaries(cells)
    place = "Hội trường " + area.name
    rows: list[BriefingAttendance] = []
    created = 0
    for month_index, day in enumerate(days):
        topic = f"Giao ban {'tháng' if period == BriefingPeriod.MONTHLY else 'quý'} " + (
            f"{day.month}/{day.year}"
            if period == BriefingPeriod.MONTHLY
            else f"{(day.month - 1) // 3 + 1}/{day.year}"
        )
        if day >= today:
            # The coming one goes through the service: its secretaries are notified.
            briefing_plan(
                actor=actor,
                committee=area,
                period=period,
                date=day,
                time=datetime.time(8, 0),
                place=place,
                topic=topic,
            )
            created += 1
            continue
        briefing = Briefing.objects.create(
            committee=area,
            period=period,
            date=day,
            time=datetime.time(8, 0),
            place=place,
            topic=topic,
            conclusions=CONCLUSIONS,
            concluded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(11))),
            created_by=actor,
        )
        created += 1
        for cell_index, cell in enumerate(cells):
            status = _status(month_index, cell_index)
            present = status == BriefingAttendanceStatus.PRESENT
            rows.append(
                BriefingAttendance(
                    briefing=briefing,
                    cell=cell,
                    member=secretaries.get(cell.pk),
                    status=status,
                    report=REPORTS[(month_index + cell_index) % len(REPORTS)] if present else "",
                )
            )
    BriefingAttendance.objects.bulk_create(rows)
    return created


def seed(*, actor: Any, root: Organization, today: datetime.date) -> int:
    created = 0
    ward = Organization.objects.filter(path__startswith=root.path, code=WARD_CODE).first()
    if ward is not None:
        # The 10th of each month, the last eleven months and the coming one.
        first = today.replace(day=10)
        months = [add_months(first, -back) for back in range(11, -1, -1)]
        if first < today:
            months.append(add_months(first, 1))
        created += _seed_area(actor, ward, months, BriefingPeriod.MONTHLY, today)
    commune = Organization.objects.filter(path__startswith=root.path, code=COMMUNE_CODE).first()
    if commune is not None:
        # The 15th of the first month of each quarter: the last four and the coming one.
        start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 15)
        quarters = [add_months(start, -3 * back) for back in range(4, -1, -1)]
        if start < today:
            quarters.append(add_months(start, 3))
        created += _seed_area(actor, commune, quarters, BriefingPeriod.QUARTERLY, today)
    return created


def delete(root: Organization) -> None:
    Briefing.objects.filter(committee__path__startswith=root.path).delete()
