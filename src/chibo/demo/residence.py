"""Demo rows for the residence feature (Quy định 213): members of the demo's workplace cells
linked to the residential cells where they live, participation, last year's comments for most,
this year's for some, two special categories and one pending request.

Runs after the main demo seed (organizations, members, meetings exist): chibo.demo.lifecycle
calls `seed_demo(today)`, and `delete(root)` before the demo is removed, since the rows protect
members and cells."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import CELL_KINDS, RESIDENTIAL_CELL_TYPES, Organization, Position
from chibo.residence.models import (
    WORKPLACE_CELL_TYPES,
    FeedbackRequest,
    Participation,
    ResidenceFeedback,
    ResidenceLink,
    SpecialCategory,
)
from chibo.residence.services import SECRETARY_ROLES

LINKS = 10
WARD_CODE = "38.168"
COMMENTS = (
    "Đồng chí gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước và "
    "quy định của địa phương; tham gia đầy đủ các buổi sinh hoạt chi bộ nơi cư trú khi được mời; "
    "tích cực tham gia phong trào xây dựng khu dân cư văn hóa.",
    "Đồng chí giữ mối liên hệ thường xuyên với chi ủy và Ban công tác Mặt trận khối; gia đình "
    "thực hiện tốt nghĩa vụ công dân; đóng góp đầy đủ các quỹ tại địa phương.",
    "Đồng chí chấp hành tốt quy định nơi cư trú; tuy nhiên có lúc chưa tham gia đầy đủ sinh hoạt "
    "tổ dân phố, đề nghị đồng chí quan tâm hơn đến các hoạt động của khu dân cư.",
)
ACTIVITIES = (
    "Sinh hoạt chi bộ thường kỳ",
    "Hội nghị nhân dân khu dân cư",
    "Ngày hội Đại đoàn kết toàn dân tộc",
    "Tổng vệ sinh môi trường khu dân cư",
)


def _cells(*, residential: bool) -> list[Organization]:
    types = RESIDENTIAL_CELL_TYPES if residential else WORKPLACE_CELL_TYPES
    cells = Organization.objects.filter(kind__in=CELL_KINDS, cell_type__in=types)
    ward = Organization.objects.filter(code=WARD_CODE).first()
    if ward is not None and cells.filter(path__startswith=ward.path).exists():
        cells = cells.filter(path__startswith=ward.path)
    return list(cells.order_by("code"))


def _comment(link, index, signer, year, written, sent_at) -> ResidenceFeedback:
    return ResidenceFeedback(
        link=link,
        member_id=link.member_id,
        residence_cell_id=link.residence_cell_id,
        year=year,
        text=COMMENTS[(index + year) % len(COMMENTS)],
        sets_example=True,
        fulfils_civic_duties=True,
        attends_meetings=index % 5 != 4,
        written_on=written,
        signed_by_name=signer,
        signed_by_title="Bí thư chi bộ",
        sent_at=sent_at,
    )


@transaction.atomic
def seed_demo(today: datetime.date | None = None) -> int:
    """Add the demo's residence links; returns how many links were created (0 if the demo
    already has links or lacks cells)."""
    today = today or timezone.localdate()
    if ResidenceLink.objects.exists():
        return 0
    workplaces = _cells(residential=False)
    homes = _cells(residential=True)
    if not workplaces or not homes:
        return 0
    members: list[Member] = []
    per_cell = max(2, LINKS // len(workplaces) + 1)
    for cell in workplaces:
        members += list(
            Member.objects.filter(cell=cell, status__in=ACTIVE_STATUSES).order_by("pk")[:per_cell]
        )
    members = members[:LINKS]
    secretaries = {
        position.organization_id: position.member.full_name
        for position in Position.objects.current(on=today)
        .filter(organization__in=homes, role__in=SECRETARY_ROLES)
        .select_related("member")
    }
    last_year, this_year = today.year - 1, today.year
    links = [
        ResidenceLink(
            member=member,
            workplace_cell_id=member.cell_id,
            residence_cell=homes[index % len(homes)],
            address=f"Số {12 + 7 * index}, ngõ {index + 3}, {homes[index % len(homes)].name[7:]}",
            start_date=datetime.date(last_year - 2 + index % 2, 1 + index % 12, 1 + index),
            special_category=(
                SpecialCategory.MOBILE_WORKER
                if index == 3
                else SpecialCategory.STUDENT_AWAY
                if index == 7
                else SpecialCategory.NONE
            ),
        )
        for index, member in enumerate(members)
    ]
    ResidenceLink.objects.bulk_create(links)
    participations: list[Participation] = []
    feedbacks: list[ResidenceFeedback] = []
    sent_at = timezone.now()
    for index, link in enumerate(links):
        for month in (3, 6, 9):
            day = datetime.date(this_year, month, 5)
            if day <= today:
                participations.append(
                    Participation(
                        link=link,
                        date=day,
                        activity=ACTIVITIES[(index + month) % len(ACTIVITIES)],
                        attended=(index + month) % 4 != 0,
                    )
                )
        if link.special_category:
            continue
        signer = secretaries.get(link.residence_cell_id, "Chi ủy chi bộ")

        if index != 9:  # most have last year's comment
            feedbacks.append(
                _comment(link, index, signer, last_year, datetime.date(last_year, 12, 10), sent_at)
            )
        written = today - datetime.timedelta(days=3 + index)
        if index in (0, 1, 2) and written.year == this_year:  # some have this year's already
            feedbacks.append(_comment(link, index, signer, this_year, written, sent_at))
    Participation.objects.bulk_create(participations)
    ResidenceFeedback.objects.bulk_create(feedbacks)
    # One request pending: the workplace cell asks for this year's comment of the fifth member.
    if len(links) > 4:
        FeedbackRequest.objects.create(
            link=links[4],
            year=this_year,
            requested_on=today - datetime.timedelta(days=2),
            note="Phục vụ kiểm điểm, đánh giá, xếp loại cuối năm",
        )
    return len(links)


def delete(root: Organization) -> None:
    """Delete the residence rows that protect the demo's members and cells."""
    links = ResidenceLink.objects.filter(member__cell__path__startswith=root.path)
    FeedbackRequest.objects.filter(link__in=links).delete()
    ResidenceFeedback.objects.filter(link__in=links, supersedes__isnull=False).delete()
    ResidenceFeedback.objects.filter(link__in=links).delete()
    Participation.objects.filter(link__in=links).delete()
    links.delete()
