"""`python -m chibo export_minutes_book --cell <code> --year <yyyy> <file.pdf>`: a cell's minutes
book (or, with --book resolutions, its resolution book) for a year as one PDF, for the
committee's archives (DOMAIN R5.1, R5.2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chibo.meetings import documents
from chibo.meetings.documents import book
from chibo.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "Write a cell's minutes book (or resolution book) of a year as one PDF: a cover, the "
        "table of contents, then every signed meeting's document with its fingerprint."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cell", required=True, help="The cell's organization code.")
        parser.add_argument("--year", required=True, type=int, help="The year, e.g. 2026.")
        parser.add_argument(
            "--book",
            choices=documents.BOOKS,
            default=documents.MINUTES_BOOK,
            help="minutes (default) or resolutions.",
        )
        parser.add_argument("file", help="The PDF file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["cell"].strip()
        year = options["year"]
        cell = Organization.objects.filter(code=code).first()
        if cell is None:
            raise CommandError(_("No organization has the code %(code)s.") % {"code": code})
        if not cell.is_cell:
            raise CommandError(
                _("%(name)s (%(code)s) is not a party cell; books are kept by cells.")
                % {"name": cell.name, "code": code}
            )
        if not 1900 <= year <= 2999:
            raise CommandError(_("Give the year with four digits, e.g. 2026."))
        result = book.render_book_pdf(cell, year, options["book"])
        if result is None:
            raise CommandError(
                _("%(cell)s has no signed meeting in %(year)s.") % {"cell": cell.name, "year": year}
            )
        path = Path(options["file"])
        try:
            path.write_bytes(result.content)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from None
        self.stdout.write(
            _("%(file)s: %(meetings)s meetings, %(pages)s pages.")
            % {"file": path, "meetings": result.meetings, "pages": result.pages}
        )
