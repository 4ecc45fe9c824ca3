"""Benchmark: the dashboards at national scale (issue 12; docs/scale.md). Goals: p95 under
300 ms at every level, at least 100× faster than the raw GROUP BY, flat across scales.

Run:  .venv/bin/python bench/national.py [--scales 0.01,0.05] [--runs 20] [--years 5]
PostgreSQL only (127.0.0.1:5432, user postgres, or BENCH_PG=postgres://…/). For each scale F,
in a fresh database chibo_nat_bench_<F> (dropped first, kept afterwards for inspection): migrate,
`gen_national` (COPY), the SQL rebuild of the rollups (timed), then for the largest province,
the largest commune and one cell, with `today` the generation day and the last 6 months:
- rollup: `chibo.reports.selectors_dashboard.dashboard(org, today=…)` and `red_flags(org,
  today=…)` — the dashboard page's reads. The whole nation has no organization above the
  provinces to open a dashboard on, so that level reads the 34 provinces' OrgMonth rows
  directly (`_nation`);
- raw: the same figures grouped straight from meetings_meeting and meetings_attendance (per
  child unit per month: regular meetings planned, held, signed; roll rows, present).
Each measured `--runs` times after one warm-up run: median and p95 (nearest rank), the ratio
raw/rollup, and how both grow from the smallest to the largest F. Each scale runs in a child
process (its own DATABASE_URL); the figures are printed and rewrite its section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results import write_section  # noqa: E402  (bench/ is the script's folder)

SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/")
MONTHS = 6


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def database_name(scale: float) -> str:
    return "chibo_nat_bench_" + f"{scale:g}".replace(".", "_")


# -- the child: one scale in its own database ---------------------------------------------------


def child(scale: float, runs: int, years: int, reuse: bool = False) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from chibo.orgs.models import CELL_KINDS, Organization
    from chibo.reports.national.generate import generate
    from chibo.reports.national.rebuild_sql import rebuild_sql

    call_command("migrate", verbosity=0)
    today = datetime.date.today()
    generated = rebuilt_s = None
    if reuse and Organization.objects.exists():  # measure again on a nation generated before
        counts = _counts()
    else:
        started = time.perf_counter()
        stats = generate(scale=scale, years=years, seed=12, today=today)
        generated = time.perf_counter() - started
        rebuilt = rebuild_sql()
        rebuilt_s = rebuilt.seconds
        counts = stats.counts | {
            "cell-months": rebuilt.cell_months,
            "committee-months": rebuilt.org_months,
        }

    dashboard, label = _dashboard()
    end = today.replace(day=1)
    start = _months_back(end, MONTHS - 1)
    cells_by_province = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT left(path, 4), count(*) FROM orgs_organization WHERE kind = ANY(%s) "
            "GROUP BY 1 ORDER BY 2 DESC",
            [sorted(CELL_KINDS)],
        )
        cells_by_province = dict(cursor.fetchall())
        cursor.execute(
            "SELECT left(path, 8), count(*) FROM orgs_organization WHERE kind = ANY(%s) "
            "AND depth >= 3 GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
            [sorted(CELL_KINDS)],
        )
        commune_path, commune_cells = cursor.fetchone()
    province_path = next(iter(cells_by_province))
    levels: dict[str, Any] = {
        "nation": NATION,
        "province": Organization.objects.get(path=province_path),
        "commune": Organization.objects.get(path=commune_path),
        "cell": Organization.objects.filter(path__startswith=commune_path, kind__in=CELL_KINDS)
        .order_by("path")
        .first(),
    }
    sizes = {
        "nation": sum(cells_by_province.values()),
        "province": cells_by_province[province_path],
        "commune": commune_cells,
        "cell": 1,
    }
    results: dict[str, Any] = {}
    for level, org in levels.items():
        assert org is not None
        read = _nation if org is NATION else dashboard  # the dashboard needs a unit
        rollup_ms = _time(lambda org=org, read=read: read(org, today=today), runs)
        raw_ms = _time(lambda org=org: _raw(org, start, _months_back(end, -1)), runs)
        results[level] = {
            "cells": sizes[level],
            "rollup_median": statistics.median(rollup_ms),
            "rollup_p95": p95(rollup_ms),
            "raw_median": statistics.median(raw_ms),
            "raw_p95": p95(raw_ms),
        }
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c
            WHERE c.relname IN ('orgs_organization', 'members_member', 'meetings_meeting',
              'meetings_attendance', 'meetings_speech', 'reports_cellmonth', 'reports_orgmonth')"""
        )
        table_bytes = dict(cursor.fetchall())
        cursor.execute(
            "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
            "WHERE inhparent IN ('reports_cellmonth'::regclass, 'reports_orgmonth'::regclass)"
        )
        partition_bytes = cursor.fetchone()[0] or 0
    return {
        "scale": scale,
        "counts": counts,
        "generate_s": generated,
        "rebuild_s": rebuilt_s,
        "dashboard": label,
        "levels": results,
        "table_bytes": table_bytes,
        "rollup_partition_bytes": partition_bytes,
    }


