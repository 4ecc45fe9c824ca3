"""Annual review and classification (Quy định 366-QĐ/TW; DOMAIN R4.1–R4.7, R3.17, R3.18)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.followup.models import Assignment, AssignmentStatus
from chibo.members import services as member_services
from chibo.members.models import Member
from chibo.reviews import selectors, services
from chibo.reviews.models import (
    Discipline,
    Level,
    MemberReview,
    OrganizationReview,
    ReviewDecision,
)
from tests.conftest import give_position, make_member, make_user
from tests.meetings.factories import add_members

NOW = datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC)
YEAR = 2026
DAY = datetime.date(2026, 12, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def staff(world, django_user_model):
    """Giang: organization staff of the ward (the grassroots committee above Khối 1)."""
    giang = make_member(world.khoi2, "Võ Văn Giang", party_card_number="10000009")
    give_position(giang, world.ward, "organization_staff")
    return make_user(django_user_model, "giang", giang)


def login(client, user):
    client.force_login(user)
    return client


# The central frame of R4.2/R4.6: 20 + 20 + 20 + 40 = 100 points.
CODES = ("political_thinking", "ethics_lifestyle", "organisation_discipline", "task_results")


def points_for(score) -> dict[str, Decimal]:
    """Points per criterion of the central frame adding up to `score`: a fifth of it on each
    of the three 20-point criteria, the rest on the 40-point one."""
    score = Decimal(score)
    fifth = (score / 5).quantize(Decimal("0.1"))
    return {**dict.fromkeys(CODES[:3], fifth), CODES[3]: score - 3 * fifth}


def form_points(prefix: str, score) -> dict[str, str]:
    return {f"{prefix}-points_{code}": str(value) for code, value in points_for(score).items()}


def self_assess(member, *, score=85, level=Level.GOOD, on_time=True, exceeding=False, actor=None):
    return services.member_review_self_assess(
        actor=actor,
        member=member,
        year=YEAR,
        points=points_for(score),
        level=level,
        text="Hoàn thành cam kết tu dưỡng, rèn luyện",
        all_on_time=on_time,
        exceeding=exceeding,
        submitted_on=DAY,
    )


def propose(member, *, score=85, level=Level.GOOD, on_time=True, exceeding=False, note=""):
    return services.member_review_propose(
        actor=None,
        member=member,
        year=YEAR,
        points=points_for(score),
        level=level,
        note=note,
        all_on_time=on_time,
        exceeding=exceeding,
        proposed_on=DAY,
    )


def decide(review, level, note=""):
    return services.member_review_decide(
        actor=None, review=review, level=level, decided_on=DAY, decision_ref="15-QĐ/ĐU", note=note
    )


# -- levels and the rule's bands (R4.3) ------------------------------------------------------


def test_65_points_proposed_as_httnv_is_refused_citing_the_rule(world):
    with pytest.raises(ServiceError) as refused:
        propose(world.binh, score=65, level=Level.GOOD)
    text = " ".join(refused.value.messages)
    assert "HTTNV" in text and "65" in text and "HTNV" in text
    assert "366-QĐ/TW" in text
    assert not MemberReview.objects.filter(proposed_level=Level.GOOD).exists()


def test_92_points_is_htxsnv_only_with_all_on_time_and_30_percent_exceeding(world):
    with pytest.raises(ServiceError) as refused:
        propose(world.binh, score=92, level=Level.EXCELLENT, on_time=True, exceeding=False)
    assert "30%" in " ".join(refused.value.messages)
    review = propose(world.binh, score=92, level=Level.EXCELLENT, on_time=True, exceeding=True)
    assert review.proposed_level == Level.EXCELLENT


def test_90_is_the_lowest_excellent_score_and_89_5_is_good(world):
    propose(world.binh, score=90, level=Level.EXCELLENT, exceeding=True)
    with pytest.raises(ServiceError):
        propose(world.an, score=Decimal("89.5"), level=Level.EXCELLENT, exceeding=True)
    assert propose(world.an, score=Decimal("89.5"), level=Level.GOOD).proposed_level == Level.GOOD


def test_a_level_below_the_points_needs_a_reason(world):
    with pytest.raises(ServiceError):
        propose(world.binh, score=80, level=Level.NOT_COMPLETED)
    review = propose(
        world.binh,
        score=80,
        level=Level.NOT_COMPLETED,
        note="Vi phạm điều đảng viên không được làm",
    )
    assert review.proposed_level == Level.NOT_COMPLETED


# -- the three steps, frozen after the decision (R4.5) -----------------------------------------


def test_three_steps_then_frozen_and_a_correction_supersedes(world):
    self_assess(world.binh)
    review = propose(world.binh, score=86)
    first = decide(review, Level.GOOD)
    review.refresh_from_db()
    assert review.decided_level == Level.GOOD and review.decided_on == DAY
    with pytest.raises(ServiceError):
        self_assess(world.binh)
    with pytest.raises(ServiceError):
        propose(world.binh, score=60, level=Level.COMPLETED)
    with pytest.raises(ServiceError):  # a correction needs its reason
        decide(review, Level.COMPLETED)
    second = decide(review, Level.COMPLETED, note="Sửa theo kết luận kiểm tra")
    first.refresh_from_db()
    assert first.superseded_by == second
    assert ReviewDecision.objects.filter(member_review=review).count() == 2
    review.refresh_from_db()
    assert review.decided_level == Level.COMPLETED
    codes = set(AuditEntry.objects.values_list("code", flat=True))
    assert {
        "member_review.self_assessed",
        "member_review.proposed",
        "member_review.decided",
        "member_review.corrected",
    } <= codes


def test_the_committee_decides_on_a_proposal_only(world):
    review = self_assess(world.binh)
    with pytest.raises(ServiceError):
        decide(review, Level.GOOD)


def test_exempted_member_is_not_rated(world):
    member_services.member_change_status(
        actor=None,
        member=world.binh,
        status="exempted",
        effective_date=datetime.date(2026, 3, 1),
        reason="Tuổi cao, sức yếu",
    )
    assert world.binh.pk in selectors.exempted_during([world.binh.pk, world.an.pk], YEAR)
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        self_assess(world.binh)
    assert "exempted" in " ".join(refused.value.messages)
    page = selectors.cell_review_page(world.khoi1, YEAR, today=DAY)
    assert {row.member.pk: row.exempted for row in page.rows}[world.binh.pk] is True


def test_a_member_admitted_this_year_is_rated(world):
    late = make_member(
        world.khoi1,
        "Đỗ Văn Mới",
        official=False,
        admission_decision_date=datetime.date(2026, 9, 1),
        ceremony_date=datetime.date(2026, 9, 20),
    )
    page = selectors.cell_review_page(world.khoi1, YEAR, today=DAY)
    assert late.pk in {row.member.pk for row in page.rows if not row.exempted}


# -- the quota (R4.4) --------------------------------------------------------------------------


def _decided(cell, count, level, prefix):
    members = add_members(cell, count, prefix=prefix)
    grassroots = selectors.grassroots_of(cell)
    MemberReview.objects.bulk_create(
        MemberReview(
            member=member,
            year=YEAR,
            cell=cell,
            grassroots=grassroots,
            proposed_score=Decimal(95 if level == Level.EXCELLENT else 80),
            proposed_level=level,
            proposed_all_on_time=True,
            proposed_exceeding=level == Level.EXCELLENT,
            proposed_on=DAY,
            decided_level=level,
            decided_on=DAY,
        )
        for member in members
    )


def test_21_percent_htxsnv_of_httnv_is_refused_at_a_20_percent_quota(world):
    """100 HTTNV and 20 HTXSNV decided: the 21st HTXSNV (21%) is refused, with the numbers."""
    _decided(world.khoi1, 100, Level.GOOD, "Tốt")
    _decided(world.khoi2, 20, Level.EXCELLENT, "Xuất sắc")
    review = propose(world.binh, score=95, level=Level.EXCELLENT, exceeding=True)
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        decide(review, Level.EXCELLENT)
    text = " ".join(refused.value.messages)
    assert "21% HTXSNV of HTTNV is refused at a 20% quota" in text
    with translation.override("vi"), pytest.raises(ServiceError) as refused_vi:
        decide(review, Level.EXCELLENT)
    assert "Tỷ lệ HTXSNV bằng 21% số HTTNV vượt mức 20%" in " ".join(refused_vi.value.messages)
    assert "21" in text and "100" in text
    review.refresh_from_db()
    assert review.decided_level == ""
    # One more HTTNV (101) still allows only 20; at 105 HTTNV, 21 HTXSNV is exactly 20%.
    _decided(world.khoi1, 5, Level.GOOD, "Tốt thêm")
    decide(review, Level.EXCELLENT)
    state = selectors.quota_state(selectors.grassroots_of(world.khoi1), YEAR)
    assert (state.excellent, state.good, state.within) == (21, 105, True)


def test_20_percent_htxsnv_of_httnv_is_accepted(world):
    _decided(world.khoi1, 100, Level.GOOD, "Tốt")
    _decided(world.khoi2, 19, Level.EXCELLENT, "Xuất sắc")
    review = propose(world.binh, score=95, level=Level.EXCELLENT, exceeding=True)
    decide(review, Level.EXCELLENT)
    assert selectors.quota_state(selectors.grassroots_of(world.khoi1), YEAR).excellent == 20


def test_bulk_decision_checks_the_quota_on_the_whole_batch(world):
    """4 HTTNV and 1 HTXSNV proposed is 25%: the batch is refused, nothing decided; with 5
    HTTNV (20%) it passes."""
    members = add_members(world.khoi1, 5, prefix="Đề xuất")
    for member in members[:4]:
        propose(member, score=80, level=Level.GOOD)
    propose(members[4], score=95, level=Level.EXCELLENT, exceeding=True)
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        services.member_reviews_decide_proposed(
            actor=None, grassroots=world.ward, year=YEAR, decided_on=DAY
        )
    assert "25% HTXSNV of HTTNV is refused at a 20% quota" in " ".join(refused.value.messages)
    assert not MemberReview.objects.exclude(decided_level="").exists()
    propose(world.binh, score=80, level=Level.GOOD)
    count = services.member_reviews_decide_proposed(
        actor=None, grassroots=world.ward, year=YEAR, decided_on=DAY
    )
    assert count == 6


def test_committee_page_shows_the_live_quota(client, world, staff):
    _decided(world.khoi1, 10, Level.GOOD, "Tốt")
    _decided(world.khoi2, 3, Level.EXCELLENT, "Xuất sắc")
    response = login(client, staff).get(
        reverse("reviews:committee", args=[world.ward.pk]), {"year": YEAR}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="quota"' in body and "alert-danger" in body and "30%" in body


def test_committee_page_lists_the_cells_and_one_cells_proposals_at_a_time(
    client, world, staff, django_assert_max_num_queries
):
    _decided(world.khoi2, 3, Level.GOOD, "Tốt")
    review = propose(world.binh, score=80, level=Level.GOOD)
    url = reverse("reviews:committee", args=[world.ward.pk])
    login(client, staff)
    with django_assert_max_num_queries(20):
        overview = client.get(url, {"year": YEAR}).content.decode()
    assert "Chi bộ Khối 1" in overview and "Chi bộ Khối 2" in overview
    assert f'id="review-{review.pk}"' not in overview  # the rows wait for a chosen cell
    one_cell = client.get(url, {"year": YEAR, "cell": world.khoi1.pk}).content.decode()
    assert f'id="review-{review.pk}"' in one_cell
    assert "Khối 2" not in one_cell.split('id="reviews"')[1]


# -- discipline (R3.18) and organizations ------------------------------------------------------


def test_an_exempted_probationary_member_is_still_only_reprimanded_or_warned(world):
    """Charter Art. 35 by the membership class, not the activity status (R2.4): exemption
    does not make a probationary member official."""
    probationary = add_members(world.khoi1, 1, official=False, prefix="Dự bị")[0]
    Member.objects.filter(pk=probationary.pk).update(status="exempted")
    with pytest.raises(ServiceError, match="Điều 35"):
        services.discipline_record(
            actor=None,
            member=probationary,
            form="expulsion",
            decided_on=DAY,
            authority="upper_committee",
            decided_by="Ban Thường vụ Đảng ủy phường",
            decision_ref="02-QĐ/ĐU",
            reason="Vi phạm",
        )


def test_a_probationary_member_can_only_be_reprimanded_or_warned(world):
    probationary = add_members(world.khoi1, 1, official=False, prefix="Dự bị")[0]
    with pytest.raises(ServiceError):
        services.discipline_record(
            actor=None,
            member=probationary,
            form="expulsion",
            decided_on=DAY,
            authority="cell",
            decided_by="Chi bộ Khối 1",
            decision_ref="",
            reason="Vi phạm",
        )
    services.discipline_record(
        actor=None,
        member=probationary,
        form="warning",
        decided_on=DAY,
        authority="cell",
        decided_by="Chi bộ Khối 1",
        decision_ref="01-QĐ/CB",
        reason="Vi phạm",
    )
    assert Discipline.objects.filter(member=probationary).count() == 1


def test_a_cell_with_a_member_disciplined_cannot_be_rated_htxsnv(world):
    services.discipline_record(
        actor=None,
        member=world.binh,
        form="reprimand",
        decided_on=DAY,
        authority="cell",
        decided_by="Chi bộ Khối 1",
        decision_ref="",
        reason="Vi phạm",
    )
    with pytest.raises(ServiceError):
        services.organization_review_propose(
            actor=None,
            organization=world.khoi1,
            year=YEAR,
            score=95,
            level=Level.EXCELLENT,
            note="",
            all_on_time=True,
            exceeding=True,
            proposed_on=DAY,
        )
    review = services.organization_review_propose(
        actor=None,
        organization=world.khoi1,
        year=YEAR,
        score=85,
        level=Level.GOOD,
        note="",
        all_on_time=True,
        exceeding=False,
        proposed_on=DAY,
    )
    services.organization_review_decide(actor=None, review=review, level=Level.GOOD, decided_on=DAY)
    assert OrganizationReview.objects.get(organization=world.khoi1).decided_level == Level.GOOD


# -- pages and access --------------------------------------------------------------------------


def test_member_self_assesses_from_the_handbook_link(client, world):
    login(client, world.binh_user)
    page = client.get(reverse("reviews:member", args=[world.binh.pk]), {"year": YEAR})
    assert page.status_code == 200 and 'id="self-form"' in page.content.decode()
    assert 'id="proposal-form"' not in page.content.decode()
    response = client.post(
        reverse("reviews:member_self", args=[world.binh.pk]),
        {
            "year": YEAR,
            **form_points("self", 82),
            "self-level": Level.GOOD,
            "self-text": "Hoàn thành tốt",
            "self-all_on_time": "on",
            "self-submitted_on": "2026-12-15",
        },
    )
    assert response.status_code == 302
    review = MemberReview.objects.get(member=world.binh, year=YEAR)
    assert review.self_level == Level.GOOD and review.self_by == world.binh_user


def test_bad_self_assessment_is_shown_and_changes_nothing(client, world):
    login(client, world.binh_user)
    response = client.post(
        reverse("reviews:member_self", args=[world.binh.pk]),
        {
            "year": YEAR,
            **form_points("self", 60),
            "self-level": Level.GOOD,
            "self-submitted_on": "2026-12-15",
        },
    )
    assert response.status_code == 400
    assert "HTTNV" in response.content.decode()
    assert not MemberReview.objects.exclude(self_level="").exists()


def test_member_cannot_propose_nor_touch_another_members_review(client, world):
    login(client, world.binh_user)
    data = {
        "year": YEAR,
        **form_points("proposal", 85),
        "proposal-level": Level.GOOD,
        "proposal-all_on_time": "on",
        "proposal-proposed_on": "2026-12-15",
    }
    assert (
        client.post(reverse("reviews:member_propose", args=[world.binh.pk]), data).status_code
        == 403
    )
    assert client.get(reverse("reviews:member", args=[world.an.pk])).status_code == 404
    assert client.get(reverse("reviews:cell", args=[world.khoi1.pk])).status_code == 404
    assert not MemberReview.objects.exists()


def test_another_cell_gets_404_and_nothing_changes(client, world):
    login(client, world.dung_user)
    assert client.get(reverse("reviews:cell", args=[world.khoi1.pk])).status_code == 404
    assert client.get(reverse("reviews:member", args=[world.binh.pk])).status_code == 404
    response = client.post(
        reverse("reviews:member_self", args=[world.binh.pk]),
        {
            "year": YEAR,
            **form_points("self", 85),
            "self-level": Level.GOOD,
            "self-submitted_on": "2026-12-15",
        },
    )
    assert response.status_code == 404
    assert client.get(reverse("reviews:committee", args=[world.ward.pk])).status_code == 404
    assert not MemberReview.objects.exists()


def test_secretary_proposes_but_does_not_decide(client, world):
    login(client, world.an_user)
    response = client.post(
        reverse("reviews:member_propose", args=[world.binh.pk]),
        {
            "year": YEAR,
            **form_points("proposal", 85),
            "proposal-level": Level.GOOD,
            "proposal-all_on_time": "on",
            "proposal-proposed_on": "2026-12-15",
        },
    )
    assert response.status_code == 302
    review = MemberReview.objects.get(member=world.binh)
    response = client.post(
        reverse("reviews:decide", args=[review.pk]),
        {"decision-level": Level.GOOD, "decision-decided_on": "2026-12-15"},
    )
    assert response.status_code == 404  # the ward is outside the secretary's scope
    review.refresh_from_db()
    assert review.decided_level == ""


def test_upper_level_observer_reads_but_cannot_propose(client, world):
    login(client, world.cuc_user)
    assert client.get(reverse("reviews:cell", args=[world.khoi1.pk])).status_code == 200
    response = client.post(
        reverse("reviews:member_propose", args=[world.binh.pk]),
        {"year": YEAR, **form_points("proposal", 85), "proposal-level": Level.GOOD},
    )
    assert response.status_code == 403
    assert client.get(reverse("reviews:member_propose", args=[world.binh.pk])).status_code == 405


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("reviews:cell", args=[world.khoi1.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_decides_from_the_committee_page(client, world, staff):
    review = propose(world.binh, score=85)
    login(client, staff)
    response = client.post(
        reverse("reviews:decide", args=[review.pk]),
        {"decision-level": Level.GOOD, "decision-decided_on": "2026-12-15"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decided_level == Level.GOOD


def _cell_page_queries(client, user, cell) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reviews:cell", args=[cell.pk]), {"year": YEAR})
    assert response.status_code == 200
    return len(queries)


def test_cell_review_page_query_count_does_not_grow_with_the_cell(client, world):
    login(client, world.an_user)
    propose(world.binh, score=85)

    def reprimand(member):
        services.discipline_record(
            actor=None,
            member=member,
            form="reprimand",
            decided_on=DAY,
            authority="cell",
            decided_by="Chi bộ",
            decision_ref="",
            reason="Vi phạm",
        )

    # One decision already, so that the appeal rule of that day is read in both counts.
    reprimand(world.binh)
    small = _cell_page_queries(client, world.an_user, world.khoi1)
    for member in add_members(world.khoi1, 12, prefix="Thêm"):
        propose(member, score=75)
        reprimand(member)
    large = _cell_page_queries(client, world.an_user, world.khoi1)
    assert large == small
    # 20, and one for the appeal period of the year's disciplinary decisions (R3.19).
    assert large <= 21


def test_statistics_page_and_exports(client, world, staff):
    _decided(world.khoi1, 8, Level.GOOD, "Tốt")
    _decided(world.khoi1, 1, Level.EXCELLENT, "Xuất sắc")
    login(client, world.cuc_user)
    url = reverse("reviews:statistics", args=[world.ward.pk])
    page = client.get(url, {"year": YEAR})
    assert page.status_code == 200
    assert "HTTNV" in page.content.decode()
    xlsx = client.get(url, {"year": YEAR, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(url, {"year": YEAR, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    stats = selectors.year_statistics(world.ward, YEAR)
    assert stats.members_by_level[Level.GOOD] == 8 and stats.rated == 9
    login(client, world.dung_user)
    assert client.get(url, {"year": YEAR}).status_code == 404


def test_statistics_exports_are_attachments_kept_out_of_shared_caches(client, world, staff):
    login(client, world.cuc_user)
    url = reverse("reviews:statistics", args=[world.ward.pk])
    for export in ("xlsx", "pdf"):
        response = client.get(url, {"year": YEAR, "format": export})
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "no-store"


def test_an_assignment_reported_done_early_the_morning_after_its_deadline_is_late(world):
    """Reported done at 06:00 in Hà Nội on 16/12 (23:00 UTC on 15/12) for a 15/12 deadline: late;
    the day before: on time."""
    hanoi = datetime.timezone(datetime.timedelta(hours=7))
    for day, title in ((16, "Trễ"), (15, "Đúng hạn")):
        assignment = Assignment.objects.create(
            organization=world.khoi1,
            title=title,
            due_date=DAY,
            status=AssignmentStatus.DONE,
            updated_at=datetime.datetime(2026, 12, day, 6, 0, tzinfo=hanoi),
        )
        assignment.members.add(world.binh)
    record = selectors.evidence_for([world.binh], YEAR, today=NOW.date())[world.binh.pk]
    assert (record.assignments.done_on_time, record.assignments.done_late) == (1, 1)


def test_organization_review_steps_through_the_pages(client, world, staff):
    """The cell's secretary self-assesses the cell; the ward's staff propose and decide."""
    url = reverse("reviews:organization_step", args=[world.khoi1.pk, "self"])
    data = {
        "year": YEAR,
        "self-score": "86",
        "self-level": Level.GOOD,
        "self-all_on_time": "on",
        "self-submitted_on": "2026-12-10",
    }
    assert login(client, world.an_user).post(url, data).status_code == 302
    upper = reverse("reviews:organization_step", args=[world.khoi1.pk, "propose"])
    proposal = {
        "year": YEAR,
        "proposal-score": "86",
        "proposal-level": Level.GOOD,
        "proposal-all_on_time": "on",
        "proposal-proposed_on": "2026-12-15",
    }
    assert client.post(upper, proposal).status_code == 403  # not the level above
    login(client, staff)
    assert client.post(upper, proposal).status_code == 302
    decide_url = reverse("reviews:organization_step", args=[world.khoi1.pk, "decide"])
    response = client.post(
        decide_url,
        {"year": YEAR, "decision-level": Level.GOOD, "decision-decided_on": "2026-12-20"},
    )
    assert response.status_code == 302
    assert OrganizationReview.objects.get(organization=world.khoi1).decided_level == Level.GOOD
    page = client.get(reverse("reviews:organizations", args=[world.ward.pk]), {"year": YEAR})
    assert page.status_code == 200 and "HTTNV" in page.content.decode()
    detail = client.get(reverse("reviews:organization", args=[world.khoi1.pk]), {"year": YEAR})
    assert detail.status_code == 200
    assert (
        client.post(reverse("reviews:organization_step", args=[world.khoi1.pk, "x"])).status_code
        == 404
    )


def test_member_page_shows_evidence_and_the_decision_form_to_staff(client, world, staff):
    propose(world.binh, score=85)
    services.discipline_record(
        actor=None,
        member=world.binh,
        form="reprimand",
        decided_on=DAY,
        authority="cell",
        decided_by="Chi bộ Khối 1",
        decision_ref="02-QĐ/CB",
        reason="Vi phạm",
    )
    response = login(client, staff).get(
        reverse("reviews:member", args=[world.binh.pk]), {"year": YEAR}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="decision-form"' in body and "02-QĐ/CB" in body
    assert (
        client.get(reverse("reviews:member", args=[world.binh.pk]), {"year": "abc"}).status_code
        == 404
    )


def test_secretary_records_discipline_through_the_form(client, world):
    login(client, world.an_user)
    url = reverse("reviews:discipline_new", args=[world.binh.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "form": "warning",
            "decided_on": "2026-12-01",
            "authority": "cell",
            "decided_by": "Chi bộ Khối 1",
            "reason": "Vi phạm quy định sinh hoạt",
        },
    )
    assert response.status_code == 302
    assert Discipline.objects.get(member=world.binh).form == "warning"
    login(client, world.binh_user)  # a plain member does not see the cell's records
    assert client.get(url).status_code == 404
