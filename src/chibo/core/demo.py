"""Fictional demonstration data for the embedded mode (`python -m chibo seed_demo`).

Everything here is invented. The province ("Tỉnh ủy Hòa Lạc", code 38) does not exist, and every
person is an ordinary Vietnamese family name, middle name and given name drawn at random, so no real
person is ever paired with a real position. The shapes and numbers follow the field reports: a
central ward with 24 cells and about 1,170 members (17 residential, 3 school, 1 police, 2 enterprise
or cooperative, 1 agency), many of them retirees and about a third with 30 or more years of party
age; a mountain commune with 30 village cells whose members are mostly Tày, Nùng, Dao and Mông; and
a provincial bloc committee with grassroots committees and grassroots cells.

A fixed seed makes the run deterministic for a given `today`. Ages, probation and so on are counted
back from `today`, so the probationary members are always in their 12 months of probation.

Speed matters because a newcomer runs this first. About 75 organizations go through
`organization_create`, one audited call each. Members, their status history and positions are
bulk-inserted, and the run writes a single "demo.seeded" audit entry that names the logins it
created. A later run uses that entry to recognise which logins belong to the demo.
"""

from __future__ import annotations

import datetime
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.core.text import fold, name_sort_key
from chibo.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberStatus, Sex
from chibo.orgs.models import (
    CELL_KINDS,
    CellType,
    Organization,
    OrganizationKind,
    Position,
    Role,
)
from chibo.orgs.scope import compute_scope
from chibo.orgs.services import organization_create

DEMO_ROOT_CODE = "38"
DEMO_ROOT_NAME = "Tỉnh ủy Hòa Lạc"
DEMO_PASSWORD_ENV = "CHIBO_DEMO_PASSWORD"  # noqa: S105 (a variable name, not a password)
# Demo data only: documented in the README and printed by the command.
DEFAULT_DEMO_PASSWORD = "chibo-demo-2026"  # noqa: S105
DEMO_URL = "http://127.0.0.1:8000/"
SEED = 20250701

# The new commune-level units and their committees took office on 1/7/2025 (294-QĐ/TW).
REORGANISED_ON = datetime.date(2025, 7, 1)

WARD_CELL_TARGET = 1170

ADMIN = "admin"
WARD_SECRETARY = "bithu.phuong"
KHOI1_SECRETARY = "bithu.khoi1"
KHOI1_MEMBER = "dangvien.khoi1"
KHOI2_MEMBER = "dangvien.khoi2"
KHOI1_UPPER = "capuy.khoi1"
WARD_STAFF = "tochuc.phuong"
COMMUNE_SECRETARY = "bithu.xa"
VILLAGE_SECRETARY = "bithu.thon1"
BLOC_SECRETARY = "bithu.khoi"

# Username → who the login is, in the order the table is printed.
DEMO_LOGINS: dict[str, str] = {
    ADMIN: "System administrator (no member record)",
    WARD_SECRETARY: "Secretary of the ward party committee",
    KHOI1_SECRETARY: "Secretary of Chi bộ Khối 1 (residential)",
    KHOI1_MEMBER: "Member of Chi bộ Khối 1, no position",
    KHOI2_MEMBER: "Member of Chi bộ Khối 2, no position",
    KHOI1_UPPER: "Ward committee member assigned to Khối 1-4",
    WARD_STAFF: "Organization staff of the ward committee",
    COMMUNE_SECRETARY: "Secretary of the commune party committee",
    VILLAGE_SECRETARY: "Secretary of Chi bộ thôn Nà Mò (village)",
    BLOC_SECRETARY: "Secretary of the provincial bloc committee",
}

# Names of people who appear in the field reports. Never give them to anyone, even by chance.
AVOIDED_NAMES = frozenset(
    {
        "Đặng Xuân Phương",
        "Nguyễn Thị Vinh",
        "Trần Thế Dũng",
        "Nguyễn Thị Yến",
        "Nguyễn Đình Hải",
        "Nguyễn Văn Thành",
        "Hoàng Thị Thanh Loan",
        "Lê Đình Sơn",
    }
)


class DemoError(ServiceError):
    """The demo cannot be seeded or reset as asked (the message says why)."""


# ---------------------------------------------------------------------------------------------
# Name parts. Weights are approximate shares; the Kinh family names follow the usual survey
# figures (Nguyễn about 31%, then Trần, Lê, Phạm, Hoàng/Huỳnh, Phan, Vũ/Võ …).

Weighted = Sequence[tuple[str, float]]

