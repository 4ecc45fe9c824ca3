"""Data module: the central rule versions (DESIGN §2.1: rules are data with a source).

Every threshold chibo computes with, with the regulation and clause that set it, the dates it is
in force and how sure we are of it (DOMAIN.md's confidence legend: "sure", "likely", "unsure";
an "unsure" rule is a configurable default, never fixed law): `RuleVersion`s in
`CENTRAL_VERSIONS`, several per key when a regulation changed (DOMAIN §0). The engine that
resolves them for an organization and a date is `core.rules`.

Every number, regulation and clause below is taken from DOMAIN.md; the rule id (R…) and source
([S…]) are given on each version. A clause left empty means DOMAIN.md does not name one. A
version's date is the date DOMAIN.md gives for its regulation (its signing date unless DOMAIN
gives the day it came into force).

Older regimes (DOMAIN §0): where DOMAIN.md names the older regulation but not its number for a
key, the older version keeps the later value, is marked unsure, has the basis CHIBO and says so
in its note (`SILENT_NOTE`). Where DOMAIN.md names no older regulation at all (or gives it
without a date), there is no older version: the engine's fallback policy applies the earliest
version, shown as applied by default (core.rules.rule_in_force).

`basis` says who sets a version's value: a regulation (REGULATION), a local document or
practice chibo uses as the central default (LOCAL), or chibo itself (CHIBO).

Readings DOMAIN.md leaves open (R1.9 meeting duration, R3.9 date of recognition) are settings:
rule keys whose value is the code of one of the options in `READINGS`, each option with its
source; the central version selects DOMAIN's default, a committee overrides it for its subtree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

SURE = "sure"
LIKELY = "likely"
UNSURE = "unsure"
CONFIDENCE_LABELS = {
    SURE: gettext_lazy("sure"),
    LIKELY: gettext_lazy("likely"),
    UNSURE: gettext_lazy("unsure"),
}

# Who sets a version's value.
REGULATION = "regulation"
LOCAL = "local"  # a provincial or ward document or practice, used as the central default
CHIBO = "chibo"  # chibo's own default: no regulation found sets the value

CHARTER = "Điều lệ Đảng"
CHARTER_FROM = datetime.date(2011, 1, 19)  # adopted by the 11th Congress, still in force (§0)
REG_294 = "Quy định 294-QĐ/TW (26/5/2025)"
REG_294_FROM = datetime.date(2025, 7, 1)  # in force from 1/7/2025 [S20]
HD_12_2018 = "Hướng dẫn 12-HD/BTCTW (06/7/2018)"
HD_12_2018_FROM = datetime.date(2018, 7, 6)
HD_42_2025 = "Hướng dẫn 42-HD/BTCTW (28/10/2025)"
HD_42_2025_FROM = datetime.date(2025, 10, 28)
REG_366 = "Quy định 366-QĐ/TW (30/8/2025)"
REG_366_FROM = datetime.date(2025, 8, 30)
REG_01_2026 = "Quy định 01-QĐ/TW (03/02/2026)"
REG_01_2026_FROM = datetime.date(2026, 2, 3)
# Older and later regimes (DOMAIN §0).
REG_29 = "Quy định 29-QĐ/TW (25/7/2016)"
REG_29_FROM = datetime.date(2016, 7, 25)
REG_24 = "Quy định 24-QĐ/TW (30/7/2021)"
REG_24_FROM = datetime.date(2021, 7, 30)
REG_208 = "Quy định 208-QĐ/TW (26/7/2026)"
REG_208_FROM = datetime.date(2026, 7, 26)
HD_01_2021 = "Hướng dẫn 01-HD/TW (28/9/2021)"
HD_01_2021_FROM = datetime.date(2021, 9, 28)
HD_06_2025 = "Hướng dẫn 06-HD/TW (09/6/2025)"
HD_06_2025_FROM = datetime.date(2025, 6, 9)
HD_09_2012 = "Hướng dẫn 09-HD/BTCTW (02/3/2012)"
HD_09_2012_FROM = datetime.date(2012, 3, 2)
HD_12_2012 = "Hướng dẫn 12-HD/BTCTW (17/5/2012)"
HD_12_2012_FROM = datetime.date(2012, 5, 17)
HD_09_2017 = "Hướng dẫn 09-HD/BTCTW (05/6/2017)"
HD_09_2017_FROM = datetime.date(2017, 6, 5)
HD_12_2022 = "Hướng dẫn 12-HD/BTCTW (18/01/2022)"
HD_12_2022_FROM = datetime.date(2022, 1, 18)
HD_21_2019 = "Hướng dẫn 21-HD/BTCTW (21/10/2019)"
HD_21_2019_FROM = datetime.date(2019, 10, 21)
REG_124 = "Quy định 124-QĐ/TW (04/10/2023)"
REG_124_FROM = datetime.date(2023, 10, 4)
REG_342 = "Quy định 342-QĐ/TW (28/12/2010)"
REG_342_FROM = datetime.date(2010, 12, 28)
REG_296 = "Quy định 296-QĐ/TW (30/5/2025)"
REG_296_FROM = datetime.date(2025, 5, 30)

# The note of an older version whose number DOMAIN.md gives only for a later regulation.
SILENT_NOTE = gettext_lazy(
    "chibo's sources give this value only for a later regulation; the text of this one was "
    "not seen. chibo keeps the same value by default: check it against the text."
)


def _day_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Reading:
    """One reading of a rule DOMAIN.md leaves open: a code (the setting's value), a label and
    where it comes from."""

    code: str
    label: Promise
    source: str
    confidence: str


# R1.9: two readings of the duration of a regular meeting under 42-HD/BTCTW.
DURATION_BY_CELL_SIZE = "by_cell_size"
DURATION_COMBINED_THEMATIC = "combined_thematic"
# R3.9 and DOMAIN §9a: the date a probationary member becomes official.
RECOGNITION_AT_PROBATION_END = "probation_end"
RECOGNITION_AT_DECISION = "decision_date"

READINGS: dict[str, tuple[Reading, ...]] = {
    "meeting.duration_reading": (
        Reading(
            DURATION_BY_CELL_SIZE,
            gettext_lazy(
                "by cell size (the longer minimum for cells of 30 members or more; an app "
                "built on 42-HD/BTCTW, with the frame of Phường An Phú)"
            ),
            "R1.9 [S44]",
            UNSURE,
        ),
        Reading(
            DURATION_COMBINED_THEMATIC,
            gettext_lazy(
                "by kind (the longer minimum only for a regular meeting combined with a "
                "thematic one; another app built on 42-HD/BTCTW)"
            ),
            "R1.9 [S45]",
            UNSURE,
        ),
    ),
    "recognition.effective_date": (
        Reading(
            RECOGNITION_AT_PROBATION_END,
            gettext_lazy(
                "the day probation ends, even when the cell meets or the upper committee "
                "decides later (the reading of 208-QĐ/TW in quiz banks; the guidance of 2021 "
                "is read the same way)"
            ),
            "R3.9 [S37], DOMAIN §9a",
            LIKELY,
        ),
        Reading(
            RECOGNITION_AT_DECISION,
            gettext_lazy("the date of the decision recognising the member"),
            "DOMAIN §9a (the alternative setting)",
            LIKELY,
        ),
    ),
}


@dataclass(frozen=True)
class RuleVersion:
    """One central default: the value a regulation sets for a key over a period."""

    key: str
    value: Any
    regulation: str
    clause: str
    effective_from: datetime.date
    effective_to: datetime.date | None = None
    confidence: str = SURE
    source: str = ""  # DOMAIN.md rule id and sources, e.g. "R2.1 [S30]"
    note: Promise | str = ""  # caveats shown on the rules page
    basis: str = REGULATION  # who sets the value: REGULATION, LOCAL or CHIBO

    def in_force_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


# Labels are the frame's own Vietnamese wording (data from a local document, not interface
# text). "auto" names the measurement meetings.scoring computes; "" means entered by hand.
# "must_have" marks the criteria R1.13 requires at full marks for a Good rating.
# "bands" grade the measured criteria; each band is {"from": <measure>, "points": <points>},
# listed from the best down: the criterion earns the points of the first band whose "from"
# the measure reaches (none reached: 0). The top band's points must equal the line's "max"
# (else full marks, and so Good, could never be reached); no band gives more than "max".
# The measure of each graded criterion, always a percentage:
#   duration              minutes held ÷ minutes required (meeting.min_duration_minutes) × 100
#                         (the An Phú frame: 15 minutes short of 90 → 4, 30 short → 3, at
#                         least half → 2, less → 1);
#   attendance            members present ÷ members expected × 100; an absence without
#                         reason gives the lowest band's points;
#   speakers_share        members present who spoke ÷ members present × 100, to one decimal
#                         ("more than 50%" is "from 50.1");
#   previous_assignments  assignments of the previous meeting done ÷ assignments × 100.
# Criteria scored all or nothing, or entered by hand, have "bands": []. A line measured by
# one of GRADED_MEASURES needs its bands.
GRADED_MEASURES = frozenset({"duration", "attendance", "speakers_share", "previous_assignments"})
# R4.2, R4.6: the common frame of an ordinary member's annual review, scored out of 100.
MEMBER_CRITERIA_FRAME: list[dict[str, Any]] = [
    {"code": "political_thinking", "label": "Tư tưởng chính trị", "max": 20},
    {"code": "ethics_lifestyle", "label": "Phẩm chất đạo đức, lối sống", "max": 20},
    {
        "code": "organisation_discipline",
        "label": "Ý thức tổ chức kỷ luật, tác phong, lề lối làm việc",
        "max": 20,
    },
    {
        "code": "task_results",
        "label": "Kết quả thực hiện nhiệm vụ được giao và cam kết tu dưỡng, rèn luyện",
        "max": 40,
    },
]

AN_PHU_FRAME: dict[str, Any] = {
    "lines": [
        {
            "code": "duration",
            "group": "1. Thời gian",
            "label": "Thời gian và thời lượng sinh hoạt",
            "max": 5,
            "auto": "duration",
            "must_have": True,
            "thematic_only": False,
            "bands": [
                {"from": 100.0, "points": 5},
                {"from": 83.3, "points": 4},
                {"from": 66.6, "points": 3},
                {"from": 50.0, "points": 2},
                {"from": 0.0, "points": 1},
            ],
        },
        {
            "code": "attendance",
            "group": "2. Tỷ lệ tham dự",
            "label": "Tỷ lệ đảng viên dự sinh hoạt",
            "max": 4,
            "auto": "attendance",
            "must_have": True,
            "thematic_only": False,
            "bands": [
                {"from": 90.0, "points": 4},
                {"from": 75.0, "points": 3},
                {"from": 65.0, "points": 2},
                {"from": 0.0, "points": 1},
            ],
        },
        {
            "code": "no_streak",
            "group": "2. Tỷ lệ tham dự",
            "label": "Không có đảng viên vắng (kể cả có lý do) quá 3 lần liên tiếp trong năm",
            "max": 1,
            "auto": "absence_streak",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "prep_content",
            "group": "3. Công tác chuẩn bị",
            "label": "Chuẩn bị nội dung, chương trình",
            "max": 3,
            "auto": "agenda_prepared",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "prep_draft",
            "group": "3. Công tác chuẩn bị",
            "label": "Dự thảo kết luận, nghị quyết",
            "max": 2,
            "auto": "draft_resolution",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "prep_committee",
            "group": "3. Công tác chuẩn bị",
            "label": "Chi ủy họp chuẩn bị, có biên bản",
            "max": 2,
            "auto": "preparatory_meeting",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "prep_notice",
            "group": "3. Công tác chuẩn bị",
            "label": "Thông báo cho đảng viên và cấp ủy viên cấp trên phụ trách",
            "max": 1,
            "auto": "notice",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "prep_materials",
            "group": "3. Công tác chuẩn bị",
            "label": "Tài liệu đưa lên Sổ tay đảng viên trước ít nhất 1 ngày",
            "max": 2,
            "auto": "materials_on_time",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "conduct_procedure",
            "group": "4. Tổ chức sinh hoạt",
            "label": "Thực hiện đầy đủ quy trình sinh hoạt",
            "max": 5,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "conduct_content",
            "group": "4. Tổ chức sinh hoạt",
            "label": "Nội dung sinh hoạt thường kỳ",
            "max": 10,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "conduct_thematic",
            "group": "4. Tổ chức sinh hoạt",
            "label": "Nội dung sinh hoạt chuyên đề (tháng có sinh hoạt chuyên đề)",
            "max": 5,
            "auto": "",
            "must_have": False,
            "thematic_only": True,
            "bands": [],
        },
        {
            "code": "conduct_praise",
            "group": "4. Tổ chức sinh hoạt",
            "label": "Biểu dương, phê bình",
            "max": 2,
            "auto": "commendations",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "conduct_speakers",
            "group": "4. Tổ chức sinh hoạt",
            "label": "Tỷ lệ đảng viên dự họp phát biểu",
            "max": 5,
            "auto": "speakers_share",
            "must_have": True,
            "thematic_only": False,
            "bands": [
                {"from": 50.1, "points": 5},
                {"from": 40.0, "points": 4},
                {"from": 30.0, "points": 3},
                {"from": 0.0, "points": 2},
            ],
        },
        {
            "code": "conduct_minutes",
            "group": "4. Tổ chức sinh hoạt",
            "label": "Ghi biên bản đầy đủ",
            "max": 1,
            "auto": "minutes_written",
            "must_have": True,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "conduct_thinking",
            "group": "4. Tổ chức sinh hoạt",
            "label": "Dành 15–30 phút trao đổi tư tưởng, tự phê bình và phê bình",
            "max": 1,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "conduct_handbook",
            "group": "4. Tổ chức sinh hoạt",
            "label": "Sử dụng tài liệu trên Sổ tay đảng viên",
            "max": 1,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "chair_flexible",
            "group": "5. Điều hành của bí thư",
            "label": "Điều hành linh hoạt",
            "max": 2,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "chair_steering",
            "group": "5. Điều hành của bí thư",
            "label": "Định hướng thảo luận",
            "max": 4,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "chair_democracy",
            "group": "5. Điều hành của bí thư",
            "label": "Không khí dân chủ",
            "max": 3,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "chair_synthesis",
            "group": "5. Điều hành của bí thư",
            "label": "Tổng hợp, kết luận",
            "max": 1,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "principle_centralism",
            "group": "6. Nguyên tắc tổ chức",
            "label": "Tập trung dân chủ",
            "max": 1,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "principle_criticism",
            "group": "6. Nguyên tắc tổ chức",
            "label": "Tự phê bình và phê bình nghiêm túc",
            "max": 2,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "principle_character",
            "group": "6. Nguyên tắc tổ chức",
            "label": "Tính lãnh đạo, giáo dục, chiến đấu",
            "max": 1,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "principle_information",
            "group": "6. Nguyên tắc tổ chức",
            "label": "Thông tin cho đảng viên, giải quyết tâm tư",
            "max": 1,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "results",
            "group": "7. Kết quả thực hiện nghị quyết tháng trước",
            "label": "Tỷ lệ chỉ tiêu, nhiệm vụ hoàn thành",
            "max": 30,
            "auto": "previous_assignments",
            "must_have": False,
            "thematic_only": False,
            "bands": [
                {"from": 90.0, "points": 30},
                {"from": 80.0, "points": 27},
                {"from": 70.0, "points": 24},
                {"from": 60.0, "points": 20},
                {"from": 50.0, "points": 15},
                {"from": 0.0, "points": 10},
            ],
        },
        {
            "code": "closing_adopted",
            "group": "8. Kết thúc",
            "label": "Thông qua kết luận, nghị quyết",
            "max": 2,
            "auto": "resolution_adopted",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "closing_assigned",
            "group": "8. Kết thúc",
            "label": "Thông qua biên bản, phân công nhiệm vụ",
            "max": 2,
            "auto": "assignments_set",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
        {
            "code": "closing_upload",
            "group": "8. Kết thúc",
            "label": "Đưa tài liệu lên Sổ tay đảng viên trong 2 ngày",
            "max": 1,
            "auto": "",
            "must_have": False,
            "thematic_only": False,
            "bands": [],
        },
    ]
}

# R1.13 (meeting ratings) and R4.3 (366-QĐ/TW Art. 11, annual review) points.
MEETING_RATING_BANDS: dict[str, int] = {"good": 90, "fair": 70, "average": 50}
REVIEW_RATING_BANDS: dict[str, int] = {"excellent": 90, "good": 70, "completed": 50}


def _charter_regulations(key: str, value: Any, *, source: str, **latest: Any) -> list[RuleVersion]:
    """A rule of the regulation implementing the Charter that DOMAIN.md quotes for 294-QĐ/TW
    (and 208 per quiz) only: the 29-QĐ/TW and 24-QĐ/TW versions keep its value, unsure, with
    `SILENT_NOTE` (DOMAIN §0: 29 (2016) → 24 (2021) → 294 (2025); 232-QĐ/TW (2025) is listed
    between 24 and 294 without a date and is not modelled). `latest` are the fields of the 294
    version (regulation, clause, confidence, note, …)."""
    older = {
        "value": value,
        "clause": "",
        "confidence": UNSURE,
        "source": source,
        "note": SILENT_NOTE,
        "basis": CHIBO,
    }
    return [
        RuleVersion(
            key=key,
            regulation=REG_29,
            effective_from=REG_29_FROM,
            effective_to=_day_before(REG_24_FROM),
            **older,
        ),
        RuleVersion(
            key=key,
            regulation=REG_24,
            effective_from=REG_24_FROM,
            effective_to=_day_before(REG_294_FROM),
            **older,
        ),
        RuleVersion(
            key=key,
            value=value,
            source=source,
            **{"regulation": REG_294, "effective_from": REG_294_FROM, **latest},
        ),
    ]


def _meeting_guides(key: str, value: Any, *, source: str, **latest: Any) -> list[RuleVersion]:
    """A meeting rule DOMAIN.md quotes from 12-HD/BTCTW (2018): the 09-HD/BTCTW (2012) version
    keeps its value, unsure, with `SILENT_NOTE`. `latest` are the fields of the 12-HD version."""
    return [
        RuleVersion(
            key=key,
            value=value,
            regulation=HD_09_2012,
            clause="",
            effective_from=HD_09_2012_FROM,
            effective_to=_day_before(HD_12_2018_FROM),
            confidence=UNSURE,
            source=source,
            note=SILENT_NOTE,
            basis=CHIBO,
        ),
        RuleVersion(
            key=key,
            value=value,
            source=source,
            **{"regulation": HD_12_2018, "clause": "", "effective_from": HD_12_2018_FROM, **latest},
        ),
    ]


def _dues(key: str, value: Any, *, note: Promise | str = "") -> list[RuleVersion]:
    """A dues rate (R3.29): 342-QĐ/TW (2010) until 01-QĐ/TW (2026) came into force. DOMAIN.md
    gives no rate under 342 (only the share a cell remitted, R3.31), so its version keeps the
    2026 rate, unsure, with `SILENT_NOTE`."""
    return [
        RuleVersion(
            key=key,
            value=value,
            regulation=REG_342,
            clause="",
            effective_from=REG_342_FROM,
            effective_to=_day_before(REG_01_2026_FROM),
            confidence=UNSURE,
            source="R3.29, R3.31 [S19]",
            note=SILENT_NOTE,
            basis=CHIBO,
        ),
        RuleVersion(
            key=key,
            value=value,
            regulation=REG_01_2026,
            clause="",
            effective_from=REG_01_2026_FROM,
            source="R3.29 [S28][S29]",
            note=note,
        ),
    ]


CENTRAL_VERSIONS: list[RuleVersion] = [
    # -- votes and organisation: the Charter of 2011, in force throughout (DOMAIN §0, §2) --
    RuleVersion(
        key="vote.majority",
        value={"numerator": 1, "denominator": 2, "strict": True},
        regulation=CHARTER,
        clause="Điều 10, khoản 5",
        effective_from=CHARTER_FROM,
        source="R2.1 [S30] (detailed in Quy định thi hành Điều lệ, điểm 9.3)",
    ),
    RuleVersion(
        key="vote.two_thirds",
        value={"numerator": 2, "denominator": 3, "strict": False},
        regulation=CHARTER,
        clause="Điều 5, khoản 2",
        effective_from=CHARTER_FROM,
        source="R2.5 [S19][S49] (admission: Hướng dẫn 06-HD/TW 2025, điểm 3.6b)",
    ),
    RuleVersion(
        key="cell.min_official_members",
        value=3,
        regulation=CHARTER,
        clause="Điều 24, khoản 1",
        effective_from=CHARTER_FROM,
        source="R2.7 [S19]",
    ),
    RuleVersion(
        key="cell.committee_min_official_members",
        value=9,
        regulation=CHARTER,
        clause="Điều 24, khoản 4",
        effective_from=CHARTER_FROM,
        source="R2.8 [S5][S52]",
    ),
    # R2.8: a cell committee has at most 7 members; DOMAIN quotes it from 29-QĐ/TW only.
    RuleVersion(
        key="cell.committee_max_members",
        value=7,
        regulation=REG_29,
        clause="",
        effective_from=REG_29_FROM,
        effective_to=_day_before(REG_24_FROM),
        source="R2.8 [S5][S52]",
    ),
    *[
        RuleVersion(
            key="cell.committee_max_members",
            value=7,
            regulation=regulation,
            clause="",
            effective_from=start,
            effective_to=end,
            confidence=UNSURE,
            source="R2.8 [S5][S52]",
            basis=CHIBO,
            note=gettext_lazy(
                "The number is stated in 29-QĐ/TW (2016); chibo keeps it under the later "
                "regulations by default."
            ),
        )
        for regulation, start, end in (
            (REG_24, REG_24_FROM, _day_before(REG_294_FROM)),
            (REG_294, REG_294_FROM, None),
        )
    ],
    RuleVersion(
        key="grassroots.committee_min_members",
        value=30,
        regulation=CHARTER,
        clause="Điều 21",
        effective_from=CHARTER_FROM,
        source="R6.1 [S87b][S52]",
    ),
    # -- meetings (DOMAIN §1): 09-HD/BTCTW (2012) → 12-HD/BTCTW (2018) → 42-HD/BTCTW (2025) --
    *_meeting_guides(
        "meeting.min_duration_minutes",
        [{"members_from": 0, "minutes": 90}],
        source="R1.8 [S8]",
        effective_to=_day_before(HD_42_2025_FROM),
    ),
    RuleVersion(
        key="meeting.min_duration_minutes",
        value=[{"members_from": 0, "minutes": 90}, {"members_from": 30, "minutes": 120}],
        regulation=HD_42_2025,
        clause="",
        effective_from=HD_42_2025_FROM,
        confidence=UNSURE,
        source="R1.9 [S44]",
        note=gettext_lazy(
            "The sources conflict: the bands by cell size apply under the reading "
            '"by cell size"; under the reading "by kind" only the first band applies, and a '
            "regular meeting combined with a thematic one needs the combined minimum. The "
            "reading is a setting a committee may change."
        ),
    ),
    RuleVersion(
        key="meeting.duration_reading",
        value=DURATION_BY_CELL_SIZE,
        regulation=HD_42_2025,
        clause="",
        effective_from=HD_42_2025_FROM,
        confidence=UNSURE,
        source="R1.9 [S44][S45]",
        note=gettext_lazy(
            "Two apps built on 42-HD/BTCTW read it differently and its text was not seen; "
            "chibo selects the reading by cell size. A committee may select the other one."
        ),
    ),
    RuleVersion(
        key="meeting.combined_min_duration_minutes",
        value=120,
        regulation=HD_42_2025,
        clause="",
        effective_from=HD_42_2025_FROM,
        confidence=UNSURE,
        source="R1.9 [S45]",
        note=gettext_lazy('Used only under the reading "by kind" (meeting.duration_reading).'),
    ),
    *_meeting_guides(
        "meeting.attendance_warning_percent",
        85,
        source="R1.5 criterion 1, R2.9 [S8][S13]",
        note=gettext_lazy(
            "No attendance quorum for a regular meeting was found; below this rate chibo "
            "warns, it does not invalidate the meeting."
        ),
    ),
    *_meeting_guides(
        "meeting.max_consecutive_excused_absences",
        3,
        source="R1.5 criterion 1 [S8][S13]",
    ),
    RuleVersion(
        key="meeting.rating_bands",
        value=MEETING_RATING_BANDS,
        regulation="Sổ tay của Đảng bộ tỉnh Bình Thuận; khối cơ quan tỉnh Phú Thọ",
        clause="",
        effective_from=HD_12_2018_FROM,
        source="R1.13 [S17][S18]",
        basis=LOCAL,
        note=gettext_lazy(
            "Common practice in provincial handbooks (Bình Thuận, Phú Thọ) under the criteria "
            "of 12-HD/BTCTW, whose date is shown; no central regulation sets these points. Each "
            "provincial committee sets its own points scale and may override these bands. Good "
            "also needs full marks on the must-have criteria."
        ),
    ),
    RuleVersion(
        key="meeting.scoring_frame",
        value=AN_PHU_FRAME,
        regulation=HD_12_2018,
        clause="",
        effective_from=HD_12_2018_FROM,
        effective_to=_day_before(HD_42_2025_FROM),
        confidence=UNSURE,
        source="R1.13, R1.14, R1.17 [S39][S42][S44]",
        basis=CHIBO,
        note=gettext_lazy(
            "Under 12-HD/BTCTW each provincial committee issued its own 100-point frame (for "
            "example Quảng Nam 15-QĐi/TU, Nghệ An 27-QĐ/TU); chibo's sources give none in full, "
            "so chibo applies the frame of Phường An Phú by default. Override it with your "
            "province's frame."
        ),
    ),
    RuleVersion(
        key="meeting.scoring_frame",
        value=AN_PHU_FRAME,
        regulation="Khung chấm điểm của Phường An Phú (theo Hướng dẫn 42-HD/BTCTW)",
        clause="",
        effective_from=HD_42_2025_FROM,
        confidence=UNSURE,
        source="R1.17 [S44]",
        basis=LOCAL,
        note=gettext_lazy(
            "The frame of one ward (Phường An Phú), found in third-party code; every provincial "
            "committee issues its own and should override it."
        ),
    ),
    *_meeting_guides(
        "meeting.thematic_min_per_quarter",
        1,
        source="R1.3 [S6]",
        effective_to=_day_before(HD_42_2025_FROM),
    ),
    RuleVersion(
        key="meeting.thematic_min_per_quarter",
        value=1,
        regulation=HD_42_2025,
        clause="",
        effective_from=HD_42_2025_FROM,
        confidence=LIKELY,
        source="R1.3 [S45]",
    ),
    # Only known under 42-HD (the e-handbook app); earlier dates get it by default.
    RuleVersion(
        key="meeting.notice_days_before",
        value=1,
        regulation=HD_42_2025,
        clause="",
        effective_from=HD_42_2025_FROM,
        confidence=UNSURE,
        source="R1.12 [S44][S45]",
        note=gettext_lazy("Materials are posted on the Party member e-handbook app."),
    ),
    RuleVersion(
        key="meeting.final_upload_days_after",
        value=2,
        regulation=HD_42_2025,
        clause="",
        effective_from=HD_42_2025_FROM,
        confidence=UNSURE,
        source="§1.4 step 16 [S44][S45]",
    ),
    # -- admission, probation, transfers (DOMAIN §3) --
    *_charter_regulations(
        "admission.age_min_months", 18 * 12, source="R3.1 [S19][S37][S55]", clause="Điều 1"
    ),
    *_charter_regulations(
        "admission.age_max_months",
        60 * 12,
        source="R3.1 [S19][S37][S55]",
        clause="Điều 1",
        note=gettext_lazy(
            "Admitting someone older is decided by a committee directly under the Central "
            "Committee."
        ),
    ),
    *_charter_regulations(
        "admission.introducer_min_months", 12, source="R3.5 [S19][S58]", clause=""
    ),
    RuleVersion(
        key="admission.candidate_review_interval_months",
        value=1,
        regulation="Thực tiễn công tác phát triển đảng viên của chi bộ",
        clause="",
        effective_from=CHARTER_FROM,
        confidence=LIKELY,
        source="R3.12 [S57][S62]",
        basis=LOCAL,
        note=gettext_lazy(
            "Cells review their list of candidates every month; no central regulation sets it."
        ),
    ),
    RuleVersion(
        key="awareness_certificate.valid_months",
        value=60,
        regulation=HD_01_2021,
        clause="",
        effective_from=HD_01_2021_FROM,
        effective_to=_day_before(HD_06_2025_FROM),
        confidence=UNSURE,
        source="R3.4 [S19]",
        note=SILENT_NOTE,
        basis=CHIBO,
    ),
    RuleVersion(
        key="awareness_certificate.valid_months",
        value=60,
        regulation=HD_06_2025,
        clause="Điểm 5.4",
        effective_from=HD_06_2025_FROM,
        confidence=LIKELY,
        source="R3.4 [S19]",
    ),
    *_charter_regulations(
        "admission.ceremony_deadline_working_days",
        30,
        source="R3.6 [S19][S37]",
        clause="Điểm 5.4",
    ),
    RuleVersion(
        key="admission.personal_history_deadline_working_days",
        value=30,
        regulation=HD_12_2012,
        clause="",
        effective_from=HD_12_2012_FROM,
        effective_to=_day_before(HD_09_2017_FROM),
        confidence=UNSURE,
        source="R3.7 [S19]",
        note=SILENT_NOTE,
        basis=CHIBO,
    ),
    RuleVersion(
        key="admission.personal_history_deadline_working_days",
        value=30,
        regulation=HD_09_2017,
        clause="",
        effective_from=HD_09_2017_FROM,
        effective_to=_day_before(HD_12_2022_FROM),
        confidence=UNSURE,
        source="R3.7 [S19]",
        note=SILENT_NOTE,
        basis=CHIBO,
    ),
    RuleVersion(
        key="admission.personal_history_deadline_working_days",
        value=30,
        regulation=HD_12_2022,
        clause="Điểm 2.2",
        effective_from=HD_12_2022_FROM,
        confidence=LIKELY,
        source="R3.7 [S19]",
    ),
    RuleVersion(
        key="probation.months",
        value=12,
        regulation=CHARTER,
        clause="Điều 5, khoản 1",
        effective_from=CHARTER_FROM,
        source="R3.8 [S49][S59]",
    ),
    *_charter_regulations(
        "recognition.deadline_working_days", 30, source="R3.9 [S19]", clause="Điểm 4.2"
    ),
    RuleVersion(
        key="recognition.effective_date",
        value=RECOGNITION_AT_PROBATION_END,
        regulation=HD_01_2021,
        clause="",
        effective_from=HD_01_2021_FROM,
        effective_to=_day_before(REG_208_FROM),
        confidence=LIKELY,
        source="R3.9, DOMAIN §9a",
        note=gettext_lazy(
            "The guidance of 2021 is read as making the member official when probation ends, "
            "even when the decision comes later; the date of the decision is the other setting."
        ),
    ),
    RuleVersion(
        key="recognition.effective_date",
        value=RECOGNITION_AT_PROBATION_END,
        regulation=REG_208,
        clause="",
        effective_from=REG_208_FROM,
        confidence=LIKELY,
        source="R3.9 [S37], DOMAIN §9a",
        note=gettext_lazy(
            "Known from quiz banks only; the date of the decision is the other setting."
        ),
    ),
    *_charter_regulations(
        "transfer.official_deadline_working_days",
        60,
        source="R3.13 [S19][S37]",
        clause="Điểm 6.3.1a",
        confidence=LIKELY,
    ),
    RuleVersion(
        key="removal.unexcused_months_per_year",
        value=3,
        regulation=REG_29,
        clause="Điểm 8.1",
        effective_from=REG_29_FROM,
        effective_to=_day_before(REG_24_FROM),
        source="§3.4 [S65][S66]",
    ),
    RuleVersion(
        key="removal.unexcused_months_per_year",
        value=3,
        regulation=REG_24,
        clause="",
        effective_from=REG_24_FROM,
        effective_to=_day_before(REG_294_FROM),
        source="§3.4 [S65][S66]",
    ),
    RuleVersion(
        key="removal.unexcused_months_per_year",
        value=3,
        regulation=REG_294,
        clause="",
        effective_from=REG_294_FROM,
        effective_to=_day_before(REG_01_2026_FROM),
        confidence=UNSURE,
        source="§3.4 [S65][S66][S37]",
        note=SILENT_NOTE,
        basis=CHIBO,
    ),
    RuleVersion(
        key="removal.unexcused_months_per_year",
        value=3,
        regulation=REG_01_2026,
        clause="",
        effective_from=REG_01_2026_FROM,
        source="§3.4 [S29][S37]",
        note=gettext_lazy(
            "Counted per calendar year, not as consecutive months; 01-QĐ/TW restates it for "
            "party dues."
        ),
    ),
    # R3.11: DOMAIN has the 36 months only from 208-QĐ/TW (quiz); 294 §3.5.2 only lists
    # grounds that bar re-admission.
    *_charter_regulations(
        "readmission.min_months_after_leaving",
        36,
        source="R3.11 [S19][S37]",
        clause="",
        effective_to=_day_before(REG_208_FROM),
        confidence=UNSURE,
        basis=CHIBO,
        note=gettext_lazy(
            "chibo's sources give 36 months only for 208-QĐ/TW (26/7/2026); for this "
            "regulation they name only grounds that bar re-admission (294-QĐ/TW, điểm 3.5.2). "
            "chibo applies 36 months by default: check it against the text."
        ),
    ),
    RuleVersion(
        key="readmission.min_months_after_leaving",
        value=36,
        regulation=REG_208,
        clause="",
        effective_from=REG_208_FROM,
        confidence=UNSURE,
        source="R3.11 [S37]",
        note=gettext_lazy(
            "Known from a quiz bank only; check the text. Some grounds bar re-admission entirely."
        ),
    ),
    # R3.17: exempted members are not rated (24-QĐ/TW, điểm 7.1 [S63]); the length is chibo's.
    RuleVersion(
        key="exemption.rating_excluded_min_months",
        value=6,
        regulation=REG_24,
        clause="Điểm 7.1",
        effective_from=REG_24_FROM,
        effective_to=_day_before(REG_294_FROM),
        confidence=UNSURE,
        source="R3.17 [S63]",
        basis=CHIBO,
        note=gettext_lazy(
            "The regulation leaves exempted members out of the annual rating but sets "
            "no length. The months are chibo's default: chibo leaves out a member exempted on "
            "31 December or for at least this many months of the year."
        ),
    ),
    RuleVersion(
        key="exemption.rating_excluded_min_months",
        value=6,
        regulation=REG_294,
        clause="",
        effective_from=REG_294_FROM,
        confidence=UNSURE,
        source="R3.17 [S63][S37]",
        basis=CHIBO,
        note=gettext_lazy(
            "Exempted members are not rated; the "
            "regulations set no length. The months are chibo's default: chibo leaves out a "
            "member exempted on 31 December or for at least this many months of the year."
        ),
    ),
    # Older discipline regulations (22-QĐ/TW, 69-QĐ/TW) have no date or period in DOMAIN.
    RuleVersion(
        key="discipline.appeal_days",
        value=30,
        regulation=REG_296,
        clause="",
        effective_from=REG_296_FROM,
        confidence=LIKELY,
        source="R3.19 [S19]",
    ),
    # Which level may decide which disciplinary form ({level: [forms]}). R3.19: the cell may
    # reprimand or warn its members; the cell committee has no disciplinary power; breaches of
    # tasks given by upper levels go to the competent level; expulsion needs the upper level.
    RuleVersion(
        key="discipline.authority",
        value={
            "cell": ["reprimand", "warning"],
            "cell_committee": [],
            "grassroots_committee": ["reprimand", "warning", "dismissal_from_post"],
            "upper_committee": ["reprimand", "warning", "dismissal_from_post", "expulsion"],
            "inspection_committee": ["reprimand", "warning", "dismissal_from_post", "expulsion"],
        },
        regulation="Quy định 296-QĐ/TW (30/5/2025)",
        clause="",
        effective_from=datetime.date(2025, 5, 30),
        confidence=LIKELY,
        source="R3.19 [S19]",
        note=gettext_lazy(
            "The cell's and the cell committee's powers and the upper level's for expulsion "
            "follow 296-QĐ/TW; the grassroots committee's and the inspection committees' lists "
            "are chibo's reading of the Party Charter (Điều 36), to be checked against the "
            "regulation."
        ),
    ),
    # 01-HD/TW (2016) has no date in DOMAIN: earlier dates get the 2021 guidance by default.
    RuleVersion(
        key="badge.milestones_years",
        value=[30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
        regulation=HD_01_2021,
        clause="Điểm 18",
        effective_from=HD_01_2021_FROM,
        source="R3.24 [S72][S73]",
        note=gettext_lazy("06-HD/TW (2025) may have changed this list."),
    ),
    RuleVersion(
        key="badge.award_occasions",
        value=["03/02", "19/05", "02/09", "07/11"],
        regulation=HD_01_2021,
        clause="Điểm 18",
        effective_from=HD_01_2021_FROM,
        source="R3.26 [S74]",
        note=gettext_lazy(
            "And other important occasions; special cases are decided by the provincial "
            "standing committee."
        ),
    ),
    RuleVersion(
        key="badge.early_award_months",
        value=[
            {"from_years": 30, "to_years": 65, "months": 12},
            {"from_years": 70, "to_years": 90, "months": 24},
        ],
        regulation=HD_01_2021,
        clause="Điểm 18",
        effective_from=HD_01_2021_FROM,
        source="R3.25 [S73]",
    ),
    # -- annual review (DOMAIN §4): 21-HD/BTCTW (2019, on 132-QĐ/TW) → 124-QĐ/TW → 366-QĐ/TW --
    RuleVersion(
        key="review.rating_bands",
        value=REVIEW_RATING_BANDS,
        regulation=HD_21_2019,
        clause="",
        effective_from=HD_21_2019_FROM,
        effective_to=_day_before(REG_124_FROM),
        confidence=UNSURE,
        source="R4.3 R4.4 [S77]",
        note=SILENT_NOTE,
        basis=CHIBO,
    ),
    RuleVersion(
        key="review.rating_bands",
        value=REVIEW_RATING_BANDS,
        regulation=REG_124,
        clause="",
        effective_from=REG_124_FROM,
        effective_to=_day_before(REG_366_FROM),
        confidence=UNSURE,
        source="R4.1 R4.5 [S79]",
        note=SILENT_NOTE,
        basis=CHIBO,
    ),
    RuleVersion(
        key="review.rating_bands",
        value=REVIEW_RATING_BANDS,
        regulation=REG_366,
        clause="Điều 11",
        effective_from=REG_366_FROM,
        source="R4.3 [S26][S27]",
        note=gettext_lazy(
            "Each level also has conditions besides the points (tasks done on time, and more)."
        ),
    ),
    RuleVersion(
        key="review.member_criteria_frame",
        value=MEMBER_CRITERIA_FRAME,
        regulation=HD_21_2019,
        clause="",
        effective_from=HD_21_2019_FROM,
        effective_to=_day_before(REG_124_FROM),
        confidence=UNSURE,
        source="R4.6 [S80]",
        basis=CHIBO,
        note=gettext_lazy(
            "The criteria are those of Hướng dẫn 21-HD/BTCTW for members without a leadership "
            "post; the split of the 100 points is chibo's default, for each province to override."
        ),
    ),
    RuleVersion(
        key="review.member_criteria_frame",
        value=MEMBER_CRITERIA_FRAME,
        regulation=REG_124,
        clause="",
        effective_from=REG_124_FROM,
        effective_to=_day_before(REG_366_FROM),
        confidence=UNSURE,
        source="R4.2 R4.6",
        basis=CHIBO,
        note=gettext_lazy(
            "The criteria are those of Hướng dẫn 21-HD/BTCTW for members without a leadership "
            "post; the split of the 100 points is chibo's default, for each province to override."
        ),
    ),
    RuleVersion(
        key="review.member_criteria_frame",
        value=MEMBER_CRITERIA_FRAME,
        regulation=REG_366,
        clause="",
        effective_from=REG_366_FROM,
        confidence=UNSURE,
        source="R4.2 R4.6",
        basis=CHIBO,
        note=gettext_lazy(
            "The criteria are those of Hướng dẫn 21-HD/BTCTW for members without a leadership "
            "post; the split of the 100 points is chibo's default, for each province to override."
        ),
    ),
    RuleVersion(
        key="review.excellent_quota_percent_of_good",
        value=20,
        regulation=HD_21_2019,
        clause="",
        effective_from=HD_21_2019_FROM,
        effective_to=_day_before(REG_124_FROM),
        confidence=LIKELY,
        source="R4.4 [S77]",
    ),
    RuleVersion(
        key="review.excellent_quota_percent_of_good",
        value=20,
        regulation=REG_124,
        clause="",
        effective_from=REG_124_FROM,
        effective_to=_day_before(REG_366_FROM),
        confidence=LIKELY,
        source="R4.4 [S77]",
        note=gettext_lazy(
            "Quoted from Hướng dẫn 21-HD/BTCTW (2019) for the regime of 2019 and 2023."
        ),
    ),
    RuleVersion(
        key="review.excellent_quota_percent_of_good",
        value=20,
        regulation=REG_366,
        clause="",
        effective_from=REG_366_FROM,
        confidence=LIKELY,
        source="R4.4 [S76][S78]",
        note=gettext_lazy(
            "Not confirmed for Party members under 366-QĐ/TW; civil servants keep 20% "
            "(Decree 335/2025)."
        ),
    ),
    # -- dues (DOMAIN §3.8): 342-QĐ/TW (2010) → 01-QĐ/TW (2026) --
    *_dues(
        "dues.salary_percent",
        1.0,
        note=gettext_lazy(
            "Of last month's insurable salary, or of the sickness or maternity benefit."
        ),
    ),
    *_dues("dues.pension_percent", 0.5),
    *_dues("dues.student_amount_vnd", 5000),
    # DOMAIN §9a: no central rule sets how long a level has to answer a proposal; field report
    # 000 (Quảng Ninh) only says the upper-level members collect proposals "để báo cáo cấp có
    # thẩm quyền giải quyết", with no time limit. 15 working days per level is chibo's default.
    RuleVersion(
        key="proposal.deadline_working_days",
        value=15,
        regulation="Mặc định của chibo (không tìm thấy quy định trung ương)",
        clause="",
        effective_from=CHARTER_FROM,
        confidence=UNSURE,
        source="DOMAIN §9a; field report 000",
        basis=CHIBO,
        note=gettext_lazy(
            "No regulation found sets the time a level has to answer a proposal; each level "
            "gets this many working days from the day the proposal reaches it. A committee may "
            "set its own."
        ),
    ),
    # DOMAIN R1.16 (Phú Thọ, likely, local): the annual meeting quality from the monthly
    # ratings of the year's regular meetings. The source is cut off after "Khá"; the average
    # and poor levels are chibo's choice, said in the note.
    RuleVersion(
        key="meeting_quality.annual_rating",
        value={
            "good_share_fair_or_better": 100,
            "good_min_good": 7,
            "fair_share_average_or_better": 100,
            "average_max_poor": 2,
        },
        regulation="Hướng dẫn của khối cơ quan tỉnh Phú Thọ",
        clause="",
        effective_from=HD_12_2018_FROM,
        confidence=LIKELY,
        source="R1.16 [S18]",
        basis=LOCAL,
        note=gettext_lazy(
            "Phú Thọ: good when 100% of the year's regular meetings are rated fair or better "
            "and at least 7 are rated good; fair when 100% are rated average or better. The "
            "source is cut off there: average (at most 2 meetings rated poor, else poor) is "
            "chibo's choice. Thematic and extraordinary meetings are not counted: the rule speaks "
            "of regular meetings."
        ),
    ),
    # DOMAIN §1.5 and issue 11 (field report 003: "nội dung đơn điệu, qua loa"): no regulation
    # says when a meeting is perfunctory; these thresholds are chibo's defaults.
    RuleVersion(
        key="perfunctory.thresholds",
        value={
            "similarity_percent": 95,
            "min_length": 120,
            "lookback_meetings": 3,
            "compare_evaluation": True,
            "compare_tasks": True,
            "compare_implementation": False,
            "compare_review_notes": False,
            "speakers_meetings": 6,
            "speakers_max": 2,
            "speakers_share_percent": 90,
            "speakers_min_present": 8,
        },
        regulation="Mặc định của chibo (không tìm thấy quy định)",
        clause="",
        effective_from=CHARTER_FROM,
        confidence=UNSURE,
        source="R1.16; issue 11; field report 003",
        basis=CHIBO,
        note=gettext_lazy(
            "No regulation says when a meeting is perfunctory. chibo compares the month's "
            "review and next month's tasks with the same cell's previous meetings only, never "
            "with other cells; the implementation paragraph is usually a set formula and is not "
            "compared unless a committee adds it. A flag is a question for the level above, "
            "not a finding."
        ),
    ),
    # DOMAIN R7.2: Kon Tum's QĐ 776-QĐ/TU (16/1/2023) — one province's rule, no central one
    # found. Keyed by the level of the committee the visitor sits on: province and bloc →
    # "province"; commune, ward, special zone → "commune"; "district" kept for the record (no
    # district level since 7/2025); grassroots and subordinate committees → "grassroots", set
    # like the commune by chibo's choice (Kon Tum says nothing of them). A visit to the
    # visitor's own cell does not count.
    RuleVersion(
        key="visit.yearly_minimum",
        value={"province": 2, "district": 6, "commune": 6, "grassroots": 6},
        regulation="Quy định 776-QĐ/TU ngày 16/1/2023 của Tỉnh ủy Kon Tum",
        clause="",
        effective_from=datetime.date(2023, 1, 16),
        confidence=UNSURE,
        source="R7.2 [S101]",
        basis=LOCAL,
        note=gettext_lazy(
            "One province's rule (Kon Tum): province committee members at least 2 visits a "
            "year, district and commune committee members at least 6; a visit to one's own "
            "cell does not count. The grassroots figure is chibo's choice. A province may set "
            "its own."
        ),
    ),
    # DOMAIN R7.5, §9a: no central rule on model meetings' rotation; Vị Xuyên (field report 002)
    # rotates a model meeting across all cells each quarter, through every term.
    RuleVersion(
        key="model_meeting.rotation",
        value={"per_quarter": 1},
        regulation="Mô hình sinh hoạt chi bộ điểm luân phiên của Huyện ủy Vị Xuyên (Hà Giang)",
        clause="",
        effective_from=CHARTER_FROM,
        confidence=LIKELY,
        source="DOMAIN R7.5, §9a; field report 002",
        basis=LOCAL,
        note=gettext_lazy(
            "One district's practice: each quarter a model meeting of each cell type, rotating "
            "across all the cells through every term. A committee may set its own."
        ),
    ),
]
