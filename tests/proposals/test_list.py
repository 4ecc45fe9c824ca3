"""The lists: by status, age, level, cell type and topic; overdue flagged; a committee starts
at its own level; a bounded number of queries whatever the number of proposals."""

import datetime

import time_machine
from django.urls import reverse

from chibo.proposals import services
from chibo.proposals.models import ProposalTopic
from tests.proposals.helpers import raise_proposal

TODAY = datetime.datetime(2026, 12, 1, 9, 0)


def titles(response):
    return [p.title for p in response.context["proposals"]]


@time_machine.travel(TODAY, tick=False)
def test_filters_and_the_overdue_badge(client, world, levels):
    old = raise_proposal(world, title="Cũ ở chi bộ", raised_on=datetime.date(2026, 10, 1))
    fresh = raise_proposal(
        world,
        title="Mới, an ninh",
        topic=ProposalTopic.SECURITY,
        raised_on=datetime.date(2026, 11, 30),
    )
    up = raise_proposal(world, title="Đã lên phường", raised_on=datetime.date(2026, 11, 25))
    services.proposal_escalate(actor=world.an_user, proposal=up, reason="Cần phường giải quyết")
    services.proposal_answer(actor=world.an_user, proposal=fresh, answer="Đã trả lời")
    client.force_login(world.an_user)
    url = reverse("proposals:list")
    assert set(titles(client.get(url))) == {"Cũ ở chi bộ", "Mới, an ninh", "Đã lên phường"}
    assert titles(client.get(url + "?status=overdue")) == ["Cũ ở chi bộ"]
    assert titles(client.get(url + "?status=answered")) == ["Mới, an ninh"]
    assert titles(client.get(url + "?age=30")) == ["Cũ ở chi bộ"]
    assert titles(client.get(url + "?topic=security")) == ["Mới, an ninh"]
    assert titles(client.get(url + "?level=committee")) == ["Đã lên phường"]
    assert titles(client.get(url + "?level=cell&status=open")) == ["Cũ ở chi bộ"]
    assert titles(client.get(url + "?cell_type=village")) == []
    page = client.get(url).content.decode()
    assert page.count("data-overdue") == 1
    detail = client.get(reverse("proposals:detail", args=[old.pk])).content.decode()
    assert "data-overdue" in detail
    # The ward's secretary starts with what is at the ward.
    client.force_login(levels.ward_user)
    assert titles(client.get(url)) == ["Đã lên phường"]
    assert len(titles(client.get(url + "?level="))) == 3
    # The member who raised them sees their own; a member of Khối 2 nothing.
    client.force_login(world.binh_user)
    assert len(titles(client.get(url))) == 3
    client.force_login(levels.khoi2_user)
    assert titles(client.get(url + "?level=")) == []
    client.force_login(world.cuc_user)  # the ward's follower reads the ward's subtree
    assert len(titles(client.get(url + "?level="))) == 3


def test_the_list_costs_a_bounded_number_of_queries(
    client, world, levels, django_assert_max_num_queries
):
    for number in range(15):
        raise_proposal(world, title=f"Kiến nghị số {number}")
    client.force_login(levels.ward_user)
    client.get(reverse("proposals:list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("proposals:list") + "?level=")
    assert len(response.context["proposals"]) == 15
