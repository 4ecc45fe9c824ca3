"""The demo's inspection plans (issue 11: "an inspection plan with records and open
recommendations"): the ward's and the commune's, two concluded ward inspections with
recommendations closed, open, overdue and reported, a supervision of meeting quality with the
signed meetings it attended, and Khối 1's open recommendation on bithu.khoi1's page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.demo.common import demo_password
from chibo.meetings.models import MeetingStatus
from chibo.supervision.models import (
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Recommendation,
    RecommendationStatus,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_plans_records_and_recommendations(demo_data):
    today = timezone.localdate()
    plans = InspectionPlan.objects.filter(year=today.year)
    assert {plan.committee.code for plan in plans} == {"38.168", "38.201"}
    ward = Inspection.objects.filter(committee__code="38.168")
    assert ward.filter(status=InspectionStatus.CONCLUDED).count() == 2
    statuses = {
        r.status for r in Recommendation.objects.filter(inspection__committee__code="38.168")
    }
    assert statuses == set(RecommendationStatus.values)
    assert Recommendation.objects.filter(
        status=RecommendationStatus.OPEN, due_on__lt=today, inspection__committee__code="38.168"
    ).exists()
    quality = ward.get(meeting_quality=True)
    meetings = list(quality.meetings_attended.all())
    assert meetings
    assert all(m.status == MeetingStatus.SIGNED for m in meetings)
    assert all(quality.starts_on <= m.date <= quality.ends_on for m in meetings)


def test_khoi1_secretary_sees_its_open_recommendation(demo_data):
    client = Client()
    assert client.login(username="bithu.khoi1", password=demo_password())
    page = client.get(reverse("supervision:recommendations"))
    assert page.status_code == 200
    addressed = page.context["addressed"]
    assert addressed
    assert {r.addressee.code for r in addressed} == {"38.168.000.000.001"}
    assert any(r.status == RecommendationStatus.OPEN for r in addressed)
    # The commune's secretary never sees the ward's plans.
    client = Client()
    assert client.login(username="bithu.xa", password=demo_password())
    ward = InspectionPlan.objects.filter(committee__code="38.168").first()
    url = reverse("supervision:inspection_plans", args=[ward.committee_id])
    assert client.get(url).status_code == 404