class _Nation:
    """The whole country as a pseudo-unit: its children are the provinces."""

    pk = None
    path = ""
    depth = 0
    is_cell = False


NATION = _Nation()


def _counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "organizations": "orgs_organization",
        "members": "members_member",
        "meetings": "meetings_meeting",
        "attendance": "meetings_attendance",
        "cell-months": "reports_cellmonth",
        "committee-months": "reports_orgmonth",
    }
    out = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            out[label] = cursor.fetchone()[0]
    return out


def _months_back(period: datetime.date, months: int) -> datetime.date:
    index = period.year * 12 + period.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _time(action: Any, runs: int) -> list[float]:
    action()  # warm-up
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _dashboard() -> tuple[Any, str]:
    """The dashboard page's reads: the grid and the red flags (reports.selectors_dashboard)."""
    from chibo.reports.selectors_dashboard import dashboard, red_flags

    def page(org: Any, *, today: datetime.date) -> Any:
        return dashboard(org, today=today, months=MONTHS), red_flags(org, today=today)

    return page, "reports.selectors_dashboard: dashboard() + red_flags(), as the page reads them"


def _nation(org: Any, *, today: datetime.date, months: int = MONTHS) -> list[Any]:
    """The nation level (no unit above the provinces): the child units, the unit's own series
    and one row per child unit per month, for the last `months` months (four queries)."""
    from chibo.orgs.models import Organization
    from chibo.reports.models import CellMonth, OrgMonth

    end = today.replace(day=1)
    start = _months_back(end, months - 1)
    if org.is_cell:
        return list(CellMonth.objects.filter(cell_id=org.pk, period__range=(start, end)))
    children = list(
        Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).values_list(
            "pk", "name", "kind"
        )
    )
    ids = [pk for pk, _, _ in children]
    own = []
    if org.pk is not None:
        own = list(OrgMonth.objects.filter(organization_id=org.pk, period__range=(start, end)))
    committees = list(OrgMonth.objects.filter(organization_id__in=ids, period__range=(start, end)))
    cells = list(CellMonth.objects.filter(cell_id__in=ids, period__range=(start, end)))
    return [children, own, committees, cells]


RAW = """
SELECT left(o.path, %(length)s) AS unit, date_trunc('month', m.date) AS month,
    count(DISTINCT m.id) FILTER (WHERE m.status <> 'cancelled') AS planned,
    count(DISTINCT m.id) FILTER (WHERE m.status IN ('in_progress', 'closed', 'signed')) AS held,
    count(DISTINCT m.id) FILTER (WHERE m.status = 'signed') AS signed,
    count(a.id) AS roll,
    count(a.id) FILTER (WHERE a.status IN ('present', 'late')) AS present
FROM meetings_meeting m
JOIN orgs_organization o ON o.id = m.organization_id
LEFT JOIN meetings_attendance a ON a.meeting_id = m.id
WHERE o.path LIKE %(prefix)s AND m.kind = 'regular' AND m.date >= %(start)s AND m.date < %(end)s
GROUP BY 1, 2
"""


