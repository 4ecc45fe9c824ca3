"""Demo inspections (see chibo.demo.supervision): the ward's plan of the year and the commune's,
each with inspections and supervisions — two of the ward's concluded with findings,
conclusions and recommendations (one closed, one open to Khối 1 so bithu.khoi1 sees it, one
overdue, one reported and awaiting closure), a thematic supervision of meeting quality with the
signed meetings of the cells it attended, and some planned later in the year. Everything goes
through supervision.services_inspections, so audit entries and notifications are real."""

from __future__ import annotations

import datetime
from typing import Any

from chibo.demo.meetings.rows import COMMUNE_CODE, KHOI1_CODE, WARD_CODE
from chibo.meetings.models import MeetingStatus
from chibo.members.models import Member
from chibo.notify.models import Notification
from chibo.orgs.models import CELL_KINDS, Organization, Position
from chibo.supervision import services_inspections as services
from chibo.supervision.models import Inspection, InspectionPlan

DAY = datetime.timedelta(days=1)


def _committee_people(committee: Organization) -> list[Member]:
    ids = (
        Position.objects.current()
        .filter(organization=committee)
        .order_by("role", "pk")
        .values_list("member_id", flat=True)
    )
    by_id = Member.objects.in_bulk(list(ids))
    return [by_id[pk] for pk in dict.fromkeys(ids) if pk in by_id]


def _clip(day: datetime.date, year: int) -> datetime.date:
    return min(max(day, datetime.date(year, 1, 1)), datetime.date(year, 12, 31))


def _add(actor: Any, plan: InspectionPlan, people: list[Member], **values: Any) -> Inspection:
    return services.inspection_add(
        actor=actor,
        plan=plan,
        leader=people[0] if people else None,
        team=people[1:3],
        **values,
    )


def _conclude(actor: Any, inspection: Inspection, findings: str, conclusions: str) -> None:
    services.inspection_start(actor=actor, inspection=inspection)
    services.inspection_conclude(
        actor=actor,
        inspection=inspection,
        findings=findings,
        conclusions=conclusions,
        concluded_on=inspection.ends_on,
    )


def _later(
    actor: Any,
    plan: InspectionPlan,
    people: list[Member],
    today: datetime.date,
    subject: Organization,
    content: str,
    kind: str,
) -> int:
    """An inspection planned later in the year (none when the year is about to end)."""
    starts = today + 5 * DAY
    ends = starts + 14 * DAY
    if ends.year != plan.year:
        return 0
    _add(
        actor,
        plan,
        people,
        kind=kind,
        content=content,
        subject_organization=subject,
        starts_on=starts,
        ends_on=ends,
    )
    return 1


