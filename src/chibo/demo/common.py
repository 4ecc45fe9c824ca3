"""Constants, name parts and small helpers shared by the demo builders (see
chibo.demo.province for what the demo is)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.members.models import Member
from chibo.orgs.models import (
    Organization,
)

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
