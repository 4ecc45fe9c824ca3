"""A report upward (báo cáo) laid out as blocks of the export kit, in the layout of Hướng dẫn
36-HD/VPTW (DOMAIN §5.3): the letterhead ("ĐẢNG CỘNG SẢN VIỆT NAM", the upper committee and the
issuer, "Số …-BC/ĐU" — "-BC/CB" for a cell —, the place-and-date line), "BÁO CÁO" and its
subject, numbered sections, tables, "Nơi nhận" and the signature "T/M ĐẢNG ỦY … BÍ THƯ".

The text is the document's (a Vietnamese report sent up), not interface text: it is written in
Vietnamese here, as reports.exports does; status labels of the grid come from gettext and are
rendered inside translation.override("vi") by the job.

Sections: I. the meetings (figures of selectors_upward.meeting_figures), II. the grid — split
into tables of at most GRID_MONTHS_PER_TABLE months so that it stays readable on a portrait A4 —,
III. directives, proposals and supervision, IV. the requester's assessment and next steps. The
yearly report on meeting quality replaces II with the annual rating of each cell.
"""

from __future__ import annotations

import datetime
import re

from chibo.core.exports.layout import (
    Closing,
    Column,
    Document,
    Letterhead,
    Sections,
    Signer,
    Table,
    labelled,
    lines,
    number,
    paragraph,
)
from chibo.meetings.models import MeetingRating
from chibo.orgs.models import CELL_KINDS, Organization, OrganizationKind
from chibo.reports.models import ReportKind
from chibo.reports.selectors_upward import RATINGS, ReportData, period_subject

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
GRID_MONTHS_PER_TABLE = 4
TITLES = {
    ReportKind.MONTHLY: "Tình hình sinh hoạt chi bộ",
    ReportKind.QUARTERLY: "Tình hình sinh hoạt chi bộ",
    ReportKind.YEARLY: "Tình hình sinh hoạt chi bộ",
    ReportKind.QUALITY_YEAR: "Kết quả đánh giá chất lượng sinh hoạt chi bộ",
}
RATING_WORDS = {
    MeetingRating.GOOD: "Tốt",
    MeetingRating.FAIR: "Khá",
    MeetingRating.AVERAGE: "Trung bình",
    MeetingRating.POOR: "Kém",
}
_LOCALITY_KINDS = (
    OrganizationKind.WARD_COMMITTEE,
    OrganizationKind.COMMUNE_COMMITTEE,
    OrganizationKind.SPECIAL_ZONE_COMMITTEE,
    OrganizationKind.PROVINCE_COMMITTEE,
)
_PREFIX = re.compile(
    r"^(đảng\s+ủy|đảng\s+bộ|tỉnh\s+ủy|thành\s+ủy|chi\s+bộ)\s+"
    r"((phường|xã|đặc\s+khu|thị\s+trấn|tỉnh|thành\s+phố)\s+)?",
    re.IGNORECASE,
)


def issuer_code(organization: Organization) -> str:
    """CB for a cell, TU for a provincial committee, ĐU for any other party committee."""
    if organization.kind in CELL_KINDS:
        return "CB"
    if organization.kind == OrganizationKind.PROVINCE_COMMITTEE:
        return "TU"
    return "ĐU"


def document_number(number_text: str, organization: Organization) -> str:
    """ "Số 12-BC/ĐU"; a blank number leaves room to write it by hand."""
    return f"Số {number_text or '    '}-BC/{issuer_code(organization)}"


def locality(organization: Organization, parent: Organization | None) -> str:
    """The place of the date line: the ward, commune or province in the issuer's name or its
    parent's ("Đảng ủy phường Hưng Phú" → "Hưng Phú")."""
    for org in (organization, parent):
        if org is not None and org.kind in _LOCALITY_KINDS:
            return _PREFIX.sub("", org.name).strip() or org.name
    return _PREFIX.sub("", (parent or organization).name).strip()


def date_line(day: datetime.date) -> str:
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def subject(kind: str, start: datetime.date) -> str:
    """ "Tình hình sinh hoạt chi bộ tháng 11 năm 2026"."""
    return f"{TITLES[ReportKind(kind)]} {period_subject(kind, start)}"


def _share(value) -> str:
    return f"{number(value)}%" if value is not None else "—"


def _signing_title(organization: Organization) -> str:
    if organization.kind in CELL_KINDS:
        return "T/M CHI BỘ"
    if organization.kind == OrganizationKind.PROVINCE_COMMITTEE:
        return "T/M TỈNH ỦY"
    return "T/M ĐẢNG ỦY"


def month_label(day: datetime.date) -> str:
    return f"T{day.month}/{day.year}"


