"""Directives in the demo (issue 10): one from the province to every cell, forwarded by the
ward with its guidance, and three from the ward, with partial coverage — some cells
disseminated them at a signed meeting held after the directive was issued, some have not yet,
one directive is overdue — and some members marked them read. Khối 1 still has two to
disseminate: its prepared meeting carries the ward's Tết directive, and its agenda page
offers the province's plan (with the ward's guidance) to put on the agenda."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from chibo.demo.meetings.rows import DOCX, KHOI1_CODE, docx_bytes
from chibo.directives import services
from chibo.directives.models import (
    Directive,
    DirectiveAttachment,
    DirectiveDelivery,
    DirectiveRead,
)
from chibo.meetings import services as meeting_services
from chibo.meetings.models import EDITABLE_STATUSES, Meeting, MeetingStatus
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.notify.models import Notification
from chibo.orgs.models import Organization

WARD_CODE = "38.168"


def _days(today: datetime.date, days: int) -> datetime.date:
    return today + datetime.timedelta(days=days)


def _issue(actor: Any, issuer: Organization, today: datetime.date, spec: dict) -> Directive:
    """Issue through the service (deadline in the future), then set the demo's dates back."""
    deadline = spec.pop("deadline_days", None)
    directive = services.directive_issue(
        actor=actor,
        issuer=issuer,
        issued_on=_days(today, spec.pop("issued_days")),
        disseminate_by=_days(today, 30) if deadline is not None else None,
        must_disseminate=deadline is not None,
        **spec,
    )
    if deadline is not None and deadline < 30:
        Directive.objects.filter(pk=directive.pk).update(disseminate_by=_days(today, deadline))
        directive.disseminate_by = _days(today, deadline)
    return directive


def _disseminate(
    directive: Directive, today: datetime.date, *, keep: int, of: int, spare: str = ""
) -> int:
    """Record, for `keep` in every `of` receiving cells (not the cell coded `spare`), the
    cell's first signed meeting held since the directive was issued."""
    deliveries = list(directive.deliveries.select_related("cell").order_by("cell__path"))
    chosen = [
        row for index, row in enumerate(deliveries) if index % of < keep and row.cell.code != spare
    ]
    first: dict[int, Meeting] = {}
    for meeting in Meeting.objects.filter(
        organization_id__in=[row.cell_id for row in chosen],
        status=MeetingStatus.SIGNED,
        date__gte=directive.issued_on,
        date__lte=today,
    ).order_by("date", "id"):
        first.setdefault(meeting.organization_id, meeting)
    done = [row for row in chosen if row.cell_id in first]
    for row in done:
        row.disseminated_meeting = first[row.cell_id]
        row.disseminated_on = first[row.cell_id].date
    DirectiveDelivery.objects.bulk_update(done, ["disseminated_meeting", "disseminated_on"])
    # About two members in three of the cells that disseminated it marked it read.
    members = Member.objects.filter(
        cell_id__in=[row.cell_id for row in done], status__in=ACTIVE_STATUSES
    ).values_list("pk", flat=True)
    DirectiveRead.objects.bulk_create(
        [
            DirectiveRead(directive=directive, member_id=pk)
            for index, pk in enumerate(members)
            if index % 3 != 2
        ],
        ignore_conflicts=True,
    )
    return len(done)


