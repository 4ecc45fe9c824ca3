"""Demo visits (issue 11): a year of visits by the ward's and the commune's committee members
to their cells' signed meetings, with gaps — some members below their yearly minimum of 6, some
cells never visited this quarter or this year — and two standing attendees of Khối cells (a
ward civil servant and the area police officer) with their short reports and the proposals they
heard. capuy.khoi1 leaves one of Khối 1's latest signed meetings unvisited, its score not yet
confirmed (the browser test records that visit). Rows are bulk-created; the few proposals go
through proposals.services."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from chibo.demo.common import KHOI1_UPPER
from chibo.demo.meetings.rows import COMMUNE_CODE, KHOI1_CODE, WARD_CODE
from chibo.meetings.models import Meeting, MeetingScore, MeetingStatus
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import CELL_KINDS, Organization, Position, Role
from chibo.orgs.selectors import followers_of, sorted_naturally
from chibo.proposals.models import ProposalSource, ProposalTopic
from chibo.proposals.services import proposal_raise
from chibo.supervision.models import Visit, VisitorRole

SEED = 20261106

# How many visits each follower made this year, in turn (the minimum is 6: about half are
# below it).
QUOTAS = (7, 3, 6, 1, 8, 4, 6, 2, 0, 6, 5, 9)

OBSERVATIONS = (
    "Chi bộ sinh hoạt đúng ngày, đủ các bước; đảng viên phát biểu sôi nổi về vệ sinh môi "
    "trường và an ninh khu phố.",
    "Nội dung sinh hoạt còn chung chung, ít đảng viên phát biểu; nghị quyết chưa nêu rõ người "
    "phụ trách từng việc.",
    "Chi bộ đánh giá sát tình hình tháng, có phân công cụ thể; tỷ lệ đảng viên dự cao.",
)
GUIDANCE = (
    "Đề nghị chi bộ cụ thể hóa nghị quyết tháng thành việc làm, có người phụ trách và thời "
    "hạn; tiếp tục vận động nhân dân giữ gìn vệ sinh.",
    "Chi bộ cần chuẩn bị nội dung trước khi họp, gợi ý đảng viên phát biểu; kiểm điểm việc "
    "thực hiện nghị quyết tháng trước.",
)
STANDING_INFORMED = (
    "Thông tin tình hình an ninh trật tự trên địa bàn tháng qua; hướng dẫn phòng chống lừa "
    "đảo qua mạng.",
    "Thông tin kế hoạch chỉnh trang vỉa hè của phường và chính sách hỗ trợ hộ nghèo.",
)
STANDING_HEARD = (
    "Bà con phản ánh tình trạng tụ tập gây ồn ào ban đêm ở hẻm 5.",
    "Đảng viên đề nghị phường sớm lắp đèn chiếu sáng hẻm 12.",
)
HEARD_PROPOSALS = (
    (
        ProposalTopic.SECURITY,
        "Tăng cường tuần tra ban đêm hẻm 5",
        "Thanh niên tụ tập gây ồn ào sau 23 giờ; bà con đề nghị công an phường tăng tuần tra.",
    ),
    (
        ProposalTopic.INFRASTRUCTURE,
        "Lắp đèn chiếu sáng hẻm 12",
        "Hẻm 12 chưa có đèn, buổi tối đi lại khó khăn; đề nghị phường lắp hai bóng đèn.",
    ),
)

HELD = (MeetingStatus.SIGNED,)


def _at(meeting: Meeting) -> datetime.datetime:
    moment = meeting.ended_at or timezone.make_aware(
        datetime.datetime.combine(meeting.date, meeting.time)
    )
    return moment + datetime.timedelta(days=1)


def seed(*, actor: Any, root: Organization, today: datetime.date) -> int:
    """Create the demo visits; returns how many. Nothing if they exist already."""
    if Visit.objects.filter(cell__path__startswith=root.path).exists():
        return 0
    units = {
        org.code: org
        for org in Organization.objects.filter(
            path__startswith=root.path, code__in=[WARD_CODE, COMMUNE_CODE]
        )
    }
    if WARD_CODE not in units:
        return 0
    rng = random.Random(SEED)
    since = today - datetime.timedelta(days=365)
    capuy = Member.objects.filter(user__username=KHOI1_UPPER).first()
    khoi1_latest = _left_for_capuy()
    rows: list[Visit] = []
    for unit in units.values():
        rows.extend(_upper_visits(unit, since, today, rng, capuy, khoi1_latest))
    Visit.objects.bulk_create(rows, batch_size=500)
    return len(rows) + _standing_attendees(actor, units[WARD_CODE], since, today, rng)


def _left_for_capuy() -> Meeting | None:
    """Khối 1's latest signed meeting whose score was confirmed after signing (so outside the
    frozen minutes): its confirmation is taken back, and capuy.khoi1 gets no visit to it — the
    browser test records the visit and confirms the score."""
    for meeting in Meeting.objects.filter(
        organization__code=KHOI1_CODE, status__in=HELD, signed_at__isnull=False
    ).order_by("-date")[:6]:
        score = MeetingScore.objects.filter(meeting=meeting).first()
        if score is None or meeting.guests.filter(is_upper_level=True).exists():
            continue
        signed_at = meeting.signed_at
        if signed_at and (score.confirmed_at is None or score.confirmed_at > signed_at):
            score.confirmed_by, score.confirmed_at = None, None
            score.save(update_fields=["confirmed_by", "confirmed_at"])
            return meeting
    return None


def _signed_meetings(cells: list[Organization], since: datetime.date, today: datetime.date):
    meetings: dict[int, list[Meeting]] = {}
    for meeting in Meeting.objects.filter(
        organization__in=cells, status__in=HELD, date__gte=since, date__lte=today
    ).order_by("date"):
        meetings.setdefault(meeting.organization_id, []).append(meeting)
    return meetings


def _upper_visits(
    unit: Organization,
    since: datetime.date,
    today: datetime.date,
    rng: random.Random,
    capuy: Member | None,
    khoi1_latest: Meeting | None,
) -> list[Visit]:
    cells = sorted_naturally(
        Organization.objects.filter(path__startswith=unit.path, kind__in=CELL_KINDS)
    )
    meetings = _signed_meetings(cells, since, today)
    followed: dict[int, list[int]] = {}
    for cell_id, member_ids in followers_of(cells).items():
        for member_id in member_ids:
            followed.setdefault(member_id, []).append(cell_id)
    members = {m.pk: m for m in Member.objects.filter(pk__in=followed)}
    scores = {
        s.meeting_id: s.confirmed_by_id
        for s in MeetingScore.objects.filter(
            meeting__organization__in=cells, meeting__date__gte=since
        )
    }
    rows = []
    for index, member_id in enumerate(sorted(followed)):
        member = members[member_id]
        quota = QUOTAS[index % len(QUOTAS)]
        if capuy is not None and member_id == capuy.pk:
            quota = 3  # below the minimum, so the ward's coverage shows it
        # Only the first cells of a long list get visits: the others stay unvisited.
        pool = [
            meeting
            for cell_id in followed[member_id][:3]
            for meeting in meetings.get(cell_id, [])
            if cell_id != member.cell_id and meeting != khoi1_latest
        ]
        pool.sort(key=lambda m: m.date)
        chosen = sorted(rng.sample(pool, min(quota, len(pool))), key=lambda m: m.date)
        for number, meeting in enumerate(chosen):
            rows.append(
                Visit(
                    meeting=meeting,
                    cell_id=meeting.organization_id,
                    visitor=member,
                    role=VisitorRole.UPPER_MEMBER,
                    observations=OBSERVATIONS[(index + number) % len(OBSERVATIONS)],
                    guidance=GUIDANCE[(index + number) % len(GUIDANCE)],
                    score_confirmed=scores.get(meeting.pk) == member_id,
                    recorded_at=_at(meeting),
                )
            )
    return rows


def _standing_attendees(
    actor: Any, ward: Organization, since: datetime.date, today: datetime.date, rng: random.Random
) -> int:
    """A ward civil servant and the area police officer, each assigned to three Khối cells,
    with a report on each cell's latest signed meetings and one proposal heard each."""
    cells = {org.name: org for org in Organization.objects.filter(path__startswith=ward.path)}
    khoi = sorted_naturally(
        org for org in cells.values() if org.kind in CELL_KINDS and "Khối" in org.name
    )
    sources = ("Chi bộ Cơ quan phường Hưng Phú", "Chi bộ Công an phường Hưng Phú")
    assigned_on = max(since, datetime.date(today.year, 1, 2))
    count = 0
    for number, source in enumerate(sources):
        cell = cells.get(source)
        if cell is None or len(khoi) < 6:
            continue
        taken = Position.objects.filter(role=Role.STANDING_ATTENDEE).values("member_id")
        person = (
            Member.objects.filter(cell=cell, status__in=ACTIVE_STATUSES, user__isnull=True)
            .exclude(positions__organization=ward)
            .exclude(pk__in=taken)
            .order_by("id")
            .first()
        )
        if person is None:
            continue
        targets = khoi[number * 3 + 1 : number * 3 + 4]  # Khối 2–4, then Khối 5–7
        Position.objects.bulk_create(
            Position(
                member=person,
                organization=target,
                role=Role.STANDING_ATTENDEE,
                start_date=assigned_on,
                note=(
                    "Công chức phường dự sinh hoạt thường xuyên"
                    if number == 0
                    else "Công an khu vực dự sinh hoạt thường xuyên"
                ),  # fmt: skip
            )
            for target in targets
        )
        meetings = _signed_meetings(targets, assigned_on, today)
        for target in targets:
            for late, meeting in enumerate(reversed(meetings.get(target.pk, [])[-2:])):
                visit = Visit.objects.create(
                    meeting=meeting,
                    cell=target,
                    visitor=person,
                    role=VisitorRole.STANDING_ATTENDEE,
                    guidance=STANDING_INFORMED[number],
                    observations=STANDING_HEARD[number],
                    recorded_at=_at(meeting),
                )
                count += 1
                if late == 0:
                    _heard(actor, visit, number, rng)
    return count


def _heard(actor: Any, visit: Visit, number: int, rng: random.Random) -> None:
    raisers = list(
        Member.objects.filter(cell=visit.cell, status__in=ACTIVE_STATUSES).order_by("id")[:10]
    )
    if not raisers:
        return
    topic, title, content = HEARD_PROPOSALS[number]
    proposal = proposal_raise(
        actor=actor,
        cell=visit.cell,
        raised_by=rng.choice(raisers),
        source=ProposalSource.CITIZENS,
        topic=topic,
        title=title,
        content=content,
        citizen_name="Bà con trong khu phố",
        meeting=visit.meeting,
    )
    visit.proposals.add(proposal)


def delete(root: Organization) -> None:
    """Remove the demo's visits and standing attendees (before the meetings and members)."""
    Visit.objects.filter(cell__path__startswith=root.path).delete()
    Position.objects.filter(
        organization__path__startswith=root.path, role=Role.STANDING_ATTENDEE
    ).delete()