def _ward(actor: Any, ward: Organization, today: datetime.date) -> int:
    year = today.year
    people = _committee_people(ward)
    cells = list(
        Organization.objects.filter(path__startswith=ward.path, kind__in=CELL_KINDS).order_by(
            "path"
        )
    )
    khoi1 = next((cell for cell in cells if cell.code == KHOI1_CODE), cells[0])
    other = next(cell for cell in cells if cell.pk != khoi1.pk)
    plan = services.inspection_plan_create(
        actor=actor,
        committee=ward,
        year=year,
        title=f"Kế hoạch kiểm tra, giám sát năm {year} của Đảng ủy phường",
        number_symbol="12-KH/ĐU",
        approved_on=datetime.date(year, 1, 15),
    )
    count = 0
    # 1. Khối 1: concluded; one recommendation closed, one open (bithu.khoi1 sees it).
    start = _clip(today - 120 * DAY, year)
    first = _add(
        actor,
        plan,
        people,
        kind="inspection",
        content="Việc chấp hành Điều lệ Đảng và chế độ sinh hoạt chi bộ",
        subject_organization=khoi1,
        starts_on=start,
        ends_on=start + 20 * DAY,
    )
    _conclude(
        actor,
        first,
        "Chi bộ duy trì sinh hoạt định kỳ hằng tháng; biên bản ghi chép còn sơ sài, một số "
        "đảng viên chưa tham gia ý kiến.",
        "Chi bộ chấp hành tốt Điều lệ Đảng; cần nâng cao chất lượng ghi biên bản và tăng cường "
        "thảo luận trong sinh hoạt.",
    )
    closed = services.recommendation_add(
        actor=actor,
        inspection=first,
        due_on=first.ends_on + 30 * DAY,
        text="Hoàn thiện sổ biên bản sinh hoạt chi bộ theo đúng mẫu.",
    )
    services.recommendation_report(
        actor=actor,
        recommendation=closed,
        on=first.ends_on + 25 * DAY,
        note="Chi bộ đã hoàn thiện sổ biên bản theo mẫu, gửi bản sao cho Đảng ủy.",
    )
    services.recommendation_close(
        actor=actor,
        recommendation=closed,
        on=first.ends_on + 28 * DAY,
        note="Đạt yêu cầu.",
    )
    services.recommendation_add(
        actor=actor,
        inspection=first,
        due_on=today + 20 * DAY,
        text="Xây dựng kế hoạch sinh hoạt chuyên đề hằng quý, phân công đảng viên chuẩn bị "
        "tham luận.",
    )
    count += 1
    # 2. Another cell: concluded; one overdue, one reported awaiting closure.
    start = _clip(today - 90 * DAY, year)
    second = _add(
        actor,
        plan,
        people,
        kind="supervision",
        content="Việc thu, nộp và quản lý đảng phí",
        subject_organization=other,
        starts_on=start,
        ends_on=start + 15 * DAY,
    )
    _conclude(
        actor,
        second,
        "Chi bộ thu đảng phí đầy đủ nhưng sổ theo dõi chưa cập nhật kịp thời, nộp lên cấp trên "
        "chậm hai tháng.",
        "Chi bộ cần chấn chỉnh việc nộp đảng phí đúng hạn và cập nhật sổ sách hằng tháng.",
    )
    services.recommendation_add(
        actor=actor,
        inspection=second,
        due_on=max(today - 10 * DAY, second.starts_on),
        text="Nộp đủ đảng phí còn chậm của hai tháng trước cho Đảng ủy phường.",
    )
    reported = services.recommendation_add(
        actor=actor,
        inspection=second,
        due_on=today + 10 * DAY,
        text="Cập nhật sổ theo dõi thu, nộp đảng phí hằng tháng.",
    )
    services.recommendation_report(
        actor=actor,
        recommendation=reported,
        on=today - 2 * DAY,
        note="Chi bộ đã cập nhật sổ theo dõi đến tháng này.",
    )
    count += 1
    # 3. Thematic supervision of meeting quality over the ward, with the meetings attended.
    start = _clip(today - 75 * DAY, year)
    end = _clip(today - DAY, year)
    if end > start:
        quality = _add(
            actor,
            plan,
            people,
            kind="supervision",
            content="Chất lượng sinh hoạt chi bộ",
            subject_organization=ward,
            starts_on=start,
            ends_on=end,
            meeting_quality=True,
        )
        services.inspection_start(actor=actor, inspection=quality)
        seen: set[int] = set()
        chosen: list[Any] = []
        for meeting in (
            services.held_meetings(quality)
            .filter(status=MeetingStatus.SIGNED)
            .order_by("date", "organization__path")
        ):
            if meeting.organization_id not in seen and len(chosen) < 8:
                seen.add(meeting.organization_id)
                chosen.append(meeting)
        services.inspection_set_meetings(actor=actor, inspection=quality, meetings=chosen)
        services.inspection_record(
            actor=actor,
            inspection=quality,
            findings="Đã dự sinh hoạt tại các chi bộ; phần lớn chi bộ chuẩn bị nội dung chu đáo, "
            "một số chi bộ nội dung còn đơn điệu, lặp lại tháng trước.",
        )
        count += 1
    # 4. Planned later in the year.
    count += _later(
        actor, plan, people, today, khoi1, "Việc thực hiện nghị quyết của chi bộ", "supervision"
    )
    count += _later(
        actor, plan, people, today, other, "Công tác phát triển đảng viên", "inspection"
    )
    return count


def _commune(actor: Any, commune: Organization, today: datetime.date) -> int:
    year = today.year
    people = _committee_people(commune)
    cell = (
        Organization.objects.filter(path__startswith=commune.path, kind__in=CELL_KINDS)
        .order_by("path")
        .first()
    )
    if cell is None:
        return 0
    plan = services.inspection_plan_create(
        actor=actor,
        committee=commune,
        year=year,
        title=f"Kế hoạch kiểm tra, giám sát năm {year} của Đảng ủy xã",
        number_symbol="08-KH/ĐU",
        approved_on=datetime.date(year, 1, 20),
    )
    start = _clip(today - 100 * DAY, year)
    first = _add(
        actor,
        plan,
        people,
        kind="inspection",
        content="Việc lãnh đạo phát triển kinh tế thôn",
        subject_organization=cell,
        starts_on=start,
        ends_on=start + 20 * DAY,
    )
    _conclude(
        actor,
        first,
        "Chi bộ đã ban hành nghị quyết chuyên đề nhưng chưa phân công cụ thể.",
        "Cần cụ thể hóa nghị quyết thành kế hoạch có phân công, thời hạn.",
    )
    services.recommendation_add(
        actor=actor,
        inspection=first,
        due_on=today + 30 * DAY,
        text="Xây dựng kế hoạch thực hiện nghị quyết có phân công, thời hạn cụ thể.",
    )
    return 1 + _later(
        actor, plan, people, today, cell, "Chất lượng sinh hoạt chi bộ", "supervision"
    )


def seed(*, actor: Any, root: Organization, today: datetime.date) -> int:
    count = 0
    ward = Organization.objects.filter(code=WARD_CODE, path__startswith=root.path).first()
    if ward is not None:
        count += _ward(actor, ward, today)
    commune = Organization.objects.filter(code=COMMUNE_CODE, path__startswith=root.path).first()
    if commune is not None:
        count += _commune(actor, commune, today)
    return count


def delete(root: Organization) -> None:
    plans = InspectionPlan.objects.filter(committee__path__startswith=root.path)
    if not plans.exists():
        return
    Notification.objects.filter(
        code__startswith="inspection.", recipient__member__cell__path__startswith=root.path
    ).delete()
    Inspection.meetings_attended.through.objects.filter(
        inspection__committee__path__startswith=root.path
    ).delete()
    plans.delete()
