"""Demo proposals (kiến nghị, đề xuất): about forty, of members and relayed from citizens, in
the ward's and the commune's cells, at every stage — at the cell, escalated to the ward and to
the province, handed to the ward People's Committee with and without its answer, answered,
reported back at a signed meeting — a few of them overdue. Khối 1 has answers not yet
reported back, so its meeting carries the report-back item. Rows are bulk-created."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from chibo.core.calendar import add_working_days
from chibo.demo.meetings.rows import COMMUNE_CODE, KHOI1_CODE, WARD_CODE
from chibo.meetings import services as meeting_services
from chibo.meetings.models import EDITABLE_STATUSES, Meeting, MeetingStatus
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.notify.models import Notification
from chibo.orgs.models import CELL_KINDS, Organization, Position, Role
from chibo.proposals.models import (
    HandOff,
    Proposal,
    ProposalSource,
    ProposalStatus,
    ProposalStep,
    ProposalTopic,
    StepKind,
)
from chibo.proposals.selectors import answers_to_report
from chibo.proposals.services import level_deadline

OWN, CITIZENS = ProposalSource.OWN, ProposalSource.CITIZENS

# (topic, source, citizens, where, title, content)
CASES: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        ProposalTopic.ENVIRONMENT,
        CITIZENS,
        "Các hộ dân tổ 3",
        "Đầu hẻm 12",
        "Bố trí thêm thùng rác đầu hẻm 12",
        "Rác tồn đọng ở đầu hẻm 12 vào cuối tuần, bốc mùi; bà con đề nghị bố trí thêm hai thùng "
        "rác và tăng chuyến thu gom ngày chủ nhật.",
    ),
    (
        ProposalTopic.INFRASTRUCTURE,
        CITIZENS,
        "Bà con khu phố 2",
        "Đường Trần Phú, đoạn trước chợ",
        "Sửa đèn chiếu sáng đường Trần Phú",
        "Ba cột đèn trước chợ hỏng hơn một tháng, buổi tối đi lại nguy hiểm, đề nghị sửa chữa.",
    ),
    (
        ProposalTopic.LAND,
        CITIZENS,
        "Ông Nguyễn Văn Lộc và 5 hộ liền kề",
        "Tổ 5",
        "Giải quyết tranh chấp lối đi chung tổ 5",
        "Lối đi chung giữa các hộ bị lấn chiếm một phần để xây tường rào; đề nghị phường đo đạc, "
        "hòa giải và xác định ranh giới.",
    ),
    (
        ProposalTopic.SECURITY,
        CITIZENS,
        "Ban điều hành khu phố",
        "Ngã ba chợ",
        "Lắp camera an ninh ngã ba chợ",
        "Gần đây xảy ra hai vụ trộm xe máy ở ngã ba chợ; đề nghị lắp camera giám sát và tăng tuần "
        "tra ban đêm.",
    ),
    (
        ProposalTopic.SOCIAL_POLICY,
        OWN,
        "",
        "",
        "Hỗ trợ hộ cận nghèo có người ốm nặng",
        "Gia đình bà Lê Thị Hoa thuộc hộ cận nghèo, chồng bị bệnh nặng; đề nghị xem xét hỗ trợ "
        "từ Quỹ Vì người nghèo và thẻ bảo hiểm y tế.",
    ),
    (
        ProposalTopic.ADMINISTRATION,
        CITIZENS,
        "Người dân đến làm thủ tục",
        "Bộ phận một cửa",
        "Rút ngắn thời gian chứng thực tại bộ phận một cửa",
        "Người dân phải chờ lâu khi chứng thực giấy tờ buổi sáng thứ hai; đề nghị bố trí thêm "
        "người và hướng dẫn nộp hồ sơ trực tuyến.",
    ),
    (
        ProposalTopic.PARTY_WORK,
        OWN,
        "",
        "",
        "Gửi tài liệu sinh hoạt chuyên đề sớm hơn",
        "Tài liệu chuyên đề thường đến chi bộ sát ngày sinh hoạt; đề nghị Đảng ủy gửi trước ít "
        "nhất một tuần để đảng viên nghiên cứu.",
    ),
    (
        ProposalTopic.ENVIRONMENT,
        CITIZENS,
        "Các hộ ven kênh",
        "Kênh thoát nước khu phố 4",
        "Nạo vét kênh thoát nước khu phố 4",
        "Kênh bị bồi lắng, mùa mưa nước tràn vào nhà dân; đề nghị nạo vét trước mùa mưa.",
    ),
    (
        ProposalTopic.INFRASTRUCTURE,
        OWN,
        "",
        "",
        "Sửa mặt đường hẻm 7 bị lún",
        "Mặt đường hẻm 7 lún sâu sau đợt thi công cấp nước, xe máy dễ ngã; đề nghị đơn vị thi công "
        "hoàn trả mặt đường.",
    ),
    (
        ProposalTopic.SECURITY,
        CITIZENS,
        "Phụ huynh học sinh",
        "Cổng trường tiểu học",
        "Bảo đảm an toàn giao thông trước cổng trường",
        "Giờ tan học xe dừng đỗ lộn xộn trước cổng trường; đề nghị kẻ vạch, đặt biển báo và bố "
        "trí lực lượng phân luồng.",
    ),
    (
        ProposalTopic.LAND,
        CITIZENS,
        "Hộ ông Trần Văn Bình",
        "Thửa đất số 112, tờ bản đồ 8",
        "Cấp giấy chứng nhận quyền sử dụng đất còn tồn đọng",
        "Hồ sơ nộp từ năm trước nhưng chưa được cấp giấy; đề nghị kiểm tra tiến độ và trả lời.",
    ),
    (
        ProposalTopic.SOCIAL_POLICY,
        CITIZENS,
        "Hội Người cao tuổi khu phố",
        "Nhà văn hóa khu phố",
        "Sửa chữa nhà văn hóa khu phố",
        "Mái nhà văn hóa dột, thiếu ghế ngồi; đề nghị hỗ trợ kinh phí sửa chữa để bà con "
        "sinh hoạt.",
    ),
    (
        ProposalTopic.OTHER,
        OWN,
        "",
        "",
        "Tổ chức tập huấn sử dụng dịch vụ công trực tuyến",
        "Nhiều đảng viên lớn tuổi chưa biết nộp hồ sơ trực tuyến; đề nghị mở lớp hướng dẫn tại "
        "khu phố.",
    ),
    (
        ProposalTopic.ENVIRONMENT,
        CITIZENS,
        "Bà con thôn",
        "Bãi đất trống cuối thôn",
        "Xử lý điểm đổ rác tự phát cuối thôn",
        "Một số người ngoài địa phương đổ rác, xà bần ở bãi đất trống; đề nghị dọn dẹp và đặt biển "
        "cấm.",
    ),
)

# Each stage: where the proposal is now and what happened to it.
STAGES = (
    "at_cell",
    "ward",
    "answered_cell",
    "handed_off",
    "at_cell_overdue",
    "province",
    "answered_ward",
    "reported_back",
    "ward_overdue",
    "handed_off_answered",
    "answered_province",
    "at_cell",
)
COUNT = 40
# Khối 1 first: its own member's proposals, two answers to report back at its next meeting.
KHOI1_STAGES = ("answered_cell", "answered_ward", "at_cell", "ward", "reported_back")


def _days(today: datetime.date, n: int) -> datetime.date:
    return today - datetime.timedelta(days=n)


class _Builder:
    def __init__(self, *, actor: Any, root: Organization, today: datetime.date) -> None:
        self.actor = actor if getattr(actor, "pk", None) else None
        self.today = today
        self.root = root
        self.ward = Organization.objects.filter(code=WARD_CODE).first()
        self.commune = Organization.objects.filter(code=COMMUNE_CODE).first()
        self.steps: list[tuple[Proposal, ProposalStep]] = []
        self.hand_offs: list[tuple[Proposal, HandOff]] = []
        self._deadlines: dict[tuple[int, datetime.date], datetime.date] = {}

    def deadline(self, level: Organization, arrival: datetime.date) -> datetime.date:
        key = (level.pk, arrival)
        if key not in self._deadlines:
            self._deadlines[key] = level_deadline(level, arrival)
        return self._deadlines[key]

    def step(self, proposal: Proposal, kind: str, on: datetime.date, **extra: Any) -> None:
        self.steps.append((proposal, ProposalStep(kind=kind, on=on, actor=self.actor, **extra)))

    def build(
        self,
        *,
        cell: Organization,
        area: Organization,
        raiser: Member,
        case: tuple[str, str, str, str, str, str],
        stage: str,
        handlers: dict[int, Member],
        signed: Meeting | None,
    ) -> Proposal:
        topic, source, citizens, place, title, content = case
        today = self.today
        ages = {
            "at_cell": 3,
            "at_cell_overdue": 40,
            "ward": 15,
            "ward_overdue": 70,
            "province": 25,
            "handed_off": 20,
            "handed_off_answered": 22,
            "answered_cell": 20,
            "answered_ward": 30,
            "answered_province": 75,
            "reported_back": 40,
        }
        raised_on = _days(today, ages[stage])
        if stage == "ward":
            # Due at the ward within two working days, so the demo's inbox has the reminder.
            arrival, soon = today, add_working_days(today, 2)
            while self.deadline(area, arrival) > soon:
                arrival -= datetime.timedelta(days=1)
            raised_on = arrival - datetime.timedelta(days=5)
        if stage == "reported_back" and signed is not None:
            raised_on = signed.date - datetime.timedelta(days=25)
        proposal = Proposal(
            cell=cell,
            raised_by=raiser,
            recorded_by=self.actor,
            source=source,
            citizen_name=citizens,
            citizen_place=place,
            topic=topic,
            title=title,
            content=content,
            raised_on=raised_on,
            status=ProposalStatus.AT_CELL,
            level=cell,
            arrived_on=raised_on,
            due_on=self.deadline(cell, raised_on),
        )
        self.step(proposal, StepKind.RAISED, raised_on, from_unit=cell, due_on=proposal.due_on)

        def escalate(level_from: Organization, level_to: Organization, on: datetime.date) -> None:
            proposal.level = level_to
            proposal.status = ProposalStatus.ESCALATED
            proposal.arrived_on = on
            proposal.due_on = self.deadline(level_to, on)
            self.step(
                proposal,
                StepKind.ESCALATED,
                on,
                from_unit=level_from,
                to_unit=level_to,
                text="Vượt thẩm quyền giải quyết của cấp này; đề nghị cấp trên chỉ đạo.",
                due_on=proposal.due_on,
            )

        def answer(on: datetime.date, text: str) -> None:
            proposal.status = ProposalStatus.ANSWERED
            proposal.answer = text
            proposal.answered_on = on
            proposal.answered_by_unit = proposal.level
            self.step(proposal, StepKind.ANSWERED, on, from_unit=proposal.level, text=text)

        if stage in ("ward", "ward_overdue", "handed_off", "handed_off_answered"):
            escalate(cell, area, raised_on + datetime.timedelta(days=5))
            handler = handlers.get(area.pk)
            if handler is not None:
                proposal.handler = handler
                self.step(
                    proposal,
                    StepKind.HANDLER_ASSIGNED,
                    proposal.arrived_on + datetime.timedelta(days=1),
                    from_unit=area,
                    text=handler.full_name,
                )
        if stage in ("handed_off", "handed_off_answered"):
            sent_on = proposal.arrived_on + datetime.timedelta(days=3)
            body = "UBND " + area.name.removeprefix("Đảng ủy ")  # the People's Committee
            hand_off = HandOff(unit=area, body=body, sent_on=sent_on)
            proposal.status = ProposalStatus.HANDED_OFF
            self.step(proposal, StepKind.HANDED_OFF, sent_on, from_unit=area, text=body)
            if stage == "handed_off_answered":
                hand_off.answered_on = sent_on + datetime.timedelta(days=10)
                hand_off.answer = (
                    "Đã giao bộ phận chuyên môn kiểm tra thực tế; dự kiến xử lý "
                    "xong trong tháng tới."
                )
                proposal.status = ProposalStatus.ESCALATED
                self.step(
                    proposal,
                    StepKind.OUTSIDE_ANSWER,
                    hand_off.answered_on,
                    from_unit=area,
                    text=f"{body}: {hand_off.answer}",
                )
            self.hand_offs.append((proposal, hand_off))
        if stage in ("province", "answered_province"):
            escalate(cell, area, raised_on + datetime.timedelta(days=4))
            escalate(area, self.root, raised_on + datetime.timedelta(days=15))
        if stage == "answered_province":
            answer(
                raised_on + datetime.timedelta(days=35),
                "Tỉnh đã đưa hạng mục vào kế hoạch đầu tư công năm tới; giao UBND phường phối "
                "hợp triển khai.",
            )
        if stage == "answered_cell":
            proposal.handler = handlers.get(cell.pk)
            answer(
                _days(today, 8),
                "Chi bộ đã phối hợp Ban điều hành khu phố xử lý; tổ dân phố đã thực hiện xong.",
            )
        if stage == "answered_ward":
            escalate(cell, area, raised_on + datetime.timedelta(days=3))
            answer(
                _days(today, 6),
                "Đảng ủy phường đã chỉ đạo UBND phường kiểm tra, khắc phục; kết quả sẽ thông "
                "báo tại hội nghị giao ban tháng tới.",
            )
        if stage == "reported_back":
            if signed is None:
                answer(_days(today, 10), "Chi bộ đã trao đổi với tổ dân phố và giải quyết xong.")
            else:
                answer(
                    signed.date - datetime.timedelta(days=8),
                    "Chi bộ đã trao đổi với tổ dân phố và giải quyết xong.",
                )
                proposal.status = ProposalStatus.CLOSED
                proposal.reported_back_meeting = signed
                proposal.reported_back_on = signed.date
                self.step(proposal, StepKind.REPORTED_BACK, signed.date, from_unit=cell)
        return proposal


def _cells(area: Organization | None, limit: int) -> list[Organization]:
    if area is None:
        return []
    return list(
        Organization.objects.filter(path__startswith=area.path, kind__in=CELL_KINDS)
        .exclude(pk=area.pk)
        .order_by("path")[:limit]
    )


def seed(*, actor: Any, root: Organization, today: datetime.date | None = None) -> int:
    """Create the demo proposals; returns how many. Nothing if they exist already."""
    today = today or timezone.localdate()
    if Proposal.objects.filter(cell__path__startswith=root.path).exists():
        return 0
    builder = _Builder(actor=actor, root=root, today=today)
    if builder.ward is None:
        return 0
    ward_cells = _cells(builder.ward, 12)
    commune_cells = _cells(builder.commune, 4)
    cells = ward_cells + commune_cells
    if not cells:
        return 0
    area_of = {cell.pk: builder.ward for cell in ward_cells} | {
        cell.pk: builder.commune for cell in commune_cells
    }
    members: dict[int, list[Member]] = {}
    for member in Member.objects.filter(cell__in=cells, status__in=ACTIVE_STATUSES).order_by(
        "cell_id", "user_id", "id"
    ):
        members.setdefault(member.cell_id, []).append(member)
    handlers: dict[int, Member] = {}
    units = [*cells, builder.ward, *([builder.commune] if builder.commune else [])]
    for position in (
        Position.objects.current(on=today)
        .filter(organization__in=units, role=Role.SECRETARY)
        .select_related("member")
    ):
        handlers.setdefault(position.organization_id, position.member)
    signed: dict[int, Meeting] = {}
    for meeting in Meeting.objects.filter(
        organization__in=cells, status=MeetingStatus.SIGNED
    ).order_by("organization_id", "-date"):
        signed.setdefault(meeting.organization_id, meeting)
    khoi1_member = Member.objects.filter(
        cell__code=KHOI1_CODE, user__username="dangvien.khoi1"
    ).first()

    plan: list[tuple[Organization, str, Member]] = []
    khoi1 = next((cell for cell in cells if cell.code == KHOI1_CODE), None)
    if khoi1 is not None and members.get(khoi1.pk):
        raiser = khoi1_member or members[khoi1.pk][0]
        plan.extend((khoi1, stage, raiser) for stage in KHOI1_STAGES)
    others = [cell for cell in cells if members.get(cell.pk) and cell != khoi1]
    index = 0
    while len(plan) < COUNT and others:
        cell = others[index % len(others)]
        people = members[cell.pk]
        plan.append((cell, STAGES[index % len(STAGES)], people[index % len(people)]))
        index += 1

    proposals = [
        builder.build(
            cell=cell,
            area=area_of[cell.pk],
            raiser=raiser,
            case=CASES[number % len(CASES)],
            stage=stage,
            handlers=handlers,
            signed=signed.get(cell.pk),
        )
        for number, (cell, stage, raiser) in enumerate(plan)
    ]
    Proposal.objects.bulk_create(proposals)
    for proposal, step in builder.steps:
        step.proposal = proposal
        step.from_unit = step.from_unit or proposal.cell
    ProposalStep.objects.bulk_create([step for _proposal, step in builder.steps])
    for proposal, hand_off in builder.hand_offs:
        hand_off.proposal = proposal
        hand_off.created_by = builder.actor
    HandOff.objects.bulk_create([hand_off for _proposal, hand_off in builder.hand_offs])
    if khoi1 is not None:
        _report_back_item(actor=actor, cell=khoi1, today=today)
    return len(proposals)


def _report_back_item(*, actor: Any, cell: Organization, today: datetime.date) -> None:
    """Khối 1's coming meeting was prepared before the proposals existed: give it the
    report-back item its agenda would have had (meetings.services.agenda_build)."""
    meeting = (
        Meeting.objects.filter(organization=cell, status__in=EDITABLE_STATUSES, date__gte=today)
        .order_by("date", "time")
        .first()
    )
    answers = answers_to_report(cell)
    if meeting is None or not answers or not meeting.agenda_items.exists():
        return
    item = meeting_services.agenda_item_add(
        actor=actor,
        meeting=meeting,
        title="Thông báo kết quả trả lời kiến nghị",
        guidance="\n".join(
            f"• {p.title} — {p.answered_by_unit.name if p.answered_by_unit else ''} trả lời "
            f"ngày {p.answered_on:%d/%m/%Y} — {p.answer[:200]}"
            for p in answers
        ),
    )
    item.proposals.set(answers)


def delete(root: Organization) -> None:
    """Remove the demo's proposals with their steps, hand-offs, files and inbox entries (before
    the meetings, members and units they point at)."""
    rows = Proposal.objects.filter(Q(cell__path__startswith=root.path))
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return
    Notification.objects.filter(url__in=[f"/proposals/{pk}/" for pk in ids]).delete()
    for proposal in rows.prefetch_related("attachments"):
        for attachment in proposal.attachments.all():
            attachment.file.delete(save=False)
    rows.delete()
