"""Demo data of the member status changes (lifecycle.status), added to the seeded demo after
the members, their meetings and their dues (chibo.demo.province):

- the demo's exemptions of elderly members get their structured grounds (elderly and in weak
  health, asked by letter, the cell's resolution);
- one member suspended after their cell's latest meeting;
- one member removed from the rolls in 2013 and re-admitted in 2017 (official again in 2018):
  their party age leaves out the gap;
- one member of a residential cell who died last year.

The removal alert list is fed by the demo's own history: members absent without reason from
signed meetings and members behind with their dues (chibo.demo.members). Signed attendance is
never rewritten here.

Members with a demo login or a position are left alone. Fast: a handful of service calls and
one bulk update."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max

from chibo.lifecycle import status
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.members import services as member_services
from chibo.members.models import Member, MemberEvent, MemberStatus
from chibo.orgs.models import CellType, Organization, Position

ELDERLY_REASON_PREFIX = "Tuổi cao"


@dataclass
class StatusSeed:
    exemptions: int = 0
    suspended: int = 0
    readmitted: int = 0
    deceased: int = 0


def _quiet_members():
    """Members the demo may change: no login, no position, on a roll."""
    return Member.objects.filter(
        user__isnull=True, status=MemberStatus.OFFICIAL, cell__kind="cell"
    ).exclude(pk__in=Position.objects.values("member_id"))


def _exemption_grounds() -> int:
    events = list(
        MemberEvent.objects.filter(
            status=MemberStatus.EXEMPTED, grounds="", reason__startswith=ELDERLY_REASON_PREFIX
        )
    )
    for number, event in enumerate(events, start=1):
        event.grounds = status.ExemptionGrounds.ELDERLY_WEAK
        event.decision_ref = event.decision_ref or f"{number:02d}-NQ/CB"
        event.details = {
            "request_date": (event.effective_date - datetime.timedelta(days=12)).isoformat(),
            "request_channel": status.RequestChannel.LETTER,
            "weak_health": True,
            "resolution_date": event.effective_date.isoformat(),
        }
    MemberEvent.objects.bulk_update(events, ["grounds", "decision_ref", "details"])
    return len(events)


def _last_meeting(cell_id: int, today: datetime.date) -> datetime.date | None:
    return (
        Meeting.objects.filter(organization_id=cell_id, date__lte=today)
        .exclude(status__in=[MeetingStatus.PLANNED, MeetingStatus.CANCELLED])
        .aggregate(last=Max("date"))["last"]
    )


def _suspend(today: datetime.date) -> int:
    for member in _quiet_members().annotate(last=Max("events__effective_date")).order_by("pk"):
        day = max(member.last, _last_meeting(member.cell_id, today) or member.last)
        day += datetime.timedelta(days=1)
        if day <= today:
            status.suspension_record(
                actor=None,
                member=member,
                decision_date=day,
                decision_ref="15-QĐ/ĐU",
                reason="Đình chỉ sinh hoạt trong thời gian xem xét, xử lý vi phạm",
            )
            return 1
    return 0


def _readmit(today: datetime.date) -> int:
    member = (
        _quiet_members()
        .annotate(last=Max("events__effective_date"), count=Count("events"))
        .filter(last__lt=datetime.date(2012, 1, 1), admission_decision_date__isnull=False)
        .order_by("pk")
        .first()
    )
    if member is None or today < datetime.date(2018, 6, 1):
        return 0
    status.removal_record(
        actor=None,
        member=member,
        grounds=status.RemovalGrounds.UNEXCUSED_MONTHS,
        proposal_date=datetime.date(2013, 5, 6),
        decision_date=datetime.date(2013, 5, 20),
        decision_ref="42-QĐ/ĐU",
        note="Bỏ sinh hoạt đảng 4 tháng trong năm 2013 không có lý do chính đáng",
    )
    status.readmission_record(
        actor=None,
        member=member,
        decision_date=datetime.date(2017, 3, 15),
        decision_ref="118-QĐ/ĐU",
        ceremony_date=datetime.date(2017, 4, 3),
    )
    member_services.member_change_status(
        actor=None,
        member=member,
        status=MemberStatus.OFFICIAL,
        effective_date=datetime.date(2018, 4, 10),
        decision_ref="96-QĐ/ĐU",
        reason="Công nhận đảng viên chính thức sau khi kết nạp lại",
    )
    return 1


def _deceased(today: datetime.date) -> int:
    cell = (
        Organization.objects.filter(kind="cell", cell_type=CellType.RESIDENTIAL_GROUP)
        .order_by("path")
        .first()
    )
    if cell is None:
        return 0
    member = member_services.member_create(
        actor=None,
        cell=cell,
        full_name="Lương Văn Thọ",
        sex="male",
        birth_date=datetime.date(1938, 2, 14),
        occupation="Hưu trí",
        admission_decision_date=datetime.date(1965, 6, 1),
        ceremony_date=datetime.date(1965, 6, 20),
        official_date=datetime.date(1966, 6, 20),
        party_card_number="38006512",
    )
    status.death_record(
        actor=None,
        member=member,
        date_of_death=datetime.date(today.year - 1, 8, 17),
        note="Từ trần tại nhà riêng; chi bộ đã tổ chức viếng",
    )
    return 1


def seed_demo(today: datetime.date) -> StatusSeed:
    """Add the status-change demo rows to the seeded demo database (see the module doc)."""
    seed = StatusSeed()
    seed.exemptions = _exemption_grounds()
    seed.suspended = _suspend(today)
    seed.readmitted = _readmit(today)
    seed.deceased = _deceased(today)
    return seed
