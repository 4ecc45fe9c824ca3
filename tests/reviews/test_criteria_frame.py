"""The 100-point criteria frame of a member's annual review (Quy định 366-QĐ/TW; DOMAIN R4.2,
R4.6): points per criterion, the score is their sum."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from chibo.core import rules as core_rules
from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry, RuleOverride
from chibo.orgs import services_rules
from chibo.reviews import services
from chibo.reviews.models import Level, MemberReview

NOW = datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC)
YEAR = 2026
DAY = datetime.date(2026, 12, 15)
KEY = "review.member_criteria_frame"
POINTS = {
    "political_thinking": Decimal("17.5"),
    "ethics_lifestyle": Decimal(18),
    "organisation_discipline": Decimal(16),
    "task_results": Decimal(33),
}
# A province's own split: 10 + 30 + 20 + 40 = 100.
PROVINCE_FRAME = [
    {"code": "political_thinking", "label": "Tư tưởng chính trị", "max": 10},
    {"code": "ethics_lifestyle", "label": "Đạo đức, lối sống", "max": 30},
    {"code": "organisation_discipline", "label": "Tổ chức kỷ luật", "max": 20},
    {"code": "task_results", "label": "Kết quả nhiệm vụ", "max": 40},
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def self_assess(member, points, *, level=Level.GOOD):
    return services.member_review_self_assess(
        actor=None,
        member=member,
        year=YEAR,
        points=points,
        level=level,
        text="",
        all_on_time=True,
        exceeding=False,
        submitted_on=DAY,
    )


def propose(member, points, *, level=Level.GOOD):
    return services.member_review_propose(
        actor=None,
        member=member,
        year=YEAR,
        points=points,
        level=level,
        note="",
        all_on_time=True,
        exceeding=False,
        proposed_on=DAY,
    )


def province_override(world, value):
    return services_rules.rule_override_create(
        actor=None,
        organization=world.province,
        key=KEY,
        value=value,
        regulation="Hướng dẫn 05-HD/TU (01/11/2025)",
        clause="",
        effective_from=datetime.date(2025, 11, 1),
    )


def refusal(call) -> str:
    with pytest.raises(ServiceError) as refused:
        call()
    return " ".join(refused.value.messages)


def test_the_frame_in_force_is_20_20_20_40_out_of_100():
    """R4.2, R4.6: 20 + 20 + 20 + 40 = 100 points, Quy định 366-QĐ/TW, a default to override."""
    rule = core_rules.rule_in_force(KEY, organization=None, on=datetime.date(YEAR, 12, 31))
    assert [(item["code"], item["max"]) for item in rule.value] == [
        ("political_thinking", 20),
        ("ethics_lifestyle", 20),
        ("organisation_discipline", 20),
        ("task_results", 40),
    ]
    assert rule.value[0]["label"] == "Tư tưởng chính trị"
    assert sum(item["max"] for item in rule.value) == 100
    assert rule.regulation.startswith("Quy định 366-QĐ/TW")
    assert rule.effective_from == datetime.date(2025, 8, 30)
    assert rule.confidence == core_rules.UNSURE
    with translation.override("vi"):
        assert "21-HD/BTCTW" in str(rule.note)
        assert "100" in rule.formatted_value and "Tư tưởng chính trị 20" in rule.formatted_value


def test_the_score_is_the_sum_of_the_points(world):
    """17.5 + 18 + 16 + 33 = 84.5 points, for the self-assessment and the proposal."""
    review = self_assess(world.binh, POINTS)
    assert review.self_score == Decimal("84.5")
    assert review.self_points == {
        "political_thinking": 17.5,
        "ethics_lifestyle": 18,
        "organisation_discipline": 16,
        "task_results": 33,
    }
    review = propose(world.binh, {**POINTS, "task_results": Decimal("38.5")})
    review.refresh_from_db()
    assert review.proposed_score == Decimal(90) and review.self_score == Decimal("84.5")
    assert review.proposed_points["task_results"] == 38.5
    entry = AuditEntry.objects.filter(code="member_review.proposed").get()
    assert entry.changes["proposed_points"][1]["task_results"] == 38.5


def test_the_level_checks_apply_to_the_sum(world):
    """15 + 15 + 15 + 20 = 65 points: HTTNV (70 points) is refused, HTNV accepted."""
    points = dict.fromkeys(POINTS, Decimal(15)) | {"task_results": Decimal(20)}
    text = refusal(lambda: propose(world.binh, points, level=Level.GOOD))
    assert "65" in text and "HTTNV" in text
    assert propose(world.binh, points, level=Level.COMPLETED).proposed_score == 65


def test_21_points_on_a_20_point_criterion_is_refused(world):
    points = {**POINTS, "political_thinking": Decimal(21)}
    with translation.override("en"):
        text = refusal(lambda: self_assess(world.binh, points))
    assert "Tư tưởng chính trị" in text and "21" in text and "at most 20 points" in text
    with translation.override("vi"):
        text = refusal(lambda: self_assess(world.binh, points))
    assert "Tư tưởng chính trị" in text and "tối đa 20 điểm" in text
    assert not MemberReview.objects.exclude(self_level="").exists()


def test_a_missing_or_unknown_criterion_is_refused(world):
    missing = {code: value for code, value in POINTS.items() if code != "task_results"}
    with translation.override("en"):
        text = refusal(lambda: self_assess(world.binh, missing))
        assert "Kết quả thực hiện nhiệm vụ được giao" in text and "40" in text
        text = refusal(lambda: self_assess(world.binh, {**POINTS, "leadership": Decimal(5)}))
        assert "leadership" in text
        text = refusal(lambda: self_assess(world.binh, {**POINTS, "task_results": "-1"}))
        assert "Kết quả thực hiện" in text
        text = refusal(
            lambda: self_assess(world.binh, {**POINTS, "task_results": Decimal("33.25")})
        )
        assert "one decimal" in text
    assert not MemberReview.objects.exclude(self_level="").exists()


def test_a_province_override_with_another_split_changes_the_form_and_the_total(client, world):
    """10 + 30 + 20 + 40: 25 points on ethics is accepted, 11 on political thinking refused."""
    province_override(world, PROVINCE_FRAME)
    client.force_login(world.binh_user)
    url = reverse("reviews:member", args=[world.binh.pk])
    page = client.get(url, {"year": YEAR}).content.decode()
    assert "Đạo đức, lối sống (tối đa 30 điểm)" in page
    assert "Tư tưởng chính trị (tối đa 10 điểm)" in page
    data = {
        "year": YEAR,
        "self-points_political_thinking": "11",
        "self-points_ethics_lifestyle": "25",
        "self-points_organisation_discipline": "18",
        "self-points_task_results": "30",
        "self-level": Level.GOOD,
        "self-all_on_time": "on",
        "self-submitted_on": "2026-12-15",
    }
    post = reverse("reviews:member_self", args=[world.binh.pk])
    refused = client.post(post, data)
    assert refused.status_code == 400
    assert "Không chấp nhận 11 điểm" in refused.content.decode()
    assert "tối đa 10 điểm" in refused.content.decode()
    assert not MemberReview.objects.exclude(self_level="").exists()
    data["self-points_political_thinking"] = "9.5"
    assert client.post(post, data).status_code == 302
    review = MemberReview.objects.get(member=world.binh, year=YEAR)
    assert review.self_score == Decimal("82.5")
    assert review.self_points["ethics_lifestyle"] == 25


def test_an_override_that_does_not_add_up_to_100_is_refused(world):
    """10 + 30 + 20 + 30 = 90 points: refused, with the total; nothing recorded."""
    bad = [*PROVINCE_FRAME[:3], {**PROVINCE_FRAME[3], "max": 30}]
    with translation.override("en"):
        text = refusal(lambda: province_override(world, bad))
    assert "100" in text and "90" in text
    twice = [*PROVINCE_FRAME[:3], {**PROVINCE_FRAME[3], "code": "ethics_lifestyle"}]
    refusal(lambda: province_override(world, twice))
    assert not RuleOverride.objects.exists()


def test_the_pages_show_the_total_and_the_points_per_criterion(client, world):
    self_assess(world.binh, POINTS)
    propose(world.binh, {**POINTS, "task_results": Decimal("34")})
    client.force_login(world.an_user)
    member_page = client.get(
        reverse("reviews:member", args=[world.binh.pk]), {"year": YEAR}
    ).content.decode()
    cell_page = client.get(
        reverse("reviews:cell", args=[world.khoi1.pk]), {"year": YEAR}
    ).content.decode()
    for page in (member_page, cell_page):
        assert "84.5" in page or "84,5" in page  # the self-assessment's total
        assert "85.5" in page or "85,5" in page  # the proposal's total
        assert "Tư tưởng chính trị" in page
        assert "17,5" in page or "17.5" in page
        assert "/40" in page


def test_an_older_review_with_a_score_only_keeps_its_total(client, world):
    MemberReview.objects.create(
        member=world.binh,
        year=YEAR,
        cell=world.khoi1,
        grassroots=world.ward,
        self_score=Decimal(77),
        self_level=Level.GOOD,
        self_submitted_on=DAY,
    )
    client.force_login(world.an_user)
    page = client.get(reverse("reviews:member", args=[world.binh.pk]), {"year": YEAR})
    assert page.status_code == 200
    assert "<strong>77</strong>" in page.content.decode()
    cell = client.get(reverse("reviews:cell", args=[world.khoi1.pk]), {"year": YEAR})
    assert "<strong>77</strong>" in cell.content.decode()
