"""The list of members proposed for the Party badge at an award occasion, as XLSX.

A core.exports Table, like members.exports: two title rows, a blank row, the header row, one
row per member in the order given (Vietnamese name order).
Headers and titles are part of the Vietnamese document, not interface text."""

from __future__ import annotations

import datetime

from django.utils import timezone

from chibo.core.exports.tables import EXCEL_DATE_FORMAT, ROW_NUMBER, Column, Table, title
from chibo.members.selectors import BadgeListRow
from chibo.orgs.models import Organization

LIST_TITLE = "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG"
SHEET_TITLE = "Huy hiệu Đảng"
EARLY_NOTE = "Xét tặng sớm (ốm nặng)"


def _party_age(row: BadgeListRow) -> str:
    age = row.party_age
    return f"{age.years} năm {age.months % 12} tháng" if age else ""


def _date(header: str, getter, width: float) -> Column:
    return Column(header, getter, width=width, number_format=EXCEL_DATE_FORMAT)


COLUMNS = (
    Column("STT", ROW_NUMBER, width=6),
    Column("Họ và tên", lambda row: row.member.full_name, width=28),
    _date("Ngày sinh", lambda row: row.member.birth_date, 12),
    Column("Chi bộ", lambda row: row.member.cell.name, width=28),
    _date("Ngày quyết định kết nạp", lambda row: row.member.admission_decision_date, 14),
    Column("Tuổi đảng đến dịp trao", _party_age, width=16),
    Column("Huy hiệu (năm tuổi đảng)", lambda row: row.due.milestone_years, width=12),
    _date("Ngày đủ tuổi đảng", lambda row: row.due.reached_on, 14),
    _date("Dịp trao sớm nhất", lambda row: row.due.occasion, 14),
    Column("Ghi chú", lambda row: EARLY_NOTE if row.due.early else "", width=26),
)


def export_badge_list_xlsx(
    rows: list[BadgeListRow],
    *,
    organization: Organization,
    occasion: datetime.date,
    today: datetime.date | None = None,
) -> bytes:
    """The badge list of `organization` for `occasion`, one row per member in the given order."""
    today = today or timezone.localdate()
    table = Table(
        COLUMNS,
        rows,
        sheet_title=SHEET_TITLE,
        title_lines=[
            title(f"{LIST_TITLE} — {organization.name}"),
            f"Dịp trao: {occasion.strftime('%d/%m/%Y')} · Mã tổ chức: {organization.code}"
            f" · Ngày lập: {today.strftime('%d/%m/%Y')}",
        ],
        freeze_panes="C5",
    )
    return table.xlsx()
