"""The annual review statistics of a subtree (the tables committees report: members rated at
each level, cells "trong sạch, vững mạnh" …) compared with the year before, for the page and as
XLSX and PDF. Exports are built under the Vietnamese language (views use translation.override),
so their labels are the catalogue's Vietnamese; the PDF is set in the bundled serif font."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from chibo.meetings.document_render import FONT_DIR, font_faces_css
from chibo.members.exports import XLSX_BOLD, XLSX_TITLE
from chibo.orgs.models import Organization
from chibo.reviews import selectors
from chibo.reviews.models import LEVEL_ORDER

PERCENT_FORMAT = "0.0%"


@dataclass
class StatRow:
    label: str
    count: int
    share: float | None  # 0..1, of those rated
    previous: int
    previous_share: float | None
    bold: bool = False

    @property
    def change(self) -> int:
        return self.count - self.previous


@dataclass
class StatTable:
    title: str
    rows: list[StatRow]


@dataclass
class StatisticsTables:
    organization: Organization
    year: int
    current: selectors.YearStatistics
    previous: selectors.YearStatistics
    tables: list[StatTable]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def statistics_tables(organization: Organization, year: int) -> StatisticsTables:
    """The figures of `year` and of the year before, as labelled tables."""
    now = selectors.year_statistics(organization, year)
    before = selectors.year_statistics(organization, year - 1)
    members = [
        StatRow(
            label=str(level.label),
            count=now.members_by_level[level],
            share=_share(now.members_by_level[level], now.rated),
            previous=before.members_by_level[level],
            previous_share=_share(before.members_by_level[level], before.rated),
        )
        for level in LEVEL_ORDER
    ]
    members.append(StatRow(_("Members rated"), now.rated, None, before.rated, None, bold=True))
    members.append(
        StatRow(
            _("Not rated (exempted from activity)"), now.not_rated, None, before.not_rated, None
        )
    )
    members.append(StatRow(_("Not decided yet"), now.undecided, None, before.undecided, None))
    organizations_rated = sum(now.organizations_by_level.values())
    previously_rated = sum(before.organizations_by_level.values())
    orgs = [
        StatRow(
            label=str(level.label),
            count=now.organizations_by_level[level],
            share=_share(now.organizations_by_level[level], organizations_rated),
            previous=before.organizations_by_level[level],
            previous_share=_share(before.organizations_by_level[level], previously_rated),
        )
        for level in LEVEL_ORDER
    ]
    orgs.append(
        StatRow(_("Organizations rated"), organizations_rated, None, previously_rated, None, True)
    )
    cells = [
        StatRow(
            _("Cells rated HTXSNV or HTTNV (clean and strong)"),
            now.clean_and_strong_cells,
            _share(now.clean_and_strong_cells, now.cells_rated),
            before.clean_and_strong_cells,
            _share(before.clean_and_strong_cells, before.cells_rated),
            bold=True,
        ),
        StatRow(_("Cells rated"), now.cells_rated, None, before.cells_rated, None),
    ]
    return StatisticsTables(
        organization=organization,
        year=year,
        current=now,
        previous=before,
        tables=[
            StatTable(_("Members by level"), members),
            StatTable(_("Party organizations by level"), orgs),
            StatTable(_("Cells"), cells),
        ],
    )


def headers(tables: StatisticsTables) -> list[str]:
    return [
        _("Item"),
        _("Year %(year)s") % {"year": tables.year},
        _("Share"),
        _("Year %(year)s") % {"year": tables.year - 1},
        _("Share"),
        _("Change"),
    ]


def title(tables: StatisticsTables) -> str:
    return _("Annual review and rating statistics, %(year)s") % {"year": tables.year}


def statistics_filename(organization: Organization, year: int, extension: str) -> str:
    return f"xep-loai-{organization.code}-{year}.{extension}"


def statistics_xlsx(tables: StatisticsTables) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(tables.year))
    sheet.column_dimensions["A"].width = 48
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 12
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4

    def cell(value, *, bold=False, percent=False):
        item = WriteOnlyCell(sheet, value=value)
        if bold:
            item.font = XLSX_BOLD
        if percent:
            item.number_format = PERCENT_FORMAT
        return item

    heading = WriteOnlyCell(sheet, value=f"{title(tables).upper()} — {tables.organization.name}")
    heading.font = XLSX_TITLE
    sheet.append([heading])
    sheet.append([cell(f"{tables.organization.code} · {timezone.localdate():%d/%m/%Y}")])
    for table in tables.tables:
        sheet.append([])
        sheet.append([cell(table.title.upper(), bold=True)])
        sheet.append([cell(text, bold=True) for text in headers(tables)])
        for row in table.rows:
            sheet.append(
                [
                    cell(row.label, bold=row.bold),
                    cell(row.count, bold=row.bold),
                    cell(row.share, percent=True),
                    cell(row.previous),
                    cell(row.previous_share, percent=True),
                    cell(row.change),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statistics_html(tables: StatisticsTables) -> str:
    return render_to_string(
        "reviews/statistics_pdf.html",
        {
            "tables": tables,
            "title": title(tables),
            "headers": headers(tables),
            "today": timezone.localdate(),
            "font_faces": font_faces_css(),
        },
    )


def statistics_pdf(tables: StatisticsTables) -> bytes:
    from weasyprint import HTML

    return HTML(string=statistics_html(tables), base_url=str(FONT_DIR)).write_pdf()