def _raw(org: Any, start: datetime.date, end: datetime.date) -> list[Any]:
    from django.db import connection

    length = len(org.path) if org.is_cell else len(org.path) + 4
    with connection.cursor() as cursor:
        cursor.execute(
            RAW, {"length": length, "prefix": org.path + "%", "start": start, "end": end}
        )
        return cursor.fetchall()


# -- the parent: one child process per scale, then the report -----------------------------------


def run_scale(scale: float, runs: int, years: int, reuse: bool) -> dict[str, Any]:
    import psycopg

    name = database_name(scale)
    with psycopg.connect(SERVER + "postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (reuse and exists):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": SERVER + name}
    out = subprocess.run(  # noqa: S603 (our own script, our own arguments)
        [
            sys.executable,
            __file__,
            "--child",
            str(scale),
            "--runs",
            str(runs),
            "--years",
            str(years),
            *(["--reuse"] if reuse else []),
        ],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(results: list[dict[str, Any]], command: str) -> list[str]:
    first, last = results[0], results[-1]
    lines = [
        "## National scale: dashboards on the rollups vs the raw GROUP BY (postgresql)",
        "",
        f"Command: `{command}` — run {datetime.date.today():%d/%m/%Y}, 2 cores shared with "
        "other work (load average 5–8 during the run). Each scale in a fresh database: "
        "gen_national (COPY), the SQL rebuild of the rollups, then 6 months of the whole "
        "nation (its 34 provinces' OrgMonth rows, always read directly: the dashboard needs a "
        "unit), the largest province, the largest commune and one cell; p95 is nearest-rank.",
        f"Rollup side: {first['dashboard']}.",
        "",
    ]
    for result in results:
        counts = result["counts"]
        lines.append(
            f"- F={result['scale']:g}: {counts['organizations']:,} organizations, "
            f"{counts['members']:,} members, {counts['meetings']:,} meetings, "
            f"{counts['attendance']:,} attendance rows, {counts['cell-months']:,} cell-months, "
            f"{counts['committee-months']:,} committee-months; "
            + (
                f"generated in {result['generate_s']:.0f} s, rollups rebuilt in SQL in "
                f"{result['rebuild_s']:.1f} s"
                if result["generate_s"] is not None
                else "measured again on the nation of the previous run (--reuse)"
            )
        )
        for level, figures in result["levels"].items():
            ratio = figures["raw_median"] / figures["rollup_median"]
            lines.append(
                f"  - {level} ({figures['cells']:,} cells): rollup median "
                f"{figures['rollup_median']:.1f} ms, p95 {figures['rollup_p95']:.1f} ms; raw "
                f"median {figures['raw_median']:.1f} ms, p95 {figures['raw_p95']:.1f} ms; "
                f"raw/rollup ×{ratio:.1f}; p95 < 300 ms: "
                f"{'met' if figures['rollup_p95'] < 300 else 'NOT met'}"
            )
    if len(results) > 1:
        for level in first["levels"]:
            a, b = first["levels"][level], last["levels"][level]
            lines.append(
                f"- growth F={first['scale']:g} → F={last['scale']:g}, {level}: rollup p95 "
                f"×{b['rollup_p95'] / a['rollup_p95']:.2f}, "
                f"raw p95 ×{b['raw_p95'] / a['raw_p95']:.2f}"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0.01,0.05")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the databases of a previous run"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="do not write its section of RESULTS.md"
    )
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.runs, args.years, args.reuse), default=str))
        return
    results = []
    for scale in (float(s) for s in args.scales.split(",")):
        print(f"scale {scale:g} …", flush=True)
        results.append(run_scale(scale, args.runs, args.years, args.reuse))
        print(json.dumps(results[-1], indent=1, default=str), flush=True)
    command = f".venv/bin/python bench/national.py --scales {args.scales} --runs {args.runs}"
    command += " --reuse" if args.reuse else ""
    lines = report(results, command)
    print("\n".join(lines))
    if not args.no_write:
        write_section(lines)


if __name__ == "__main__":
    main()
