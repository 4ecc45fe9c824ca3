"""The supervision landing page ("Giám sát"): each person sees their own part — only the links
that can hold something for them — and a card per committee they read, with what asks for
attention."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from chibo.supervision.services_briefings import briefing_plan
from tests.conftest import give_position, make_member, make_user

pytestmark = pytest.mark.django_db


def _hub(client, user):
    client.force_login(user)
    page = client.get(reverse("supervision:hub"))
    assert page.status_code == 200
    return page, page.content.decode()


def test_a_plain_member_gets_the_calendar_and_the_examples_only(client, world):
    page, html = _hub(client, world.binh_user)
    assert reverse("supervision:calendar") in html
    assert reverse("supervision:model_meeting_examples") in html
    for name in ("my_briefings", "model_meeting_invitations", "recommendations"):
        assert reverse(f"supervision:{name}") not in html
    assert page.context["cards"] == []


def test_a_committee_reader_gets_its_card_and_a_secretary_their_briefings(
    client, world, django_user_model
):
    hoa = make_member(world.khoi2, "Đinh Thị Hoa", sex="female")
    give_position(hoa, world.ward, "secretary")
    keeper = make_user(django_user_model, "hoa.ward", hoa)
    page, html = _hub(client, keeper)
    (card,) = page.context["cards"]
    assert card.committee == world.ward and card.keeps
    for name in ("coverage", "assignments", "model_meetings", "briefings", "quality"):
        assert reverse(f"supervision:{name}", args=[world.ward.pk]) in html
    # Khối 1's secretary keeps a unit (recommendations reach it) but reads no committee.
    page, html = _hub(client, world.an_user)
    assert page.context["cards"] == []
    assert reverse("supervision:recommendations") in html
    assert reverse("supervision:my_briefings") not in html
    briefing_plan(
        actor=keeper,
        committee=world.ward,
        period="monthly",
        date=datetime.date.today() + datetime.timedelta(days=7),
        time=datetime.time(8, 0),
        place="Hội trường phường",
        topic="Giao ban tháng",
    )
    page, html = _hub(client, world.an_user)
    assert reverse("supervision:my_briefings") in html
    assert page.context["mine"].upcoming_briefings == 1


def test_the_hub_takes_a_bounded_number_of_queries(
    client, world, django_user_model, django_assert_max_num_queries
):
    hoa = make_member(world.khoi2, "Đinh Thị Hoa", sex="female")
    give_position(hoa, world.ward, "secretary")
    client.force_login(make_user(django_user_model, "hoa.ward", hoa))
    with django_assert_max_num_queries(30):
        assert client.get(reverse("supervision:hub")).status_code == 200
