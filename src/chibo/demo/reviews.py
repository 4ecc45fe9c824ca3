"""Demo rows for the annual review: last year's complete reviews of every demo cell's members
(mostly HTTNV, about 15% HTXSNV within each grassroots organization's quota, a few HTNV, rare
KHTNV), the organizations' ratings of last year, and this year's self-assessments under way in
Khối 1. Runs after the core seed (organizations, members, a year of meetings); idempotent;
bulk inserts only. chibo.demo.lifecycle calls seed_demo(today)."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from decimal import Decimal

from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.orgs.models import CELL_KINDS, Organization
from chibo.reviews import rules, selectors
from chibo.reviews.models import (
    Discipline,
    DisciplineAuthority,
    Level,
    MemberReview,
    OrganizationReview,
    ReviewDecision,
)

KHOI1_CODE = "38.168.000.000.001"
SCORES = {
    Level.EXCELLENT: (90, 96),
    Level.GOOD: (72, 89),
    Level.COMPLETED: (52, 68),
    Level.NOT_COMPLETED: (40, 48),
}
SELF_TEXTS = [
    "Hoàn thành các nhiệm vụ chi bộ phân công; tham gia đầy đủ sinh hoạt; đóng đảng phí đúng hạn.",
    "Thực hiện tốt cam kết tu dưỡng, rèn luyện; gương mẫu ở khu dân cư.",
    "Hoàn thành nhiệm vụ được giao; còn hạn chế trong việc tham gia ý kiến tại sinh hoạt.",
]


def _score(level: str, index: int) -> Decimal:
    low, high = SCORES[Level(level)]
    return Decimal(low + (index * 7) % (high - low + 1))


def _points(frame: list[dict], score: Decimal) -> dict[str, int | float]:
    """Points per criterion of the frame (R4.2) that add up to `score`: each criterion its
    share of the score, the last one the rest."""
    points: dict[str, int | float] = {}
    rest = score
    for item in frame[:-1]:
        value = (score * item["max"] / 100).quantize(Decimal("0.1"))
        points[item["code"]] = int(value) if value == value.to_integral_value() else float(value)
        rest -= value
    last = frame[-1]["code"]
    points[last] = int(rest) if rest == rest.to_integral_value() else float(rest)
    return points


def _levels(count: int, seed: int) -> list[str]:
    """A believable spread for `count` members of one grassroots organization, HTXSNV kept at
    most 20% of HTTNV (R4.4)."""
    completed = max(1, round(count * 0.06)) if count >= 8 else 0
    not_completed = 1 if count >= 40 else 0
    others = completed + not_completed
    excellent = min(round(count * 0.15), (count - others) // 6)
    good = count - others - excellent
    levels = (
        [Level.EXCELLENT] * excellent
        + [Level.GOOD] * good
        + [Level.COMPLETED] * completed
        + [Level.NOT_COMPLETED] * not_completed
    )
    # Spread the levels over the cells: a fixed shuffle (no randomness in the demo).
    step = next(step for step in (7, 11, 13, 17, 19) if math.gcd(step, count) == 1)
    return [levels[(seed + index * step) % count] for index in range(count)] if count else []


def seed_demo(today: datetime.date) -> dict[str, int]:
    """Add the demo's reviews; returns how many rows of each kind were added."""
    year = today.year - 1
    if MemberReview.objects.filter(year=year).exists():
        return {}
    end = datetime.date(year, 12, 31)
    members = list(
        Member.objects.filter(status__in=ACTIVE_STATUSES, cell__kind__in=CELL_KINDS)
        .exclude(ceremony_date__gt=end)
        .select_related("cell")
        .order_by("cell__path", "name_sort_key", "id")
    )
    exempted = selectors.exempted_during([m.pk for m in members], year)
    members = [m for m in members if m.pk not in exempted]
    cells = {m.cell_id: m.cell for m in members}
    grassroots_of = {pk: selectors.grassroots_of(cell) for pk, cell in cells.items()}
    by_grassroots: dict[int, list[Member]] = defaultdict(list)
    for member in members:
        by_grassroots[grassroots_of[member.cell_id].pk].append(member)
    reviews = []
    self_on = datetime.date(year, 12, 5)
    proposed_on = datetime.date(year, 12, 15)
    decided_on = datetime.date(year, 12, 28)
    frame = rules.frame_rule(None, year).value
    for grassroots_pk, group in by_grassroots.items():
        for index, (member, level) in enumerate(
            zip(group, _levels(len(group), grassroots_pk), strict=True)
        ):
            score = _score(level, member.pk)
            excellent = level == Level.EXCELLENT
            on_time = level in {Level.EXCELLENT, Level.GOOD}
            reviews.append(
                MemberReview(
                    member=member,
                    year=year,
                    cell=member.cell,
                    grassroots=grassroots_of[member.cell_id],
                    self_score=score,
                    self_points=_points(frame, score),
                    self_level=level,
                    self_text=SELF_TEXTS[index % len(SELF_TEXTS)],
                    self_all_on_time=on_time,
                    self_exceeding=excellent,
                    self_submitted_on=self_on + datetime.timedelta(days=index % 4),
                    proposed_score=score,
                    proposed_points=_points(frame, score),
                    proposed_level=level,
                    proposed_all_on_time=on_time,
                    proposed_exceeding=excellent,
                    proposed_on=proposed_on,
                    decided_level=level,
                    decided_on=decided_on,
                )
            )
    created = MemberReview.objects.bulk_create(reviews)
    if not all(review.pk for review in created):  # backends that do not return keys
        created = list(MemberReview.objects.filter(year=year))
    decisions = [
        ReviewDecision(
            member_review=review,
            level=review.decided_level,
            decided_on=decided_on,
            decision_ref=f"{year % 100:02d}-QĐ/ĐU",
        )
        for review in created
    ]
    # One reprimand last year, on a member rated HTNV (their cell is then not HTXSNV).
    disciplined = next((r for r in created if r.decided_level == Level.COMPLETED), None)
    disciplines = []
    if disciplined is not None:
        disciplines.append(
            Discipline(
                member_id=disciplined.member_id,
                form="reprimand",
                decided_on=datetime.date(year, 6, 12),
                authority=DisciplineAuthority.CELL,
                decided_by=disciplined.cell.name,
                decision_ref=f"01-QĐ/CB ({year})",
                reason="Không thực hiện nhiệm vụ chi bộ phân công nhiều tháng liền.",
            )
        )
        Discipline.objects.bulk_create(disciplines)
    # Organizations: every cell with members and every grassroots organization above them.
    units = list(cells.values()) + list(
        {org.pk: org for org in grassroots_of.values() if org.pk not in cells}.values()
    )
    org_reviews = []
    for index, unit in enumerate(sorted(units, key=lambda org: org.path)):
        level = Level.EXCELLENT if index % 5 == 1 else Level.GOOD
        if index % 9 == 4:
            level = Level.COMPLETED
        # An excellent collective has no member disciplined (366 Điều 11).
        if (
            disciplined is not None
            and disciplined.cell.path.startswith(unit.path)
            and level == Level.EXCELLENT
        ):
            level = Level.GOOD
        score = _score(level, index)
        org_reviews.append(
            OrganizationReview(
                organization=unit,
                year=year,
                self_score=score,
                self_level=level,
                self_text="Lãnh đạo thực hiện hoàn thành các chỉ tiêu nghị quyết năm.",
                self_all_on_time=level != Level.COMPLETED,
                self_exceeding=level == Level.EXCELLENT,
                self_submitted_on=self_on,
                proposed_score=score,
                proposed_level=level,
                proposed_all_on_time=level != Level.COMPLETED,
                proposed_exceeding=level == Level.EXCELLENT,
                proposed_on=proposed_on,
                decided_level=level,
                decided_on=decided_on,
            )
        )
    org_created = OrganizationReview.objects.bulk_create(org_reviews)
    if not all(review.pk for review in org_created):
        org_created = list(OrganizationReview.objects.filter(year=year))
    decisions += [
        ReviewDecision(
            organization_review=review,
            level=review.decided_level,
            decided_on=decided_on,
            decision_ref=f"{year % 100:02d}-QĐ/ĐU",
        )
        for review in org_created
    ]
    ReviewDecision.objects.bulk_create(decisions)
    # This year: Khối 1's members are self-assessing (about half have submitted).
    current = []
    khoi1 = Organization.objects.filter(code=KHOI1_CODE).first()
    if khoi1 is not None and today.month >= 11:
        grassroots = selectors.grassroots_of(khoi1)
        roll = [m for m in members if m.cell_id == khoi1.pk]
        submitted_on = min(today, datetime.date(today.year, 11, 20))
        current_frame = rules.frame_rule(khoi1, today.year).value
        for index, member in enumerate(roll[::2]):
            level = Level.EXCELLENT if index == 0 else Level.GOOD
            score = _score(level, index)
            current.append(
                MemberReview(
                    member=member,
                    year=today.year,
                    cell=khoi1,
                    grassroots=grassroots,
                    self_score=score,
                    self_points=_points(current_frame, score),
                    self_level=level,
                    self_text=SELF_TEXTS[index % len(SELF_TEXTS)],
                    self_all_on_time=True,
                    self_exceeding=level == Level.EXCELLENT,
                    self_submitted_on=submitted_on,
                )
            )
        MemberReview.objects.bulk_create(current)
    return {
        "member_reviews": len(created) + len(current),
        "organization_reviews": len(org_created),
        "decisions": len(decisions),
        "disciplines": len(disciplines),
    }
