"""The demo organization tree: a province, its ward, commune and bloc, their cells (see
chibo.demo.province)."""

from __future__ import annotations

import datetime
import random
from typing import Any

from chibo.demo.common import (
    DEMO_ROOT_CODE,
    DEMO_ROOT_NAME,
    REORGANISED_ON,
    STREETS,
    VILLAGES,
    WARD_CELL_TARGET,
    CellPlan,
    Draft,
    Weighted,
)
from chibo.orgs.models import (
    CellType,
    Organization,
    OrganizationKind,
)
from chibo.orgs.services import organization_create


class TreeBuilder:
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
