"""Who sees and changes inspection records: the committee's readers see its subtree's plans
(another commune never does), a cell sees only the inspections of itself or its members and
the recommendations addressed to it (another cell's: 404), only the inspecting committee's
keepers change plans and records and close recommendations (403 for readers), only the
addressee's keepers report."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from chibo.supervision import services_inspections as services
from chibo.supervision.models import InspectionPlan, InspectionStatus, RecommendationStatus
from tests.conftest import PASSWORD, give_position, make_member, make_user
from tests.supervision.test_inspections_flow import concluded


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def setup(world, django_user_model):
    hoa = make_member(world.khoi2, "Đỗ Thị Hoa", sex="female", party_card_number="10000009")
    give_position(hoa, world.ward, "secretary")
    hoa_user = make_user(django_user_model, "hoa", hoa)
    tam = make_member(world.other_cell, "Hoàng Văn Tâm", party_card_number="10000010")
    give_position(tam, world.other_ward, "secretary")
    make_user(django_user_model, "tam", tam)
    khoi1 = concluded(world, hoa_user)
    khoi2 = concluded(world, hoa_user, subject_organization=world.khoi2)
    to_khoi1 = services.recommendation_add(
        actor=hoa_user,
        inspection=khoi1,
        text="Đổi mới nội dung sinh hoạt Khối 1.",
        due_on=datetime.date(2026, 5, 31),
    )
    to_khoi2 = services.recommendation_add(
        actor=hoa_user,
        inspection=khoi2,
        text="Kiện toàn sổ sách Khối 2.",
        due_on=datetime.date(2026, 5, 31),
    )
    return {"khoi1": khoi1, "khoi2": khoi2, "to_khoi1": to_khoi1, "to_khoi2": to_khoi2}


def test_committee_readers_see_their_subtree_plans_only(
    world, setup, django_assert_max_num_queries
):
    url = reverse("supervision:inspection_plans", args=[world.ward.pk]) + "?year=2026"
    keeper = login("hoa")
    with django_assert_max_num_queries(30):
        page = keeper.get(url)
    assert page.status_code == 200
    assert page.context["may_keep"] is True
    assert "Chi bộ Khối 2" in page.content.decode()
    reader = login("cuc")
    page = reader.get(url)
    assert page.status_code == 200
    assert page.context["may_keep"] is False
    # Another commune's secretary and a cell secretary never see the ward's plans.
    assert login("tam").get(url).status_code == 404
    assert login("an").get(url).status_code == 404
    assert (
        login("tam").get(reverse("supervision:inspection", args=[setup["khoi1"].pk])).status_code
        == 404
    )


def test_a_cell_sees_only_its_own_inspection_records(world, setup):
    khoi1 = reverse("supervision:inspection", args=[setup["khoi1"].pk])
    khoi2 = reverse("supervision:inspection", args=[setup["khoi2"].pk])
    for username in ("an", "binh"):
        client = login(username)
        assert client.get(khoi1).status_code == 200
        assert client.get(khoi2).status_code == 404
    dung = login("dung")
    assert dung.get(khoi1).status_code == 404
    assert dung.get(khoi2).status_code == 200
    # The recommendations page lists those addressed to the cell only.
    page = login("an").get(reverse("supervision:recommendations"))
    assert [r.pk for r in page.context["addressed"]] == [setup["to_khoi1"].pk]
    assert "Kiện toàn sổ sách Khối 2" not in page.content.decode()


def test_only_the_committee_keepers_change_records(world, setup):
    plan = setup["khoi1"].plan
    new_plan = reverse("supervision:inspection_plan_new", args=[world.ward.pk]) + "?year=2026"
    start = reverse("supervision:inspection_start", args=[setup["khoi1"].pk])
    conclude = reverse("supervision:inspection_conclude", args=[setup["khoi1"].pk])
    add = reverse("supervision:inspection_new", args=[plan.pk])
    close = reverse("supervision:recommendation_close", args=[setup["to_khoi1"].pk])
    cuc = login("cuc")  # reads the ward: 403
    assert cuc.post(new_plan, {"title": "Kế hoạch khác"}).status_code == 403
    assert cuc.get(add).status_code == 403
    assert cuc.post(conclude, {"conclusions": "x", "concluded_on": "2026-04-01"}).status_code == 403
    assert cuc.post(close, {"note": ""}).status_code == 403
    an = login("an")  # reads Khối 1's records, keeps nothing of the ward: 403 / 404
    assert an.post(close, {"note": ""}).status_code == 403
    assert an.post(start).status_code == 403
    tam = login("tam")  # another commune: 404
    assert tam.post(new_plan, {"title": "Kế hoạch khác"}).status_code == 404
    assert tam.post(close, {"note": ""}).status_code == 404
    assert InspectionPlan.objects.count() == 2
    setup["to_khoi1"].refresh_from_db()
    assert setup["to_khoi1"].status == RecommendationStatus.OPEN
    # Wrong method.
    assert login("hoa").get(start).status_code == 405
    # The keeper creates a plan and adds an inspection through the pages.
    hoa = login("hoa")
    assert hoa.post(new_plan, {"title": "Kế hoạch giám sát chuyên đề"}).status_code == 302
    created = InspectionPlan.objects.get(title="Kế hoạch giám sát chuyên đề")
    page = hoa.post(
        reverse("supervision:inspection_new", args=[created.pk]),
        {
            "kind": "inspection",
            "content": "Việc thu, nộp đảng phí",
            "subject_organization": world.khoi1.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2026-09-30",
            "leader": world.cuc.pk,
        },
    )
    assert page.status_code == 302
    inspection = created.inspections.get()
    assert inspection.status == InspectionStatus.PLANNED
    # Bad input: a period outside the plan's year is refused and nothing is added.
    page = hoa.post(
        reverse("supervision:inspection_new", args=[created.pk]),
        {
            "kind": "inspection",
            "content": "Ngoài năm",
            "subject_organization": world.khoi1.pk,
            "starts_on": "2027-01-01",
            "ends_on": "2027-01-30",
        },
    )
    assert page.status_code == 400
    assert created.inspections.count() == 1


def test_only_the_addressee_keepers_report(world, setup):
    report = reverse("supervision:recommendation_report", args=[setup["to_khoi1"].pk])
    assert login("binh").post(report, {"note": "Đã làm"}).status_code == 403
    assert login("dung").post(report, {"note": "Đã làm"}).status_code == 404
    assert login("cuc").post(report, {"note": "Đã làm"}).status_code == 403
    setup["to_khoi1"].refresh_from_db()
    assert setup["to_khoi1"].status == RecommendationStatus.OPEN
    assert login("an").post(report, {"note": "Đã đổi mới nội dung."}).status_code == 302
    setup["to_khoi1"].refresh_from_db()
    assert setup["to_khoi1"].status == RecommendationStatus.REPORTED
    # The committee's keeper closes it from the recommendations page.
    hoa = login("hoa")
    page = hoa.get(reverse("supervision:recommendations") + f"?committee={world.ward.pk}")
    assert page.status_code == 200
    assert page.context["may_decide"] is True
    close = reverse("supervision:recommendation_close", args=[setup["to_khoi1"].pk])
    assert hoa.post(close, {"note": "Đạt yêu cầu."}).status_code == 302
    setup["to_khoi1"].refresh_from_db()
    assert setup["to_khoi1"].status == RecommendationStatus.CLOSED


def test_pages_keep_their_query_count(world, setup, django_assert_max_num_queries):
    hoa = login("hoa")
    with django_assert_max_num_queries(40):
        page = hoa.get(reverse("supervision:recommendations") + f"?committee={world.ward.pk}")
    assert page.status_code == 200
    assert len(page.context["issued"]) == 2
    with django_assert_max_num_queries(40):
        page = hoa.get(reverse("supervision:inspection", args=[setup["khoi1"].pk]))
    assert page.status_code == 200
