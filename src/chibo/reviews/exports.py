"""The annual review statistics of a subtree (the tables committees report: members rated at
each level, cells "trong sạch, vững mạnh" …) compared with the year before, for the page and as
XLSX and PDF. Exports are built under the Vietnamese language (views use translation.override),
so their labels are the catalogue's Vietnamese; the PDF is set in the bundled serif font."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.exports.pdf import template_pdf
from chibo.core.exports.tables import PERCENT_FORMAT, Sheet, bold, styled
from chibo.core.exports.tables import title as title_cell
from chibo.orgs.models import Organization
from chibo.reviews import selectors
from chibo.reviews.models import LEVEL_ORDER


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


def _rows(tables: StatisticsTables) -> Iterator[list[Any]]:
    yield [title_cell(f"{title(tables).upper()} — {tables.organization.name}")]
    yield [f"{tables.organization.code} · {timezone.localdate():%d/%m/%Y}"]
    for table in tables.tables:
        yield []
        yield [bold(table.title.upper())]
        yield [bold(text) for text in headers(tables)]
        for row in table.rows:
            yield [
                styled(row.label, bold=row.bold),
                styled(row.count, bold=row.bold),
                styled(row.share, number_format=PERCENT_FORMAT),
                row.previous,
                styled(row.previous_share, number_format=PERCENT_FORMAT),
                row.change,
            ]


def statistics_sheet(tables: StatisticsTables) -> Sheet:
    """The statistics as one export sheet (named after the year), printable on A4."""
    return Sheet(
        str(tables.year), _rows(tables), widths=[48, 12, 12, 12, 12, 12], orientation="portrait"
    )


def statistics_xlsx(tables: StatisticsTables) -> bytes:
    return statistics_sheet(tables).xlsx()


def statistics_pdf(tables: StatisticsTables) -> bytes:
    context = {
        "tables": tables,
        "title": title(tables),
        "headers": headers(tables),
        "today": timezone.localdate(),
    }
    return template_pdf("reviews/statistics_pdf.html", context)
