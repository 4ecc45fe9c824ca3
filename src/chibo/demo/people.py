"""The demo members: names, occupations, status histories and the leadership positions
(see chibo.demo.province)."""

from __future__ import annotations

import datetime
from typing import Any

from chibo.core.text import fold, name_sort_key
from chibo.demo.common import (
    AVOIDED_NAMES,
    BLOC_ETHNICITIES,
    BLOC_SECRETARY,
    COMMUNE_ETHNICITIES,
    COMMUNE_SECRETARY,
    DAO_GIVEN_FEMALE,
    DAO_GIVEN_MALE,
    DAO_MIDDLE_MALE,
    FEMALE_GIVEN_OLDER,
    FEMALE_GIVEN_YOUNGER,
    FEMALE_MIDDLE_OLDER,
    FEMALE_MIDDLE_YOUNGER,
    KHOI1_MEMBER,
    KHOI1_SECRETARY,
    KHOI1_UPPER,
    KHOI2_MEMBER,
    KINH_FAMILY,
    LOCAL_PLACES,
    MALE_GIVEN_OLDER,
    MALE_GIVEN_YOUNGER,
    MALE_MIDDLE_OLDER,
    MALE_MIDDLE_YOUNGER,
    MINORITY_FAMILY,
    MONG_GIVEN_FEMALE,
    MONG_GIVEN_MALE,
    MONG_MIDDLE_MALE,
    OTHER_PROVINCES,
    PROFILES,
    REORGANISED_ON,
    STREETS,
    VILLAGE_SECRETARY,
    VILLAGES,
    WARD_ETHNICITIES,
    WARD_SECRETARY,
    WARD_STAFF,
    CellPlan,
    DemoError,
    Draft,
    Weighted,
    add_years,
    full_years,
)
from chibo.demo.orgs import TreeBuilder
from chibo.members import services as member_services
from chibo.members.models import Member, MemberEvent, MembershipClass, MemberStatus, Sex
from chibo.orgs.models import (
    Organization,
    Position,
    Role,
)


