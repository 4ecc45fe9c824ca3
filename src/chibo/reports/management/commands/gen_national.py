"""`python -m chibo gen_national --scale F [--years 5] [--seed N]`: a synthetic nation on
PostgreSQL (chibo.reports.national.generate), then its rollups rebuilt (docs/scale.md)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chibo.reports.national.generate import NationalError, generate
from chibo.reports.national.rebuild_sql import rebuild_sql


class Command(BaseCommand):
    help = "Generate a synthetic nation with COPY on PostgreSQL and rebuild its rollups."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=float, required=True, help="1 = the whole country")
        parser.add_argument("--years", type=int, default=5, help="years of monthly meetings")
        parser.add_argument("--seed", type=int, default=12)
        parser.add_argument("--no-rollups", action="store_true", help="leave the rollups empty")

    def handle(
        self,
        *args: Any,
        scale: float,
        years: int = 5,
        seed: int = 12,
        no_rollups: bool = False,
        **options: Any,
    ) -> None:
        started = time.perf_counter()
        try:
            stats = generate(scale=scale, years=years, seed=seed)
        except NationalError as error:
            raise CommandError(str(error)) from error
        for line in stats.lines():
            self.stdout.write(line)
        if not no_rollups:
            rebuilt = rebuild_sql()
            self.stdout.write(
                f"  rollups (SQL rebuild)   {rebuilt.cell_months:>12,} cell-months, "
                f"{rebuilt.org_months:,} committee-months in {rebuilt.seconds:.1f} s"
            )
        self.stdout.write(f"  total                    {time.perf_counter() - started:>10.1f} s")