def _section_meetings(data: ReportData, sections: Sections) -> list:
    f = data.figures
    monthly = data.job.kind == ReportKind.MONTHLY
    blocks: list = [sections.heading("TÌNH HÌNH SINH HOẠT CHI BỘ")]
    unit = "" if monthly else f" (tính theo tháng: {f.squares} lượt chi bộ - tháng)"
    blocks += [
        labelled("Tổng số chi bộ:", f"{f.cells}{unit}."),
        labelled(
            "Sinh hoạt thường kỳ:",
            f"{f.held} lượt chi bộ đã tổ chức, đạt {_share(f.held_share)}.",
        ),
        labelled("Tổ chức muộn so với lịch:", f"{f.held_late}."),
        labelled("Đã ký biên bản:", f"{f.signed}."),
        labelled("Hoãn, hủy:", f"{f.cancelled}."),
    ]
    if f.not_held:
        names = "; ".join(
            item.cell.name if monthly else f"{item.cell.name} ({month_label(item.period)})"
            for item in f.not_held
        )
        blocks.append(labelled("Không sinh hoạt:", f"{len(f.not_held)}: {names}."))
    else:
        blocks.append(labelled("Không sinh hoạt:", "0."))
    if monthly:
        blocks.append(
            labelled(
                "Sinh hoạt chuyên đề:",
                f"{f.thematic_cells} chi bộ đã tổ chức trong tháng.",
            )
        )
    else:
        blocks.append(
            labelled(
                "Sinh hoạt chuyên đề:",
                f"{f.thematic_cells}/{f.cells} chi bộ bảo đảm ít nhất một lần mỗi quý.",
            )
        )
    blocks += [
        labelled("Tỷ lệ đảng viên dự sinh hoạt:", f"{_share(f.attendance)}."),
        labelled("Tỷ lệ đảng viên phát biểu ý kiến:", f"{_share(f.spoke)}."),
        labelled(
            "Thời lượng bình quân:",
            f"{f.average_duration} phút." if f.average_duration is not None else "—.",
        ),
        labelled(
            "Điểm bình quân:",
            f"{number(f.average_score)} điểm." if f.average_score is not None else "—.",
        ),
        labelled(
            "Xếp loại các buổi sinh hoạt:",
            "; ".join(f"{RATING_WORDS[r]} {f.ratings[r.value]}" for r in RATINGS) + ".",
        ),
    ]
    return blocks


def _grid_tables(data: ReportData) -> list:
    """The grid as compact tables: per cell (or per child unit for a province)."""
    blocks: list = []
    if data.units is not None:
        for start in range(0, len(data.months), GRID_MONTHS_PER_TABLE):
            months = data.months[start : start + GRID_MONTHS_PER_TABLE]
            width = 60 // GRID_MONTHS_PER_TABLE
            columns = [Column("TT", 7, "center"), Column("Đơn vị", 93 - width * len(months))]
            columns += [Column(month_label(m), width, "center") for m in months]
            rows = [
                [str(i), row.unit.name]
                + [square.label for square in row.months[start : start + len(months)]]
                for i, row in enumerate(data.units, start=1)
            ]
            blocks.append(Table(columns, rows))
        blocks.append(
            paragraph("Mỗi ô: số chi bộ đã sinh hoạt thường kỳ / số chi bộ có lịch.", "note")
        )
        return blocks
    if data.job.kind == ReportKind.MONTHLY:
        columns = [
            Column("TT", 7, "center"),
            Column("Chi bộ", 33),
            Column("Tình hình", 20),
            Column("Dự họp", 12, "center"),
            Column("Điểm", 10, "center"),
            Column("Xếp loại", 18, "center"),
        ]
        rows = []
        for i, row in enumerate(data.rows, start=1):
            square = row.months[0]
            rows.append(
                [
                    str(i),
                    row.cell.name,
                    square.label,
                    _share(square.attendance) if square.attendance is not None else "",
                    number(square.score) if square.score is not None else "",
                    RATING_WORDS.get(MeetingRating(square.rating), "") if square.rating else "",
                ]
            )
        return [Table(columns, rows)]
    for start in range(0, len(data.months), GRID_MONTHS_PER_TABLE):
        months = data.months[start : start + GRID_MONTHS_PER_TABLE]
        columns = [Column("TT", 7, "center"), Column("Chi bộ", 93 - 15 * len(months))]
        columns += [Column(month_label(m), 15, "center") for m in months]
        rows = [
            [str(i), row.cell.name]
            + [square.short for square in row.months[start : start + len(months)]]
            for i, row in enumerate(data.rows, start=1)
        ]
        blocks.append(Table(columns, rows))
    return blocks


def _rule_citation(rule) -> str:
    """ "quy tắc meeting_quality.annual_rating: <regulation> <clause>"."""
    source = " ".join(part for part in (rule.regulation, rule.clause) if part)
    return f"quy tắc {rule.key}" + (f": {source}" if source else "")


