"""Benchmark: member import against the openpyxl floor (issue 13: 100,000 rows in at most twice
the time openpyxl takes just to read the same file) and the member list page.

Run:  .venv/bin/python bench/bench_members.py [--rows 100000] [--before /tmp/import-before/src]
      (DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_import_bench for PostgreSQL)
It builds a scratch SQLite database in a temporary folder (or uses DATABASE_URL), prints each
figure, and rewrites its section of bench/RESULTS.md (one per database engine).

The floor is `openpyxl.load_workbook(read_only=True)` iterating `iter_rows(values_only=True)`
over the same file, measured right before each import in the same run: figures are medians,
and the ratio is median import / median floor. "Before" is the import of an older checkout
(`git worktree add /tmp/import-before f3be99d`): this script runs itself again with that
checkout's `src` first on PYTHONPATH (`--worker`), on the same database and the same file,
and reads its timings back; each of its imports is paired with a floor read too.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
os.environ.setdefault("CHIBO_DATA_DIR", tempfile.mkdtemp(prefix="chibo-bench-"))

from results import write_section  # noqa: E402  (bench/ is the script's folder)


def read_floor(content: bytes) -> float:
    """Seconds openpyxl takes to read every value of the file, and nothing else."""
    import openpyxl

    started = time.perf_counter()
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    for sheet in workbook.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    workbook.close()
    return time.perf_counter() - started


def setup() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)


class Bench:
    """A ward of fresh cells to import into, emptied after each import."""

    def __init__(self) -> None:
        from chibo.orgs.models import Organization
        from chibo.orgs.services import organization_create

        province = Organization.objects.filter(code="77").first() or organization_create(
            actor=None, parent=None, name="Tỉnh ủy Đo Lường", kind="province_committee", code="77"
        )
        self.ward = Organization.objects.filter(code="77.001").first() or organization_create(
            actor=None,
            parent=province,
            name="Đảng ủy phường Đo",
            kind="ward_committee",
            code="77.001",
        )

    def fresh_cell(self):  # type: ignore[no-untyped-def]
        from chibo.orgs.models import Organization
        from chibo.orgs.services import organization_create

        number = Organization.objects.filter(path__startswith=self.ward.path).count() + 1
        return organization_create(
            actor=None,
            parent=self.ward,
            name=f"Chi bộ Đo {number}",
            kind="cell",
            code=f"77.001.000.000.{number:03d}",
        )

    def clear(self) -> None:
        from chibo.members.models import Member, MemberEvent

        MemberEvent.objects.filter(cell__path__startswith=self.ward.path).delete()
        Member.objects.filter(cell__path__startswith=self.ward.path).delete()

    def time_import(self, content: bytes, rows: int) -> tuple[float, float]:
        """(seconds to read and check the file, seconds in all) of one import."""
        from chibo.members.imports import import_members, parse_member_file

        cell = self.fresh_cell()
        started = time.perf_counter()
        result = parse_member_file(io.BytesIO(content), organization=cell)
        parsed = time.perf_counter()
        outcome = import_members(actor=None, organization=cell, result=result)
        finished = time.perf_counter()
        assert outcome.created == rows, outcome
        self.clear()
        return parsed - started, finished - started


def paired_runs(bench: Bench, content: bytes, rows: int, repeat: int) -> list[list[float]]:
    """[floor, parse, total] per run: a floor read right before each import."""
    runs = []
    for _ in range(repeat):
        floor = read_floor(content)
        parse, total = bench.time_import(content, rows)
        runs.append([floor, parse, total])
    return runs


def worker(args: argparse.Namespace) -> None:
    """The import of whatever `chibo` is first on the path (the old checkout), as JSON."""
    setup()
    import chibo

    content = Path(args.file).read_bytes()
    runs = paired_runs(Bench(), content, args.rows, args.repeat)
    print(json.dumps({"chibo": chibo.__file__, "runs": runs}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--before",
        default="/tmp/import-before/src",  # noqa: S108
        help="src folder of the checkout to measure as 'before' ('' to skip)",
    )
    parser.add_argument("--before-repeat", type=int, default=1)
    parser.add_argument("--request-rows", type=int, default=10_000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import chibo
    from chibo.accounts.models import User
    from chibo.members.imports import import_members, parse_member_file
    from chibo.members.models import Member
    from chibo.members.services import member_link_user
    from chibo.orgs.services import position_assign
    from tests.members.fixtures_xlsx import many_rows, member_list_file

    assert Path(chibo.__file__).is_relative_to(ROOT), chibo.__file__
    bench = Bench()
    bench.clear()
    content = member_list_file(many_rows(args.rows)).getvalue()

    lines: list[str] = []

    def report(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    def figures(label: str, runs: list[list[float]]) -> float:
        floor = statistics.median(run[0] for run in runs)
        parse = statistics.median(run[1] for run in runs)
        total = statistics.median(run[2] for run in runs)
        ratio = total / floor
        report(
            f"- {label}: import {args.rows:,} rows median {total:.2f} s (reading and checking "
            f"{parse:.2f} s, writing {total - parse:.2f} s), {total / args.rows * 1e6:.0f} µs/row; "
            f"openpyxl read-only floor of the same file {floor:.2f} s; **×{ratio:.2f} the "
            f"floor** ({len(runs)} run{'s' if len(runs) > 1 else ''})"
        )
        return ratio

    after = figures("after (this checkout)", paired_runs(bench, content, args.rows, args.repeat))
    before_src = Path(args.before) if args.before else None
    if before_src and (before_src / "chibo").is_dir():
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
            file.write(content)
            file.flush()
            connection.close()
            completed = subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    __file__,
                    "--worker",
                    "--rows",
                    str(args.rows),
                    "--repeat",
                    str(args.before_repeat),
                    "--file",
                    file.name,
                ],
                env={**os.environ, "PYTHONPATH": str(before_src)},
                capture_output=True,
                text=True,
                check=True,
            )
        answer = json.loads(completed.stdout.strip().splitlines()[-1])
        assert Path(answer["chibo"]).is_relative_to(before_src), answer["chibo"]
        commit = subprocess.run(  # noqa: S603
            ["git", "-C", str(before_src), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
        ).stdout.strip()
        before = figures(f"before ({commit or before_src})", answer["runs"])
        report(f"- after / before: ×{after / before:.2f} of the old ratio to the floor")
    report(f"- budget ×2.00 the floor: {'met' if after <= 2 else 'NOT met'}")
    # The confirm request reads, checks and writes the stored file (the preview request
    # reads and checks it): its time for a smaller list, against gunicorn's 30 s timeout.
    small = args.request_rows
    small_runs = paired_runs(
        bench, member_list_file(many_rows(small)).getvalue(), small, args.repeat
    )
    report(
        f"- confirm request for {small:,} rows (read, check, write): median "
        f"{statistics.median(run[2] for run in small_runs):.2f} s, reading and checking "
        f"{statistics.median(run[1] for run in small_runs):.2f} s; floor "
        f"{statistics.median(run[0] for run in small_runs):.2f} s"
    )

    # The member list page: a cell of 40 members (the live-meeting size) vs. a cell of 1.
    client = Client()

    def list_page(size: int) -> tuple[float, int]:
        cell = bench.fresh_cell()
        result = parse_member_file(
            member_list_file(many_rows(size, start=500_000 + cell.pk * 100)), organization=cell
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
        f"Command: `.venv/bin/python bench/bench_members.py --rows {args.rows} --repeat "
        f"{args.repeat}`"
        + (" with DATABASE_URL set to a PostgreSQL database" if engine != "sqlite" else "")
        + f" — run {datetime.date.today():%d/%m/%Y}, {os.cpu_count()} cores shared with other "
        "work. Before: the import of the checkout given by --before (default "
        "/tmp/import-before, a `git worktree add` of f3be99d), run by the same script in a "  # noqa: S108
        "subprocess on the same database and file. Each import is paired with a floor read "
        "just before it: on a shared machine the seconds vary twofold between runs, the "
        "ratios much less.",
        "",
        *lines,
        "",
    ]
    write_section(section)


if __name__ == "__main__":
    main()
