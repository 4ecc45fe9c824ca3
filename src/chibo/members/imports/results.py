"""What reading a member list gives (ImportResult with its rows and problems) and what
writing it gives (ImportOutcome); the two import modes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy

from chibo.orgs.models import Organization


class ImportMode(TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", gettext_lazy("Import only if every row is valid")
    VALID_ROWS_ONLY = "valid_rows_only", gettext_lazy("Import the valid rows, skip the others")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem: the row number as Excel shows it, the column's header, a sentence."""

    row: int
    column: str
    message: str


@dataclass(slots=True)
class ImportRow:
    row: int
    values: dict[str, Any]
    status: str | None = None
    cell: Organization | None = None
    cell_ref: str = ""
    valid: bool = True
    # The name folded for comparison ("nguyen van an"), once.
    name_key: str = ""


@dataclass
class ImportResult:
    """Every data row of the file with its problems. Nothing has been written."""

    organization: Organization
    rows: list[ImportRow]
    problems: list[RowProblem]
    # The subset of `problems` that say a row repeats another row or an existing member.
    duplicates: list[RowProblem]
    # Columns of the file that are not part of the layout (their values are ignored).
    ignored_columns: list[str]
    header_row: int
    sheet_title: str = ""

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.valid]

    @property
    def valid_count(self) -> int:
        return sum(1 for row in self.rows if row.valid)

    @property
    def invalid_count(self) -> int:
        return self.row_count - self.valid_count

    @property
    def has_errors(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    skipped: int
    cell_ids: list[int] = field(default_factory=list)
