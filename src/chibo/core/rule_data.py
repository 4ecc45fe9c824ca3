"""Data module: the central rule versions (DESIGN §2.1: rules are data with a source).

Every threshold chibo computes with, with the regulation and clause that set it, the dates it is
in force and how sure we are of it (DOMAIN.md's confidence legend: "sure", "likely", "unsure";
an "unsure" rule is a configurable default, never fixed law): `RuleVersion`s in
`CENTRAL_VERSIONS`, several per key when a regulation changed (DOMAIN §0). The engine that
resolves them for an organization and a date is `core.rules`.

Every number, regulation and clause below is taken from DOMAIN.md; the rule id (R…) and source
([S…]) are given on each version. A clause left empty means DOMAIN.md does not name one.
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


def _day_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=1)


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

CENTRAL_VERSIONS: list[RuleVersion] = [
    # -- votes (DOMAIN §2) --
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
    RuleVersion(
        key="grassroots.committee_min_members",
        value=30,
        regulation=CHARTER,
        clause="Điều 21",
        effective_from=CHARTER_FROM,
        source="R6.1 [S87b][S52]",
    ),
    # -- meetings (DOMAIN §1) --
    RuleVersion(
        key="meeting.min_duration_minutes",
        value=[{"members_from": 0, "minutes": 90}],
        regulation=HD_12_2018,
        clause="",
        effective_from=HD_12_2018_FROM,
        effective_to=_day_before(HD_42_2025_FROM),
        source="R1.8 [S8]",
    ),
    RuleVersion(
        key="meeting.min_duration_minutes",
        value=[{"members_from": 0, "minutes": 90}, {"members_from": 30, "minutes": 120}],
        regulation=HD_42_2025,
        clause="",
        effective_from=HD_42_2025_FROM,
        confidence=UNSURE,
        source="R1.9 [S44][S45]",
        note=gettext_lazy(
            "The sources conflict: another reading of 42-HD/BTCTW asks for 120 minutes only "
            "when a regular meeting is combined with a thematic one."
        ),
    ),
    RuleVersion(
        key="meeting.attendance_warning_percent",
        value=85,
        regulation=HD_12_2018,
        clause="",
        effective_from=HD_12_2018_FROM,
        source="R1.5 criterion 1, R2.9 [S8][S13]",
        note=gettext_lazy(
            "No attendance quorum for a regular meeting was found; below this rate chibo "
            "warns, it does not invalidate the meeting."
        ),
    ),
    RuleVersion(
        key="meeting.max_consecutive_excused_absences",
        value=3,
        regulation=HD_12_2018,
        clause="",
        effective_from=HD_12_2018_FROM,
        source="R1.5 criterion 1 [S8][S13]",
    ),
    RuleVersion(
        key="meeting.rating_bands",
        value={"good": 90, "fair": 70, "average": 50},
        regulation=HD_12_2018,
        clause="",
        effective_from=HD_12_2018_FROM,
        source="R1.13 [S17][S18]",
        note=gettext_lazy(
            "Common practice (Bình Thuận, Phú Thọ handbooks); each provincial committee sets "
            "its own points scale and may override these bands. Good also needs full marks on "
            "the must-have criteria."
        ),
    ),
    RuleVersion(
        key="meeting.scoring_frame",
        value=AN_PHU_FRAME,
        regulation=HD_42_2025,
        clause="",
        effective_from=HD_42_2025_FROM,
        confidence=UNSURE,
        source="R1.17 [S44]",
        note=gettext_lazy(
            "The frame of one ward (Phường An Phú), found in third-party code; every provincial "
            "committee issues its own and should override it."
        ),
    ),
    RuleVersion(
        key="meeting.thematic_min_per_quarter",
        value=1,
        regulation=HD_12_2018,
        clause="",
        effective_from=HD_12_2018_FROM,
        effective_to=_day_before(HD_42_2025_FROM),
        source="R1.3 [S6]",
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
    RuleVersion(
        key="admission.age_min_months",
        value=18 * 12,
        regulation=REG_294,
        clause="Điều 1",
        effective_from=REG_294_FROM,
        source="R3.1 [S19][S37][S55]",
    ),
    RuleVersion(
        key="admission.age_max_months",
        value=60 * 12,
        regulation=REG_294,
        clause="Điều 1",
        effective_from=REG_294_FROM,
        source="R3.1 [S19][S37][S55]",
        note=gettext_lazy(
            "Admitting someone older is decided by a committee directly under the Central "
            "Committee."
        ),
    ),
    RuleVersion(
        key="admission.introducer_min_months",
        value=12,
        regulation=REG_294,
        clause="",
        effective_from=REG_294_FROM,
        source="R3.5 [S19][S58]",
    ),
    RuleVersion(
        key="admission.candidate_review_interval_months",
        value=1,
        regulation="Thực tiễn công tác phát triển đảng viên của chi bộ",
        clause="",
        effective_from=CHARTER_FROM,
        confidence=LIKELY,
        source="R3.12 [S57][S62]",
        note=gettext_lazy(
            "Cells review their list of candidates every month; no central regulation sets it."
        ),
    ),
    RuleVersion(
        key="awareness_certificate.valid_months",
        value=60,
        regulation="Hướng dẫn 06-HD/TW (09/6/2025)",
        clause="Điểm 5.4",
        effective_from=datetime.date(2025, 6, 9),
        confidence=LIKELY,
        source="R3.4 [S19]",
    ),
    RuleVersion(
        key="admission.ceremony_deadline_working_days",
        value=30,
        regulation=REG_294,
        clause="Điểm 5.4",
        effective_from=REG_294_FROM,
        source="R3.6 [S19][S37]",
    ),
    RuleVersion(
        key="admission.personal_history_deadline_working_days",
        value=30,
        regulation="Hướng dẫn 12-HD/BTCTW (18/01/2022)",
        clause="Điểm 2.2",
        effective_from=datetime.date(2022, 1, 18),
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
    RuleVersion(
        key="recognition.deadline_working_days",
        value=30,
        regulation=REG_294,
        clause="Điểm 4.2",
        effective_from=REG_294_FROM,
        source="R3.9 [S19]",
    ),
    RuleVersion(
        key="transfer.official_deadline_working_days",
        value=60,
        regulation=REG_294,
        clause="Điểm 6.3.1a",
        effective_from=REG_294_FROM,
        confidence=LIKELY,
        source="R3.13 [S19][S37]",
    ),
    RuleVersion(
        key="removal.unexcused_months_per_year",
        value=3,
        regulation="Quy định 29-QĐ/TW (25/7/2016)",
        clause="Điểm 8.1",
        effective_from=datetime.date(2016, 7, 25),
        effective_to=datetime.date(2021, 7, 29),
        source="§3.4 [S65][S66]",
    ),
    RuleVersion(
        key="removal.unexcused_months_per_year",
        value=3,
        regulation="Quy định 24-QĐ/TW (30/7/2021)",
        clause="",
        effective_from=datetime.date(2021, 7, 30),
        effective_to=_day_before(REG_01_2026_FROM),
        source="§3.4 [S65][S66]",
    ),
    RuleVersion(
        key="removal.unexcused_months_per_year",
        value=3,
        regulation=REG_01_2026,
        clause="",
        effective_from=REG_01_2026_FROM,
        source="§3.4 [S29][S37]",
        note=gettext_lazy(
            "Counted per calendar year, not as consecutive months. 01-QĐ/TW restates the dues "
            "part; the clause in the current Charter regulation was not seen."
        ),
    ),
    RuleVersion(
        key="readmission.min_months_after_leaving",
        value=36,
        regulation=REG_294,
        clause="Điểm 3.5",
        effective_from=REG_294_FROM,
        effective_to=datetime.date(2026, 7, 25),
        confidence=UNSURE,
        source="R3.11 [S19][S37]",
        note=gettext_lazy(
            "DOMAIN R3.11 cites 294 §3.5 for re-admission and a quiz bank for the 36 months; "
            "the number is not checked against the text of 294."
        ),
    ),
    RuleVersion(
        key="readmission.min_months_after_leaving",
        value=36,
        regulation="Quy định 208-QĐ/TW (26/7/2026)",
        clause="",
        effective_from=datetime.date(2026, 7, 26),
        confidence=UNSURE,
        source="R3.11 [S37]",
        note=gettext_lazy(
            "Known from a quiz bank only; check the text. Some grounds bar re-admission entirely."
        ),
    ),
    RuleVersion(
        key="exemption.rating_excluded_min_months",
        value=6,
        regulation=CHARTER,
        clause="Điều 7",
        effective_from=CHARTER_FROM,
        confidence=UNSURE,
        source="R3.17 [S63][S37]",
        note=gettext_lazy(
            "Exempted members are not rated (R3.17); the regulations set no length. chibo "
            "leaves out a member exempted on 31 December or for at least this many months of "
            "the year."
        ),
    ),
    RuleVersion(
        key="discipline.appeal_days",
        value=30,
        regulation="Quy định 296-QĐ/TW (30/5/2025)",
        clause="",
        effective_from=datetime.date(2025, 5, 30),
        confidence=LIKELY,
        source="R3.19 [S19]",
    ),
    RuleVersion(
        key="badge.milestones_years",
        value=[30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
        regulation="Hướng dẫn 01-HD/TW (28/9/2021)",
        clause="Điểm 18",
        effective_from=datetime.date(2021, 9, 28),
        source="R3.24 [S72][S73]",
        note=gettext_lazy("Not checked against 06-HD/TW (2025)."),
    ),
    RuleVersion(
        key="badge.award_occasions",
        value=["03/02", "19/05", "02/09", "07/11"],
        regulation="Hướng dẫn 01-HD/TW (28/9/2021)",
        clause="Điểm 18",
        effective_from=datetime.date(2021, 9, 28),
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
        regulation="Hướng dẫn 01-HD/TW (28/9/2021)",
        clause="Điểm 18",
        effective_from=datetime.date(2021, 9, 28),
        source="R3.25 [S73]",
    ),
    # -- annual review (DOMAIN §4) --
    RuleVersion(
        key="review.rating_bands",
        value={"excellent": 90, "good": 70, "completed": 50},
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
        regulation=REG_366,
        clause="",
        effective_from=REG_366_FROM,
        confidence=UNSURE,
        source="R4.2 R4.6",
        note=gettext_lazy(
            "The criteria are those of Hướng dẫn 21-HD/BTCTW for members without a leadership "
            "post; the split of the 100 points is chibo's default, for each province to override."
        ),
    ),
    RuleVersion(
        key="review.excellent_quota_percent_of_good",
        value=20,
        regulation="Hướng dẫn 21-HD/BTCTW (21/10/2019)",
        clause="",
        effective_from=datetime.date(2019, 10, 21),
        effective_to=_day_before(REG_366_FROM),
        confidence=LIKELY,
        source="R4.4 [S77]",
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
    # -- dues (DOMAIN §3.8) --
    RuleVersion(
        key="dues.salary_percent",
        value=1.0,
        regulation=REG_01_2026,
        clause="",
        effective_from=REG_01_2026_FROM,
        source="R3.29 [S28][S29]",
        note=gettext_lazy(
            "Of last month's insurable salary, or of the sickness or maternity benefit."
        ),
    ),
    RuleVersion(
        key="dues.pension_percent",
        value=0.5,
        regulation=REG_01_2026,
        clause="",
        effective_from=REG_01_2026_FROM,
        source="R3.29 [S28][S29]",
    ),
    RuleVersion(
        key="dues.student_amount_vnd",
        value=5000,
        regulation=REG_01_2026,
        clause="",
        effective_from=REG_01_2026_FROM,
        source="R3.29 [S28][S29]",
    ),
]
