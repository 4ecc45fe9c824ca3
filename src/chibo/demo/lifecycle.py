"""Demo data of the member life-cycle: candidates in the admission pipeline, dues, badges and
the other life-cycle records, seeded after the members and their meetings (chibo.demo.province)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from chibo.demo import members as member_demo
from chibo.demo import residence as residence_demo
from chibo.demo import reviews as review_demo
from chibo.demo import statuses as demo_status
from chibo.demo import transfers as demo_transfers
from chibo.lifecycle.models import Candidate, CandidateReview, Introducer, Transfer
from chibo.members.models import Member, MemberStatus, Sex
from chibo.orgs.models import Organization
from chibo.reviews.models import Discipline, MemberReview, OrganizationReview, ReviewDecision

SEED = 19300203

# Candidates for admission: (name, sex, age in years, how far the file has gone).
CANDIDATES = (
    ("Nguyễn Thị Thu Trang", Sex.FEMALE, 27, "listed"),
    ("Trần Minh Khôi", Sex.MALE, 31, "application"),
    ("Phạm Thị Ngọc Ánh", Sex.FEMALE, 24, "verified"),
    ("Lê Văn Hậu", Sex.MALE, 35, "opinions"),
    ("Võ Thị Kim Ngân", Sex.FEMALE, 29, "decision"),
    ("Đặng Quốc Bảo", Sex.MALE, 22, "listed"),
    ("Huỳnh Thị Mỹ Duyên", Sex.FEMALE, 26, "verified"),
    ("Bùi Thanh Tùng", Sex.MALE, 38, "decision_late"),
    ("Đỗ Thị Hồng Nhung", Sex.FEMALE, 33, "application"),
    ("Hồ Văn Thắng", Sex.MALE, 41, "opinions"),
    ("Ngô Thị Bích Phượng", Sex.FEMALE, 30, "listed"),
    ("Dương Minh Trí", Sex.MALE, 25, "verified"),
)
STAGES = ("listed", "application", "verified", "opinions", "decision", "decision_late")


@dataclass
class LifecycleSeed:
    candidates: int = 0
    dues_payments: int = 0
    badges: int = 0
    transfers: int = 0
    residence_links: int = 0
    member_reviews: int = 0


def _cells(root: Organization) -> list[Organization]:
    """The demo cells that take candidates: residential groups and villages first."""
    cells = list(
        Organization.objects.filter(path__startswith=root.path, kind="cell").order_by("path")
    )
    preferred = [cell for cell in cells if cell.name.startswith(("Chi bộ Khối", "Chi bộ Thôn"))]
    return preferred or cells


def seed_candidates(root: Organization, *, actor: Any, today: datetime.date) -> int:
    rng = random.Random(SEED)
    cells = _cells(root)
    if not cells:
        return 0
    created = 0
    for index, (name, sex, age, stage) in enumerate(CANDIDATES):
        cell = cells[index % min(len(cells), 6)]
        officials = list(
            Member.objects.filter(cell=cell, status=MemberStatus.OFFICIAL)
            .exclude(official_date__isnull=True)
            .order_by("pk")[:8]
        )
        if len(officials) < 3:
            continue
        level = STAGES.index(stage)
        listed = today - datetime.timedelta(days=60 + 45 * level + rng.randint(0, 40))
        values: dict[str, Any] = {
            "cell": cell,
            "full_name": name,
            "sex": sex,
            "birth_date": datetime.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
            "mentor": officials[0],
            "awareness_certificate_date": listed - datetime.timedelta(days=rng.randint(20, 90)),
            "created_by": actor,
        }
        day = listed
        if level >= 1:
            values["application_date"] = day = day + datetime.timedelta(days=20)
            values["personal_history_date"] = day = day + datetime.timedelta(days=12)
        if level >= 2:
            values["verification_date"] = day = day + datetime.timedelta(days=35)
        if level >= 3:
            values["mass_organisation_opinion_date"] = day + datetime.timedelta(days=6)
            values["residence_opinion_date"] = day = day + datetime.timedelta(days=9)
        if level >= 4:
            eligible = Member.objects.filter(cell=cell, status=MemberStatus.OFFICIAL).count()
            values["resolution_date"] = day = day + datetime.timedelta(days=10)
            values["resolution_in_favour"] = eligible - rng.randint(0, 3)
            values["resolution_eligible"] = eligible
            late = stage == "decision_late"
            decision = today - datetime.timedelta(days=60 if late else 12)
            values["decision_date"] = max(decision, day)
            values["decision_number"] = f"{rng.randint(120, 480)}-QĐ/ĐU"
        candidate = Candidate.objects.create(**values)
        if level >= 2:
            for introducer in officials[1:3]:
                Introducer.objects.create(
                    candidate=candidate,
                    member=introducer,
                    known_since=datetime.date(today.year - 3, 3, 1),
                    introduced_on=values["verification_date"],
                )
        created += 1
    return created


def seed(*, actor: Any, root: Organization, today: datetime.date) -> LifecycleSeed:
    result = LifecycleSeed()
    result.candidates = seed_candidates(root, actor=actor, today=today)
    result.dues_payments = member_demo.seed_dues(root, actor=actor, today=today)
    result.badges = member_demo.seed_badges(root, actor=actor, today=today)
    demo_status.seed_demo(today)
    result.transfers = demo_transfers.seed_demo(today, actor=actor)
    result.residence_links = residence_demo.seed_demo(today)
    result.member_reviews = review_demo.seed_demo(today).get("member_reviews", 0)
    return result


def delete(root: Organization) -> None:
    """Delete the life-cycle rows that protect the demo's members and cells."""
    residence_demo.delete(root)
    in_tree = {"member__cell__path__startswith": root.path}
    decisions = ReviewDecision.objects.filter(
        Q(member_review__cell__path__startswith=root.path)
        | Q(organization_review__organization__path__startswith=root.path)
    )
    decisions.update(superseded_by=None)
    decisions.delete()
    MemberReview.objects.filter(cell__path__startswith=root.path).delete()
    MemberReview.objects.filter(**in_tree).delete()
    OrganizationReview.objects.filter(organization__path__startswith=root.path).delete()
    Discipline.objects.filter(**in_tree).delete()
    Transfer.objects.filter(
        Q(from_cell__path__startswith=root.path)
        | Q(to_cell__path__startswith=root.path)
        | Q(member__cell__path__startswith=root.path)
    ).delete()
    CandidateReview.objects.filter(candidate__cell__path__startswith=root.path).delete()
    candidates = Candidate.objects.filter(cell__path__startswith=root.path)
    Introducer.objects.filter(candidate__in=candidates).delete()
    candidates.delete()
