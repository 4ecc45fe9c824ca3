"""`python -m chibo rebuild_rollups [--org CODE]`: recount the rollups from the raw rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chibo.orgs.models import Organization
from chibo.reports import rollups


class Command(BaseCommand):
    help = "Recount the dashboards' rollups (CellMonth, OrgMonth) from the raw rows."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", default="", help="organization code: only its subtree")

    def handle(self, *args: Any, org: str = "", **options: Any) -> None:
        organization = None
        if org:
            organization = Organization.objects.filter(code=org).first()
            if organization is None:
                raise CommandError(f"No organization with code {org}.")
        stats = rollups.rebuild(organization)
        self.stdout.write(
            f"{stats.cells} cells, {stats.cell_months} cell-months, "
            f"{stats.org_months} committee-months in {stats.seconds:.1f} s"
        )
