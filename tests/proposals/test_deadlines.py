"""Deadlines per level in working days: the rule proposal.deadline_working_days (chibo's default
of 15 working days per level, DOMAIN §9a, unsure), counted with the Vietnamese calendar."""

import datetime

import pytest
import time_machine

from chibo.core import rules
from chibo.core.calendar import holidays
from chibo.orgs import services_rules
from chibo.proposals.services import level_deadline
from tests.proposals.helpers import raise_proposal


def test_the_rule_is_fifteen_working_days_unsure_and_chibos_default():
    rule = rules.rule_in_force(
        "proposal.deadline_working_days", organization=None, on=datetime.date(2026, 12, 1)
    )
    assert rule.value == 15
    assert rule.confidence == rules.UNSURE
    assert rule.basis == rules.CHIBO


def test_a_proposal_raised_just_before_tet_2027_is_due_after_the_holiday(world):
    # Tết Đinh Mùi falls on Saturday 6/2/2027; the days off around it are not counted.
    days_off = {day for day, _name in holidays(2027)}
    assert datetime.date(2027, 2, 8) in days_off  # a Monday of the Tết break
    with time_machine.travel(datetime.datetime(2027, 2, 3, 9, 0), tick=False):
        proposal = raise_proposal(world, raised_on=datetime.date(2027, 2, 3))
    # 15 working days from Wednesday 3/2/2027: without Tết it would be Wednesday 24/2.
    naive = datetime.date(2027, 2, 24)
    assert proposal.due_on > naive
    counted, day = 0, datetime.date(2027, 2, 3)
    while day < proposal.due_on:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in days_off:
            counted += 1
    assert counted == 15
    assert proposal.due_on.weekday() < 5 and proposal.due_on not in days_off


def test_a_committee_overrides_the_days_for_its_subtree(world):
    services_rules.rule_override_create(
        actor=world.admin_user,
        organization=world.ward,
        key="proposal.deadline_working_days",
        value=5,
        regulation="Quy chế làm việc của Đảng ủy phường Hưng Phú",
        clause="Điều 12",
        effective_from=datetime.date(2026, 1, 1),
        note="",
    )
    # Monday 2/11/2026 + 5 working days = Monday 9/11/2026.
    assert level_deadline(world.khoi1, datetime.date(2026, 11, 2)) == datetime.date(2026, 11, 9)
    assert level_deadline(world.other_cell, datetime.date(2026, 11, 2)) == datetime.date(
        2026, 11, 23
    )


@pytest.mark.parametrize("raised_on", [datetime.date(2026, 11, 2)])
def test_raised_on_a_monday_due_three_weeks_later(world, raised_on):
    proposal = raise_proposal(world, raised_on=raised_on)
    assert proposal.due_on == datetime.date(2026, 11, 23)
    assert proposal.steps.get().due_on == proposal.due_on
