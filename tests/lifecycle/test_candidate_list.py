"""The cell's list of candidates (R3.12): reviewed by the cell every month (rule
"admission.candidate_review_interval_months" = 1), and a candidate can be taken off the list
with a reason — the record stays, nothing more can be recorded on it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.lifecycle import selectors, services
from chibo.lifecycle.models import CandidateReview
from tests.conftest import PASSWORD
from tests.meetings.factories import make_meeting

VN = datetime.timezone(datetime.timedelta(hours=7))
D = datetime.date


def travel(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), VN), tick=False)


@pytest.fixture
def candidate(world):
    with travel(D(2026, 9, 1)):
        return services.candidate_create(
            actor=world.an_user,
            cell=world.khoi1,
            full_name="Võ Thị Hoa",
            sex="female",
            birth_date=D(1995, 5, 10),
            mentor=world.binh,
            awareness_certificate_date=D(2026, 8, 1),
        )


def warnings_on(candidate, day):
    with travel(day):
        candidate.refresh_from_db()
        return selectors.candidate_timeline(candidate, today=day).warnings


def test_a_candidate_not_reviewed_for_1_month_is_flagged_and_a_review_clears_it(world, candidate):
    """Listed 01/09/2026: on 30/09 the month is not over, on 01/10 a review is due."""
    assert not [w for w in warnings_on(candidate, D(2026, 9, 30)) if "xem xét" in w]
    due = [w for w in warnings_on(candidate, D(2026, 10, 1)) if "xem xét" in w]
    assert due and "chưa xem xét quần chúng này lần nào" in due[0] and "1 tháng" in due[0], due
    with travel(D(2026, 10, 3)):
        services.candidate_review_record(
            actor=world.an_user,
            candidate=candidate,
            reviewed_on=D(2026, 10, 3),
            note="Tích cực tham gia phong trào khu phố.",
        )
    assert not [w for w in warnings_on(candidate, D(2026, 11, 2)) if "xem xét" in w]
    assert [w for w in warnings_on(candidate, D(2026, 11, 3)) if "03/10/2026" in w]


def test_one_review_per_month_and_none_in_the_future(world, candidate):
    with travel(D(2026, 10, 20)):
        services.candidate_review_record(
            actor=world.an_user, candidate=candidate, reviewed_on=D(2026, 10, 3), note="Tốt."
        )
        with pytest.raises(ServiceError, match="03/10/2026"):
            services.candidate_review_record(
                actor=world.an_user, candidate=candidate, reviewed_on=D(2026, 10, 19), note="Lại."
            )
        with pytest.raises(ServiceError):
            services.candidate_review_record(
                actor=world.an_user, candidate=candidate, reviewed_on=D(2026, 11, 3), note="Sau."
            )
    assert CandidateReview.objects.filter(candidate=candidate).count() == 1


def test_a_review_at_a_meeting_takes_the_meetings_date(world, candidate, client):
    with travel(D(2026, 10, 5)):
        meeting = make_meeting(world.khoi1, date=D(2026, 10, 5))
        meeting.status = "signed"
        meeting.save(update_fields=["status"])
        other_cell_meeting = make_meeting(world.khoi2, date=D(2026, 10, 5))
        client.login(username="an", password=PASSWORD)
        url = reverse("lifecycle:candidate_review", args=[candidate.pk])
        refused = client.post(
            url, {"review-meeting": other_cell_meeting.pk, "review-note": "Khác chi bộ."}
        )
        assert refused.status_code == 400
        response = client.post(url, {"review-meeting": meeting.pk, "review-note": "Đạt."})
        assert response.status_code == 302
    review = CandidateReview.objects.get(candidate=candidate)
    assert (review.reviewed_on, review.meeting_id) == (D(2026, 10, 5), meeting.pk)
    assert AuditEntry.objects.filter(code="candidate.reviewed").count() == 1


def test_taking_a_candidate_off_the_list_keeps_the_record_and_stops_every_step(
    world, candidate, client
):
    with travel(D(2026, 10, 20)):
        client.login(username="an", password=PASSWORD)
        url = reverse("lifecycle:candidate_withdraw", args=[candidate.pk])
        assert client.post(url, {"withdraw-day": "2026-10-20"}).status_code == 400  # no reason
        response = client.post(
            url, {"withdraw-day": "2026-10-20", "withdraw-reason": "Chuyển đi nơi khác."}
        )
        assert response.status_code == 302
        candidate.refresh_from_db()
        assert candidate.withdrawn_on == D(2026, 10, 20)
        with pytest.raises(ServiceError, match="20/10/2026"):
            services.candidate_application_record(
                actor=world.an_user, candidate=candidate, day=D(2026, 10, 20)
            )
        page = client.get(reverse("lifecycle:candidate", args=[candidate.pk]))
        assert "Chuyển đi nơi khác." in page.content.decode()
        assert 'action="/lifecycle/candidate/' not in page.content.decode().split("reviews")[-1]
        listing = client.get(reverse("lifecycle:candidates", args=[world.khoi1.pk]))
        assert "Võ Thị Hoa" in listing.content.decode()


def test_another_cells_secretary_cannot_review_or_withdraw(
    world, candidate, client, django_user_model
):
    from tests.conftest import give_position, make_member, make_user

    other = make_member(world.khoi2, "Trịnh Văn Khoa")
    make_user(django_user_model, "khoa", other)
    give_position(other, world.khoi2, "secretary")
    client.login(username="khoa", password=PASSWORD)
    with travel(D(2026, 10, 20)):
        review = client.post(
            reverse("lifecycle:candidate_review", args=[candidate.pk]),
            {"review-reviewed_on": "2026-10-20", "review-note": "X"},
        )
        withdraw = client.post(
            reverse("lifecycle:candidate_withdraw", args=[candidate.pk]),
            {"withdraw-day": "2026-10-20", "withdraw-reason": "X"},
        )
    assert (review.status_code, withdraw.status_code) == (404, 404)
    candidate.refresh_from_db()
    assert candidate.withdrawn_on is None and not candidate.reviews.exists()
    client.login(username="binh", password=PASSWORD)
    with travel(D(2026, 10, 20)):
        plain = client.post(
            reverse("lifecycle:candidate_review", args=[candidate.pk]),
            {"review-reviewed_on": "2026-10-20", "review-note": "X"},
        )
    assert plain.status_code in (403, 404)