class Builder(TreeBuilder):
    def name(self, ethnicity: str, sex: str, birth_year: int) -> str:
        for _ in range(50):
            full_name = self._compose_name(ethnicity, sex, birth_year)
            if full_name not in AVOIDED_NAMES:
                return full_name
        raise AssertionError("could not draw a name")  # pragma: no cover

    def _compose_name(self, ethnicity: str, sex: str, birth_year: int) -> str:
        rng = self.rng
        male = sex == Sex.MALE
        older = birth_year < 1975
        if ethnicity in ("Dao", "Mông"):
            family = self.pick(MINORITY_FAMILY[ethnicity])
            if ethnicity == "Dao":
                middle = self.pick(DAO_MIDDLE_MALE) if male else "Thị"
                given = rng.choice(DAO_GIVEN_MALE if male else DAO_GIVEN_FEMALE)
            else:
                middle = self.pick(MONG_MIDDLE_MALE) if male else rng.choice(("Thị", "Thị", "Mí"))
                given = rng.choice(MONG_GIVEN_MALE if male else MONG_GIVEN_FEMALE)
            return f"{family} {middle} {given}"
        if ethnicity in MINORITY_FAMILY:
            family = self.pick(MINORITY_FAMILY[ethnicity])
        else:
            family = self.pick(KINH_FAMILY)
        if male:
            middle = self.pick(MALE_MIDDLE_OLDER if older else MALE_MIDDLE_YOUNGER)
            givens = MALE_GIVEN_OLDER if older else MALE_GIVEN_YOUNGER
        else:
            middle = self.pick(FEMALE_MIDDLE_OLDER if older else FEMALE_MIDDLE_YOUNGER)
            givens = FEMALE_GIVEN_OLDER if older else FEMALE_GIVEN_YOUNGER
            if middle == "Thị" and rng.random() < 0.07:
                middle = f"Thị {rng.choice(('Thu', 'Thanh', 'Kim', 'Ngọc', 'Minh', 'Hồng'))}"
        given = rng.choice(givens)
        while given == middle.split()[-1]:
            given = rng.choice(givens)
        return f"{family} {middle} {given}"

    def occupation(self, profile: str, age: int, sex: str) -> str:
        rng = self.rng
        retired = age >= (60 if sex == Sex.MALE else 55)
        if profile == "residential":
            if retired and rng.random() < 0.95:
                return "Hưu trí"
            choices = ["Kinh doanh", "Lao động tự do", "Nhân viên văn phòng", "Công nhân",
                       "Buôn bán nhỏ", "Viên chức"]  # fmt: skip
            if sex == Sex.FEMALE:
                choices.append("Nội trợ")
            return rng.choice(choices)
        if profile == "village":
            if age >= 65 and rng.random() < 0.3:
                return "Hưu trí"
            return self.pick(
                (("Nông dân", 85), ("Giáo viên", 5), ("Y sĩ", 3), ("Buôn bán nhỏ", 4),
                 ("Công nhân", 3))
            )  # fmt: skip
        return {
            "school": lambda: "Giáo viên" if rng.random() < 0.85 else "Nhân viên trường học",
            "police": lambda: "Công an",
            "private": lambda: rng.choice(("Nhân viên", "Kỹ sư", "Kế toán", "Quản lý")),
            "cooperative": lambda: rng.choice(("Xã viên hợp tác xã", "Nông dân", "Kế toán")),
            "agency": lambda: "Công chức",
            "state_enterprise": lambda: rng.choice(("Viên chức quản lý", "Kỹ sư", "Công nhân")),
            "public_service": lambda: "Viên chức",
        }[profile]()

    def qualification(self, occupation: str) -> str:
        options: dict[str, tuple[str, ...]] = {
            "Giáo viên": ("Cử nhân Sư phạm", "Cử nhân Sư phạm", "Thạc sĩ Quản lý giáo dục",
                          "Cao đẳng Sư phạm"),
            "Công an": ("Cử nhân An ninh", "Cử nhân Cảnh sát", "Trung cấp Cảnh sát"),
            "Công chức": ("Cử nhân Luật", "Cử nhân Kinh tế", "Thạc sĩ Quản lý công",
                          "Cử nhân Hành chính", "Kỹ sư Xây dựng", "Cử nhân Tài chính - Ngân hàng"),
            "Viên chức": ("Kỹ sư Công nghệ thông tin", "Cử nhân Kinh tế", "Cử nhân Kế toán"),
            "Nông dân": ("", "", "", "", "Trung cấp Nông lâm"),
            "Hưu trí": ("", "", "Trung cấp", "Cao đẳng", "Cử nhân", "Kỹ sư"),
            "Y sĩ": ("Trung cấp Y",),
        }  # fmt: skip
        return self.rng.choice(
            options.get(occupation, ("", "Trung cấp", "Cao đẳng", "Cử nhân Kinh tế", "Kỹ sư"))
        )

    def theory(self, profile: str, age: int) -> str:
        table: dict[str, Weighted] = {
            "residential_older": (("none", 20), ("elementary", 45), ("intermediate", 28),
                                  ("advanced", 7)),
            "residential": (("none", 40), ("elementary", 55), ("intermediate", 5)),
            "school": (("none", 20), ("elementary", 60), ("intermediate", 20)),
            "police": (("elementary", 30), ("intermediate", 65), ("advanced", 5)),
            "agency": (("elementary", 40), ("intermediate", 50), ("advanced", 10)),
            "village": (("none", 35), ("elementary", 60), ("intermediate", 5)),
            "other": (("none", 40), ("elementary", 55), ("intermediate", 5)),
        }  # fmt: skip
        if profile == "residential" and age >= 60:
            profile = "residential_older"
        elif profile in ("public_service", "state_enterprise"):
            profile = "agency"
        return self.pick(table.get(profile, table["other"]))

    def education(self, area: str, birth_year: int) -> str:
        # The North taught a 10-year general school until the late 1980s.
        if birth_year < 1955:
            return self.rng.choice(("7/10", "10/10", "10/10"))
        if birth_year < 1972:
            return self.rng.choice(("10/10", "10/10", "12/12"))
        if area == "commune":
            return self.rng.choice(("12/12", "12/12", "9/12"))
        return "12/12"

    def decision_ref(self, plan: CellPlan, day: datetime.date, kind: str = "QĐ") -> str:
        # Before 1/7/2025 admissions were decided at district level (or by the bloc committee).
        if day >= REORGANISED_ON:
            issuer = "ĐU"
        else:
            issuer = {"ward": "TU", "commune": "HU", "bloc": "ĐUK"}[plan.area]
        return f"{self.rng.randint(1, 480)}-{kind}/{issuer}"

    def residence(self, plan: CellPlan) -> str:
        rng = self.rng
        if plan.profile == "residential":
            if rng.random() < 0.5:
                return (
                    f"Số {rng.randint(1, 180)}, đường {plan.street}, {plan.place}, phường Hưng Phú"
                )
            return (
                f"Số {rng.randint(1, 60)}, ngõ {rng.randint(2, 120)} đường {plan.street}, "
                f"{plan.place}, phường Hưng Phú"
            )
        if plan.profile == "village":
            return f"{plan.place}, xã Tân Sơn, tỉnh Hòa Lạc"
        if plan.area == "commune":
            return f"{rng.choice(VILLAGES)[0]}, xã Tân Sơn, tỉnh Hòa Lạc"
        return (
            f"Số {rng.randint(1, 200)}, đường {rng.choice(STREETS)}, "
            f"{rng.choice(LOCAL_PLACES[:3])}, tỉnh Hòa Lạc"
        )

    def draft(self, plan: CellPlan) -> Draft:
        """One member of `plan`'s cell with consistent dates and a status history.
        Admission: decision at 18 or later, ceremony 1-6 weeks after (within 30 working days,
        R3.6), official recognition 12 months after the ceremony (R3.8)."""
        rng, today = self.rng, self.today
        profile = PROFILES[plan.profile]
        roll = rng.random()
        probationary = roll < profile.probationary
        temporary = not probationary and roll < profile.probationary + profile.temporary
        sex = Sex.FEMALE if rng.random() < profile.female_share else Sex.MALE
        if probationary:
            age_years = rng.uniform(*profile.probationary_ages)
        else:
            age_years = self.band(profile.ages)
        birth = today - datetime.timedelta(days=int(age_years * 365.25) + rng.randint(0, 30))
        age = full_years(birth, today)
        if plan.profile == "village" and plan.main_ethnicity and rng.random() < 0.8:
            ethnicity = plan.main_ethnicity
        else:
            ethnicity = self.pick(
                {"ward": WARD_ETHNICITIES, "commune": COMMUNE_ETHNICITIES}.get(
                    plan.area, BLOC_ETHNICITIES
                )
            )
        if ethnicity == "Kinh":
            religion = self.pick((("Không", 90), ("Phật giáo", 6), ("Công giáo", 4)))
        else:
            religion = self.pick((("Không", 97), ("Phật giáo", 3)))
        occupation = self.occupation(plan.profile, age, sex)
        if probationary:
            ceremony = self.days_before(today, 10, 350)
            decision = ceremony - datetime.timedelta(days=rng.randint(5, 40))
            official = None
        else:
            earliest = add_years(birth, 18)
            latest = today - datetime.timedelta(days=430)
            admitted_at = min(self.band(profile.admission_ages), 60)
            if birth.year < 1950:  # the war years: most joined young
                admitted_at = min(admitted_at, rng.uniform(18, 30))
            decision = birth + datetime.timedelta(days=int(admitted_at * 365.25))
            decision = max(earliest, min(decision, latest))
            ceremony = decision + datetime.timedelta(days=rng.randint(7, 40))
            official = add_years(ceremony, 1)
        values: dict[str, Any] = {
            "full_name": self.name(ethnicity, sex, birth.year),
            "sex": sex,
            "birth_date": birth,
            "ethnicity": ethnicity,
            "religion": religion,
            "home_town": self.home_town(plan, ethnicity),
            "residence_address": self.residence(plan),
            "general_education": self.education(plan.area, birth.year),
            "professional_qualification": self.qualification(occupation),
            "political_theory": "none" if probationary else self.theory(plan.profile, age),
            "occupation": occupation,
            "admission_decision_date": decision,
            "ceremony_date": ceremony,
            "official_date": official,
            "phone": f"0000{rng.randint(0, 999_999):06d}" if rng.random() < 0.8 else "",
        }
        draft = Draft(cell=plan.org, values=values)
        if temporary and official:
            arrived = self.between(
                max(official + datetime.timedelta(days=30), today - datetime.timedelta(days=700)),
                today - datetime.timedelta(days=10),
            )
            draft.events.append(
                (
                    MemberStatus.TEMPORARILY_ATTACHED,
                    arrived,
                    plan.org,
                    "",
                    "Sinh hoạt đảng tạm thời; sinh hoạt chính thức tại đảng bộ nơi công tác cũ",
                )
            )
            return draft
        first_cell = plan.org
        moved_on = None
        if official and occupation == "Hưu trí" and rng.random() < profile.moved_home:
            moved_on = add_years(birth, 60 if sex == Sex.MALE else 55) + datetime.timedelta(
                days=rng.randint(30, 180)
            )
            if official < moved_on < today - datetime.timedelta(days=30):
                first_cell = rng.choice(self.workplace_cells)
            else:
                moved_on = None
        draft.events.append(
            (
                MemberStatus.PROBATIONARY,
                ceremony,
                first_cell,
                self.decision_ref(plan, decision),
                "Kết nạp vào Đảng",
            )
        )
        if official:
            draft.events.append(
                (
                    MemberStatus.OFFICIAL,
                    official,
                    first_cell,
                    self.decision_ref(plan, official),
                    "Công nhận đảng viên chính thức",
                )
            )
        if moved_on:
            draft.events.append(
                (
                    MemberStatus.OFFICIAL,
                    moved_on,
                    plan.org,
                    "",
                    "Chuyển sinh hoạt đảng chính thức về nơi cư trú sau khi nghỉ hưu",
                )
            )
        return draft

    def home_town(self, plan: CellPlan, ethnicity: str) -> str:
        if plan.area == "commune" and ethnicity != "Kinh":
            return f"{plan.place or self.rng.choice(VILLAGES)[0]}, xã Tân Sơn, tỉnh Hòa Lạc"
        if self.rng.random() < 0.75:
            return f"{self.rng.choice(LOCAL_PLACES)}, tỉnh Hòa Lạc"
        return self.rng.choice(OTHER_PROVINCES)

    def later_status(
        self,
        drafts: list[Draft],
        share: float,
        status: str,
        *,
        min_age: int,
        max_age: int,
        window_days: int,
        reason: str,
        min_party_years: int = 0,
        exempted: bool = False,
    ) -> None:
        """Give `share` of the cell's official members a later status (exemption, transfer,
        death), dated after their last event and after any age condition."""
        wanted = round(share * len(drafts))
        if not wanted:
            return
        today = self.today
        candidates = [
            draft
            for draft in drafts
            if draft.status == MemberStatus.OFFICIAL
            and min_age <= full_years(draft.birth, today) <= max_age
            and full_years(draft.values["admission_decision_date"], today) >= min_party_years
        ]
        self.rng.shuffle(candidates)
        for draft in candidates[:wanted]:
            low = draft.events[-1][1] + datetime.timedelta(days=60)
            if exempted:  # past working age and weak (HD 27/2009): not before 65 here
                low = max(low, add_years(draft.birth, 65))
            low = max(low, today - datetime.timedelta(days=window_days))
            high = today - datetime.timedelta(days=10)
            if low > high:
                continue
            day = self.between(low, high)
            # An exemption is decided by the cell and written in its resolution book (R3.14).
            ref = f"{self.rng.randint(1, 60)}-NQ/CB" if exempted else ""
            draft.events.append((status, day, draft.cell, ref, reason))

    def members(self) -> None:
        for plan in self.plans:
            drafts = [self.draft(plan) for _ in range(plan.size)]
            profile = PROFILES[plan.profile]
            self.later_status(
                drafts,
                profile.exempted,
                MemberStatus.EXEMPTED,
                min_age=70,
                max_age=120,
                window_days=15 * 365,
                min_party_years=25,
                exempted=True,
                reason="Tuổi cao, sức khỏe yếu; đảng viên có đơn xin miễn công tác và "
                "sinh hoạt đảng, chi bộ đồng ý",
            )
            self.later_status(
                drafts,
                profile.deceased,
                MemberStatus.DECEASED,
                min_age=72,
                max_age=120,
                window_days=1000,
                reason="Từ trần",
            )
            self.later_status(
                drafts,
                profile.transferred,
                MemberStatus.TRANSFERRED_OUT,
                min_age=25,
                max_age=69,
                window_days=900,
                reason="Chuyển sinh hoạt đảng chính thức đến đảng bộ nơi cư trú, công tác mới",
            )
            self.drafts[plan.org.pk] = drafts

    # -- positions ---------------------------------------------------------------------------

    def choose(
        self,
        cell: Organization,
        *,
        min_age: int = 30,
        max_age: int = 72,
        start: datetime.date,
        occupation: str | None = None,
        theory: str | None = None,
    ) -> Draft:
        """An official member of `cell`, not yet given a role here, of suitable age and with at
        least two years since recognition as official. Optionally adjust occupation/theory."""
        today = self.today
        free = [
            draft
            for draft in self.drafts[cell.pk]
            if not draft.taken and draft.status == MemberStatus.OFFICIAL
        ]
        candidates = [
            draft
            for draft in free
            if min_age <= full_years(draft.birth, today) <= max_age
            and draft.values["official_date"] <= start - datetime.timedelta(days=730)
        ]
        # A small cell may have nobody in the preferred band: any official member will do.
        candidates = candidates or [d for d in free if d.values["official_date"] <= start]
        if not candidates:
            raise DemoError(f"No suitable member for a position in {cell.name}.")
        draft = self.rng.choice(candidates)
        draft.taken = True
        draft.values["phone"] = draft.values["phone"] or f"0000{self.rng.randint(0, 999_999):06d}"
        if occupation:
            draft.values["occupation"] = occupation
            draft.values["professional_qualification"] = self.qualification(occupation)
        if theory:
            draft.values["political_theory"] = theory
        return draft

    def hold(
        self, draft: Draft, organization: Organization, role: str, start: datetime.date, note: str
    ) -> None:
        self.positions.append((draft, organization, role, self.on_or_before_today(start), note))

    def leadership(self, tree: dict[str, Any]) -> None:
        """Committees of the ward, the commune and the bloc first (so their people are not also
        picked as cell leaders), then every cell's own secretary, deputy and committee members."""
        ward, ward_cells = tree["ward"], tree["ward_cells"]
        khoi = ward_cells[:17]
        schools, police, private, coop, ward_agency = (
            ward_cells[17:20],
            ward_cells[20],
            ward_cells[21],
            ward_cells[22],
            ward_cells[23],
        )
        ward_start = self.founded
        assigned = self.on_or_before_today(datetime.date(2025, 7, 15))

        def staff(cell: Organization, theory: str = "intermediate", min_age: int = 32) -> Draft:
            return self.choose(cell, min_age=min_age, max_age=57, start=ward_start,
                               occupation="Công chức", theory=theory)  # fmt: skip

        secretary = staff(ward_agency, theory="advanced", min_age=45)
        self.hold(secretary, ward, Role.SECRETARY, ward_start, "Bí thư Đảng ủy phường")
        self.logins[WARD_SECRETARY] = secretary
        for note in ("Phó Bí thư Thường trực Đảng ủy phường", "Phó Bí thư Đảng ủy phường"):
            self.hold(staff(ward_agency, theory="advanced"), ward, Role.DEPUTY_SECRETARY,
                      ward_start, note)  # fmt: skip
        organizer = staff(ward_agency)
        self.hold(organizer, ward, Role.ORGANIZATION_STAFF, ward_start,
                  "Chuyên viên Ban Tổ chức, Văn phòng Đảng ủy phường")  # fmt: skip
        self.logins[WARD_STAFF] = organizer
        # Ward committee members and the cells each is assigned to follow (phụ trách).
        committee_members = [
            (staff(ward_agency), khoi[0:4]),
            (staff(ward_agency), khoi[4:8]),
            (staff(ward_agency), khoi[8:12]),
            (self.choose(police, min_age=35, max_age=50, start=ward_start,
                         theory="intermediate"), khoi[12:17]),
            (self.choose(schools[2], min_age=38, max_age=55, start=ward_start,
                         theory="intermediate"), [schools[0], schools[1], police]),
            (self.choose(coop, min_age=40, max_age=62, start=ward_start, occupation="Quản lý",
                         theory="intermediate"), [schools[2], private, ward_agency]),
        ]  # fmt: skip
        self.logins[KHOI1_UPPER] = committee_members[0][0]
        for draft, cells in committee_members:
            for cell in cells:
                self.hold(draft, cell, Role.UPPER_COMMITTEE_MEMBER, assigned,
                          "Đảng ủy viên phường phụ trách chi bộ")  # fmt: skip

        commune, villages = tree["commune"], tree["villages"]
        commune_agency = tree["commune_agency"]
        secretary = self.choose(commune_agency, min_age=42, max_age=57, start=ward_start,
                                occupation="Công chức", theory="advanced")  # fmt: skip
        self.hold(secretary, commune, Role.SECRETARY, ward_start, "Bí thư Đảng ủy xã")
        self.logins[COMMUNE_SECRETARY] = secretary
        for note in ("Phó Bí thư Thường trực Đảng ủy xã", "Phó Bí thư Đảng ủy xã"):
            deputy = self.choose(commune_agency, min_age=35, max_age=57, start=ward_start,
                                 occupation="Công chức", theory="advanced")  # fmt: skip
            self.hold(deputy, commune, Role.DEPUTY_SECRETARY, ward_start, note)
        organizer = self.choose(commune_agency, min_age=30, max_age=55, start=ward_start,
                                occupation="Công chức", theory="intermediate")  # fmt: skip
        self.hold(organizer, commune, Role.ORGANIZATION_STAFF, ward_start,
                  "Chuyên viên Văn phòng Đảng ủy xã")  # fmt: skip
        for group in range(5):
            member = self.choose(commune_agency, min_age=32, max_age=57, start=ward_start,
                                 occupation="Công chức", theory="intermediate")  # fmt: skip
            for cell in villages[group * 6 : group * 6 + 6]:
                self.hold(member, cell, Role.UPPER_COMMITTEE_MEMBER, assigned,
                          "Đảng ủy viên xã phụ trách chi bộ")  # fmt: skip

        bloc, committees, bloc_cells = tree["bloc"], tree["committees"], tree["bloc_cells"]
        bloc_agency = bloc_cells[0]
        secretary = self.choose(bloc_agency, min_age=45, max_age=57, start=ward_start,
                                occupation="Công chức", theory="advanced")  # fmt: skip
        self.hold(secretary, bloc, Role.SECRETARY, ward_start, "Bí thư Đảng ủy Khối")
        self.logins[BLOC_SECRETARY] = secretary
        deputy = self.choose(bloc_agency, min_age=40, max_age=57, start=ward_start,
                             occupation="Công chức", theory="advanced")  # fmt: skip
        self.hold(deputy, bloc, Role.DEPUTY_SECRETARY, ward_start, "Phó Bí thư Đảng ủy Khối")
        organizer = self.choose(bloc_agency, min_age=30, max_age=55, start=ward_start,
                                occupation="Công chức", theory="intermediate")  # fmt: skip
        self.hold(organizer, bloc, Role.ORGANIZATION_STAFF, ward_start,
                  "Chuyên viên Ban Tổ chức Đảng ủy Khối")  # fmt: skip
        for targets in (
            [committees[0][0]],
            [committees[1][0]],
            bloc_cells[1:4],
            bloc_cells[4:6],
        ):
            member = self.choose(bloc_agency, min_age=35, max_age=57, start=ward_start,
                                 occupation="Công chức", theory="advanced")  # fmt: skip
            for target in targets:
                self.hold(member, target, Role.UPPER_COMMITTEE_MEMBER, assigned,
                          "Đảng ủy viên Đảng ủy Khối phụ trách")  # fmt: skip
        # The grassroots committees' own leaders come from their subordinate cells.
        for committee, cells in committees:
            congress = self.between(datetime.date(2025, 5, 5), datetime.date(2025, 5, 30))
            for index, (role, note) in enumerate(
                (
                    (Role.SECRETARY, "Bí thư Đảng ủy"),
                    (Role.DEPUTY_SECRETARY, "Phó Bí thư Đảng ủy"),
                    (Role.COMMITTEE_MEMBER, "Đảng ủy viên"),
                    (Role.COMMITTEE_MEMBER, "Đảng ủy viên"),
                )
            ):
                member = self.choose(cells[index % len(cells)], min_age=35, max_age=58,
                                     start=congress, theory="intermediate")  # fmt: skip
                self.hold(member, committee, role, congress, note)

        # Two provincial committee members, each following one commune-level committee.
        province_start = self.on_or_before_today(datetime.date(2025, 10, 20))
        for cell, target in ((bloc_cells[1], ward), (bloc_cells[2], commune)):
            member = self.choose(cell, min_age=45, max_age=58, start=province_start,
                                 occupation="Công chức", theory="advanced")  # fmt: skip
            self.hold(member, target, Role.UPPER_COMMITTEE_MEMBER, province_start,
                      "Tỉnh ủy viên phụ trách đảng bộ")  # fmt: skip

        for plan in self.plans:
            self.cell_committee(plan)
        self.logins[KHOI1_MEMBER] = self.plain_member(khoi[0])
        self.logins[KHOI2_MEMBER] = self.plain_member(khoi[1])

    def cell_committee(self, plan: CellPlan) -> None:
        """A secretary; with 9 or more official members also a cell committee (chi ủy) of
        three, or five from 30 official members."""
        cell = plan.org
        congress = self.between(datetime.date(2025, 3, 3), datetime.date(2025, 5, 30))
        officials = sum(1 for d in self.drafts[cell.pk] if d.status == MemberStatus.OFFICIAL)
        ages = {"residential": (35, 72), "village": (30, 62)}.get(plan.profile, (28, 58))
        secretary = self.choose(cell, min_age=ages[0], max_age=ages[1], start=congress,
                                theory="intermediate")  # fmt: skip
        self.hold(secretary, cell, Role.SECRETARY, congress, "Bí thư chi bộ")
        if cell.code == "38.168.000.000.001":
            self.logins[KHOI1_SECRETARY] = secretary
        if cell.code == "38.201.000.000.001":
            self.logins[VILLAGE_SECRETARY] = secretary
        if officials < 9:
            return
        deputy = self.choose(cell, min_age=ages[0], max_age=ages[1], start=congress,
                             theory="elementary")  # fmt: skip
        self.hold(deputy, cell, Role.DEPUTY_SECRETARY, congress, "Phó Bí thư chi bộ")
        for _ in range(1 if officials < 30 else 3):
            member = self.choose(cell, min_age=ages[0] - 5, max_age=ages[1], start=congress)
            self.hold(member, cell, Role.COMMITTEE_MEMBER, congress, "Chi ủy viên")

    def plain_member(self, cell: Organization) -> Draft:
        return self.choose(cell, min_age=35, max_age=66, start=self.today)

    # -- writing -----------------------------------------------------------------------------

    def save(self, users: dict[str, Any]) -> tuple[int, int, int]:
        drafts = [draft for plan in self.plans for draft in self.drafts[plan.org.pk]]
        with_card = [draft for draft in drafts if draft.values["official_date"]]
        cards = self.rng.sample(range(10_000_000, 100_000_000), k=len(with_card))
        for draft, card in zip(with_card, cards, strict=True):
            draft.values["party_card_number"] = f"{card:08d}"
        linked = {id(draft): users[username] for username, draft in self.logins.items()}
        members = []
        for draft in drafts:
            member = Member(
                cell=draft.cell,
                status=draft.status,
                membership_class=_membership_class(draft),
                name_sort_key=name_sort_key(draft.values["full_name"]),
                name_search=fold(draft.values["full_name"]),
                user=linked.get(id(draft)),
                **draft.values,
            )
            draft.member = member
            members.append(member)
        # SQLite (3.35+) and PostgreSQL both return the new primary keys from a bulk insert.
        Member.objects.bulk_create(members, batch_size=500)
        events = [
            MemberEvent(
                member=draft.member,
                status=status,
                effective_date=day,
                cell=cell,
                decision_ref=ref,
                reason=reason,
                recorded_by=self.actor,
            )
            for draft in drafts
            for status, day, cell, ref, reason in draft.events
        ]
        MemberEvent.objects.bulk_create(events, batch_size=1000)
        positions = [
            Position(member=draft.member, organization=org, role=role, start_date=start, note=note)
            for draft, org, role, start, note in self.positions
        ]
        Position.objects.bulk_create(positions, batch_size=500)
        return len(members), len(events), len(positions)


def _membership_class(draft: Any) -> str:
    """The class a drafted member ends with: the latest official or probationary event of
    its history (members.standing keeps the class apart from the activity status)."""
    history = sorted(draft.events, key=lambda event: event[1])
    classes = [event[0] for event in history if event[0] in MembershipClass.values]
    if draft.status in MembershipClass.values:
        return draft.status
    if classes:
        return classes[-1]
    return member_services.initial_membership_class(draft.status, draft.values)