@transaction.atomic
def seed(*, actor: Any, root: Organization, today: datetime.date) -> int:
    """The demo's directives; returns how many were issued (forwards not counted)."""
    ward = Organization.objects.filter(code=WARD_CODE, path__startswith=root.path).first()
    if ward is None or Directive.objects.filter(issuer__path__startswith=root.path).exists():
        return 0
    year = today.year
    plan = _issue(
        actor,
        root,
        today,
        {
            "number_symbol": "45-KH/TU",
            "issued_days": -50,
            "deadline_days": 20,
            "subject": "Kế hoạch học tập, quán triệt và triển khai thực hiện Nghị quyết Đại "
            "hội đại biểu Đảng bộ tỉnh",
            "body": "Các cấp ủy tổ chức cho cán bộ, đảng viên học tập, quán triệt Nghị quyết; "
            "mỗi chi bộ xây dựng chương trình hành động cụ thể, phù hợp với địa phương, đơn vị.",
            "attachments": [
                SimpleUploadedFile(
                    "45-KH-TU.docx",
                    docx_bytes(
                        "Kế hoạch 45-KH/TU",
                        [
                            "Học tập, quán triệt Nghị quyết Đại hội đại biểu Đảng bộ tỉnh.",
                            "1. Mục đích, yêu cầu.",
                            "2. Đối tượng, thời gian, hình thức học tập.",
                            "3. Tổ chức thực hiện.",
                        ],
                    ),
                    content_type=DOCX,
                )
            ],
        },
    )
    services.directive_forward(
        actor=actor,
        directive=plan,
        forwarder=ward,
        number_symbol="12-HD/ĐU",
        guidance="Các chi bộ tổ chức học tập trong kỳ sinh hoạt thường kỳ; bí thư chi bộ "
        "trực tiếp quán triệt; đảng viên viết bài thu hoạch nộp về Văn phòng Đảng ủy.",
    )
    _disseminate(plan, today, keep=3, of=5, spare=KHOI1_CODE)
    environment = _issue(
        actor,
        ward,
        today,
        {
            "number_symbol": "22-KH/ĐU",
            "issued_days": -45,
            "deadline_days": -5,
            "subject": "Kế hoạch ra quân tổng vệ sinh môi trường, phòng chống dịch sốt "
            "xuất huyết trên địa bàn phường",
            "body": "Chi bộ các khối vận động nhân dân thu gom rác thải, phát quang bụi rậm, "
            "loại bỏ vật dụng chứa nước đọng.",
            "target_mode": "cell_types",
            "cell_types": ["residential_group"],
        },
    )
    _disseminate(environment, today, keep=2, of=3)
    tet = _issue(
        actor,
        ward,
        today,
        {
            "number_symbol": "15-CT/ĐU",
            "issued_days": -7,
            "deadline_days": 40,
            "subject": f"Chỉ thị về lãnh đạo tổ chức đón Tết Nguyên đán {year + 1} vui tươi, "
            "lành mạnh, an toàn, tiết kiệm",
            "body": "Thăm hỏi, tặng quà gia đình chính sách, hộ nghèo; bảo đảm an ninh trật "
            "tự, phòng chống cháy nổ; không sử dụng pháo nổ.",
        },
    )
    notice = _issue(
        actor,
        ward,
        today,
        {
            "number_symbol": "30-TB/ĐU",
            "issued_days": -3,
            "subject": "Thông báo kết luận của Ban Thường vụ Đảng ủy về công tác bảo đảm an "
            "ninh trật tự cuối năm",
            "target_mode": "cell_types",
            "cell_types": ["residential_group", "police"],
        },
    )
    # Khối 1's prepared meeting takes the Tết directive on its agenda.
    khoi1 = Organization.objects.filter(code=KHOI1_CODE).first()
    upcoming = (
        Meeting.objects.filter(organization=khoi1, date__gte=today, status__in=EDITABLE_STATUSES)
        .order_by("date")
        .first()
    )
    delivery = tet.deliveries.filter(cell=khoi1).first()
    if upcoming is not None and delivery is not None and upcoming.agenda_items.exists():
        meeting_services.agenda_add_directive(actor=actor, meeting=upcoming, delivery=delivery)
    return len([plan, environment, tet, notice])


@transaction.atomic
def delete(root: Organization) -> None:
    """Remove the demo's directives (before the meetings they point at), their files and the
    inbox entries that point at them."""
    directives = Directive.objects.filter(issuer__path__startswith=root.path)
    ids = list(directives.values_list("pk", flat=True))
    if not ids:
        return
    files = [
        name
        for name in DirectiveAttachment.objects.filter(directive_id__in=ids).values_list(
            "file", flat=True
        )
        if name
    ]

    def remove_files() -> None:
        for name in files:
            default_storage.delete(name)

    transaction.on_commit(remove_files)
    Notification.objects.filter(
        url__in=[reverse("directives:detail", args=[pk]) for pk in ids]
    ).delete()
    DirectiveDelivery.objects.filter(cell__path__startswith=root.path).delete()
    directives.filter(forwarded_from__isnull=False).delete()
    directives.delete()