def _section_quality(data: ReportData, sections: Sections) -> list:
    quality = data.quality
    assert quality is not None
    rule = quality.rule
    blocks: list = [
        sections.heading("XẾP LOẠI CHẤT LƯỢNG SINH HOẠT CHI BỘ NĂM"),
        paragraph(
            "Căn cứ quy định về đánh giá chất lượng sinh hoạt chi bộ hằng năm "
            f"({_rule_citation(rule)}), kết quả xếp loại các chi bộ như sau:"
        ),
    ]
    for rating in RATINGS:
        blocks.append(labelled(f"{RATING_WORDS[rating]}:", f"{quality.counts[rating.value]}."))
    blocks.append(
        labelled("Chưa đủ căn cứ xếp loại:", f"{len(quality.rows) - quality.rated_cells}.")
    )
    blocks.append(labelled("Tỷ lệ chi bộ xếp loại Tốt:", f"{_share(quality.good_share)}."))
    columns = [
        Column("TT", 7, "center"),
        Column("Chi bộ", 31),
        Column("Số buổi xếp loại", 14, "center"),
        Column("Tốt", 9, "center"),
        Column("Khá", 9, "center"),
        Column("TB", 9, "center"),
        Column("Kém", 9, "center"),
        Column("Cả năm", 12, "center"),
    ]
    rows = [
        [
            str(i),
            row.cell.name,
            str(row.quality.rated),
            *(str(row.quality.counts[r.value]) for r in RATINGS),
            RATING_WORDS[MeetingRating(row.quality.rating)] if row.quality.rating else "—",
        ]
        for i, row in enumerate(quality.rows, start=1)
    ]
    blocks.append(Table(columns, rows))
    return blocks


def _section_activity(data: ReportData, sections: Sections) -> list:
    a = data.activity
    return [
        sections.heading("QUÁN TRIỆT NGHỊ QUYẾT, KIẾN NGHỊ VÀ GIÁM SÁT"),
        labelled("Văn bản cấp trên đã quán triệt tại chi bộ:", f"{a.directives_disseminated}."),
        labelled(
            "Kiến nghị của đảng viên:",
            f"nêu mới {a.proposals_raised}; đã trả lời {a.proposals_answered}; "
            f"quá hạn chưa trả lời {a.proposals_overdue}.",
        ),
        labelled(
            "Cấp ủy viên cấp trên dự sinh hoạt:",
            f"{a.visits} lượt, tại {a.visited_cells} chi bộ.",
        ),
        labelled("Buổi sinh hoạt có dấu hiệu hình thức:", f"{a.flags}."),
    ]


def report_document(data: ReportData) -> Document:
    """The report as one document of the export kit (drawn by both renderers)."""
    job = data.job
    organization = data.organization
    day = (job.finished_at.date() if job.finished_at else data.today) or data.today
    title_subject = subject(job.kind, job.period_start)
    blocks: list = [
        Letterhead(
            upper=(data.parent.name.upper() if data.parent else ""),
            issuer=organization.name.upper(),
            number=document_number(job.number, organization),
            party=PARTY,
            place_date=f"{locality(organization, data.parent)}, {date_line(day)}",
        ),
        paragraph("BÁO CÁO", "type", bold=True),
        paragraph(title_subject, "subject", bold=True),
        paragraph("", "rule"),
    ]
    sections = Sections()
    if job.kind == ReportKind.QUALITY_YEAR:
        blocks += _section_quality(data, sections)
        blocks.append(sections.heading("TÌNH HÌNH SINH HOẠT CHI BỘ THEO THÁNG"))
        blocks += _grid_tables(data)
    else:
        blocks += _section_meetings(data, sections)
        blocks.append(sections.heading("TÌNH HÌNH TỪNG CHI BỘ"))
        blocks += _grid_tables(data)
        blocks += _section_activity(data, sections)
    if job.notes.strip():
        blocks.append(sections.heading("ĐÁNH GIÁ CHUNG VÀ PHƯƠNG HƯỚNG"))
        blocks += lines(job.notes)
    recipients = [
        f"- {data.parent.name}," if data.parent else "- Cấp ủy cấp trên,",
        "- Lưu Văn phòng.",
    ]
    blocks.append(
        Closing(
            signers=[Signer([_signing_title(organization), "BÍ THƯ"], data.signer)],
            recipients=recipients,
            recipients_label="Nơi nhận:",
        )
    )
    return Document(
        kind="report",
        label=f"Báo cáo {title_subject[0].lower()}{title_subject[1:]}",
        date=day,
        blocks=blocks,
        fingerprint="",
        footer_lines=[
            f"Số liệu của chibo đến ngày {data.today:%d/%m/%Y}, tổng hợp từ biên bản các chi bộ."
        ],
        draft_label="",
    )
