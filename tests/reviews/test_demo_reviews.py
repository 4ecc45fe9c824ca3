"""The review demo rows: last year complete and within the quota, this year under way."""

from __future__ import annotations

import datetime
import tempfile
from collections import Counter
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.test import TestCase, override_settings

from chibo.demo import reviews as demo
from chibo.orgs.models import Organization
from chibo.reviews import selectors
from chibo.reviews.models import Level, MemberReview, OrganizationReview, ReviewDecision

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=VN)
TODAY = NOW.date()


@time_machine.travel(NOW, tick=True)
@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="chibo-demo-media-"))
class DemoReviewsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # seed_demo adds the reviews (chibo.demo.lifecycle); a second run adds nothing.
        call_command("seed_demo", stdout=StringIO())
        cls.counts = demo.seed_demo(TODAY)

    def test_last_year_is_complete_and_believable(self):
        last = MemberReview.objects.filter(year=2025)
        self.assertGreater(last.count(), 50)
        self.assertFalse(last.filter(decided_level="").exists())
        levels = Counter(last.values_list("decided_level", flat=True))
        self.assertGreater(levels[Level.GOOD], levels[Level.EXCELLENT])
        self.assertGreater(levels[Level.EXCELLENT], levels[Level.COMPLETED])
        self.assertGreaterEqual(levels[Level.COMPLETED], levels[Level.NOT_COMPLETED])
        self.assertEqual(
            ReviewDecision.objects.filter(member_review__year=2025).count(), last.count()
        )

    def test_every_grassroots_organization_keeps_the_20_percent_quota(self):
        for grassroots_id in set(
            MemberReview.objects.filter(year=2025).values_list("grassroots_id", flat=True)
        ):
            state = selectors.quota_state(Organization.objects.get(pk=grassroots_id), 2025)
            self.assertTrue(state.within, (grassroots_id, state.excellent, state.good))

    def test_khoi1_self_assessments_under_way_and_organizations_rated(self):
        khoi1 = Organization.objects.get(code=demo.KHOI1_CODE)
        current = MemberReview.objects.filter(year=2026, cell=khoi1)
        self.assertTrue(current.exists())
        self.assertFalse(current.exclude(proposed_level="").exists())
        self.assertTrue(
            OrganizationReview.objects.filter(organization=khoi1, year=2025)
            .exclude(decided_level="")
            .exists()
        )

    def test_seeding_twice_adds_nothing(self):
        before = MemberReview.objects.count()
        self.assertEqual(demo.seed_demo(TODAY), {})
        self.assertEqual(MemberReview.objects.count(), before)

    def test_demo_points_per_criterion_add_up_to_the_score(self):
        """R4.2: 20 + 20 + 20 + 40 points; each demo step's points sum to its score."""
        reviews = MemberReview.objects.exclude(self_level="")
        self.assertTrue(reviews.exists())
        for review in reviews:
            self.assertEqual(len(review.self_points), 4)
            self.assertEqual(
                sum(Decimal(str(p)) for p in review.self_points.values()), review.self_score
            )
            if review.proposed_level:
                total = sum(Decimal(str(p)) for p in review.proposed_points.values())
                self.assertEqual(total, review.proposed_score)
