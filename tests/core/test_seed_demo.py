"""seed_demo: the fictional demo province, its members, positions and logins."""

from __future__ import annotations

import os
from collections import Counter
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.demo import common as demo
from chibo.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberStatus
from chibo.orgs.models import CELL_KINDS, CellType, Organization, OrganizationKind, Position, Role
from chibo.orgs.scope import compute_scope
from chibo.orgs.services import organization_create

User = get_user_model()


def run_seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organization, Member, MemberEvent, Position, User)
    }


def current_positions(user) -> set[tuple[str, str]]:
    today = timezone.localdate()
    return {
        (position.role, position.organization.code)
        for position in Position.objects.filter(member__user=user).select_related("organization")
        if position.is_current(today)
    }


class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = run_seed_demo()
        cls.today = timezone.localdate()
        cls.root = Organization.objects.get(code=demo.DEMO_ROOT_CODE)
        cls.ward = Organization.objects.get(code="38.168")
        cls.commune = Organization.objects.get(code="38.201")
        cls.bloc = Organization.objects.get(code="38.900")
        cls.khoi1 = Organization.objects.get(name="Chi bộ Khối 1")
        cls.khoi2 = Organization.objects.get(name="Chi bộ Khối 2")
        cls.khoi5 = Organization.objects.get(name="Chi bộ Khối 5")

    def cells_under(self, organization):
        return Organization.objects.filter(
            path__startswith=organization.path, kind__in=CELL_KINDS
        ).order_by("code")

    # -- the tree ------------------------------------------------------------------------------

    def test_the_province_holds_a_ward_a_commune_and_a_bloc(self):
        assert self.root.name == demo.DEMO_ROOT_NAME
        assert self.root.kind == OrganizationKind.PROVINCE_COMMITTEE
        assert [
            (child.code, child.kind) for child in Organization.objects.get_children(self.root)
        ] == [
            ("38.168", OrganizationKind.WARD_COMMITTEE),
            ("38.201", OrganizationKind.COMMUNE_COMMITTEE),
            ("38.900", OrganizationKind.BLOC_COMMITTEE),
        ]
        assert self.ward.name == "Đảng ủy phường Hưng Phú"
        assert self.commune.name == "Đảng ủy xã Tân Sơn"
        assert self.bloc.name == "Đảng ủy Khối các cơ quan tỉnh"

    def test_the_ward_has_24_cells_17_residential_3_school_1_police_2_enterprise_1_agency(self):
        cells = list(Organization.objects.get_children(self.ward))
        assert len(cells) == 24
        assert all(cell.kind == OrganizationKind.CELL for cell in cells)
        assert [cell.code for cell in cells] == [f"38.168.000.000.{n:03d}" for n in range(1, 25)]
        assert Counter(cell.cell_type for cell in cells) == {
            CellType.RESIDENTIAL_GROUP: 17,
            CellType.SCHOOL: 3,
            CellType.POLICE: 1,
            CellType.PRIVATE_ENTERPRISE: 1,
            CellType.COOPERATIVE: 1,
            CellType.AGENCY: 1,
        }
        assert [cell.name for cell in cells[:17]] == [f"Chi bộ Khối {n}" for n in range(1, 18)]

    def test_the_ward_has_about_1170_members_residential_cells_large_others_small(self):
        assert 1100 <= Member.objects.filter(cell__path__startswith=self.ward.path).count() <= 1250
        for cell in Organization.objects.get_children(self.ward):
            size = Member.objects.filter(cell=cell).count()
            if cell.cell_type == CellType.RESIDENTIAL_GROUP:
                assert 50 <= size <= 90, cell.name
            else:
                assert 10 <= size <= 30, cell.name

    def test_the_commune_has_30_village_cells_of_10_to_35_members(self):
        villages = self.cells_under(self.commune).filter(cell_type=CellType.VILLAGE)
        assert villages.count() == 30
        assert villages.first().name == "Chi bộ thôn Nà Mò"
        assert villages.filter(name="Chi bộ bản Khuổi Nặm").exists()
        for village in villages:
            assert 10 <= Member.objects.filter(cell=village).count() <= 35, village.name

    def test_the_bloc_has_grassroots_committees_with_cells_and_grassroots_cells(self):
        committees = Organization.objects.get_children(self.bloc).filter(
            kind=OrganizationKind.GRASSROOTS_COMMITTEE
        )
        assert committees.count() >= 2
        assert committees.filter(name="Đảng bộ Sở Tài chính").exists()
        for committee in committees:
            cells = Organization.objects.get_children(committee)
            assert 3 <= cells.count() <= 4
            assert all(cell.kind == OrganizationKind.CELL for cell in cells)
            # A grassroots committee has 30 or more members (Charter Art. 21).
            assert Member.objects.filter(cell__path__startswith=committee.path).count() >= 30
        grassroots_cells = Organization.objects.get_children(self.bloc).filter(
            kind=OrganizationKind.GRASSROOTS_CELL
        )
        assert {CellType.AGENCY, CellType.STATE_ENTERPRISE, CellType.PRIVATE_ENTERPRISE} <= set(
            grassroots_cells.values_list("cell_type", flat=True)
        )
        for cell in grassroots_cells:
            assert Member.objects.filter(cell=cell).count() < 30, cell.name

    def test_every_unit_has_a_meeting_place(self):
        assert not Organization.objects.filter(path__startswith=self.root.path, address="").exists()

    # -- positions -----------------------------------------------------------------------------

    def test_every_cell_has_exactly_one_current_secretary_from_its_own_official_members(self):
        cells = self.cells_under(self.root)
        assert cells.count() == 24 + 31 + 13
        for cell in cells:
            secretaries = [
                position
                for position in Position.objects.filter(organization=cell, role=Role.SECRETARY)
                if position.is_current(self.today)
            ]
            assert len(secretaries) == 1, cell.name
            holder = secretaries[0].member
            assert holder.cell_id == cell.pk
            assert holder.status == MemberStatus.OFFICIAL

    def test_cells_with_nine_official_members_have_a_cell_committee(self):
        for cell in self.cells_under(self.root):
            officials = Member.objects.filter(cell=cell, status=MemberStatus.OFFICIAL).count()
            roles = Counter(
                Position.objects.filter(organization=cell)
                .exclude(role__in=[Role.UPPER_COMMITTEE_MEMBER, Role.STANDING_ATTENDEE])
                .values_list("role", flat=True)
            )
            if officials >= 9:
                assert roles[Role.DEPUTY_SECRETARY] == 1, cell.name
                assert roles[Role.COMMITTEE_MEMBER] in range(1, 4), cell.name
            else:
                assert roles == {Role.SECRETARY: 1}, cell.name
            leaders = Position.objects.filter(organization=cell).exclude(
                role__in=[Role.UPPER_COMMITTEE_MEMBER, Role.STANDING_ATTENDEE]
            )
            assert all(position.member.cell_id == cell.pk for position in leaders)

    def test_the_ward_commune_and_bloc_committees_have_their_leaders(self):
        for committee in (self.ward, self.commune, self.bloc):
            roles = Counter(
                Position.objects.filter(organization=committee).values_list("role", flat=True)
            )
            assert roles[Role.SECRETARY] == 1
            assert roles[Role.DEPUTY_SECRETARY] >= 1
            assert roles[Role.ORGANIZATION_STAFF] == 1
            # Their leaders are members of one of their own cells.
            for position in Position.objects.filter(organization=committee).exclude(
                role=Role.UPPER_COMMITTEE_MEMBER
            ):
                assert position.member.cell.path.startswith(committee.path)
        upper = Position.objects.filter(
            role=Role.UPPER_COMMITTEE_MEMBER, organization__path__startswith=self.ward.path
        )
        assert upper.filter(organization=self.ward).count() == 1
        assigned_cells = set(
            upper.exclude(organization=self.ward).values_list("organization", flat=True)
        )
        assert len(assigned_cells) >= 20

    # -- members -------------------------------------------------------------------------------

    def test_every_members_dates_are_in_order_and_after_age_18(self):
        # A re-admitted member keeps the first decision and has the new ceremony (R3.10).
        readmitted = MemberEvent.objects.filter(status=MemberStatus.REMOVED).values("member")
        for member in Member.objects.exclude(pk__in=readmitted):
            decision, ceremony, official = (
                member.admission_decision_date,
                member.ceremony_date,
                member.official_date,
            )
            assert decision <= ceremony, member.pk
            assert demo.add_years(member.birth_date, 18) <= decision, member.pk
            assert (ceremony - decision).days <= 42, member.pk
            if official:
                assert official == demo.add_years(ceremony, 1), member.pk
                assert official <= self.today
                assert member.party_card_number and len(member.party_card_number) == 8
            else:
                assert member.status == MemberStatus.PROBATIONARY, member.pk
                assert (self.today - ceremony).days < 365, member.pk
                assert member.party_card_number is None

    def test_every_members_status_is_its_latest_events(self):
        latest: dict[int, MemberEvent] = {}
        for event in MemberEvent.objects.order_by("effective_date", "id"):
            assert event.effective_date <= self.today
            latest[event.member_id] = event
        for member in Member.objects.all():
            assert latest[member.pk].status == member.status, member.pk
            assert latest[member.pk].cell_id == member.cell_id, member.pk

    def test_the_register_mixes_probationary_exempted_attached_and_past_members(self):
        total = Member.objects.count()
        statuses = Counter(Member.objects.values_list("status", flat=True))
        assert 0.03 * total <= statuses[MemberStatus.PROBATIONARY] <= 0.05 * total
        for status in (
            MemberStatus.TEMPORARILY_ATTACHED,
            MemberStatus.TRANSFERRED_OUT,
            MemberStatus.DECEASED,
        ):
            assert 3 <= statuses[status] <= 0.03 * total, status
        residential = Member.objects.filter(
            cell__path__startswith=self.ward.path, cell__cell_type=CellType.RESIDENTIAL_GROUP
        )
        exempted = residential.filter(status=MemberStatus.EXEMPTED)
        assert 0.05 <= exempted.count() / residential.count() <= 0.08
        for member in exempted:
            assert demo.full_years(member.birth_date, self.today) >= 70
            events = list(member.events.order_by("effective_date", "id"))
            assert [event.status for event in events][-1] == MemberStatus.EXEMPTED
            assert MemberStatus.OFFICIAL in [event.status for event in events[:-1]]

    def test_about_a_third_of_the_ward_has_30_to_75_years_of_party_age(self):
        on_rolls = Member.objects.filter(
            cell__path__startswith=self.ward.path, status__in=ACTIVE_STATUSES
        )
        party_ages = [
            demo.full_years(decision, self.today)
            for decision in on_rolls.values_list("admission_decision_date", flat=True)
        ]
        badge_holders = sum(1 for age in party_ages if 30 <= age <= 75)
        assert 0.25 * len(party_ages) <= badge_holders <= 0.5 * len(party_ages)
        assert max(party_ages) <= 75

    def test_people_look_like_the_units_they_belong_to(self):
        kinh = list(Member.objects.filter(ethnicity="Kinh").values_list("full_name", flat=True))
        nguyen = sum(1 for name in kinh if name.startswith("Nguyễn "))
        assert 0.25 <= nguyen / len(kinh) <= 0.36
        residential = Member.objects.filter(cell__cell_type=CellType.RESIDENTIAL_GROUP)
        women = residential.filter(sex="female").count() / residential.count()
        assert 0.38 <= women <= 0.52
        assert residential.filter(occupation="Hưu trí").count() > residential.count() / 3
        police = Member.objects.filter(cell__cell_type=CellType.POLICE)
        assert police.filter(sex="male").count() >= 0.8 * police.count()
        for member in Member.objects.filter(cell__cell_type__in=[CellType.SCHOOL, CellType.POLICE]):
            assert 22 <= demo.full_years(member.birth_date, self.today) <= 56
        villagers = Member.objects.filter(cell__cell_type=CellType.VILLAGE)
        ethnicities = Counter(villagers.values_list("ethnicity", flat=True))
        assert ethnicities["Kinh"] < 0.4 * villagers.count()
        assert {"Tày", "Nùng", "Dao", "Mông"} <= set(ethnicities)

    def test_names_are_fictional_and_phones_clearly_fake(self):
        names = set(Member.objects.values_list("full_name", flat=True))
        assert not names & demo.AVOIDED_NAMES
        assert all(len(name.split()) >= 3 for name in names)
        phones = Member.objects.exclude(phone="").values_list("phone", flat=True)
        assert all(phone.startswith("0000") and len(phone) == 10 for phone in phones)

    # -- logins --------------------------------------------------------------------------------

    def login(self, username):
        user = User.objects.get(username=username)
        assert user.check_password(demo.DEFAULT_DEMO_PASSWORD)
        return user

    def test_the_administrator_login(self):
        admin = self.login("admin")
        assert admin.is_superuser and admin.is_staff
        assert compute_scope(admin).is_admin

    def test_the_ward_secretary_leads_the_ward_and_belongs_to_one_of_its_cells(self):
        user = self.login("bithu.phuong")
        assert current_positions(user) == {(Role.SECRETARY, "38.168")}
        assert user.member.cell.is_cell
        assert user.member.cell.path.startswith(self.ward.path)
        assert user.get_full_name() == user.member.full_name
        assert compute_scope(user).can_manage_path(self.khoi5.path)

    def test_the_khoi_1_secretary(self):
        user = self.login("bithu.khoi1")
        assert current_positions(user) == {(Role.SECRETARY, self.khoi1.code)}
        assert user.member.cell == self.khoi1
        scope = compute_scope(user)
        assert scope.can_manage_path(self.khoi1.path)
        assert not scope.can_read_path(self.khoi2.path)

    def test_the_plain_members_of_khoi_1_and_khoi_2(self):
        for username, cell in (("dangvien.khoi1", self.khoi1), ("dangvien.khoi2", self.khoi2)):
            user = self.login(username)
            assert current_positions(user) == set()
            assert user.member.cell == cell
            assert user.member.status == MemberStatus.OFFICIAL
            scope = compute_scope(user)
            assert scope.own_cell_id == cell.pk
            assert scope.read_paths == ()

    def test_the_upper_level_member_assigned_to_khoi_1(self):
        user = self.login("capuy.khoi1")
        positions = current_positions(user)
        assert (Role.UPPER_COMMITTEE_MEMBER, self.khoi1.code) in positions
        assert {role for role, _ in positions} == {Role.UPPER_COMMITTEE_MEMBER}
        assert user.member.cell != self.khoi1
        assert user.member.cell.path.startswith(self.ward.path)
        scope = compute_scope(user)
        assert scope.can_read_path(self.khoi1.path)
        assert not scope.can_manage_path(self.khoi1.path)
        assert not scope.can_read_path(self.khoi5.path)

    def test_the_ward_organization_staff(self):
        user = self.login("tochuc.phuong")
        assert current_positions(user) == {(Role.ORGANIZATION_STAFF, "38.168")}
        assert user.member.cell.path.startswith(self.ward.path)

    def test_the_commune_village_and_bloc_secretaries(self):
        village = Organization.objects.get(name="Chi bộ thôn Nà Mò")
        for username, organization in (
            ("bithu.xa", self.commune),
            ("bithu.thon1", village),
            ("bithu.khoi", self.bloc),
        ):
            user = self.login(username)
            assert current_positions(user) == {(Role.SECRETARY, organization.code)}
            assert user.member.cell.path.startswith(organization.path)
        assert User.objects.get(username="bithu.thon1").member.cell == village

    def test_the_output_lists_every_login_its_password_and_the_address(self):
        for username in demo.DEMO_LOGINS:
            assert username in self.output
        assert demo.DEFAULT_DEMO_PASSWORD in self.output
        assert demo.DEMO_URL in self.output

    def test_the_run_is_audited_once_not_once_per_member(self):
        assert AuditEntry.objects.filter(code="demo.seeded").count() == 1
        # The few life-cycle stories (a death, a re-admission, …) go through the services and
        # are audited like any other change; the ~2,000 members are not.
        assert AuditEntry.objects.filter(code="member.created").count() <= 1
        assert AuditEntry.objects.filter(code="organization.created").count() == (
            Organization.objects.count()
        )

    # -- running again -------------------------------------------------------------------------

    def test_a_second_run_adds_nothing_and_resets_the_demo_passwords(self):
        before = table_counts()
        user = User.objects.get(username="bithu.khoi1")
        user.set_password("changed-by-someone")
        user.save()
        output = run_seed_demo()
        assert table_counts() == before
        assert "already exists" in output
        assert "bithu.khoi1" in output
        user.refresh_from_db()
        assert user.check_password(demo.DEFAULT_DEMO_PASSWORD)

    def test_the_password_comes_from_the_environment_and_is_not_printed(self):
        with mock.patch.dict(os.environ, {demo.DEMO_PASSWORD_ENV: "another-demo-pass"}):
            output = run_seed_demo()
        assert "another-demo-pass" not in output
        assert User.objects.get(username="bithu.xa").check_password("another-demo-pass")

    def test_reset_recreates_the_same_data_and_keeps_the_logins(self):
        before = table_counts()
        old_member_ids = set(Member.objects.values_list("pk", flat=True))
        user_ids = dict(User.objects.values_list("username", "pk"))
        run_seed_demo("--reset")
        assert table_counts() == before
        assert not old_member_ids & set(Member.objects.values_list("pk", flat=True))
        assert dict(User.objects.values_list("username", "pk")) == user_ids
        assert User.objects.get(username="bithu.khoi1").member.cell.name == "Chi bộ Khối 1"


@pytest.mark.django_db
def test_it_refuses_to_run_in_production_without_force():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="PRODUCTION"):
        run_seed_demo()
    assert not Organization.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_to_touch_a_real_unit_with_the_demo_code():
    organization_create(
        actor=None,
        parent=None,
        name="Tỉnh ủy thật",
        kind=OrganizationKind.PROVINCE_COMMITTEE,
        code=demo.DEMO_ROOT_CODE,
    )
    with pytest.raises(CommandError, match="not the demo province"):
        run_seed_demo("--reset")
    assert Organization.objects.count() == 1
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_to_take_over_an_existing_login():
    User.objects.create_user(username="admin", password="my-own-secret-1")
    with pytest.raises(CommandError, match="admin"):
        run_seed_demo()
    assert User.objects.get(username="admin").check_password("my-own-secret-1")
    assert not Organization.objects.exists()
