"""Issue 9, item 6 (who may decide which sanction, R3.19) and item 5's appeal period
(discipline.appeal_days, R3.19): a discipline record names the level that decided it, a level
may only decide the forms the rule in force gives it, and the record shows the appeal deadline."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from chibo.core.errors import ServiceError
from chibo.core.rules import rule_in_force
from chibo.orgs import services_rules
from chibo.reviews import services
from chibo.reviews.models import Discipline
from tests.reviews.test_reviews import NOW, YEAR, login

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def record(member, *, form, authority, upper_task=False, day=DAY):
    return services.discipline_record(
        actor=None,
        member=member,
        form=form,
        decided_on=day,
        authority=authority,
        decided_by="",
        upper_task=upper_task,
        decision_ref="",
        reason="Vi phạm",
    )


def refusal(member, **kwargs) -> str:
    with pytest.raises(ServiceError) as refused:
        record(member, **kwargs)
    assert not Discipline.objects.filter(member=member).exists()
    return " ".join(refused.value.messages)


# -- who decides what (R3.19) ----------------------------------------------------------------


def test_the_central_rule_gives_the_cell_reprimand_and_warning_and_expulsion_to_upper_levels():
    rule = rule_in_force("discipline.authority", organization=None, on=DAY)
    assert rule.value["cell"] == ["reprimand", "warning"]
    assert rule.value["cell_committee"] == []
    assert "expulsion" not in rule.value["grassroots_committee"]
    assert "expulsion" in rule.value["upper_committee"]
    assert "296-QĐ/TW" in rule.regulation


def test_a_cell_cannot_record_an_expulsion_and_the_refusal_cites_the_rule(world):
    text = refusal(world.binh, form="expulsion", authority="cell")
    assert "Khai trừ" in text or "khai trừ" in text
    assert "296-QĐ/TW" in text and "chi bộ" in text.lower()
    assert record(world.binh, form="expulsion", authority="upper_committee").form == "expulsion"


def test_a_cell_may_reprimand_or_warn_its_members(world):
    assert record(world.binh, form="reprimand", authority="cell").authority == "cell"
    assert record(world.an, form="warning", authority="cell").authority == "cell"


def test_the_cell_committee_has_no_disciplinary_power(world):
    text = refusal(world.binh, form="reprimand", authority="cell_committee")
    assert "296-QĐ/TW" in text


def test_a_breach_of_a_task_given_by_an_upper_level_goes_to_that_level(world):
    text = refusal(world.binh, form="warning", authority="cell", upper_task=True)
    assert "296-QĐ/TW" in text
    assert record(world.binh, form="warning", authority="grassroots_committee", upper_task=True)


def test_a_province_that_gives_its_cells_removal_from_post_changes_what_is_refused(world):
    refusal(world.binh, form="dismissal_from_post", authority="cell")
    central = rule_in_force("discipline.authority", organization=None, on=DAY).value
    services_rules.rule_override_create(
        actor=None,
        organization=world.province,
        key="discipline.authority",
        value={**central, "cell": ["reprimand", "warning", "dismissal_from_post"]},
        regulation="Quy định 01-QĐ/TU (thử nghiệm)",
        clause="",
        effective_from=datetime.date(2026, 1, 1),
    )
    assert record(world.binh, form="dismissal_from_post", authority="cell").pk


def test_the_form_offers_the_levels_and_refuses_an_expulsion_by_the_cell(client, world):
    login(client, world.an_user)
    url = reverse("reviews:discipline_new", args=[world.binh.pk])
    page = client.get(url).content.decode()
    assert 'name="authority"' in page and 'name="decided_by"' in page
    data = {"form": "expulsion", "authority": "cell", "decided_on": "2026-12-01", "reason": "X"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "296-QĐ/TW" in response.content.decode()
    assert not Discipline.objects.exists()
    response = client.post(url, {**data, "form": "warning"})
    assert response.status_code == 302
    assert Discipline.objects.get().authority == "cell"


# -- the appeal period (discipline.appeal_days, R3.19) -----------------------------------------


def _member_page(client, world) -> str:
    login(client, world.an_user)
    page = client.get(reverse("reviews:member", args=[world.binh.pk]), {"year": YEAR})
    assert page.status_code == 200
    return page.content.decode()


def test_a_discipline_shows_the_30_day_appeal_deadline(client, world):
    """Decided on 01/12/2026: appeal within 30 days, until 31/12/2026 (today is 20/12)."""
    assert rule_in_force("discipline.appeal_days", organization=None, on=DAY).value == 30
    record(world.binh, form="warning", authority="cell")
    body = _member_page(client, world)
    assert "Khiếu nại trong 30 ngày, đến ngày 31/12/2026" in body


def test_after_the_appeal_period_the_decision_is_final(client, world):
    record(world.binh, form="warning", authority="cell", day=datetime.date(2026, 11, 1))
    body = _member_page(client, world)
    assert "Hết hạn khiếu nại ngày 01/12/2026" in body


def test_a_shorter_appeal_period_set_by_the_province_moves_the_deadline(client, world):
    services_rules.rule_override_create(
        actor=None,
        organization=world.province,
        key="discipline.appeal_days",
        value=10,
        regulation="Quy định 01-QĐ/TU (thử nghiệm)",
        clause="",
        effective_from=datetime.date(2026, 1, 1),
    )
    record(world.binh, form="warning", authority="cell")
    body = _member_page(client, world)
    assert "Hết hạn khiếu nại ngày 11/12/2026" in body


def test_an_appeal_within_30_days_is_recorded_and_one_after_is_refused(world):
    """Decided on 01/11/2026: the appeal period ends on 01/12/2026 (30 days)."""
    discipline = record(
        world.binh, form="warning", authority="cell", day=datetime.date(2026, 11, 1)
    )
    with pytest.raises(ServiceError) as refused:
        services.discipline_appeal_record(
            actor=None, discipline=discipline, lodged_on=datetime.date(2026, 12, 2)
        )
    text = " ".join(refused.value.messages)
    assert "01/12/2026" in text and "30" in text and "296-QĐ/TW" in text
    discipline.refresh_from_db()
    assert discipline.appeal_lodged_on is None
    services.discipline_appeal_record(
        actor=None, discipline=discipline, lodged_on=datetime.date(2026, 12, 1)
    )
    discipline.refresh_from_db()
    assert discipline.appeal_lodged_on == datetime.date(2026, 12, 1)


def test_the_secretary_records_an_appeal_from_the_member_page(client, world):
    discipline = record(world.binh, form="warning", authority="cell")
    body = _member_page(client, world)
    assert f'action="{reverse("reviews:discipline_appeal", args=[discipline.pk])}"' in body
    url = reverse("reviews:discipline_appeal", args=[discipline.pk])
    field = f"appeal-{discipline.pk}-lodged_on"
    response = client.post(url, {field: "2026-12-10", "year": YEAR})
    assert response.status_code == 302
    discipline.refresh_from_db()
    assert discipline.appeal_lodged_on == datetime.date(2026, 12, 10)
    assert "Đã khiếu nại ngày 10/12/2026" in _member_page(client, world)
    assert client.get(url).status_code == 405
    client.force_login(world.dung_user)  # another cell's member: not found
    assert client.post(url, {field: "2026-12-10"}).status_code == 404
