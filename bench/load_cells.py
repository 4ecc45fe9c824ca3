"""Benchmark: 50 cells × 3 phones running whole meetings at once (issue 14).

Run:  .venv/bin/python bench/load_cells.py [--cells 50] [--speeches 4] [--run-time 240]
                                           [--backend sqlite|pg|both]

What it does, all on 127.0.0.1 in a scratch folder (and, for PostgreSQL, a scratch database
`chibo_load_cells` on DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432, dropped
and created again):
1. Builds the world through the services (bench/load_cells.py --fixture, in the served
   code's environment): `--cells` cells of CELL_SIZE members, each with an extraordinary
   meeting published and ready to open, and three logins: the secretary (who chairs), the
   minute-taker and the deputy secretary.
2. Serves it as the README's `make serve` does — the Huey consumer beside gunicorn 1 worker ×
   4 threads on the embedded SQLite — and, for PostgreSQL, gunicorn 2 workers × 4 threads
   (the consumer beside it too). The server code is load_meeting.py's (same gunicorn
   configuration and access log).
3. Runs locust headless (bench/locustfile_cells.py), bounded in time (--run-time) and in count
   (each phone has a fixed script and stops; the last one ends the run): 3 users per cell,
   all started within a few seconds. Phone 1 opens the meeting, calls the roll, records a
   speech on each of the first four agenda items and two votes, closes and signs as chair;
   phones 2 and 3 read the tabs and add `--speeches` speeches each; phone 2 signs as
   minute-taker.
4. Recounts in the database: every write locust saw succeed is there exactly once (speeches
   and votes by a marker in their text, roll-call taps by the member's row, openings,
   closings and signatures by the meeting's state), no refused write was stored, every meeting
   is signed by its two signers with a fingerprint that matches its frozen content and four
   stored files whose SHA-256 matches their bytes.
5. Prints and writes to bench/RESULTS.md (section "## 50 cells × 3 phones (issue 14)"): errors,
   anomalies, p50/p95/p99 per request type and overall (client side), writes per second.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from load_meeting import (
    GUNICORN_CONF,
    PYTHON,
    ROOT,
    Side,
    ensure_messages,
    free_port,
    percentile,
    run,
    server_cpu,
    side_env,
    stop_side,
    wait_ready,
)
from results import write_section

SECTION = "## 50 cells × 3 phones (issue 14)"
CELL_SIZE = 10
PASSWORD = "chibo-load-2026"  # noqa: S105 (a scratch database's logins)
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "chibo_load_cells"
MARKER = re.compile(r"^\[(C\d+p\d-\w+-\d+)\]")
WRITE_KINDS = ("open", "attendance", "speech", "vote", "close", "signature")


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()


# -- in the served code's environment (subprocesses) -----------------------------------------


def build_fixture(folder: Path, cells: int) -> None:
    """The cells, their meetings ready to open and three logins each, through the services."""
    _django()
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    from chibo.accounts.models import User
    from chibo.meetings import services
    from chibo.meetings.models import MeetingKind
    from chibo.members.services import member_create, member_link_user
    from chibo.orgs.services import organization_create, position_assign

    call_command("migrate", verbosity=0)
    province = organization_create(
        actor=None, parent=None, name="Tỉnh ủy Tải Nhiều", kind="province_committee", code="79"
    )
    ward = organization_create(
        actor=None, parent=province, name="Đảng ủy phường Tải", kind="ward_committee", code="79.1"
    )
    today = timezone.localdate()
    phones: list[dict[str, Any]] = []
    for number in range(1, cells + 1):
        cell = organization_create(
            actor=None,
            parent=ward,
            name=f"Chi bộ Khu phố Tải {number}",
            kind="cell",
            code=f"79.1.000.000.{number:03d}",
            address="Nhà văn hóa khu phố",
        )
        members = []
        for index in range(1, CELL_SIZE + 1):
            official = index > 2
            dates = {
                "admission_decision_date": datetime.date(2000 if official else 2026, 3, 1),
                "ceremony_date": datetime.date(2000 if official else 2026, 3, 19),
            }
            if official:
                dates["official_date"] = datetime.date(2001, 3, 19)
            members.append(
                member_create(
                    actor=None,
                    cell=cell,
                    full_name=f"Lê Thị Tải {number}-{index:02d}",
                    sex="female",
                    birth_date=datetime.date(1975, 5, 1),
                    **dates,
                )
            )
        secretary, minute_taker, deputy = members[-1], members[-2], members[-3]
        for member, role in ((secretary, "secretary"), (deputy, "deputy_secretary")):
            position_assign(
                actor=None,
                member=member,
                organization=cell,
                role=role,
                start_date=datetime.date(2025, 1, 1),
            )
        users = []
        for member, label in ((secretary, "p1"), (minute_taker, "p2"), (deputy, "p3")):
            user = User.objects.create_user(username=f"cells.{number}.{label}", password=PASSWORD)
            member_link_user(actor=None, member=member, user=user)
            users.append(user)
        meeting = services.meeting_create(
            actor=users[0],
            organization=cell,
            kind=MeetingKind.EXTRAORDINARY,
            date=today,
            time=datetime.time(19, 30),
        )
        services.agenda_build(actor=users[0], meeting=meeting)
        services.meeting_publish(actor=users[0], meeting=meeting)
        for role_no, user in enumerate(users, start=1):
            phones.append(
                {
                    "username": user.username,
                    "role_no": role_no,
                    "cell": number,
                    "meeting": meeting.pk,
                    "chair": secretary.pk,
                    "minute_taker": minute_taker.pk,
                    "open_url": reverse("meetings:open", args=[meeting.pk]),
                    "live_url": reverse("meetings:live", args=[meeting.pk]),
                }
            )
    fixture = {"login_url": reverse("accounts:login"), "password": PASSWORD, "phones": phones}
    (folder / "fixture.json").write_text(json.dumps(fixture, indent=1), encoding="utf-8")


def recount(folder: Path) -> None:
    """Compare what locust saw succeed with what the database holds; print JSON."""
    _django()
    from chibo.meetings.documents.data import canonical_content, fingerprint_of
    from chibo.meetings.models import (
        Attendance,
        Meeting,
        MeetingRecord,
        MeetingStatus,
        Signature,
        SignedFile,
        Speech,
        Vote,
    )

    fixture = json.loads((folder / "fixture.json").read_text(encoding="utf-8"))
    log = json.loads((folder / "locust.json").read_text(encoding="utf-8"))
    writes = log["writes"]
    meetings = sorted({phone["meeting"] for phone in fixture["phones"]})
    result: dict[str, Any] = {}
    for kind, model, field in (("speech", Speech, "summary"), ("vote", Vote, "title")):
        stored: Counter = Counter()
        for text in model.objects.filter(meeting_id__in=meetings).values_list(field, flat=True):
            found = MARKER.match(text)
            if found:
                stored[found.group(1)] += 1
        ok = [w["marker"].strip("[]") for w in writes if w["kind"] == kind and w["ok"]]
        refused = [
            w["marker"].strip("[]") for w in writes if w["kind"] == kind and w["ok"] is False
        ]
        flying = {w["marker"].strip("[]") for w in writes if w["kind"] == kind and w["ok"] is None}
        result[kind] = {
            "ok": len(ok),
            "refused": len(refused),
            "confirmed": sum(1 for m in ok if stored[m] == 1),
            "missing": sum(1 for m in ok if stored[m] == 0),
            "duplicated": sum(1 for m in ok if stored[m] > 1),
            "stored_though_refused": sum(1 for m in refused if stored[m] > 0),
            "stored_unlogged": sum(1 for m in stored if m not in set(ok) | set(refused) | flying),
            "in_flight_at_the_end": len(flying),
        }
    # Roll call: one tap per member, from the pre-marked blank to "present" (version 1).
    rows = {
        (m, member): (status, version)
        for m, member, status, version in Attendance.objects.filter(
            meeting_id__in=meetings
        ).values_list("meeting_id", "member_id", "status", "version")
    }
    taps = [w for w in writes if w["kind"] == "attendance" and w["ok"] is not None]
    ok_taps = [(w["meeting"], w["member"]) for w in taps if w["ok"]]
    result["attendance"] = {
        "ok": len(ok_taps),
        "refused": len(taps) - len(ok_taps),
        "confirmed": sum(1 for key in ok_taps if rows.get(key, ("", 0))[0] == "present"),
        "missing": sum(1 for key in ok_taps if rows.get(key, ("", 0))[0] != "present"),
        "duplicated": len(ok_taps) - len(set(ok_taps)),
        "rows_per_member_duplicated": Attendance.objects.filter(meeting_id__in=meetings).count()
        - len(rows),
    }
    status = dict(Meeting.objects.filter(pk__in=meetings).values_list("pk", "status"))
    signatures = Counter(
        Signature.objects.filter(meeting_id__in=meetings, addendum__isnull=True).values_list(
            "meeting_id", flat=True
        )
    )
    for kind, reached in (
        ("open", lambda pk: status[pk] != "published"),
        ("close", lambda pk: status[pk] in (MeetingStatus.CLOSED, MeetingStatus.SIGNED)),
    ):
        ok = [w["meeting"] for w in writes if w["kind"] == kind and w["ok"]]
        result[kind] = {
            "ok": len(ok),
            "refused": sum(1 for w in writes if w["kind"] == kind and w["ok"] is False),
            "confirmed": sum(1 for pk in ok if reached(pk)),
            "missing": sum(1 for pk in ok if not reached(pk)),
            "duplicated": len(ok) - len(set(ok)),
        }
    signs = [w for w in writes if w["kind"] == "signature"]
    signed_ok = Counter(w["meeting"] for w in signs if w["ok"])
    signing = Counter(w["meeting"] for w in signs if w["ok"] is None)
    result["signature"] = {
        "ok": sum(signed_ok.values()),
        "refused": sum(1 for w in signs if w["ok"] is False),
        "confirmed": sum(min(n, signatures[pk]) for pk, n in signed_ok.items()),
        "missing": sum(max(0, n - signatures[pk]) for pk, n in signed_ok.items()),
        # More signatures than were answered as done (those in flight at the end aside).
        "duplicated": sum(
            max(0, signatures[pk] - signed_ok[pk] - signing[pk]) for pk in signatures
        ),
        "in_flight_at_the_end": sum(signing.values()),
    }
    # Every meeting signed by both, its fingerprint that of its frozen content (and of the
    # content as the meeting stands now), its four files stored with their SHA-256.
    valid = 0
    problems: list[str] = []
    for pk in meetings:
        meeting = Meeting.objects.get(pk=pk)
        record = MeetingRecord.objects.get(meeting_id=pk)
        files = list(SignedFile.objects.filter(meeting_id=pk, addendum__isnull=True))
        checks = {
            "signed": meeting.status == MeetingStatus.SIGNED,
            "two signatures": signatures[pk] == 2,
            "fingerprint of the frozen content": bool(record.fingerprint)
            and fingerprint_of(record.frozen_content or {}) == record.fingerprint,
            "fingerprint of the meeting now": fingerprint_of(canonical_content(meeting))
            == record.fingerprint,
            "four files": len(files) == 4
            and all(
                hashlib.sha256(bytes(f.content)).hexdigest() == f.sha256
                and f.fingerprint == record.fingerprint
                for f in files
            ),
        }
        if all(checks.values()):
            valid += 1
        else:
            problems.append(f"{pk}: " + ", ".join(k for k, v in checks.items() if not v))
    result["meetings"] = {"count": len(meetings), "signed_valid": valid, "problems": problems[:10]}
    print(json.dumps(result))


# -- the driver -------------------------------------------------------------------------------


def pg_env(env: dict[str, str], server: str) -> dict[str, str]:
    return {**env, "DATABASE_URL": f"{server}/{PG_NAME}"}


def pg_recreate(server: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{PG_NAME}"')


def prepare(side: Side, args: argparse.Namespace) -> dict[str, str]:
    """Build the side's database and static files; returns the side's environment."""
    side.data_dir.mkdir(parents=True)
    env = side_env(ROOT / "src", side.data_dir)
    if side.name == "postgresql":
        pg_recreate(args.pg_server)
        env = pg_env(env, args.pg_server)
    static = subprocess.Popen(  # noqa: S603
        [str(PYTHON), "-m", "chibo", "collectstatic", "--no-input", "-v0"],
        env=env,
        cwd=side.data_dir,
    )
    started = time.monotonic()
    run(
        [str(PYTHON), str(ROOT / "bench" / "load_cells.py"), "--fixture", str(side.data_dir)]
        + ["--cells", str(args.cells)],
        {**env, "CHIBO_JOBS_IMMEDIATE": "1"},
        side.data_dir,
    )
    if static.wait() != 0:
        raise SystemExit("collectstatic failed")
    print(f"  {side.name}: {args.cells} cells built in {time.monotonic() - started:.0f} s")
    return env


def serve(side: Side, env: dict[str, str]) -> None:
    """As `make serve` does: the Huey consumer beside gunicorn (workers × 4 threads)."""
    side.port = free_port()
    (side.data_dir / "gunicorn_conf.py").write_text(GUNICORN_CONF, encoding="utf-8")
    server_log = open(side.data_dir / "server.log", "w", encoding="utf-8")  # noqa: SIM115
    common = {"env": env, "cwd": side.data_dir, "stdout": server_log, "stderr": server_log}
    side.processes.append(
        subprocess.Popen(  # noqa: S603
            [str(PYTHON), "-m", "chibo", "run_huey", "--workers", "1", "--quiet"], **common
        )
    )
    side.processes.append(
        subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "chibo.wsgi"]
            + ["--config", str(side.data_dir / "gunicorn_conf.py")]
            + ["--bind", f"127.0.0.1:{side.port}", "--workers", str(side.workers)]
            + ["--threads", "4", "--timeout", "120"]
            + ["--access-logfile", str(side.data_dir / "access.log")]
            + ["--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(M)s'],
            **common,
        )
    )


def load(side: Side, args: argparse.Namespace, users: int) -> float:
    """The locust run; returns its wall time in seconds."""
    env = {
        **os.environ,
        "LOAD_FIXTURE": str(side.data_dir / "fixture.json"),
        "LOAD_LOG": str(side.data_dir / "locust.json"),
        "LOAD_SPEECHES": str(args.speeches),
    }
    cpu_before = server_cpu(side)
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile_cells.py")]
        + ["--headless", "--users", str(users), "--spawn-rate", str(args.spawn_rate)]
        + ["--run-time", f"{args.run_time}s", "--stop-timeout", "30"]
        + ["--host", f"http://127.0.0.1:{side.port}", "--only-summary", "--loglevel", "ERROR"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    side.segments.append((seconds, 0, server_cpu(side) - cpu_before))
    (side.data_dir / "locust.out").write_text(done.stdout + done.stderr, encoding="utf-8")
    return seconds


def summarise(side: Side, counted: dict[str, Any], seconds: float) -> dict[str, Any]:
    log = json.loads((side.data_dir / "locust.json").read_text(encoding="utf-8"))
    requests = log["requests"]
    by_name: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    for name, _start, ms, ok in requests:
        by_name[name].append(ms)
        if not ok:
            errors[name] += 1
    confirmed = sum(counted[kind]["confirmed"] for kind in WRITE_KINDS)
    anomalies = (
        sum(
            counted[kind].get(key, 0)
            for kind in WRITE_KINDS
            for key in ("missing", "duplicated", "stored_though_refused", "stored_unlogged")
        )
        + counted["attendance"]["rows_per_member_duplicated"]
    )
    starts = [start for _n, start, _ms, _ok in requests]
    window = max(s + ms / 1000 for _n, s, ms, _ok in requests) - min(starts)
    every = [ms for _n, _s, ms, _ok in requests]
    return {
        "name": side.name,
        "workers": side.workers,
        "requests": len(requests),
        "errors": sum(errors.values()),
        "errors_by_name": dict(errors),
        "failures": dict(Counter(log.get("failures", []))),
        "anomalies": anomalies,
        "confirmed": confirmed,
        "window": window,
        "seconds": seconds,
        "writes_per_s": confirmed / window if window else 0.0,
        "cpu": side.segments[-1][2],
        "overall": (statistics.median(every), percentile(every, 0.95), percentile(every, 0.99)),
        "per_name": {
            name: (statistics.median(v), percentile(v, 0.95), percentile(v, 0.99), len(v))
            for name, v in by_name.items()
        },
        "counted": counted,
    }


def describe(result: dict[str, Any]) -> list[str]:
    counted = result["counted"]
    meetings = counted["meetings"]
    p50, p95, p99 = result["overall"]
    lines = [
        f"- **{result['name']}** (gunicorn {result['workers']} worker(s) × 4 threads, the Huey "
        f"consumer beside it): {result['requests']:,} requests, **{result['errors']} errors**; "
        f"{result['confirmed']:,} writes confirmed in the database in {result['window']:.1f} s "
        f"= {result['writes_per_s']:.1f} writes/s; **anomalies (lost, duplicated, stored "
        f"though refused): {result['anomalies']}**; meetings signed by both with a valid "
        f"fingerprint and four stored files: **{meetings['signed_valid']}/{meetings['count']}**"
        f"; all requests p50 {p50:.0f} ms, **p95 {p95:.0f} ms**, p99 {p99:.0f} ms; server "
        f"CPU {result['cpu']:.0f} s",
        "  - recount: "
        + "; ".join(
            f"{kind} {counted[kind]['confirmed']}/{counted[kind]['ok']}" for kind in WRITE_KINDS
        )
        + " (confirmed/answered as saved); writes still in flight when the time was up: "
        + str(sum(counted[kind].get("in_flight_at_the_end", 0) for kind in WRITE_KINDS)),
    ]
    for name, (p50, p95, p99, n) in sorted(result["per_name"].items()):
        lines.append(f"  - {name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, n={n}")
    if result["errors_by_name"]:
        lines.append(f"  - errors: {result['errors_by_name']}")
    for failure, times in sorted(result["failures"].items()):
        lines.append(f"  - {times} × {failure}")
    if meetings["problems"]:
        lines.append(f"  - meetings not valid: {meetings['problems']}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=50)
    parser.add_argument("--speeches", type=int, default=4, help="speeches by phones 2 and 3")
    parser.add_argument("--run-time", type=int, default=240, help="locust's bound, seconds")
    parser.add_argument("--spawn-rate", type=float, default=30.0, help="phones started per s")
    parser.add_argument("--backend", choices=("sqlite", "pg", "both"), default="both")
    parser.add_argument("--pg-server", default=PG_SERVER)
    parser.add_argument("--fixture", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--recount", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fixture:
        build_fixture(args.fixture, args.cells)
        return
    if args.recount:
        recount(args.recount)
        return

    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="load-cells-"))
    ensure_messages(ROOT / "src")
    sides = []
    if args.backend in ("sqlite", "both"):
        sides.append(Side("embedded SQLite", ROOT / "src", 1, scratch / "sqlite"))
    if args.backend in ("pg", "both"):
        sides.append(Side("postgresql", ROOT / "src", 2, scratch / "pg"))
    results = []
    for side in sides:
        env = prepare(side, args)
        serve(side, env)
        try:
            wait_ready(side, "/accounts/login/")
            seconds = load(side, args, users=3 * args.cells)
        finally:
            stop_side(side)
        counted = json.loads(
            run(
                [str(PYTHON), str(ROOT / "bench" / "load_cells.py"), "--recount"]
                + [str(side.data_dir)],
                env,
                side.data_dir,
            )
        )
        results.append(summarise(side, counted, seconds))
        print("\n".join(describe(results[-1])), flush=True)
    command = " ".join([".venv/bin/python bench/load_cells.py", *sys.argv[1:]])
    lines = [
        f"Command: `{command}` — run {datetime.date.today():%d/%m/%Y} on 2 cores shared with "
        "seven other sessions (the figures move with their work). "
        f"{args.cells} cells of {CELL_SIZE} members, each running its extraordinary meeting "
        f"from opening to signing on three phones at once: {3 * args.cells} locust users "
        f"started at {args.spawn_rate:g}/s, no think time, bounded by --run-time "
        f"{args.run_time} s and by each phone's script (phone 1, the secretary: log in, open, "
        "roll call of every member, a speech on each of the first four agenda items, two "
        "votes, close once phones 2 and 3 are done, sign as chair; phones 2 and 3: "
        f"{args.speeches} speeches each with a "
        "tab read before each; phone 2 signs as minute-taker; the second signature freezes the "
        "minutes and renders and stores their PDF and DOCX in the request). Times are client "
        "side on 127.0.0.1, nearest-rank percentiles; logins included. Writes/s counts the "
        "writes found exactly once in the database afterwards, over the run's wall time.",
        "",
    ]
    for result in results:
        lines.extend(describe(result))
    lines.append(f"- (the whole benchmark took {time.monotonic() - started:.0f} s)")
    write_section([SECTION, "", *lines])
    if args.backend in ("pg", "both"):
        import psycopg

        with psycopg.connect(f"{args.pg_server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
    if any(result["errors"] or result["anomalies"] for result in results):
        print(f"errors or anomalies: the servers' logs are kept in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
