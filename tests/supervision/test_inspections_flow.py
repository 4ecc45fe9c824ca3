"""Inspection and supervision: a plan, an inspection recorded and concluded, recommendations
followed to closure (report → send back → report → close) with their steps and
notifications, the overdue flag, the reminders, the meetings a supervision of meeting quality
may list, and the discipline that follows an inspection."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from chibo.core.errors import ServiceError
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.notify.models import KindGroup, Notification, group_of
from chibo.reviews import services as review_services
from chibo.supervision import jobs_inspections, selectors_inspections
from chibo.supervision import services_inspections as services
from chibo.supervision.models import (
    InspectionStatus,
    RecommendationStatus,
    RecommendationStepKind,
)
from tests.conftest import PASSWORD, give_position, make_member, make_user
from tests.meetings.factories import make_meeting

YEAR = 2026


@pytest.fixture
def ward_keeper(world, django_user_model):
    """Hoa, secretary of the ward committee (a keeper of the inspecting committee)."""
    hoa = make_member(world.khoi2, "Đỗ Thị Hoa", sex="female", party_card_number="10000009")
    give_position(hoa, world.ward, "secretary")
    return make_user(django_user_model, "hoa", hoa)


def make_inspection(world, actor, **overrides):
    plan = services.inspection_plan_create(
        actor=actor,
        committee=world.ward,
        year=YEAR,
        title="Kế hoạch kiểm tra, giám sát năm 2026",
        number_symbol="05-KH/ĐU",
        approved_on=datetime.date(2026, 1, 10),
    )
    values = {
        "kind": "supervision",
        "content": "Chất lượng sinh hoạt chi bộ",
        "subject_organization": world.khoi1,
        "starts_on": datetime.date(2026, 3, 1),
        "ends_on": datetime.date(2026, 3, 31),
        "leader": world.cuc,
        "team": [world.dung],
    }
    values.update(overrides)
    return services.inspection_add(actor=actor, plan=plan, **values)


def concluded(world, actor, **overrides):
    inspection = make_inspection(world, actor, **overrides)
    services.inspection_start(actor=actor, inspection=inspection)
    services.inspection_conclude(
        actor=actor,
        inspection=inspection,
        findings="Chi bộ sinh hoạt đều đặn nhưng nội dung còn đơn điệu.",
        conclusions="Cần đổi mới nội dung sinh hoạt, tăng thảo luận.",
        concluded_on=datetime.date(2026, 3, 31),
    )
    return inspection


def test_recommendation_followed_to_closure(world, ward_keeper):
    inspection = concluded(world, ward_keeper)
    assert inspection.status == InspectionStatus.CONCLUDED
    recommendation = services.recommendation_add(
        actor=ward_keeper,
        inspection=inspection,
        text="Xây dựng chuyên đề sinh hoạt hằng quý.",
        due_on=datetime.date(2026, 5, 31),
    )
    # Addressed by default to the subject; Khối 1's secretary An is told.
    assert recommendation.addressee == world.khoi1
    assert Notification.objects.filter(
        recipient=world.an_user, code="inspection.recommendation"
    ).exists()

    services.recommendation_report(
        actor=world.an_user, recommendation=recommendation, note="Đã xây dựng chuyên đề quý 2."
    )
    assert recommendation.status == RecommendationStatus.REPORTED
    assert Notification.objects.filter(
        recipient=ward_keeper, code="inspection.recommendation_reported"
    ).exists()

    services.recommendation_send_back(
        actor=ward_keeper, recommendation=recommendation, note="Chưa có biên bản kèm theo."
    )
    assert recommendation.status == RecommendationStatus.OPEN
    assert Notification.objects.filter(
        recipient=world.an_user, code="inspection.recommendation_sent_back"
    ).exists()

    services.recommendation_report(
        actor=world.an_user, recommendation=recommendation, note="Đã gửi biên bản."
    )
    services.recommendation_close(
        actor=ward_keeper, recommendation=recommendation, note="", on=datetime.date(2026, 6, 2)
    )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.CLOSED
    assert recommendation.closed_on == datetime.date(2026, 6, 2)
    assert [step.kind for step in recommendation.steps.all()] == [
        RecommendationStepKind.REPORTED,
        RecommendationStepKind.SENT_BACK,
        RecommendationStepKind.REPORTED,
        RecommendationStepKind.CLOSED,
    ]
    assert Notification.objects.filter(
        recipient=world.an_user, code="inspection.recommendation_closed"
    ).exists()
    # Inspection notifications have a group (the OTHER group, by the "inspection" prefix).
    assert group_of("inspection.recommendation") == KindGroup.OTHER
    # A closed recommendation cannot be closed or reported again.
    with pytest.raises(ServiceError):
        services.recommendation_close(actor=ward_keeper, recommendation=recommendation, note="")
    with pytest.raises(ServiceError):
        services.recommendation_report(actor=world.an_user, recommendation=recommendation, note="x")


def test_conclusions_are_required_and_the_period_lies_in_the_year(world, ward_keeper):
    inspection = make_inspection(world, ward_keeper)
    services.inspection_start(actor=ward_keeper, inspection=inspection)
    with pytest.raises(ServiceError):
        services.inspection_conclude(
            actor=ward_keeper,
            inspection=inspection,
            findings="Có",
            conclusions="  ",
            concluded_on=datetime.date(2026, 3, 31),
        )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS
    with pytest.raises(ServiceError):
        make_inspection(
            world,
            ward_keeper,
            starts_on=datetime.date(2026, 12, 1),
            ends_on=datetime.date(2027, 1, 15),
        )
    # The subject lies under the committee: another commune's cell is refused.
    with pytest.raises(ServiceError):
        make_inspection(world, ward_keeper, subject_organization=world.other_cell)


def test_recommendation_goes_to_the_subjects_subtree_only(world, ward_keeper):
    inspection = concluded(world, ward_keeper)
    with pytest.raises(ServiceError):
        services.recommendation_add(
            actor=ward_keeper,
            inspection=inspection,
            addressee=world.khoi2,
            text="Không thuộc đối tượng.",
            due_on=datetime.date(2026, 5, 31),
        )
    assert not inspection.recommendations.exists()


def test_overdue_by_date_and_reminders(world, ward_keeper):
    inspection = concluded(world, ward_keeper)
    recommendation = services.recommendation_add(
        actor=ward_keeper,
        inspection=inspection,
        text="Kiện toàn sổ sách chi bộ.",
        due_on=datetime.date(2026, 5, 31),
    )
    assert not selectors_inspections.is_overdue(recommendation, datetime.date(2026, 5, 31))
    assert selectors_inspections.is_overdue(recommendation, datetime.date(2026, 6, 1))
    # 7 days before the deadline An is reminded, 8 days before not; once a day only.
    assert jobs_inspections.remind_recommendations(today=datetime.date(2026, 5, 23)) == 0
    assert jobs_inspections.remind_recommendations(today=datetime.date(2026, 5, 24)) == 1
    assert jobs_inspections.remind_recommendations(today=datetime.date(2026, 5, 24)) == 0
    # Overdue: the day after, then weekly.
    assert jobs_inspections.remind_recommendations(today=datetime.date(2026, 6, 1)) == 1
    assert jobs_inspections.remind_recommendations(today=datetime.date(2026, 6, 2)) == 0
    assert jobs_inspections.remind_recommendations(today=datetime.date(2026, 6, 8)) == 1
    assert (
        Notification.objects.filter(
            recipient=world.an_user, code="inspection.recommendation_overdue"
        ).count()
        == 2
    )
    # Reported done: no more overdue, no more reminders.
    services.recommendation_report(actor=world.an_user, recommendation=recommendation, note="Xong.")
    assert not selectors_inspections.is_overdue(recommendation, datetime.date(2026, 6, 15))
    assert jobs_inspections.remind_recommendations(today=datetime.date(2026, 6, 15)) == 0


def _held(cell, day):
    meeting = make_meeting(cell, date=day)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.SIGNED)
    meeting.refresh_from_db()
    return meeting


def test_meeting_quality_supervision_accepts_only_its_subtree_and_period(world, ward_keeper):
    inspection = make_inspection(
        world, ward_keeper, subject_organization=world.ward, meeting_quality=True
    )
    inside = _held(world.khoi1, datetime.date(2026, 3, 5))
    other_cell = _held(world.khoi2, datetime.date(2026, 3, 6))
    outside_period = _held(world.khoi1, datetime.date(2026, 4, 5))
    other_commune = _held(world.other_cell, datetime.date(2026, 3, 7))
    not_held = make_meeting(world.khoi2, date=datetime.date(2026, 3, 20), kind="extraordinary")

    services.inspection_set_meetings(
        actor=ward_keeper, inspection=inspection, meetings=[inside, other_cell]
    )
    assert set(inspection.meetings_attended.all()) == {inside, other_cell}
    for refused in (outside_period, other_commune, not_held):
        with pytest.raises(ServiceError):
            services.inspection_set_meetings(
                actor=ward_keeper, inspection=inspection, meetings=[inside, refused]
            )
        assert set(inspection.meetings_attended.all()) == {inside, other_cell}

    # Its page lists them with the number of cells attended.
    client = Client()
    client.login(username="hoa", password=PASSWORD)
    page = client.get(reverse("supervision:inspection", args=[inspection.pk]))
    assert page.status_code == 200
    assert page.context["cells_attended"] == 2
    assert "Chi bộ Khối 2" in page.content.decode()


def test_the_discipline_link_shows_on_the_inspection(world, ward_keeper, client):
    inspection = concluded(world, ward_keeper, subject_organization=None, subject_member=world.binh)
    review_services.discipline_record(
        actor=None,
        member=world.binh,
        form="reprimand",
        decided_on=datetime.date(2026, 4, 10),
        authority="cell",
        decision_ref="01-QĐ/CB",
        reason="Vi phạm quy định sinh hoạt.",
        inspection=inspection,
    )
    assert list(selectors_inspections.concerning_member(world.binh)) == [inspection]
    client.login(username="hoa", password=PASSWORD)
    page = client.get(reverse("supervision:inspection", args=[inspection.pk]))
    assert page.status_code == 200
    assert "Trần Thị Bình" in page.content.decode()
    assert [d.decision_ref for d in page.context["disciplines"]] == ["01-QĐ/CB"]


def test_the_discipline_form_offers_the_inspection_and_the_review_shows_it(world, ward_keeper):
    inspection = concluded(world, ward_keeper)  # of Khối 1, Bình's cell
    other = concluded(world, ward_keeper, subject_organization=world.khoi2)
    client = Client()
    client.login(username="an", password=PASSWORD)
    url = reverse("reviews:discipline_new", args=[world.binh.pk])
    page = client.get(url)
    offered = list(page.context["form"].fields["inspection"].queryset)
    assert offered == [inspection]
    assert other not in offered
    page = client.post(
        url,
        {
            "form": "reprimand",
            "authority": "cell",
            "decided_on": "2026-04-10",
            "decision_ref": "02-QĐ/CB",
            "reason": "Vi phạm quy định sinh hoạt.",
            "inspection": inspection.pk,
        },
    )
    assert page.status_code == 302
    assert [d.decision_ref for d in inspection.disciplines.all()] == ["02-QĐ/CB"]
    review = client.get(reverse("reviews:member", args=[world.binh.pk]) + "?year=2026")
    assert reverse("supervision:inspection", args=[inspection.pk]) in review.content.decode()
