"""The member register: dates, status history that is never overwritten, duplicates,
Vietnamese order and diacritic-insensitive search, query-count guards on the list."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.members import selectors, services
from chibo.members.models import Member, MemberEvent
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_ceremony_before_decision_is_refused_and_nothing_is_saved(world):
    before = Member.objects.count()
    with pytest.raises(ServiceError, match="không được trước ngày quyết định kết nạp"):
        make_member(
            world.khoi1,
            "Đỗ Văn Hải",
            official=False,
            admission_decision_date=datetime.date(2024, 5, 10),
            ceremony_date=datetime.date(2024, 5, 1),
        )
    assert Member.objects.count() == before


def test_official_before_ceremony_is_refused(world):
    with pytest.raises(ServiceError):
        services.member_update(
            actor=None, member=world.binh, official_date=datetime.date(1999, 1, 1)
        )
    world.binh.refresh_from_db()
    assert world.binh.official_date == datetime.date(2001, 3, 19)


def test_duplicate_party_card_is_refused(world):
    with pytest.raises(ServiceError, match="10000001"):
        make_member(world.khoi2, "Nguyễn Văn An", party_card_number="10000001")


def test_duplicates_found_by_card_or_by_name_and_birth_date_ignoring_diacritics(world):
    found = selectors.find_duplicates(
        full_name="nguyen van AN", birth_date=datetime.date(1970, 5, 1), party_card_number=None
    )
    assert [m.pk for m in found] == [world.an.pk]
    found = selectors.find_duplicates(
        full_name="Someone Else", birth_date=datetime.date(1990, 1, 1), party_card_number="10000002"
    )
    assert [m.pk for m in found] == [world.binh.pk]


@time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC))
def test_status_history_is_kept_and_audited(world):
    services.member_change_status(
        actor=world.an_user,
        member=world.binh,
        status="exempted",
        effective_date=datetime.date(2026, 2, 1),
        reason="Sức khỏe yếu, điều trị dài ngày",
        decision_ref="Nghị quyết 02-NQ/CB",
    )
    services.member_change_status(
        actor=world.an_user,
        member=world.binh,
        status="official",
        effective_date=datetime.date(2026, 2, 20),
        reason="Xin trở lại sinh hoạt",
    )
    statuses = list(
        MemberEvent.objects.filter(member=world.binh)
        .order_by("effective_date", "id")
        .values_list("status", flat=True)
    )
    assert statuses == ["official", "exempted", "official"]
    world.binh.refresh_from_db()
    assert world.binh.status == "official"
    assert (
        AuditEntry.objects.filter(
            code="member.status_changed", target_id=str(world.binh.pk)
        ).count()
        == 2
    )


@time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC))
def test_status_change_cannot_rewrite_the_past(world):
    services.member_change_status(
        actor=None, member=world.binh, status="exempted", effective_date=datetime.date(2026, 2, 1)
    )
    with pytest.raises(ServiceError):
        services.member_change_status(
            actor=None,
            member=world.binh,
            status="official",
            effective_date=datetime.date(2025, 1, 1),
        )
    with pytest.raises(ServiceError):
        services.member_change_status(
            actor=None,
            member=world.binh,
            status="official",
            effective_date=datetime.date(2026, 4, 1),
        )


@time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC))
def test_transfer_moves_the_member_and_keeps_the_old_cell_in_history(world):
    services.member_change_status(
        actor=None,
        member=world.binh,
        status="official",
        effective_date=datetime.date(2026, 2, 15),
        cell=world.khoi2,
        reason="Chuyển nơi cư trú",
    )
    world.binh.refresh_from_db()
    assert world.binh.cell_id == world.khoi2.pk
    cells = list(world.binh.events.order_by("effective_date").values_list("cell_id", flat=True))
    assert cells == [world.khoi1.pk, world.khoi2.pk]


def test_concurrent_edit_is_refused_with_a_clear_message(world):
    seen_version = world.binh.version
    services.member_update(
        actor=None, member=world.binh, version=seen_version, occupation="Hưu trí"
    )
    with pytest.raises(ServiceError, match="Người khác đã thay đổi hồ sơ này"):
        services.member_update(
            actor=None, member=world.binh, version=seen_version, occupation="Giáo viên"
        )
    world.binh.refresh_from_db()
    assert world.binh.occupation == "Hưu trí"


NAMES = [
    "Trần Văn Bình",
    "Nguyễn Thị Ánh",
    "Lê Văn An",
    "Phạm Thị Anh",
    "Đỗ Văn Đức",
    "Hoàng Văn Dũng",
    "Vũ Thị Ân",
    "Bùi Văn Ăn",
]


def test_list_is_in_vietnamese_order_by_given_then_middle_then_family_name(world):
    for index, name in enumerate(NAMES):
        make_member(world.khoi2, name, party_card_number=f"2000000{index}")
    names = [m.full_name for m in selectors.member_list(organization=world.khoi2)]
    # a < ă < â; "An" before "Anh" before "Ánh"; d before đ; family name breaks the last tie.
    assert names == [
        "Lê Văn An",
        "Phạm Thị Anh",
        "Nguyễn Thị Ánh",
        "Bùi Văn Ăn",
        "Vũ Thị Ân",
        "Trần Văn Bình",
        "Lê Thị Cúc",
        "Hoàng Văn Dũng",
        "Phạm Văn Dũng",
        "Đỗ Văn Đức",
    ]


def test_search_ignores_diacritics_and_case(world):
    make_member(world.khoi1, "Nguyễn Văn Đức", party_card_number="30000001")
    found = [
        m.full_name for m in selectors.member_list(organization=world.khoi1, query="nguyen van duc")
    ]
    assert found == ["Nguyễn Văn Đức"]
    found = [m.full_name for m in selectors.member_list(organization=world.khoi1, query="NGUYỄN")]
    assert found == ["Nguyễn Văn An", "Nguyễn Văn Đức"]
    assert [m.full_name for m in selectors.member_list(organization=world.ward, query="dung")] == [
        "Phạm Văn Dũng"
    ]


def test_search_through_the_page(client, world):
    client.force_login(world.an_user)
    response = client.get(
        reverse("members:cell_list", args=[world.khoi1.pk]), {"q": "tran thi binh"}
    )
    assert [m.full_name for m in response.context["page"]] == ["Trần Thị Bình"]
    response = client.get(
        reverse("members:cell_list", args=[world.khoi1.pk]),
        {"q": "binh"},
        HTTP_HX_REQUEST="true",
    )
    assert response.templates[0].name == "members/_member_table.html"


def test_member_list_query_count_is_fixed(client, world, django_assert_max_num_queries):
    client.force_login(world.an_user)
    url = reverse("members:cell_list", args=[world.khoi1.pk])
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    Member.objects.bulk_create(
        [
            Member(
                full_name=f"Nguyễn Văn Thêm {index}",
                name_sort_key=f"9{index:04d}",
                name_search=f"nguyen van them {index}",
                sex="male",
                birth_date=datetime.date(1960, 1, 1),
                status="official",
                membership_class="official",
                cell=world.khoi1,
            )
            for index in range(40)
        ]
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 42


def test_member_detail_query_count(client, world, django_assert_max_num_queries):
    client.force_login(world.an_user)
    # 15: one query for the member's open transfer (lifecycle.transfers, issue 4); 16: the
    # access log's one INSERT (An reads Bình's record, issue 14).
    with django_assert_max_num_queries(16):
        client.get(reverse("members:detail", args=[world.binh.pk]))


def test_secretary_adds_a_member_through_the_page(client, world):
    client.force_login(world.an_user)
    response = client.post(
        reverse("members:new", args=[world.khoi1.pk]),
        {
            "full_name": "Võ Thị Hoa",
            "sex": "female",
            "birth_date": "1990-04-02",
            "ethnicity": "Kinh",
            "religion": "Không",
            "political_theory": "elementary",
            "admission_decision_date": "2025-09-01",
            "ceremony_date": "2025-09-20",
        },
    )
    assert response.status_code == 302
    hoa = Member.objects.get(full_name="Võ Thị Hoa")
    assert hoa.status == "probationary"
    assert hoa.cell_id == world.khoi1.pk


def test_bad_dates_on_the_page_give_a_message_and_change_nothing(client, world):
    client.force_login(world.an_user)
    before = Member.objects.count()
    response = client.post(
        reverse("members:new", args=[world.khoi1.pk]),
        {
            "full_name": "Võ Thị Hoa",
            "sex": "female",
            "birth_date": "1990-04-02",
            "ethnicity": "Kinh",
            "religion": "Không",
            "political_theory": "none",
            "admission_decision_date": "2025-09-20",
            "ceremony_date": "2025-09-01",
        },
    )
    assert response.status_code == 200
    assert Member.objects.count() == before
    assert response.context["form"].non_field_errors()
