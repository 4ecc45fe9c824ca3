"""The demo's life-cycle data: candidates at every stage, dues that mostly are paid, badges
received on past occasions — so the pages a secretary opens first have something real on them."""

import datetime
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.test import TestCase

from chibo.demo.meetings import seeding as meeting_demo
from chibo.lifecycle import selectors
from chibo.lifecycle.models import Candidate
from chibo.members.badges import badge_rules
from chibo.members.models import (
    ACTIVE_STATUSES,
    BadgeAward,
    DuesAssessment,
    DuesBasis,
    DuesPayment,
    Member,
)
from chibo.orgs.models import Organization

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TODAY = NOW.date()


@time_machine.travel(NOW, tick=True)
class DemoLifecycleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=StringIO())
        cls.khoi1 = Organization.objects.get(code=meeting_demo.KHOI1_CODE)

    def test_every_member_on_a_roll_has_a_dues_basis_that_fits_the_occupation(self):
        on_roll = Member.objects.filter(status__in=ACTIVE_STATUSES)
        self.assertEqual(DuesAssessment.objects.filter(member__in=on_roll).count(), on_roll.count())
        pensioners = DuesAssessment.objects.filter(member__occupation="Hưu trí")
        self.assertEqual(set(pensioners.values_list("basis", flat=True)), {DuesBasis.PENSION})

    def test_most_members_paid_up_to_last_month_and_a_few_are_behind(self):
        october = datetime.date(2026, 10, 1)
        members = Member.objects.filter(
            status__in=ACTIVE_STATUSES, admission_decision_date__lt=datetime.date(2026, 1, 1)
        )
        paid = DuesPayment.objects.filter(member__in=members, month=october).count()
        share = paid / members.count()
        self.assertGreater(share, 0.9)
        self.assertLess(share, 1.0)

    def test_salary_dues_are_one_percent_of_the_insurable_salary(self):
        """R3.29: 1% of the insurable salary; 0.5% of the pension."""
        payment = DuesPayment.objects.filter(basis=DuesBasis.INSURABLE_SALARY).first()
        self.assertEqual(payment.amount_due * 100, payment.basis_amount)
        pension = DuesPayment.objects.filter(basis=DuesBasis.PENSION).first()
        self.assertEqual(pension.amount_due * 200, pension.basis_amount)

    def test_badges_were_received_on_an_award_occasion_after_the_milestone(self):
        rules = badge_rules(self.khoi1, on=TODAY)
        awards = list(BadgeAward.objects.select_related("member")[:200])
        self.assertTrue(awards)
        for award in awards:
            self.assertIn((award.awarded_on.day, award.awarded_on.month), rules.occasions)
            self.assertLess(award.awarded_on, TODAY)
            self.assertIn(award.milestone_years, rules.milestones)

    def test_candidates_stand_at_different_steps_and_one_ceremony_is_overdue(self):
        candidates = list(Candidate.objects.all())
        self.assertGreaterEqual(len(candidates), 10)
        next_steps = Counter(
            selectors.candidate_timeline(candidate, today=TODAY).next_step
            for candidate in candidates
        )
        self.assertGreaterEqual(len(next_steps), 4)
        overdue = [
            candidate
            for candidate in candidates
            if (deadline := selectors.candidate_timeline(candidate, today=TODAY).deadline)
            and deadline.overdue
        ]
        self.assertEqual(len(overdue), 1)
        self.assertTrue(Candidate.objects.filter(cell=self.khoi1).exists())

    def test_the_demo_can_be_reset_with_its_life_cycle_rows(self):
        call_command("seed_demo", "--reset", stdout=StringIO())
        self.assertTrue(Candidate.objects.exists())
