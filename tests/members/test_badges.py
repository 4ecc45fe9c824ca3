"""Party age and the Party badge (Hướng dẫn 01-HD/TW 28/9/2021, §18; DOMAIN R3.24–R3.26):
milestones 30, 40, 45 … 90 years of party age counted from the admission decision less the
periods off the rolls; awarded on 3/2, 19/5, 2/9, 7/11; up to 12 months early for serious
illness at 30–65 years, 24 months at 70–90."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.members import badges, selectors, services
from chibo.members.models import BadgeAward, MemberStatus
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

D = datetime.date
VN = datetime.timezone(datetime.timedelta(hours=7))
NOW = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


BORN_1960 = D(1960, 1, 1)


def veteran(cell, name, decision, *, birth=BORN_1960, **extra):
    return make_member(
        cell,
        name,
        birth=birth,
        admission_decision_date=decision,
        ceremony_date=decision,
        official_date=D(decision.year + 1, decision.month, 1),
        **extra,
    )


def remove_and_readmit(member, removed, readmitted=None):
    services.member_change_status(
        actor=None,
        member=member,
        status=MemberStatus.REMOVED,
        effective_date=removed,
        reason="Xóa tên",
    )
    if readmitted:
        services.member_change_status(
            actor=None,
            member=member,
            status=MemberStatus.OFFICIAL,
            effective_date=readmitted,
            reason="Kết nạp lại",
        )


def listed(organization, occasion):
    rows, _rules = selectors.badge_list(
        organization=organization, occasion=occasion, today=NOW.date()
    )
    return {row.member.full_name: row for row in rows}


def award(member, years, day, **extra):
    return services.badge_award_record(
        actor=None, member=member, milestone_years=years, awarded_on=day, **extra
    )


class TestPartyAge:
    def test_whole_months_between_two_dates(self):
        assert badges.full_months_between(D(1990, 3, 1), D(2022, 3, 1)) == 384
        assert badges.full_months_between(D(1990, 3, 1), D(2022, 2, 28)) == 383
        assert badges.full_months_between(D(2024, 1, 31), D(2024, 2, 29)) == 1

    def test_30_years_from_the_decision_minus_a_2_year_gap(self, world):
        # Admitted 01/03/1990, off the rolls for exactly 24 months: 30 years on 01/03/2022.
        minh = veteran(world.khoi1, "Hoàng Văn Minh", D(1990, 3, 1))
        remove_and_readmit(minh, D(2000, 1, 10), D(2002, 1, 10))
        progress = selectors.member_badge_progress(minh, today=D(2022, 3, 1))
        assert progress.party_age is not None
        assert progress.party_age.months == 30 * 12
        assert progress.next_badge is not None
        assert progress.next_badge.reached_on == D(2022, 3, 1)
        # 03/02/2022 comes before the milestone: only an early (illness) candidate then.
        assert listed(world.khoi1, D(2022, 2, 3))["Hoàng Văn Minh"].due.early
        row = listed(world.khoi1, D(2022, 5, 19))["Hoàng Văn Minh"]
        assert (row.due.milestone_years, row.due.reached_on) == (30, D(2022, 3, 1))
        assert row.due.occasion == D(2022, 5, 19)
        assert not row.due.early

    def test_without_the_gap_the_occasion_is_19_5_2020(self, world):
        veteran(world.khoi1, "Hoàng Văn Minh", D(1990, 3, 1))
        assert "Hoàng Văn Minh" not in listed(world.khoi1, D(2019, 2, 3))
        row = listed(world.khoi1, D(2020, 5, 19))["Hoàng Văn Minh"]
        assert row.due.reached_on == D(2020, 3, 1)
        assert row.due.occasion == D(2020, 5, 19)
        assert row.party_age.label == "30 năm 2 tháng"

    def test_a_member_already_awarded_is_not_listed_again(self, world):
        minh = veteran(world.khoi1, "Hoàng Văn Minh", D(1990, 3, 1))
        award(minh, 30, D(2020, 5, 19))
        assert "Hoàng Văn Minh" not in listed(world.khoi1, D(2020, 9, 2))
        assert "Hoàng Văn Minh" not in listed(world.khoi1, D(2026, 5, 19))

    def test_a_removed_member_with_an_open_gap_is_not_listed(self, world):
        tam = veteran(world.khoi1, "Đỗ Văn Tâm", D(1990, 3, 1))
        remove_and_readmit(tam, D(2015, 6, 1))
        assert "Đỗ Văn Tâm" not in listed(world.khoi1, D(2026, 5, 19))
        progress = selectors.member_badge_progress(tam, today=NOW.date())
        assert progress.party_age is not None
        assert progress.party_age.stopped_on == D(2015, 6, 1)
        assert progress.party_age.years == 25
        assert progress.next_badge is None

    def test_the_highest_milestone_reached_is_listed_once(self, world):
        # Admitted 01/01/1985: 40 years on 01/01/2025, never received the 30-year badge.
        veteran(world.khoi1, "Vũ Thị Hoa", D(1985, 1, 1), sex="female")
        row = listed(world.khoi1, D(2026, 5, 19))["Vũ Thị Hoa"]
        assert row.due.milestone_years == 40

    def test_the_list_covers_the_subtree_in_vietnamese_name_order(self, world):
        veteran(world.khoi2, "Nguyễn Văn Bảo", D(1990, 3, 1))
        veteran(world.khoi1, "Lê Văn Anh", D(1990, 3, 1))
        veteran(world.khoi1, "Nguyễn Thị Ánh", D(1990, 3, 1), sex="female")
        rows, _rules = selectors.badge_list(
            organization=world.ward, occasion=D(2026, 5, 19), today=NOW.date()
        )
        # Vietnamese order sorts by the given name first: Anh, Ánh, Bảo.
        assert [row.member.full_name for row in rows] == [
            "Lê Văn Anh",
            "Nguyễn Thị Ánh",
            "Nguyễn Văn Bảo",
        ]


class TestEarlyAward:
    def test_11_months_early_for_30_years_is_allowed_13_is_refused(self, world):
        # Admitted 01/06/1996: 30 years on 01/06/2026.
        lan = veteran(world.khoi1, "Trần Thị Lan", D(1996, 6, 1), sex="female")
        with pytest.raises(ServiceError) as refused:
            award(lan, 30, D(2025, 5, 1), early_for_illness=True)  # 13 months early
        assert "tối đa 12 tháng" in str(refused.value)
        with pytest.raises(ServiceError):
            award(lan, 30, D(2025, 7, 1))  # 11 months early, not marked as illness
        created = award(lan, 30, D(2025, 7, 1), early_for_illness=True)  # 11 months early
        assert created.early_for_illness
        entry = AuditEntry.objects.get(code="badge.awarded")
        assert entry.target_id == str(created.pk)

    def test_23_months_early_for_70_years_is_allowed_25_is_refused(self, world):
        # Admitted 01/01/1955: 70 years on 01/01/2025.
        cu = veteran(world.khoi1, "Phan Văn Cự", D(1955, 1, 1), birth=D(1930, 1, 1))
        with pytest.raises(ServiceError):
            award(cu, 70, D(2022, 12, 1), early_for_illness=True)  # 25 months early
        award(cu, 70, D(2023, 2, 1), early_for_illness=True)  # 23 months early
        assert cu.badge_awards.get().milestone_years == 70

    def test_early_candidates_are_flagged_on_the_list(self, world):
        veteran(world.khoi1, "Trần Thị Lan", D(1996, 6, 1), sex="female")
        row = listed(world.khoi1, D(2026, 2, 3))["Trần Thị Lan"]
        assert row.due.early and row.due.early_from == D(2025, 6, 1)
        assert "Trần Thị Lan" not in listed(world.khoi1, D(2025, 2, 3))


class TestRecording:
    def test_a_second_badge_for_the_same_milestone_is_refused(self, world):
        minh = veteran(world.khoi1, "Hoàng Văn Minh", D(1990, 3, 1))
        award(minh, 30, D(2020, 5, 19))
        with pytest.raises(ServiceError) as refused:
            award(minh, 30, D(2020, 9, 2))
        assert "đã nhận Huy hiệu 30 năm tuổi Đảng" in str(refused.value)
        assert BadgeAward.objects.count() == 1

    def test_unknown_milestone_and_future_date_are_refused(self, world):
        minh = veteran(world.khoi1, "Hoàng Văn Minh", D(1990, 3, 1))
        with pytest.raises(ServiceError):
            award(minh, 35, D(2026, 2, 3))
        with pytest.raises(ServiceError):
            award(minh, 30, D(2026, 5, 19))
        assert not BadgeAward.objects.exists()
        assert not AuditEntry.objects.filter(code="badge.awarded").exists()


class TestPages:
    def test_secretary_lists_prints_and_exports_the_cell(self, client, world):
        veteran(world.khoi1, "Hoàng Văn Minh", D(1990, 3, 1))
        client.force_login(world.an_user)
        url = reverse("members:badges", args=[world.khoi1.pk])
        response = client.get(url, {"occasion": "2026-05-19"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Hoàng Văn Minh" in page
        assert "Huy hiệu Đảng" in page
        assert "@media print" in page or 'media="print"' in page
        assert reverse("members:badge_new", args=[world.an.pk]) not in page  # An: 2030
        export = client.get(
            reverse("members:badges_export", args=[world.khoi1.pk]), {"occasion": "2026-05-19"}
        )
        assert export.status_code == 200
        sheet = load_workbook(io.BytesIO(export.content)).active
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        assert "Hoàng Văn Minh" in values
        assert 30 in values

    def test_default_occasion_is_the_next_one(self, client, world):
        client.force_login(world.an_user)
        response = client.get(reverse("members:badges", args=[world.khoi1.pk]))
        assert response.context["occasion"] == D(2026, 5, 19)

    def test_access_matrix(self, client, world):
        ward_url = reverse("members:badges", args=[world.ward.pk])
        khoi1_url = reverse("members:badges", args=[world.khoi1.pk])
        khoi2_url = reverse("members:badges", args=[world.khoi2.pk])
        new_url = reverse("members:badge_new", args=[world.binh.pk])

        def status(user, url, method="get", data=None):
            client.force_login(user)
            return getattr(client, method)(url, data or {}).status_code

        assert status(world.an_user, khoi1_url) == 200
        assert status(world.an_user, new_url) == 200
        assert status(world.an_user, ward_url) == 404  # An keeps Khối 1 only
        assert status(world.cuc_user, ward_url) == 200  # upper level reads the ward
        assert status(world.cuc_user, new_url) == 403
        assert status(world.cuc_user, new_url, "post", {"milestone_years": 30}) == 403
        assert status(world.dung_user, khoi2_url) == 404  # a plain member oversees nothing
        assert status(world.dung_user, khoi1_url) == 404
        assert status(world.dung_user, new_url) == 404
        assert status(world.an_user, khoi1_url, "post") == 405
        assert status(world.an_user, new_url, "put") == 405

    def test_recording_from_the_form(self, client, world):
        minh = veteran(world.khoi1, "Hoàng Văn Minh", D(1990, 3, 1))
        client.force_login(world.an_user)
        url = reverse("members:badge_new", args=[minh.pk])
        back = reverse("members:badges", args=[world.khoi1.pk]) + "?occasion=2026-02-03"
        response = client.post(
            url,
            {
                "milestone_years": "30",
                "awarded_on": "2026-02-03",
                "occasion": "03/02/2026",
                "decision_ref": "123-QĐ/ĐU",
                "next": back,
            },
        )
        assert response.status_code == 302
        assert response["Location"] == back
        assert minh.badge_awards.get().decision_ref == "123-QĐ/ĐU"
        detail = client.get(reverse("members:detail", args=[minh.pk])).content.decode()
        assert "Tuổi đảng" in detail and "123-QĐ/ĐU" in detail

    def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(self, client, world):
        minh = veteran(world.khoi1, "Hoàng Văn Minh", D(1990, 3, 1))
        client.force_login(world.an_user)
        url = reverse("members:badge_new", args=[minh.pk])
        future = client.post(url, {"milestone_years": "30", "awarded_on": "2026-05-19"})
        assert future.status_code == 200
        assert "Ngày trao không được ở tương lai." in future.content.decode()
        unknown = client.post(url, {"milestone_years": "33", "awarded_on": "2026-02-03"})
        assert "Không có Huy hiệu Đảng cho mốc 33 năm tuổi đảng." in unknown.content.decode()
        assert not BadgeAward.objects.exists()

    def test_member_detail_shows_the_badge_panel(self, client, world):
        client.force_login(world.binh_user)
        page = client.get(reverse("members:detail", args=[world.binh.pk])).content.decode()
        # Bình: decision 01/03/2000, so 26 years today; 30 years on 01/03/2030.
        assert "26 năm 0 tháng" in page
        assert "01/03/2030" in page
        assert reverse("members:badge_new", args=[world.binh.pk]) not in page

    def test_organization_page_links_the_list_for_managers(self, client, world):
        link = reverse("members:badges", args=[world.khoi1.pk])
        client.force_login(world.an_user)
        assert link in client.get(reverse("orgs:detail", args=[world.khoi1.pk])).content.decode()
        client.force_login(world.cuc_user)
        page = client.get(reverse("orgs:detail", args=[world.khoi1.pk])).content.decode()
        assert link not in page

    def test_list_queries_do_not_grow_with_members(
        self, client, world, django_assert_max_num_queries
    ):
        def add(count, start):
            for index in range(count):
                member = veteran(world.khoi1, f"Đảng Viên {start + index:03d}", D(1990, 3, 1))
                remove_and_readmit(member, D(2000, 1, 10), D(2002, 1, 10))

        client.force_login(world.cuc_user)
        url = reverse("members:badges", args=[world.ward.pk])
        add(2, 0)
        with django_assert_max_num_queries(30) as small:
            assert client.get(url, {"occasion": "2026-05-19"}).status_code == 200
        add(8, 2)
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(url, {"occasion": "2026-05-19"})
        assert len(response.context["rows"]) == 10
