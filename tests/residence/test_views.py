"""Pages and access of the residence feature: the workplace cell manages the link, the residence
cell (and committees above) writes comments, other cells get 404, anonymous users log in."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.residence import services
from chibo.residence.models import Participation, ResidenceFeedback, ResidenceLink

from .test_services import FEEDBACK, link


@pytest.fixture
def linked(world, res):
    return link(world, res)


def test_secretary_links_a_member_after_searching_the_residence_cell(world, res, client):
    client.force_login(res.hoa_user)
    url = reverse("residence:link_new", args=[res.giang.pk])
    page = client.get(url, {"q": "khoi 1"}).content.decode()
    assert "Chi bộ Khối 1" in page
    assert "Chi bộ Cơ quan UBND phường" not in page.split("<fieldset")[1]  # only residential
    response = client.post(
        url + "?q=khoi+1",
        {
            "residence_cell": world.khoi1.pk,
            "address": "Số 12, tổ 3",
            "start_date": "2026-01-15",
            "special_category": "",
        },
    )
    created = ResidenceLink.objects.get(member=res.giang)
    assert response.status_code == 302
    assert response.url == reverse("residence:link", args=[created.pk])


def test_member_panel_shows_the_link_and_the_comment_state(world, res, client, linked):
    client.force_login(res.hoa_user)
    page = client.get(reverse("residence:member_panel", args=[res.giang.pk])).content.decode()
    assert "Chi bộ Khối 1" in page and "Số 12, tổ 3, khối 1" in page
    detail = client.get(reverse("members:detail", args=[res.giang.pk])).content.decode()
    assert reverse("residence:member_panel", args=[res.giang.pk]) in detail


def test_residence_cell_lists_members_working_elsewhere(world, res, client, linked):
    client.force_login(world.an_user)
    page = client.get(reverse("residence:residence_cell", args=[world.khoi1.pk])).content.decode()
    assert "Vũ Văn Giang" in page and "Chi bộ Cơ quan UBND phường" in page


def test_residence_cell_sees_only_name_address_cell_and_comment(world, res, client, linked):
    client.force_login(world.an_user)
    page = client.get(reverse("residence:link", args=[linked.pk])).content.decode()
    assert "Vũ Văn Giang" in page
    assert "10000012" not in page  # no party card number, no record
    assert client.get(reverse("members:detail", args=[res.giang.pk])).status_code == 404
    assert client.get(reverse("residence:member_panel", args=[res.giang.pk])).status_code == 404
    assert client.get(reverse("residence:link_end", args=[linked.pk])).status_code == 403


def test_residence_secretary_writes_and_sends_the_comment(world, res, client, linked):
    client.force_login(world.an_user)
    data = {**FEEDBACK, "written_on": "2026-11-05", "send": "1"}
    response = client.post(reverse("residence:feedback_new", args=[linked.pk]) + "?year=2026", data)
    assert response.status_code == 302
    fb = ResidenceFeedback.objects.get()
    assert fb.is_sent and fb.year == 2026
    # The workplace cell sees it in its overview.
    client.force_login(res.hoa_user)
    page = client.get(
        reverse("residence:workplace", args=[res.agency.pk]), {"year": 2026}
    ).content.decode()
    assert "Vũ Văn Giang" in page and "Hồ Văn Khánh" in page
    link_page = client.get(reverse("residence:link", args=[linked.pk])).content.decode()
    assert FEEDBACK["text"] in link_page


def test_workplace_cannot_write_comments_and_residence_cannot_request(world, res, client, linked):
    client.force_login(res.hoa_user)
    url = reverse("residence:feedback_new", args=[linked.pk])
    assert client.post(url, {**FEEDBACK, "written_on": "2026-11-05"}).status_code == 403
    client.force_login(world.an_user)
    assert (
        client.post(reverse("residence:request_new", args=[linked.pk]), {"year": 2026}).status_code
        == 403
    )
    assert not ResidenceFeedback.objects.exists()


def test_drafts_stay_with_the_residence_cell(world, res, client, linked):
    services.feedback_create(actor=world.an_user, link=linked, year=2026, **FEEDBACK)
    client.force_login(res.hoa_user)
    page = client.get(reverse("residence:link", args=[linked.pk])).content.decode()
    assert FEEDBACK["text"] not in page


def test_another_cells_secretary_gets_404_and_nothing_changes(world, res, client, linked):
    client.force_login(res.dung_user)  # secretary of Khối 2
    for url in (
        reverse("residence:link", args=[linked.pk]),
        reverse("residence:member_panel", args=[res.giang.pk]),
        reverse("residence:residence_cell", args=[world.khoi1.pk]),
        reverse("residence:workplace", args=[res.agency.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("residence:participation_new", args=[linked.pk]),
        {"date": "2026-10-01", "activity": "x", "attended": "True"},
    )
    assert response.status_code == 404
    assert client.post(reverse("residence:link_end", args=[linked.pk]), {}).status_code == 404
    assert not Participation.objects.exists()
    linked.refresh_from_db()
    assert linked.end_date is None


def test_plain_member_reads_own_link_but_cannot_change_it(world, res, client, linked):
    client.force_login(res.giang_user)
    assert client.get(reverse("residence:link", args=[linked.pk])).status_code == 200
    assert client.get(reverse("residence:link_end", args=[linked.pk])).status_code == 403
    assert client.get(reverse("residence:workplace", args=[res.agency.pk])).status_code == 404
    client.force_login(world.binh_user)  # plain member of the residence cell
    assert client.get(reverse("residence:link", args=[linked.pk])).status_code == 404


def test_upper_committee_member_reads_both_sides(world, res, client, linked):
    client.force_login(world.cuc_user)
    assert client.get(reverse("residence:link", args=[linked.pk])).status_code == 200
    assert client.get(reverse("residence:residence_cell", args=[world.khoi1.pk])).status_code == 200


def test_anonymous_is_sent_to_login(client, res, linked):
    response = client.get(reverse("residence:link", args=[linked.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_participation_and_end_link_through_pages(world, res, client, linked):
    client.force_login(world.an_user)
    client.post(
        reverse("residence:participation_new", args=[linked.pk]),
        {"date": "2026-10-01", "activity": "Sinh hoạt tháng 10", "attended": "True"},
    )
    page = client.get(reverse("residence:link", args=[linked.pk])).content.decode()
    assert 'id="residence-participation-count"' in page and "Sinh hoạt tháng 10" in page
    client.force_login(res.hoa_user)
    response = client.post(
        reverse("residence:link_end", args=[linked.pk]),
        {"end_date": "2026-11-01", "reason": "Chuyển chỗ ở"},
    )
    assert response.status_code == 302
    linked.refresh_from_db()
    assert linked.end_date == datetime.date(2026, 11, 1)


def test_handbook_shows_my_residence_cell_and_this_years_comment(world, res, client, linked):
    client.force_login(res.giang_user)
    page = client.get(reverse("accounts:handbook")).content.decode()
    assert 'id="handbook-residence"' in page and "Chi bộ Khối 1" in page
    assert 'data-state="missing"' in page
    services.feedback_create(actor=world.an_user, link=linked, year=2026, send=True, **FEEDBACK)
    page = client.get(reverse("accounts:handbook")).content.decode()
    assert 'data-state="received"' in page


def test_cell_pages_link_to_the_residence_pages(world, res, client):
    client.force_login(world.cuc_user)
    residential = client.get(reverse("orgs:detail", args=[world.khoi1.pk])).content.decode()
    assert reverse("residence:residence_cell", args=[world.khoi1.pk]) in residential
    workplace = client.get(reverse("orgs:detail", args=[res.agency.pk])).content.decode()
    assert reverse("residence:workplace", args=[res.agency.pk]) in workplace


def _link_page_queries(client, link_pk) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("residence:link", args=[link_pk]))
    assert response.status_code == 200
    return len(queries)


def test_link_page_query_count_does_not_grow_with_the_comments(world, res, client, linked):
    """The 2025 comment, sent then corrected, then the 2026 one: still the same queries."""
    client.force_login(world.an_user)
    data = {**FEEDBACK, "written_on": datetime.date(2025, 12, 20)}
    first = services.feedback_create(actor=world.an_user, link=linked, year=2025, send=True, **data)
    few = _link_page_queries(client, linked.pk)
    correction = services.feedback_correct(
        actor=world.an_user, original=first, reason="Ghi nhầm", **data
    )
    services.feedback_send(actor=world.an_user, feedback=correction)
    services.feedback_create(actor=world.an_user, link=linked, year=2026, send=True, **FEEDBACK)
    assert _link_page_queries(client, linked.pk) == few
