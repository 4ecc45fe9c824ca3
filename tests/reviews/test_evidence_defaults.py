"""Issue 9, item 18: the cell's proposal starts from the evidence, not from the member's own
ticks (Quy định 366-QĐ/TW, Điều 11: HTTNV and HTXSNV need every task done on time)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from chibo.followup.models import Assignment, AssignmentStatus
from chibo.reviews.models import Level
from tests.reviews.test_reviews import DAY, NOW, YEAR, login, self_assess

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _assignment(world, member, *, title, done_day):
    assignment = Assignment.objects.create(
        organization=world.khoi1,
        title=title,
        due_date=datetime.date(2026, 6, 30),
        status=AssignmentStatus.DONE,
        updated_at=datetime.datetime(2026, 7, done_day, 9, 0, tzinfo=datetime.UTC)
        if done_day > 0
        else datetime.datetime(2026, 6, 20, 9, 0, tzinfo=datetime.UTC),
    )
    assignment.members.add(member)
    return assignment


def _proposal_form(client, world, member):
    page = login(client, world.an_user).get(
        reverse("reviews:member", args=[member.pk]), {"year": YEAR}
    )
    assert page.status_code == 200
    body = page.content.decode()
    form = body.split('id="proposal-form"', 1)[1].split("</form>", 1)[0]
    return form


def _checked(form: str, name: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', form)
    assert tag is not None, name
    return "checked" in tag.group(0)


def _selected_level(form: str) -> str:
    select = form.split('name="proposal-level"', 1)[1].split("</select>", 1)[0]
    chosen = re.search(r'<option value="([a-z_]+)" selected>', select)
    assert chosen is not None
    return chosen.group(1)


def test_proposal_does_not_pretick_all_on_time_when_the_evidence_shows_a_late_task(client, world):
    """Bình ticked "100% đúng hạn" herself and asked for HTTNV at 85 points, but one of her
    tasks was reported done after its deadline: the cell's proposal starts unticked, at HTNV
    (85 points without every task on time allow HTNV at best)."""
    _assignment(world, world.binh, title="Đúng hạn", done_day=0)
    _assignment(world, world.binh, title="Trễ hạn", done_day=5)
    self_assess(world.binh, score=85, level=Level.GOOD, on_time=True)
    form = _proposal_form(client, world, world.binh)
    assert not _checked(form, "proposal-all_on_time")
    assert _selected_level(form) == Level.COMPLETED
    assert "1 nhiệm vụ hoàn thành chậm" in form


def test_proposal_keeps_the_members_ticks_when_the_evidence_agrees(client, world):
    _assignment(world, world.binh, title="Đúng hạn", done_day=0)
    self_assess(world.binh, score=85, level=Level.GOOD, on_time=True)
    form = _proposal_form(client, world, world.binh)
    assert _checked(form, "proposal-all_on_time")
    assert _selected_level(form) == Level.GOOD


def test_self_assessment_starts_from_the_evidence(client, world):
    """Before any step, the member's own form ticks "all on time" only when the evidence shows
    every task of the year done on time."""
    _assignment(world, world.binh, title="Trễ hạn", done_day=5)
    page = login(client, world.binh_user).get(
        reverse("reviews:member", args=[world.binh.pk]), {"year": YEAR}
    )
    form = page.content.decode().split('id="self-form"', 1)[1].split("</form>", 1)[0]
    assert not _checked(form, "self-all_on_time")
    _assignment(world, world.an, title="Đúng hạn", done_day=0)
    page = login(client, world.an_user).get(
        reverse("reviews:member", args=[world.an.pk]), {"year": YEAR}
    )
    form = page.content.decode().split('id="self-form"', 1)[1].split("</form>", 1)[0]
    assert _checked(form, "self-all_on_time")


assert DAY.year == YEAR
