"""Benchmark: coverage of one directive over a province of 2,000 cells (issue 10: "query count
constant, time in bench/RESULTS.md").

Run:  .venv/bin/python bench/bench_directives.py [--cells 2000] [--repeat 9]
It builds a scratch SQLite database in a temporary folder (or uses DATABASE_URL): two provinces,
a baseline of 200 cells and one of 2,000, each under commune committees and their grassroots
committees (three levels), issues one directive to every cell of each, marks two cells in five
disseminated, then measures the coverage selector and the directive's page (as an
administrator) at the province level. The query counts must be equal at both sizes (asserted
here, not in a test); times are medians; the section of bench/RESULTS.md is rewritten.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
os.environ.setdefault("CHIBO_DATA_DIR", tempfile.mkdtemp(prefix="chibo-bench-"))

CELLS_PER_GRASSROOTS = 50
GRASSROOTS_PER_COMMUNE = 4


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=2000)
    parser.add_argument("--baseline-cells", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)

    from results import write_section

    from chibo.accounts.models import User
    from chibo.directives import selectors, services
    from chibo.directives.models import Directive, DirectiveDelivery
    from chibo.meetings import services as meeting_services
    from chibo.orgs.models import Organization

    today = timezone.localdate()

    def build_province(code: str, cells: int) -> Organization:
        """A province with communes → grassroots committees → cells, the lower levels bulk
        inserted with their materialised paths (the tree services audit each unit)."""
        existing = Organization.objects.filter(code=code).first()
        if existing is not None:
            return existing
        province = Organization.objects.add_root(
            {"name": f"Tỉnh ủy Đo {code}", "kind": "province_committee", "code": code}
        )
        grassroots_count = max(1, cells // CELLS_PER_GRASSROOTS)
        communes = max(1, grassroots_count // GRASSROOTS_PER_COMMUNE)
        rows: list[Organization] = []

        def child(parent_path: str, depth: int, index: int, **values) -> Organization:
            node = Organization(
                path=Organization._get_path(parent_path, depth, index),
                depth=depth,
                numchild=0,
                name_search=values["name"].lower(),
                **values,
            )
            rows.append(node)
            return node

        made = 0
        for c in range(1, communes + 1):
            commune = child(
                province.path,
                2,
                c,
                name=f"Đảng ủy xã Đo {c}",
                kind="commune_committee",
                code=f"{code}.{c:03d}",
            )
            per_commune = grassroots_count // communes + (
                1 if c <= grassroots_count % communes else 0
            )
            commune.numchild = per_commune
            for g in range(1, per_commune + 1):
                grassroots = child(
                    commune.path,
                    3,
                    g,
                    name=f"Đảng ủy Đo {c}.{g}",
                    kind="grassroots_committee",
                    code=f"{code}.{c:03d}.{g:03d}",
                )
                count = min(CELLS_PER_GRASSROOTS, cells - made)
                grassroots.numchild = count
                for n in range(1, count + 1):
                    child(
                        grassroots.path,
                        4,
                        n,
                        name=f"Chi bộ Đo {c}.{g}.{n}",
                        kind="cell",
                        cell_type="residential_group",
                        code=f"{code}.{c:03d}.{g:03d}.000.{n:03d}",
                    )
                made += count
        Organization.objects.bulk_create(rows, batch_size=1000)
        Organization.objects.filter(pk=province.pk).update(numchild=communes)
        return Organization.objects.get(pk=province.pk)

    def directive_for(province: Organization) -> Directive:
        directive = Directive.objects.filter(issuer=province).first()
        if directive is not None:
            return directive
        directive = services.directive_issue(
            actor=None,
            issuer=province,
            number_symbol="1-CT/TU",
            issued_on=today,
            subject="Chỉ thị đo lường",
            disseminate_by=today + datetime.timedelta(days=30),
        )
        first_cell = directive.deliveries.select_related("cell").first().cell
        meeting = meeting_services.meeting_create(
            actor=None,
            organization=first_cell,
            kind="regular",
            date=today,
            time=datetime.time(19, 30),
            place="Nhà văn hóa",
        )
        ids = list(directive.deliveries.order_by("id").values_list("pk", flat=True))
        DirectiveDelivery.objects.filter(
            pk__in=[pk for i, pk in enumerate(ids) if i % 5 < 2]
        ).update(disseminated_meeting=meeting, disseminated_on=today)
        return directive

    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        username="bench-admin", password=None
    )
    client = Client()
    client.force_login(admin)

    def measure(directive: Directive, province: Organization) -> dict:
        times, page_times = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as selector_queries:
                coverage = selectors.coverage(directive, province)
            times.append(time.perf_counter() - start)
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as page_queries:
                answer = client.get(f"/directives/{directive.pk}/")
            page_times.append(time.perf_counter() - start)
            assert answer.status_code == 200, answer.status_code
        return {
            "cells": coverage.total.cells,
            "done": coverage.total.disseminated,
            "selector": statistics.median(times),
            "selector_queries": len(selector_queries),
            "page": statistics.median(page_times),
            "page_queries": len(page_queries),
        }

    started = time.perf_counter()
    small_province = build_province("81", args.baseline_cells)
    large_province = build_province("82", args.cells)
    small = measure(directive_for(small_province), small_province)
    large = measure(directive_for(large_province), large_province)
    built = time.perf_counter() - started

    lines: list[str] = []

    def report(line: str) -> None:
        print(line)
        lines.append(line)

    for label, row in ((" (baseline)", small), ("", large)):
        report(
            f"- coverage selector, {row['cells']:,} cells ({row['done']} disseminated)"
            f"{label}: median {row['selector'] * 1000:.1f} ms, "
            f"{row['selector_queries']} queries"
            + ("" if label else f"; ×{row['selector'] / small['selector']:.2f} of the baseline")
        )
        report(
            f"- directive page with coverage, {row['cells']:,} cells{label}: "
            f"median {row['page'] * 1000:.1f} ms, {row['page_queries']} queries"
            + ("" if label else f"; ×{row['page'] / small['page']:.2f} of the baseline")
        )
    same = (small["selector_queries"], small["page_queries"]) == (
        large["selector_queries"],
        large["page_queries"],
    )
    report(
        f"- query counts equal at {small['cells']:,} and {large['cells']:,} cells: "
        + ("yes" if same else "NO")
    )
    report(f"- (building both provinces and issuing took {built:.1f} s including the runs)")
    assert same, (small, large)

    engine = connection.vendor
    heading = f"## Directives: coverage over a province ({engine})"
    section = [
        heading,
        "",
        f"Command: `.venv/bin/python bench/bench_directives.py --cells {args.cells} "
        f"--repeat {args.repeat}`"
        + (" with DATABASE_URL set" if engine != "sqlite" else "")
        + f" — run {datetime.date.today():%d/%m/%Y}, {os.cpu_count()} cores. Three levels "
        f"(province → communes → grassroots committees → cells of {CELLS_PER_GRASSROOTS}); "
        "one directive to every cell, two cells in five disseminated; the province's view.",
        "",
        *lines,
        "",
    ]
    write_section(section)


if __name__ == "__main__":
    main()
