"""`python -m chibo detect_perfunctory [--since yyyy-mm-dd]`: raise the flags of perfunctory
meetings (supervision.services_quality.detect_perfunctory) over every cell, for the signed
regular meetings held since the date (all of them without it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chibo.supervision.services_quality import detect_perfunctory


class Command(BaseCommand):
    help = "Flag signed regular meetings whose texts repeat the same cell's earlier meetings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="Only meetings held on or after this date.")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                since = datetime.date.fromisoformat(options["since"])
            except ValueError as error:
                raise CommandError(_("Give the date as yyyy-mm-dd.")) from error
        created = detect_perfunctory(since=since)
        self.stdout.write(f"{created}\n")