KINH_FAMILY: Weighted = (
    ("Nguyễn", 28), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 1.1),
    ("Phan", 4.5), ("Vũ", 2.6), ("Võ", 1.3), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 1), ("Trịnh", 0.8), ("Đoàn", 0.8),
    ("Trương", 0.8), ("Lương", 0.6), ("Cao", 0.6), ("Mai", 0.5), ("Lưu", 0.5), ("Tạ", 0.4),
    ("Chu", 0.4), ("Hà", 0.6), ("Thái", 0.4), ("Tô", 0.4), ("Kiều", 0.3), ("Lâm", 0.4),
    ("Nghiêm", 0.3), ("Khổng", 0.2), ("Vương", 0.3), ("La", 0.2), ("Từ", 0.2),
)  # fmt: skip
MALE_MIDDLE_OLDER: Weighted = (
    ("Văn", 52), ("Đức", 8), ("Xuân", 5), ("Đình", 6), ("Hữu", 6), ("Quang", 5), ("Công", 4),
    ("Ngọc", 3), ("Minh", 4), ("Thanh", 4), ("Trọng", 3), ("Viết", 2), ("Bá", 2), ("Khắc", 2),
)  # fmt: skip
MALE_MIDDLE_YOUNGER: Weighted = (
    ("Văn", 18), ("Đức", 10), ("Minh", 12), ("Quang", 8), ("Hoàng", 5), ("Thanh", 6),
    ("Tuấn", 4), ("Anh", 4), ("Hữu", 5), ("Công", 5), ("Ngọc", 4), ("Xuân", 4), ("Duy", 5),
    ("Trung", 3), ("Mạnh", 4), ("Tiến", 3), ("Gia", 3), ("Thế", 3),
)  # fmt: skip
FEMALE_MIDDLE_OLDER: Weighted = (
    ("Thị", 76), ("Thu", 4), ("Ngọc", 4), ("Kim", 4), ("Thanh", 4), ("Hồng", 3), ("Bích", 2),
    ("Minh", 2), ("Phương", 2),
)  # fmt: skip
FEMALE_MIDDLE_YOUNGER: Weighted = (
    ("Thị", 36), ("Thu", 8), ("Ngọc", 8), ("Thanh", 6), ("Thùy", 5), ("Minh", 5), ("Phương", 5),
    ("Hồng", 4), ("Kim", 4), ("Hải", 3), ("Bảo", 3), ("Diệu", 3), ("Khánh", 3), ("Mai", 3),
)  # fmt: skip
MALE_GIVEN_OLDER: tuple[str, ...] = (
    "Bình", "Chiến", "Cường", "Dũng", "Đông", "Đức", "Hải", "Hòa", "Hùng", "Hưng", "Khánh",
    "Lâm", "Lộc", "Long", "Lợi", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Sơn", "Tài",
    "Thắng", "Thành", "Thịnh", "Thọ", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Vinh", "Kháng",
    "Hiển", "Quý", "Định", "Thanh", "Hậu", "Bảy", "Việt", "Sáng", "Thuận", "Tân",
)  # fmt: skip
MALE_GIVEN_YOUNGER: tuple[str, ...] = (
    "An", "Anh", "Bảo", "Cường", "Duy", "Dũng", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng", "Huy",
    "Hùng", "Khang", "Khánh", "Khoa", "Kiên", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc",
    "Quân", "Sơn", "Tâm", "Thắng", "Thành", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Tú",
    "Hưng", "Lâm", "Lộc", "Thái", "Trường", "Hiệp", "Thịnh",
)  # fmt: skip
FEMALE_GIVEN_OLDER: tuple[str, ...] = (
    "Bình", "Cúc", "Dung", "Đào", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Hương", "Huệ",
    "Lan", "Liên", "Loan", "Lụa", "Lý", "Mai", "Minh", "Nga", "Nhung", "Oanh", "Phượng", "Sen",
    "Tâm", "Thanh", "Thảo", "Thơm", "Thu", "Thủy", "Tuyết", "Vân", "Xuân", "Yến", "Nguyệt",
    "Hòa", "Hảo", "Lệ", "Ngân", "Phúc",
)  # fmt: skip
FEMALE_GIVEN_YOUNGER: tuple[str, ...] = (
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền", "Lan",
    "Linh", "Ly", "Mai", "Nga", "Ngân", "Ngọc", "Nhung", "Phương", "Quyên", "Quỳnh", "Thảo",
    "Thu", "Thủy", "Trang", "Trâm", "Tuyết", "Vân", "Vy", "Yến", "Hồng", "Loan", "Nhi", "Thư",
    "Hậu", "Diệp", "Châu",
)  # fmt: skip

