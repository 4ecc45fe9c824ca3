"""Benchmark: member import (DESIGN §7: 100,000 rows in under a minute) and the member list page.

Run:  .venv/bin/python bench/bench_members.py [--rows 100000]
It builds a scratch SQLite database in a temporary folder (or uses DATABASE_URL), prints each
figure, and rewrites its section of bench/RESULTS.md. Figures are medians of repeated runs; the
import of the full file is compared with a 10,000-row baseline measured in the same run, so the
ratio (per-row cost at scale / per-row cost at 10k) survives a noisy machine.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
os.environ.setdefault("CHIBO_DATA_DIR", tempfile.mkdtemp(prefix="chibo-bench-"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)

    from chibo.accounts.models import User
    from chibo.members.imports import import_members, parse_member_file
    from chibo.members.models import Member, MemberEvent
    from chibo.members.services import member_link_user
    from chibo.orgs.models import Organization
    from chibo.orgs.services import organization_create, position_assign
    from tests.members.fixtures_xlsx import many_rows, member_list_file

    province = Organization.objects.filter(code="77").first() or organization_create(
        actor=None, parent=None, name="Tỉnh ủy Đo Lường", kind="province_committee", code="77"
    )
    ward = Organization.objects.filter(code="77.001").first() or organization_create(
        actor=None, parent=province, name="Đảng ủy phường Đo", kind="ward_committee", code="77.001"
    )
    cell_number = Organization.objects.filter(path__startswith=ward.path).count()

    def fresh_cell():
        nonlocal cell_number
        cell_number += 1
        return organization_create(
            actor=None,
            parent=ward,
            name=f"Chi bộ Đo {cell_number}",
            kind="cell",
            code=f"77.001.000.000.{cell_number:03d}",
        )

    def clear():
        MemberEvent.objects.filter(cell__path__startswith=ward.path).delete()
        Member.objects.filter(cell__path__startswith=ward.path).delete()

    def time_import(rows: int) -> tuple[float, float]:
        content = member_list_file(many_rows(rows)).getvalue()
        cell = fresh_cell()
        started = time.perf_counter()
        result = parse_member_file(io.BytesIO(content), organization=cell)
        parsed = time.perf_counter()
        outcome = import_members(actor=None, organization=cell, result=result)
        finished = time.perf_counter()
        assert outcome.created == rows, outcome
        clear()
        return parsed - started, finished - started

    lines: list[str] = []

    def report(line: str) -> None:
        print(line)
        lines.append(line)

    base = [time_import(args.baseline_rows) for _ in range(args.repeat)]
    base_total = statistics.median(total for _, total in base)
    report(
        f"- import {args.baseline_rows:,} rows (baseline): median {base_total:.2f} s "
        f"(parse {statistics.median(p for p, _ in base):.2f} s), "
        f"{base_total / args.baseline_rows * 1e6:.0f} µs/row, {args.repeat} runs"
    )
    big = [time_import(args.rows) for _ in range(max(1, args.repeat - 2))]
    big_total = statistics.median(total for _, total in big)
    ratio = (big_total / args.rows) / (base_total / args.baseline_rows)
    report(
        f"- import {args.rows:,} rows: median {big_total:.2f} s "
        f"(parse {statistics.median(p for p, _ in big):.2f} s), "
        f"{big_total / args.rows * 1e6:.0f} µs/row; per-row cost ×{ratio:.2f} of the baseline; "
        f"budget 60 s: {'met' if big_total < 60 else 'NOT met'}"
    )

    # The member list page: a cell of 40 members (the live-meeting size) vs. a cell of 1.
    client = Client()

    def list_page(size: int) -> tuple[float, int]:
        cell = fresh_cell()
        result = parse_member_file(
            member_list_file(many_rows(size, start=500_000 + cell_number * 100)), organization=cell
        )
        import_members(actor=None, organization=cell, result=result)
        secretary = Member.objects.filter(cell=cell).first()
        position_assign(
            actor=None,
            member=secretary,
            organization=cell,
            role="secretary",
            start_date=datetime.date(2024, 1, 1),
        )
        user = User.objects.create_user(username=f"bench{cell.pk}", password="x")  # noqa: S106
        member_link_user(actor=None, member=secretary, user=user)
        client.force_login(user)
        url = f"/members/cell/{cell.pk}/"
        client.get(url)  # warm
        timings = []
        for _ in range(15):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return statistics.median(timings), len(queries)

    small_time, small_queries = list_page(1)
    big_time, big_queries = list_page(40)
    report(
        f"- member list page, 1-member cell (baseline): median {small_time * 1000:.1f} ms, "
        f"{small_queries} queries"
    )
    report(
        f"- member list page, 40-member cell: median {big_time * 1000:.1f} ms, {big_queries} "
        f"queries; ×{big_time / small_time:.2f} of the baseline"
    )

    engine = connection.vendor
    section = [
        f"## Members: import and list ({engine})",
        "",
        f"Command: `.venv/bin/python bench/bench_members.py --rows {args.rows}`"
        + (" with DATABASE_URL set" if engine != "sqlite" else "")
        + f" — run {datetime.date.today():%d/%m/%Y}, {os.cpu_count()} cores.",
        "",
        *lines,
        "",
    ]
    write_section(ROOT / "bench" / "RESULTS.md", f"## Members: import and list ({engine})", section)


def write_section(path: Path, heading: str, section: list[str]) -> None:
    intro = "# Benchmark results\n\nEach section is rewritten by the benchmark that produced it.\n"
    text = path.read_text() if path.exists() else intro
    if heading in text:
        start = text.index(heading)
        end = text.find("\n## ", start + 1)
        text = text[:start] + "\n".join(section) + (text[end + 1 :] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section)
    path.write_text(text)


if __name__ == "__main__":
    main()
