"""`python -m chibo seed_demo`: fictional demo data and logins for a first look at chibo."""

from __future__ import annotations

import os
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import ProtectedError

from chibo.demo import common, province
from chibo.demo.reminders import send_reminders
from chibo.demo.signed_files import queue_signed_files
from chibo.reports import rollups


class Command(BaseCommand):
    help = (
        "Create a fictional demo province (a ward, a mountain commune and a provincial bloc, "
        "about 2,000 members) with demo logins, and print the logins. Does nothing but reset "
        "the demo passwords if the demo data already exists; --reset recreates it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the existing demo data and create it again.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though CHIBO_PRODUCTION is on (the demo logins have a known password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "CHIBO_PRODUCTION is on: refusing to add demo data and demo logins with a known "
                "password. Add --force if this really is a demonstration server."
            )
        password = common.demo_password()
        started = time.monotonic()
        try:
            with transaction.atomic():
                root = province.find_demo_root()
                if root is not None and options["reset"]:
                    province.delete(root)
                    root = None
                if root is None:
                    result = province.seed(password=password)
                    root = result.root
                    self.stdout.write(
                        self.style.SUCCESS(
                            f"Demo data created: {root.name} (code {root.code}), "
                            f"{result.organizations} units, {result.members:,} members, "
                            f"{result.events:,} status events, {result.positions} positions, "
                            f"{result.meetings} meetings."
                        )
                    )
                else:
                    missing = province.reset_logins(root, password)
                    meetings = province.seed_meetings()
                    self.stdout.write(
                        f"Demo data already exists ({root.name}, code {root.code}): nothing "
                        "created, demo passwords reset. Use --reset to recreate it."
                        if not meetings
                        else f"Demo data already exists ({root.name}, code {root.code}): "
                        f"{meetings} meetings added, demo passwords reset."
                    )
                    if missing:
                        self.stdout.write(
                            self.style.WARNING("Missing demo logins: " + ", ".join(missing))
                        )
                # Reminders first: their e-mail jobs go ahead of the long rendering job.
                reminders = send_reminders()
                queued = queue_signed_files(root)
                # The history was bulk-inserted: recount the dashboards' rollups from it.
                rollups.rebuild(root)
        except common.DemoError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ProtectedError as error:
            raise CommandError(
                "The demo data is referenced by other records that protect it "
                f"({len(error.protected_objects)} of them), so it cannot be deleted."
            ) from error
        elapsed = time.monotonic() - started
        for line in province.summary_lines(root):
            self.stdout.write(line)
        self.stdout.write(f"Seeded in {elapsed:.1f} s.")
        self.print_signed_files(queued)
        self.stdout.write(
            f"{reminders} reminders of today in the inboxes; their e-mail copies go to "
            f"{settings.EMAIL_FILE_PATH if not settings.EMAIL_HOST else 'the mail server'} "
            "through the job consumer."
            if reminders
            else "No reminder due today (they were sent already, or nothing is due)."
        )
        self.print_logins(password)

    def print_signed_files(self, queued: int | None) -> None:
        if queued is None:
            self.stdout.write(
                "Jobs run inline (CHIBO_JOBS_IMMEDIATE): the signed files of the demo meetings "
                "are not rendered now; downloads render them from the signed content."
            )
        elif queued:
            self.stdout.write(
                f"Signed files of {queued} meetings queued: the job consumer "
                "(python -m chibo run_huey) renders and stores them in the background."
            )

    def print_logins(self, password: str) -> None:
        # Never echo a password someone chose for themselves; the default is public anyway.
        shown = (
            "$" + common.DEMO_PASSWORD_ENV if os.environ.get(common.DEMO_PASSWORD_ENV) else password
        )
        header = ("username", "password", "who", "can see")
        rows = [(row.username, shown, row.who, row.can_see) for row in province.login_rows()]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        self.stdout.write("")
        self.stdout.write("Demo logins (fictional people, demo data only):")
        for index, row in enumerate([header, *rows]):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            line = f"  {line}  {row[3]}"
            self.stdout.write(self.style.MIGRATE_HEADING(line) if index == 0 else line)
        self.stdout.write("")
        self.stdout.write(f"Start the server and open {common.DEMO_URL} to sign in.")
