"""`python -m chibo rebuild_rollups [--org CODE] [--background]`: recount the rollups from the
raw rows, now or as a job for the job consumer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chibo.orgs.models import Organization
from chibo.reports import jobs, rollups


class Command(BaseCommand):
    help = "Recount the dashboards' rollups (CellMonth, OrgMonth) from the raw rows."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", default="", help="organization code: only its subtree")
        parser.add_argument(
            "--background", action="store_true", help="queue the job rather than wait for it"
        )

    def handle(self, *args: Any, org: str = "", background: bool = False, **options: Any) -> None:
        organization = None
        if org:
            organization = Organization.objects.filter(code=org).first()
            if organization is None:
                raise CommandError(f"No organization with code {org}.")
        if background:
            jobs.rebuild_rollups(organization.pk if organization else None)
            self.stdout.write("Rebuild queued for the job consumer.")
            return
        stats = rollups.rebuild(organization)
        self.stdout.write(
            f"{stats.cells} cells, {stats.cell_months} cell-months, "
            f"{stats.org_months} committee-months in {stats.seconds:.1f} s"
        )