# Ethnic minorities of the northern mountains. Tày, Nùng and Mường names use Kinh-like given
# names with the groups' own family names; Dao and Mông names have their own given names and,
# for Mông men, the middle names A, Seo and Mí. The official name of the group is "Mông".
MINORITY_FAMILY: dict[str, Weighted] = {
    "Tày": (
        ("Hoàng", 20), ("Nông", 18), ("Ma", 8), ("Lương", 8), ("Hà", 8), ("Bế", 6), ("Đàm", 5),
        ("Triệu", 5), ("Lục", 5), ("Vi", 4), ("Chu", 4), ("Mông", 3), ("Lộc", 3), ("Đinh", 3),
    ),
    "Nùng": (
        ("Hoàng", 15), ("Nông", 12), ("Lăng", 8), ("Lý", 8), ("Vi", 8), ("Mã", 6), ("Chu", 6),
        ("La", 6), ("Sầm", 4), ("Dương", 4), ("Lục", 5), ("Lâm", 4), ("Hứa", 4),
    ),
    "Dao": (
        ("Triệu", 30), ("Bàn", 25), ("Đặng", 15), ("Lý", 12), ("Phùng", 8), ("Chảo", 6),
        ("Tẩn", 4),
    ),
    "Mông": (
        ("Giàng", 20), ("Sùng", 15), ("Vàng", 15), ("Lầu", 10), ("Hầu", 8), ("Mùa", 8),
        ("Thào", 8), ("Lý", 6), ("Vừ", 5), ("Má", 3), ("Cứ", 2),
    ),
    "Mường": (("Bùi", 35), ("Đinh", 30), ("Quách", 15), ("Hà", 15), ("Xa", 5)),
}  # fmt: skip
DAO_MIDDLE_MALE: Weighted = (("Văn", 45), ("Tài", 25), ("Phúc", 10), ("Đức", 10), ("Kim", 10))
MONG_MIDDLE_MALE: Weighted = (("A", 45), ("Seo", 20), ("Mí", 15), ("Văn", 20))
DAO_GIVEN_MALE: tuple[str, ...] = (
    "Vần", "Hin", "Sinh", "Kiểm", "Quẩy", "Phin", "Chạn", "Tòn", "Lở", "Phủ", "Chàn", "Nhất",
    "Sơn", "Thắng",
)  # fmt: skip
DAO_GIVEN_FEMALE: tuple[str, ...] = (
    "Mây",
    "Sành",
    "Mẩy",
    "Nái",
    "Lìu",
    "Dính",
    "Liều",
    "Ván",
    "Chòi",
    "Xuân",
)
MONG_GIVEN_MALE: tuple[str, ...] = (
    "Páo", "Chư", "Chứ", "Dơ", "Lử", "Pó", "Chá", "Tủa", "Vư", "Dế", "Sính", "Phừ", "Của", "Sử",
    "Dình", "Lềnh", "Tráng",
)  # fmt: skip
MONG_GIVEN_FEMALE: tuple[str, ...] = (
    "Dợ",
    "Mỷ",
    "Dua",
    "Mai",
    "Pà",
    "Súa",
    "Sua",
    "Cở",
    "Dính",
    "Mua",
    "Say",
)

STREETS = (
    "Lê Lợi", "Trần Phú", "Nguyễn Du", "Hùng Vương", "Phan Đình Phùng", "Lê Hồng Phong",
    "Quang Trung", "Nguyễn Trãi", "Lý Thường Kiệt", "Hà Huy Tập", "Nguyễn Thị Minh Khai",
    "Trường Chinh",
)  # fmt: skip
LOCAL_PLACES = (
    "phường Hưng Phú", "phường Bắc Thành", "xã Đông Phong", "xã Yên Hòa", "xã Nghĩa Lộc",
    "xã Tân Sơn", "phường Nam Giang",
)  # fmt: skip
OTHER_PROVINCES = (
    "tỉnh Nghệ An",
    "tỉnh Hà Tĩnh",
    "tỉnh Thanh Hóa",
    "thành phố Hà Nội",
    "tỉnh Ninh Bình",
)

# The 30 villages of xã Tân Sơn and the group most of their members belong to.
VILLAGES: tuple[tuple[str, str], ...] = (
    ("thôn Nà Mò", "Tày"), ("bản Khuổi Nặm", "Dao"), ("thôn Nà Lìn", "Tày"),
    ("thôn Bản Chang", "Nùng"), ("bản Sán Chải", "Mông"), ("thôn Tân Lập", "Kinh"),
    ("thôn Phiêng Luông", "Tày"), ("bản Khuổi Tát", "Dao"), ("thôn Pò Rẫy", "Nùng"),
    ("thôn Nà Pài", "Tày"), ("bản Tả Chải", "Mông"), ("thôn Cốc Phát", "Tày"),
    ("bản Nậm Đăm", "Dao"), ("thôn Cốc Mòn", "Nùng"), ("thôn Đồng Tâm", "Kinh"),
    ("thôn Nà Đon", "Tày"), ("bản Phìn Hồ", "Mông"), ("thôn Kéo Nặm", "Nùng"),
    ("bản Khuổi Hoa", "Dao"), ("thôn Khau Lồm", "Tày"), ("thôn Lũng Vài", "Nùng"),
    ("bản Lao Chải", "Mông"), ("thôn Nà Hu", "Tày"), ("bản Nặm Bó", "Dao"),
    ("thôn Tân Tiến", "Kinh"), ("thôn Tát Ngà", "Tày"), ("thôn Bản Khiếu", "Nùng"),
    ("bản Háng Đề", "Mông"), ("bản Làng Phan", "Dao"), ("thôn Nà Cọn", "Tày"),
)  # fmt: skip

# Ethnic mix by area when a member does not belong to the village's main group.
WARD_ETHNICITIES: Weighted = (("Kinh", 97), ("Tày", 1.5), ("Mường", 1.5))
COMMUNE_ETHNICITIES: Weighted = (("Tày", 35), ("Kinh", 25), ("Nùng", 15), ("Dao", 15), ("Mông", 10))
BLOC_ETHNICITIES: Weighted = (("Kinh", 90), ("Tày", 5), ("Nùng", 3), ("Dao", 1), ("Mông", 1))


@dataclass(frozen=True)
class Profile:
    """How the members of one kind of cell look: sex, age now, age at admission, statuses.
    Ages are (weight, youngest, oldest) bands in years; shares are fractions of the cell."""

    female_share: float
    ages: tuple[tuple[float, float, float], ...]
    admission_ages: tuple[tuple[float, float, float], ...]
    probationary_ages: tuple[float, float]
    probationary: float
    temporary: float = 0.0
    exempted: float = 0.0
    transferred: float = 0.0
    deceased: float = 0.0
    # Retirees whose history starts in a workplace cell and moved to their residence cell.
    moved_home: float = 0.0


PROFILES: dict[str, Profile] = {
    "residential": Profile(
        female_share=0.45,
        ages=((0.16, 24, 40), (0.30, 40, 60), (0.36, 60, 76), (0.18, 76, 92)),
        # Many joined while working, in their thirties and forties: about a third of a ward's
        # members reach 30 years of party age (field report: 276 of 876).
        admission_ages=((0.35, 18, 28), (0.35, 28, 40), (0.30, 40, 55)),
        probationary_ages=(24, 45),
        probationary=0.035,
        temporary=0.012,
        exempted=0.065,
        transferred=0.01,
        deceased=0.012,
        moved_home=0.25,
    ),
    "school": Profile(0.7, ((1, 25, 55),), ((0.7, 22, 30), (0.3, 30, 40)), (24, 35), 0.05,
                      transferred=0.02),
    "police": Profile(0.1, ((1, 25, 50),), ((0.8, 18, 24), (0.2, 24, 32)), (22, 28), 0.05,
                      temporary=0.03, transferred=0.03),
    "private": Profile(0.4, ((1, 25, 52),), ((1, 20, 35),), (24, 38), 0.05, temporary=0.05,
                       transferred=0.03),
    "cooperative": Profile(0.35, ((1, 32, 66),), ((1, 20, 40),), (28, 45), 0.04,
                           transferred=0.02),
    "agency": Profile(0.4, ((1, 28, 58),), ((0.8, 21, 30), (0.2, 30, 38)), (26, 35), 0.04,
                      transferred=0.03),
    "village": Profile(0.3, ((0.25, 22, 35), (0.45, 35, 55), (0.30, 55, 75)),
                       ((0.6, 20, 32), (0.4, 32, 48)), (22, 40), 0.05, exempted=0.02,
                       transferred=0.01, deceased=0.01),
    "state_enterprise": Profile(0.35, ((1, 25, 58),), ((1, 21, 35),), (25, 35), 0.04,
                                transferred=0.02),
    "public_service": Profile(0.5, ((1, 25, 58),), ((1, 21, 35),), (25, 35), 0.04,
                              transferred=0.02),
}  # fmt: skip


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_years(start: datetime.date, end: datetime.date) -> int:
    """Completed years from `start` to `end` (age, party age)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def demo_password() -> str:
    return os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD


def find_demo_root() -> Organization | None:
    """The demo province, if it exists. A unit with the demo code that is not the demo
    province is someone's real data: refuse rather than touch it."""
    root = Organization.objects.filter(code=DEMO_ROOT_CODE).first()
    if root is None:
        return None
    if root.name != DEMO_ROOT_NAME or not root.is_root():
        raise DemoError(
            f"A unit with code {DEMO_ROOT_CODE} already exists ({root.name}) and is not the demo "
            "province; seed_demo will not touch it."
        )
    return root


def demo_user_ids() -> dict[str, int]:
    """Username → id of the logins earlier demo runs created (from their audit entries)."""
    known: dict[str, int] = {}
    entries = AuditEntry.objects.filter(code="demo.seeded").order_by("created_at", "id")
    for changes in entries.values_list("changes", flat=True):  # the latest run wins
        logins = (changes or {}).get("logins", [None, {}])[1] or {}
        known.update({name: int(pk) for name, pk in logins.items()})
    return known


# ---------------------------------------------------------------------------------------------


@dataclass
class Draft:
    """A member to be inserted, with the status history to insert after it."""

    cell: Organization
    values: dict[str, Any]
    # (status, effective date, cell, decision number, reason), oldest first.
    events: list[tuple[str, datetime.date, Organization, str, str]] = field(default_factory=list)
    taken: bool = False
    member: Member | None = None

    @property
    def status(self) -> str:
        return self.events[-1][0]

    @property
    def birth(self) -> datetime.date:
        return self.values["birth_date"]


@dataclass
class CellPlan:
    org: Organization
    profile: str
    size: int
    area: str  # "ward", "commune" or "bloc": ethnic mix, addresses, decision numbering
    main_ethnicity: str = ""
    street: str = ""
    place: str = ""


@dataclass
class SeedResult:
    root: Organization
    organizations: int
    members: int
    events: int
    positions: int
    meetings: int = 0


class _Builder:
    def __init__(self, *, actor: Any, today: datetime.date, rng: random.Random) -> None:
        self.actor = actor
        self.today = today
        self.rng = rng
        self.founded = min(REORGANISED_ON, today)
        self.plans: list[CellPlan] = []
        self.drafts: dict[int, list[Draft]] = {}
        self.positions: list[tuple[Draft, Organization, str, datetime.date, str]] = []
        self.logins: dict[str, Draft] = {}
        self.org_count = 0
        self.workplace_cells: list[Organization] = []

    # -- small random helpers ----------------------------------------------------------------

    def pick(self, weighted: Weighted) -> str:
        names, weights = zip(*weighted, strict=True)
        return self.rng.choices(names, weights)[0]

    def band(self, bands: tuple[tuple[float, float, float], ...]) -> float:
        weights = [weight for weight, _, _ in bands]
        _, low, high = self.rng.choices(bands, weights)[0]
        return self.rng.uniform(low, high)

    def days_before(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return day - datetime.timedelta(days=self.rng.randint(low, high))

    def between(self, low: datetime.date, high: datetime.date) -> datetime.date:
        return low + datetime.timedelta(days=self.rng.randint(0, max(0, (high - low).days)))

    def on_or_before_today(self, day: datetime.date) -> datetime.date:
        return min(day, self.today)

    # -- the tree ----------------------------------------------------------------------------

    def org(
        self,
        parent: Organization | None,
        name: str,
        kind: str,
        code: str,
        *,
        cell_type: str = "",
        address: str = "",
    ) -> Organization:
        self.org_count += 1
        return organization_create(
            actor=self.actor,
            parent=parent,
            name=name,
            kind=kind,
            code=code,
            cell_type=cell_type,
            address=address,
            active_from=self.founded,
        )

    def cell(
        self,
        parent: Organization,
        name: str,
        code: str,
        cell_type: str,
        address: str,
        *,
        profile: str,
        size: int,
        area: str,
        kind: str = OrganizationKind.CELL,
        **plan: Any,
    ) -> Organization:
        org = self.org(parent, name, kind, code, cell_type=cell_type, address=address)
        self.plans.append(CellPlan(org=org, profile=profile, size=size, area=area, **plan))
        return org

    def build_tree(self) -> dict[str, Any]:
        rng = self.rng
        root = self.org(
            None,
            DEMO_ROOT_NAME,
            OrganizationKind.PROVINCE_COMMITTEE,
            DEMO_ROOT_CODE,
            address="Số 1 đường Hùng Vương, phường Bắc Thành, tỉnh Hòa Lạc",
        )
        tree: dict[str, Any] = {"root": root}

        # (a) The ward: sizes drawn, then nudged so the ward totals WARD_CELL_TARGET.
        ward = self.org(
            root,
            "Đảng ủy phường Hưng Phú",
            OrganizationKind.WARD_COMMITTEE,
            "38.168",
            address="Hội trường Đảng ủy phường Hưng Phú, số 12 đường Lê Lợi",
        )
        others: list[tuple[str, str, str, str, tuple[int, int]]] = [
            ("Chi bộ Trường Mầm non Hưng Phú", CellType.SCHOOL, "school",
             "Trường Mầm non Hưng Phú, số 3 đường Nguyễn Du", (12, 20)),
            ("Chi bộ Trường Tiểu học Hưng Phú", CellType.SCHOOL, "school",
             "Trường Tiểu học Hưng Phú, số 8 đường Trần Phú", (18, 28)),
            ("Chi bộ Trường THCS Hưng Phú", CellType.SCHOOL, "school",
             "Trường THCS Hưng Phú, số 20 đường Hùng Vương", (20, 30)),
            ("Chi bộ Công an phường Hưng Phú", CellType.POLICE, "police",
             "Trụ sở Công an phường Hưng Phú, số 5 đường Quang Trung", (20, 30)),
            ("Chi bộ Công ty TNHH Thương mại Phú Thành", CellType.PRIVATE_ENTERPRISE, "private",
             "Văn phòng Công ty TNHH Thương mại Phú Thành, số 41 đường Lê Hồng Phong", (10, 15)),
            ("Chi bộ Hợp tác xã Dịch vụ tổng hợp Hưng Phú", CellType.COOPERATIVE, "cooperative",
             "Trụ sở Hợp tác xã Dịch vụ tổng hợp Hưng Phú, Khối 12", (10, 18)),
            ("Chi bộ Cơ quan phường Hưng Phú", CellType.AGENCY, "agency",
             "Phòng họp Ủy ban nhân dân phường Hưng Phú, số 12 đường Lê Lợi", (24, 30)),
        ]  # fmt: skip
        other_sizes = [rng.randint(low, high) for *_, (low, high) in others]
        # Residential cells draw 50-90 members; the part above 50 is then scaled so that the
        # ward totals WARD_CELL_TARGET and the cells keep their relative sizes.
        draws = [rng.randint(50, 90) - 50 for _ in range(17)]
        budget = WARD_CELL_TARGET - sum(other_sizes) - 50 * 17
        residential_sizes = [50 + min(40, draw * budget // sum(draws)) for draw in draws]
        index = 0
        while sum(residential_sizes) < WARD_CELL_TARGET - sum(other_sizes):
            if residential_sizes[index % 17] < 90:
                residential_sizes[index % 17] += 1
            index += 1
        ward_cells = []
        for number in range(1, 18):
            street = STREETS[(number - 1) % len(STREETS)]
            ward_cells.append(
                self.cell(
                    ward,
                    f"Chi bộ Khối {number}",
                    f"38.168.000.000.{number:03d}",
                    CellType.RESIDENTIAL_GROUP,
                    f"Nhà văn hóa Khối {number}, đường {street}, phường Hưng Phú",
                    profile="residential",
                    size=residential_sizes[number - 1],
                    area="ward",
                    street=street,
                    place=f"Khối {number}",
                )
            )
        for offset, ((name, cell_type, profile, address, _), size) in enumerate(
            zip(others, other_sizes, strict=True)
        ):
            ward_cells.append(
                self.cell(
                    ward,
                    name,
                    f"38.168.000.000.{18 + offset:03d}",
                    cell_type,
                    address,
                    profile=profile,
                    size=size,
                    area="ward",
                )
            )
        tree |= {"ward": ward, "ward_cells": ward_cells}

        # (b) The mountain commune: 30 village cells and the commune agencies' cell.
        commune = self.org(
            root,
            "Đảng ủy xã Tân Sơn",
            OrganizationKind.COMMUNE_COMMITTEE,
            "38.201",
            address="Hội trường Đảng ủy xã Tân Sơn, thôn Tân Lập",
        )
        villages = []
        for number, (village, ethnicity) in enumerate(VILLAGES, start=1):
            villages.append(
                self.cell(
                    commune,
                    f"Chi bộ {village}",
                    f"38.201.000.000.{number:03d}",
                    CellType.VILLAGE,
                    f"Nhà văn hóa {village}, xã Tân Sơn",
                    profile="village",
                    size=rng.randint(10, 35),
                    area="commune",
                    main_ethnicity=ethnicity,
                    place=village,
                )
            )
        commune_agency = self.cell(
            commune,
            "Chi bộ Cơ quan xã Tân Sơn",
            "38.201.000.000.031",
            CellType.AGENCY,
            "Phòng họp Ủy ban nhân dân xã Tân Sơn, thôn Tân Lập",
            profile="agency",
            size=rng.randint(22, 28),
            area="commune",
        )
        tree |= {"commune": commune, "villages": villages, "commune_agency": commune_agency}

        # (c) The provincial bloc: two grassroots committees with subordinate cells, and
        # grassroots cells for agencies, a public service unit and two enterprises.
        bloc = self.org(
            root,
            "Đảng ủy Khối các cơ quan tỉnh",
            OrganizationKind.BLOC_COMMITTEE,
            "38.900",
            address="Số 5 đường Trần Phú, phường Bắc Thành, tỉnh Hòa Lạc",
        )
        committees = []
        for number, (name, address, cells) in enumerate(
            (
                (
                    "Đảng bộ Sở Tài chính",
                    "Hội trường Sở Tài chính, số 9 đường Trần Phú, phường Bắc Thành",
                    (
                        "Chi bộ Văn phòng Sở Tài chính",
                        "Chi bộ Phòng Quản lý ngân sách",
                        "Chi bộ Phòng Tài chính doanh nghiệp",
                        "Chi bộ Phòng Quản lý giá và Công sản",
                    ),
                ),
                (
                    "Đảng bộ Sở Giáo dục và Đào tạo",
                    "Hội trường Sở Giáo dục và Đào tạo, số 2 đường Nguyễn Trãi, phường Bắc Thành",
                    (
                        "Chi bộ Văn phòng Sở Giáo dục và Đào tạo",
                        "Chi bộ Phòng Giáo dục phổ thông",
                        "Chi bộ Phòng Tổ chức cán bộ",
                    ),
                ),
            ),
            start=1,
        ):
            committee = self.org(
                bloc,
                name,
                OrganizationKind.GRASSROOTS_COMMITTEE,
                f"38.900.{number:03d}",
                address=address,
            )
            subordinate = [
                self.cell(
                    committee,
                    cell_name,
                    f"38.900.{number:03d}.000.{index:03d}",
                    CellType.AGENCY,
                    f"{address.split(',')[0]}, phòng họp số {index}",
                    profile="agency",
                    size=rng.randint(10, 20),
                    area="bloc",
                )
                for index, cell_name in enumerate(cells, start=1)
            ]
            committees.append((committee, subordinate))
        bloc_cells = []
        for number, (name, cell_type, profile, address) in enumerate(
            (
                ("Chi bộ Cơ quan Đảng ủy Khối các cơ quan tỉnh", CellType.AGENCY, "agency",
                 "Phòng họp Đảng ủy Khối, số 5 đường Trần Phú, phường Bắc Thành"),
                ("Chi bộ Sở Tư pháp", CellType.AGENCY, "agency",
                 "Phòng họp Sở Tư pháp, số 14 đường Lê Lợi, phường Bắc Thành"),
                ("Chi bộ Sở Dân tộc và Tôn giáo", CellType.AGENCY, "agency",
                 "Phòng họp Sở Dân tộc và Tôn giáo, số 7 đường Hùng Vương, phường Bắc Thành"),
                ("Chi bộ Trung tâm Công nghệ thông tin tỉnh", CellType.PUBLIC_SERVICE_UNIT,
                 "public_service", "Trung tâm Công nghệ thông tin tỉnh, số 30 đường Quang Trung"),
                ("Chi bộ Công ty TNHH MTV Thủy lợi Hòa Lạc", CellType.STATE_ENTERPRISE,
                 "state_enterprise", "Trụ sở Công ty TNHH MTV Thủy lợi Hòa Lạc, xã Đông Phong"),
                ("Chi bộ Công ty Cổ phần Dược phẩm Hòa Lạc", CellType.PRIVATE_ENTERPRISE,
                 "private", "Nhà máy Dược phẩm Hòa Lạc, Cụm công nghiệp Yên Hòa"),
            ),
            start=len(committees) + 1,
        ):  # fmt: skip
            bloc_cells.append(
                self.cell(
                    bloc,
                    name,
                    f"38.900.{number:03d}",
                    cell_type,
                    address,
                    kind=OrganizationKind.GRASSROOTS_CELL,
                    profile=profile,
                    size=rng.randint(15, 25) if number == 3 else rng.randint(10, 28),
                    area="bloc",
                )
            )
        tree |= {"bloc": bloc, "committees": committees, "bloc_cells": bloc_cells}
        # Where retirees in residential cells may have started their party life.
        self.workplace_cells = [ward_cells[20], ward_cells[23], *bloc_cells[1:4]]
        for _, subordinate in committees:
            self.workplace_cells.extend(subordinate)
        return tree

    # -- people ------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------


def _person_names(full_name: str) -> tuple[str, str]:
    """(first_name, last_name) so that User.get_full_name() reads "Nguyễn Văn An": Django puts
    first_name first. The given name goes in last_name, which also makes the admin's
    last-name ordering the Vietnamese one (by given name)."""
    family_and_middle, _, given = full_name.rpartition(" ")
    return family_and_middle, given


def _check_usernames() -> None:
    """Demo logins that already exist must have been created by an earlier demo run: never take
    over (and reset the password of) someone's real account."""
    known = demo_user_ids()
    existing = dict(
        get_user_model()
        .objects.filter(username__in=list(DEMO_LOGINS))
        .values_list("username", "pk")
    )
    foreign = sorted(name for name, pk in existing.items() if known.get(name) != pk)
    if foreign:
        raise DemoError(
            "These logins exist and were not created by seed_demo: "
            + ", ".join(foreign)
            + ". Rename or remove them first."
        )


def _save_user(username: str, password_hash: str, *, full_name: str, admin: bool) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first() or user_model(username=username)
    user.first_name, user.last_name = _person_names(full_name)
    user.is_superuser = user.is_staff = admin
    user.is_active = True
    user.email = f"{username}@example.com"
    user.password = password_hash
    user.save()
    return user


@transaction.atomic
def seed(*, password: str, today: datetime.date | None = None) -> SeedResult:
    """Create the demo province with its ward, commune and bloc, about 2,000 members, their
    positions and the demo logins. Refuses if the demo province already exists."""
    if find_demo_root() is not None:
        raise DemoError("The demo data already exists.")
    _check_usernames()
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    # One hash for every demo login: argon2 is slow on purpose and they share the password.
    password_hash = make_password(password)
    actor = _save_user(ADMIN, password_hash, full_name="Quản trị hệ thống", admin=True)
    builder = _Builder(actor=actor, today=today, rng=rng)
    tree = builder.build_tree()
    builder.members()
    builder.leadership(tree)
    users = {
        username: _save_user(
            username, password_hash, full_name=draft.values["full_name"], admin=False
        )
        for username, draft in builder.logins.items()
    }
    members, events, positions = builder.save(users)
    root = tree["root"]
    from chibo.meetings import demo as meeting_demo  # the meeting history sits on the members

    meetings = meeting_demo.seed(actor=actor, today=today)
    from chibo.lifecycle import demo as lifecycle_demo  # dues, badges, candidates, …

    lifecycle = lifecycle_demo.seed(actor=actor, root=root, today=today)
    audit.record(
        actor=actor,
        code="demo.seeded",
        target=root,
        organization=root,
        changes={
            "organizations": [None, builder.org_count],
            "members": [None, members],
            "member_events": [None, events],
            "positions": [None, positions],
            "meetings": [None, meetings.meetings],
            "candidates": [None, lifecycle.candidates],
            "dues_payments": [None, lifecycle.dues_payments],
            "badges": [None, lifecycle.badges],
            "transfers": [None, lifecycle.transfers],
            "residence_links": [None, lifecycle.residence_links],
            "member_reviews": [None, lifecycle.member_reviews],
            "logins": [None, {name: user.pk for name, user in ({ADMIN: actor} | users).items()}],
        },
        note=f"Demo data generated with seed {SEED} for {today.isoformat()}",
    )
    return SeedResult(
        root=root,
        organizations=builder.org_count,
        members=members,
        events=events,
        positions=positions,
        meetings=meetings.meetings,
    )


def seed_meetings(today: datetime.date | None = None) -> int:
    """Past meetings for demo cells that have none yet (a demo seeded before meetings existed,
    or on an earlier day); returns how many were created."""
    from chibo.meetings import demo as meeting_demo

    admin_id = demo_user_ids().get(ADMIN)
    admin = get_user_model().objects.filter(pk=admin_id).first() if admin_id else None
    if admin is None:
        return 0
    return meeting_demo.seed(actor=admin, today=today).meetings


@transaction.atomic
def delete(root: Organization) -> None:
    """Delete the demo tree: its members (with their history and positions), the positions in
    it and its units. Demo logins stay (they are re-linked by the next seed); the audit log
    stays too, as it always does."""
    from chibo.lifecycle import demo as lifecycle_demo
    from chibo.meetings import demo as meeting_demo  # meeting rows protect members and units

    lifecycle_demo.delete(root)
    meeting_demo.delete(root)
    subtree = Organization.objects.filter(path__startswith=root.path)
    members = Member.objects.filter(cell__in=subtree)
    MemberEvent.objects.filter(member__in=members).delete()
    Position.objects.filter(organization__in=subtree).delete()
    members.delete()
    Organization.objects.get(pk=root.pk).delete()


@transaction.atomic
def reset_logins(root: Organization, password: str) -> list[str]:
    """Give the demo logins the demo password again (and clear login lockouts); returns the
    usernames that no longer exist."""
    from axes.utils import reset as reset_lockouts

    known = demo_user_ids()
    user_model = get_user_model()
    users = {
        user.username: user
        for user in user_model.objects.filter(username__in=list(DEMO_LOGINS))
        if known.get(user.username) == user.pk
    }
    password_hash = make_password(password)
    for user in users.values():
        user.password = password_hash
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        reset_lockouts(username=user.username)
    audit.record(
        actor=users.get(ADMIN),
        code="demo.logins_reset",
        target=root,
        organization=root,
        changes={"logins": [None, sorted(users)]},
    )
    return [name for name in DEMO_LOGINS if name not in users]


# -- what the command prints -------------------------------------------------------------------


@dataclass(frozen=True)
class LoginRow:
    username: str
    who: str
    can_see: str


def _subtree_summary(path: str) -> str:
    organization = Organization.objects.get(path=path)
    cells = Organization.objects.filter(path__startswith=path, kind__in=CELL_KINDS).count()
    members = Member.objects.filter(cell__path__startswith=path, status__in=ACTIVE_STATUSES).count()
    if organization.is_cell:
        return f"{organization.name} ({members} members)"
    return f"{organization.name} ({cells} cells, {members:,} members)"


def login_rows() -> list[LoginRow]:
    """One row per demo login: who it is and what its scope (core.scope) lets it see."""
    known = demo_user_ids()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=list(DEMO_LOGINS))
        if known.get(user.username) == user.pk
    }
    rows = []
    for username, label in DEMO_LOGINS.items():
        user = users.get(username)
        if user is None:
            rows.append(LoginRow(username, label, "(missing: run seed_demo --reset)"))
            continue
        name = user.get_full_name()
        scope = compute_scope(user)
        if scope.is_admin:
            rows.append(LoginRow(username, f"{label}: {name}", "everything"))
            continue
        member = Member.objects.filter(user=user).select_related("cell").first()
        if member is None:
            rows.append(LoginRow(username, f"{label}: {name}", "nothing (no member record)"))
            continue
        seen = []
        for path in scope.read_paths:
            summary = _subtree_summary(path)
            seen.append(summary + (", manages" if path in scope.manage_paths else ""))
        if scope.own_cell_id and not any(
            member.cell.path.startswith(path) for path in scope.read_paths
        ):
            seen.append(f"own cell {member.cell.name}")
        can_see = "; ".join(seen) if seen else f"own record, own cell {member.cell.name}"
        rows.append(LoginRow(username, f"{label}: {name}", can_see))
    return rows


def summary_lines(root: Organization) -> list[str]:
    """Counts by level, for the command's output."""
    lines = []
    for child in Organization.objects.get_children(root):
        cells = Organization.objects.filter(path__startswith=child.path, kind__in=CELL_KINDS)
        members = Member.objects.filter(cell__path__startswith=child.path)
        on_rolls = members.filter(status__in=ACTIVE_STATUSES).count()
        committees = Organization.objects.filter(
            path__startswith=child.path, kind=OrganizationKind.GRASSROOTS_COMMITTEE
        ).count()
        parts = [f"{cells.count()} cells"]
        if committees:
            parts.insert(0, f"{committees} grassroots committees")
        lines.append(
            f"  {child.code:<8} {child.name}: {', '.join(parts)}, {on_rolls:,} members on the "
            f"rolls ({members.count():,} records with history)"
        )
    return lines
