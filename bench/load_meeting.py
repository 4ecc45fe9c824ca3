"""Benchmark: eight phones at once on the embedded default (issue 13).

Run:  .venv/bin/python bench/load_meeting.py [--duration 20] [--rounds 2] [--workers-variant 2]

What it does, all on 127.0.0.1 in a scratch folder (about 3 minutes with the defaults):
1. Builds a lean SQLite database with the code at the baseline commit (f3be99d, checked out
   into /tmp/load-before with `git worktree add` when missing): four cells of 40 members, each
   with a meeting opened through the services (meeting_create, agenda_build, meeting_publish,
   meeting_open) and two logins that run it, the secretary and the minute-taker: eight phones.
2. For each side — "before" (the baseline's code) and "after" (this tree) — copies that
   database (migrating the copy and collecting static files again only when the side's
   migrations or static files differ) and serves it as `make serve` does: the Huey consumer
   (`python -m chibo run_huey --workers 1`, CHIBO_JOBS_IMMEDIATE=0) beside gunicorn 1 worker
   × 4 threads, with PYTHONPATH set to the side's src (the server log says which chibo it
   imported). Both servers start together; then locust runs headless against one at a time,
   the sides alternating (A B, B A) so that the shared machine's drift falls on both
   (bench/locustfile_meeting.py): 8 users without think time, each logging in, opening its
   meeting and repeating a phone's cycle of roll-call taps, speeches, votes and assignments as
   htmx POSTs, with tab GETs between them and, every 5 cycles, a login from a second browser.
3. Afterwards it recounts in each side's database that every write locust saw succeed is there
   exactly once (speeches, votes and assignments by a marker in their text; attendance by each
   row's last mark and its version count), and that no refused write was recorded.
4. Prints, per side, errors, successful writes per second, the server's CPU per successful
   write (gunicorn's processes, psutil: the figure the other work on a shared machine moves
   least), p50/p95 per request type (client side on localhost) and the server time of the
   logins (gunicorn's access log), and the ratios after/before; rewrites the section
   "Eight phones at once (sqlite)" of bench/RESULTS.md.

`--workers-variant 2` adds a third side: this tree with gunicorn `--workers 2 --threads 4`.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import inspect
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from results import write_section

ROOT = Path(__file__).resolve().parent.parent
BASE_COMMIT = "f3be99d"
BEFORE_TREE = Path("/tmp/load-before")  # noqa: S108 (a git worktree, as COMMON.md says)
PYTHON = ROOT / ".venv" / "bin" / "python"
SECTION = "## Eight phones at once (sqlite)"
CELLS = 4
CELL_SIZE = 40
PASSWORD = "chibo-load-2026"  # noqa: S105 (a scratch database's logins)
MARKER = re.compile(r"^\[(L\d+x\d+-\w+-\d+)\]")
WRITE_KINDS = ("attendance", "speech", "vote", "assignment")


# -- in a side's Django (subprocesses) -------------------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django

    django.setup()


def build_fixture(folder: Path, prefill: int) -> None:
    """The eight phones' world, built with whatever chibo PYTHONPATH gives (the baseline's).
    `prefill`: speeches already recorded in each meeting (and a quarter as many votes and
    assignments, everyone marked present), for a meeting that has filled up."""
    _django()
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    import chibo
    from chibo.accounts.models import User
    from chibo.meetings import services
    from chibo.meetings.models import Attendance, MeetingKind
    from chibo.members.services import member_create, member_link_user
    from chibo.orgs.services import organization_create, position_assign

    print(f"fixture built with chibo from {chibo.__file__}", flush=True)
    call_command("migrate", verbosity=0)
    province = organization_create(
        actor=None, parent=None, name="Tỉnh ủy Đo Tải", kind="province_committee", code="78"
    )
    ward = organization_create(
        actor=None, parent=province, name="Đảng ủy phường Tải", kind="ward_committee", code="78.1"
    )
    today = timezone.localdate()
    phones: list[dict[str, Any]] = []
    versions: dict[str, dict[str, int]] = {}
    for number in range(1, CELLS + 1):
        cell = organization_create(
            actor=None,
            parent=ward,
            name=f"Chi bộ Khu phố Tải {number}",
            kind="cell",
            code=f"78.1.000.000.{number:03d}",
            address="Nhà văn hóa khu phố",
        )
        members = []
        for index in range(1, CELL_SIZE + 1):
            official = index > 4
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
                    full_name=f"Trần Văn Tải {number}-{index:02d}",
                    sex="male",
                    birth_date=datetime.date(1970, 5, 1),
                    **dates,
                )
            )
        secretary, minute_taker = members[-1], members[-2]
        position_assign(
            actor=None,
            member=secretary,
            organization=cell,
            role="secretary",
            start_date=datetime.date(2025, 1, 1),
        )
        logins = []
        for member, role in ((secretary, "secretary"), (minute_taker, "minutes")):
            user = User.objects.create_user(username=f"load.{role}{number}", password=PASSWORD)
            member_link_user(actor=None, member=member, user=user)
            logins.append(user)
        meeting = services.meeting_create(
            actor=logins[0],
            organization=cell,
            kind=MeetingKind.EXTRAORDINARY,
            date=today,
            time=datetime.time(19, 30),
        )
        services.agenda_build(actor=logins[0], meeting=meeting)
        services.meeting_publish(actor=logins[0], meeting=meeting)
        services.meeting_open(
            actor=logins[0], meeting=meeting, chair=secretary, minute_taker=minute_taker
        )
        if prefill:
            fill_meeting(meeting, logins[0], members, prefill)
        live_url = reverse("meetings:live", args=[meeting.pk])
        for share, user in enumerate(logins):
            phones.append(
                {
                    "username": user.username,
                    "meeting": meeting.pk,
                    "live_url": live_url,
                    "share": share,
                    "of": len(logins),
                }
            )
        versions[str(meeting.pk)] = {
            str(member_id): [version, status]
            for member_id, version, status in Attendance.objects.filter(
                meeting=meeting
            ).values_list("member_id", "version", "status")
        }
    # The two phones of a cell share its roll by member id's parity; eight users take the
    # logins in this order: four meetings with two phones each.
    fixture = {
        "login_url": reverse("accounts:login"),
        "password": PASSWORD,
        "phones": phones,
        "versions": versions,
    }
    (folder / "fixture.json").write_text(json.dumps(fixture, indent=1), encoding="utf-8")


def fill_meeting(meeting: Any, actor: Any, members: list[Any], prefill: int) -> None:
    """What a long meeting has recorded before the phones start (through the services)."""
    from chibo.meetings import services
    from chibo.meetings.models import VoteSubject

    services.attendance_mark_rest_present(actor=actor, meeting=meeting)
    items = list(meeting.agenda_items.all())
    due = meeting.date + datetime.timedelta(days=30)
    for number in range(prefill):
        services.speech_add(
            actor=actor,
            meeting=meeting,
            member=members[number % len(members)],
            agenda_item=items[number % len(items)],
            summary=f"Ý kiến số {number + 1}: đồng tình với dự thảo, đề nghị bổ sung.",
        )
        if number % 4 == 0:
            services.vote_record(
                actor=actor,
                meeting=meeting,
                title=f"Biểu quyết số {number // 4 + 1}",
                subject=VoteSubject.DECISION,
                in_favour=30,
                against=1,
                abstain=0,
            )
            services.assignment_add(
                actor=actor,
                meeting=meeting,
                title=f"Nhiệm vụ số {number // 4 + 1}",
                members=[members[number % len(members)]],
                due_date=due,
            )


def read_logs(folder: Path) -> list[dict[str, Any]]:
    """The locust logs of a side, in the order of the runs."""
    paths = sorted(folder.glob("locust-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


def recount(folder: Path) -> None:
    """Compare what locust saw succeed with what the side's database holds; print JSON."""
    _django()
    from chibo.followup.models import Assignment
    from chibo.meetings.models import Attendance, Speech, Vote

    fixture = json.loads((folder / "fixture.json").read_text(encoding="utf-8"))
    all_writes = [write for log in read_logs(folder) for write in log["writes"]]
    meetings = [int(pk) for pk in fixture["versions"]]
    stored: dict[str, Counter] = {
        "speech": Counter(
            Speech.objects.filter(meeting_id__in=meetings).values_list("summary", flat=True)
        ),
        "vote": Counter(
            Vote.objects.filter(meeting_id__in=meetings).values_list("title", flat=True)
        ),
        "assignment": Counter(
            Assignment.objects.filter(source_meeting_id__in=meetings).values_list(
                "title", flat=True
            )
        ),
    }
    markers: dict[str, Counter] = {}
    for kind, texts in stored.items():
        markers[kind] = Counter()
        for text, times in texts.items():
            found = MARKER.match(text)
            if found:
                markers[kind][found.group(1)] += times
    result: dict[str, Any] = {}
    for kind in ("speech", "vote", "assignment"):
        writes = [w for w in all_writes if w["kind"] == kind]
        ok = [w["marker"].strip("[]") for w in writes if w["ok"]]
        refused = [w["marker"].strip("[]") for w in writes if not w["ok"]]
        result[kind] = {
            "ok": len(ok),
            "refused": len(refused),
            "confirmed": sum(1 for m in ok if markers[kind][m] == 1),
            "missing": sum(1 for m in ok if markers[kind][m] == 0),
            "duplicated": sum(1 for m in ok if markers[kind][m] > 1),
            "stored_though_refused": sum(1 for m in refused if markers[kind][m] > 0),
            "stored_unlogged": sum(1 for m in markers[kind] if m not in set(ok) | set(refused)),
        }
    # A tap is a write when it changes the mark (repeating the mark is a no-op by design);
    # each change adds one to the row's version.
    taps = [w for w in all_writes if w["kind"] == "attendance"]
    ok_taps: dict[tuple[int, int], list[str]] = defaultdict(list)
    for tap in taps:
        if tap["ok"]:
            ok_taps[(tap["meeting"], tap["member"])].append(tap["status"])
    rows = Counter(
        Attendance.objects.filter(meeting_id__in=meetings).values_list("meeting_id", "member_id")
    )
    current = {
        (m, member): (status, version)
        for m, member, status, version in Attendance.objects.filter(
            meeting_id__in=meetings
        ).values_list("meeting_id", "member_id", "status", "version")
    }
    confirmed = 0
    wrong_rows = 0
    for key, statuses in ok_taps.items():
        status, version = current.get(key, ("", -1))
        initial_version, previous = fixture["versions"][str(key[0])][str(key[1])]
        changes = 0
        for mark in statuses:
            changes += mark != previous
            previous = mark
        if rows[key] == 1 and status == statuses[-1] and version - initial_version == changes:
            confirmed += len(statuses)
        else:
            wrong_rows += 1
    result["attendance"] = {
        "ok": sum(len(s) for s in ok_taps.values()),
        "refused": sum(1 for t in taps if not t["ok"]),
        "confirmed": confirmed,
        "rows_not_matching": wrong_rows,
        "duplicate_rows": sum(1 for times in rows.values() if times > 1),
    }
    print(json.dumps(result))


# -- the driver -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def side_env(src: Path, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CHIBO_DEBUG")}
    env.update(
        PYTHONPATH=str(src),
        CHIBO_DATA_DIR=str(data_dir),
        CHIBO_JOBS_IMMEDIATE="0",
        DJANGO_SETTINGS_MODULE="chibo.settings",
    )
    env.pop("CHIBO_FAST_HASHER", None)
    env.pop("REDIS_URL", None)
    return env


def run(cmd: list[str], env: dict[str, str], cwd: Path, **kw: Any) -> str:
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, **kw)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def ensure_before_tree() -> Path:
    if not (BEFORE_TREE / "src" / "chibo").exists():
        subprocess.run(  # noqa: S603
            ["git", "worktree", "add", str(BEFORE_TREE), BASE_COMMIT],  # noqa: S607
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    ensure_messages(BEFORE_TREE / "src")
    return BEFORE_TREE / "src"


def ensure_messages(src: Path) -> None:
    """A checkout has no compiled catalogue (.mo files are not in git): compile it."""
    if not (src / "chibo/locale/vi/LC_MESSAGES/django.mo").exists():
        with tempfile.TemporaryDirectory(prefix="load-msg-") as scratch:
            run(
                [str(PYTHON), "-m", "chibo", "compilemessages", "--ignore=.venv", "-v0"],
                side_env(src, Path(scratch)),
                src / "chibo",
            )


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


GUNICORN_CONF = """
def post_worker_init(worker):
    import chibo
    worker.log.warning("chibo imported from %s", chibo.__file__)
"""


def digest(src: Path, folder: str, suffix: str) -> str:
    """A fingerprint of the files under every `folder` of the chibo package in `src`."""
    found = hashlib.sha256()
    for path in sorted((src / "chibo").glob(f"**/{folder}/**/*{suffix}")):
        if path.is_file() and "__pycache__" not in path.parts:
            found.update(str(path.relative_to(src)).encode())
            found.update(path.read_bytes())
    return found.hexdigest()


def fixture(before_src: Path, prefill: int) -> Path:
    """The seeded database and its static files, built with the baseline's code once and kept
    in /tmp under a key of that code and of build_fixture's source (later runs copy it)."""
    source = inspect.getsource(build_fixture) + inspect.getsource(fill_meeting)
    key = hashlib.sha256(
        f"{BASE_COMMIT} {source} {CELLS} {CELL_SIZE} {prefill}".encode()
    ).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"load-fixture-{key}"
    if (folder / "fixture.json").exists():
        print(f"fixture reused from {folder}")
        return folder
    building = Path(tempfile.mkdtemp(prefix="load-fixture-"))
    env = side_env(before_src, building)
    # The static files (collectstatic needs no database) are collected meanwhile.
    static = subprocess.Popen(  # noqa: S603
        [str(PYTHON), "-m", "chibo", "collectstatic", "--no-input", "-v0"],
        env=env,
        cwd=building,
    )
    built = run(
        [
            str(PYTHON),
            str(ROOT / "bench" / "load_meeting.py"),
            "--fixture",
            str(building),
            "--prefill",
            str(prefill),
        ],
        {**env, "CHIBO_JOBS_IMMEDIATE": "1"},
        building,
    )
    print(built.strip())
    if static.wait() != 0:
        raise SystemExit("collectstatic failed")
    shutil.rmtree(folder, ignore_errors=True)
    building.rename(folder)
    return folder


@dataclass
class Side:
    name: str
    src: Path
    workers: int
    data_dir: Path
    port: int = 0
    processes: list[subprocess.Popen] = field(default_factory=list)
    # (seconds, writes seen, CPU seconds of the server's processes) per locust run
    segments: list[tuple[float, int, float]] = field(default_factory=list)


def start_side(side: Side, fixture_dir: Path, fixture_src: Path) -> None:
    """Copy the fixture, migrate or collect again if the side's code needs it, and serve it as
    `make serve` does: the Huey consumer beside gunicorn."""
    data_dir = side.data_dir
    shutil.copytree(fixture_dir, data_dir)
    env = side_env(side.src, data_dir)
    if digest(side.src, "migrations", ".py") != digest(fixture_src, "migrations", ".py"):
        run([str(PYTHON), "-m", "chibo", "migrate", "--no-input", "-v0"], env, data_dir)
    if digest(side.src, "static", "") != digest(fixture_src, "static", ""):
        shutil.rmtree(data_dir / "static")
        run([str(PYTHON), "-m", "chibo", "collectstatic", "--no-input", "-v0"], env, data_dir)
    side.port = free_port()
    (data_dir / "gunicorn_conf.py").write_text(GUNICORN_CONF, encoding="utf-8")
    server_log = open(data_dir / "server.log", "w", encoding="utf-8")  # noqa: SIM115
    side.processes.append(
        subprocess.Popen(  # noqa: S603
            [str(PYTHON), "-m", "chibo", "run_huey", "--workers", "1", "--quiet"],
            env=env,
            cwd=data_dir,
            stdout=server_log,
            stderr=server_log,
        )
    )
    side.processes.append(
        subprocess.Popen(  # noqa: S603
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "chibo.wsgi",
                "--config",
                str(data_dir / "gunicorn_conf.py"),
                "--bind",
                f"127.0.0.1:{side.port}",
                "--workers",
                str(side.workers),
                "--threads",
                "4",
                "--access-logfile",
                str(data_dir / "access.log"),
                # make serve's format, plus the server time of each request (%(M)s, in ms).
                "--access-logformat",
                '%(h)s "%(m)s %(U)s" %(s)s %(M)s',
            ],
            env=env,
            cwd=data_dir,
            stdout=server_log,
            stderr=server_log,
        )
    )


def wait_ready(side: Side, login_url: str) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            url = f"http://127.0.0.1:{side.port}{login_url}"
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline or any(p.poll() is not None for p in side.processes):
            raise SystemExit(f"{side.name}: the server did not start; see {side.data_dir}")
        time.sleep(0.3)


def load_segment(side: Side, fixture_dir: Path, args: argparse.Namespace, round_no: int) -> None:
    """One locust run against the side's server."""
    log_path = side.data_dir / f"locust-{round_no}.json"
    env = {
        **os.environ,
        "LOAD_FIXTURE": str(fixture_dir / "fixture.json"),
        "LOAD_LOG": str(log_path),
        "LOAD_ROUND": str(round_no),
        "LOAD_WAIT": str(args.wait),
    }
    cpu_before = server_cpu(side)
    subprocess.run(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile_meeting.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.users),
            "--run-time",
            f"{args.duration}s",
            "--stop-timeout",
            "30",
            "--host",
            f"http://127.0.0.1:{side.port}",
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    cpu = server_cpu(side) - cpu_before
    log = json.loads(log_path.read_text(encoding="utf-8"))
    seconds = work_window(log["requests"])
    writes = sum(1 for write in log["writes"] if write["ok"])
    side.segments.append((seconds, writes, cpu))
    print(
        f"  {side.name}, run {round_no}: {writes} writes seen in {seconds:.1f} s "
        f"({writes / seconds:.1f}/s), server CPU {1000 * cpu / max(writes, 1):.0f} ms per write",
        flush=True,
    )


def server_cpu(side: Side) -> float:
    """CPU seconds used so far by gunicorn (master and workers; the Huey consumer aside)."""
    master = psutil.Process(side.processes[1].pid)
    total = 0.0
    for process in [master, *master.children(recursive=True)]:
        times = process.cpu_times()
        total += times.user + times.system
    return total


def stop_side(side: Side) -> None:
    for process in reversed(side.processes):
        process.send_signal(signal.SIGTERM)
    for process in side.processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def work_window(requests: list[list[Any]]) -> float:
    """From the first request after the logins to the end of the last one, in seconds."""
    work = [(start, ms) for name, start, ms, _ok in requests if "login" not in name]
    return max(s + ms / 1000 for s, ms in work) - min(s for s, _ms in work)


def summarise(side: Side, counted: dict[str, Any], users: int) -> dict[str, Any]:
    logs = read_logs(side.data_dir)
    requests = [request for log in logs for request in log["requests"]]
    by_name: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    for request_name, _start, ms, ok in requests:
        by_name[request_name].append(ms)
        if not ok:
            errors[request_name] += 1
    window = sum(seconds for seconds, _writes, _cpu in side.segments)
    cpu = sum(cpu for _seconds, _writes, cpu in side.segments)
    confirmed = sum(counted[kind]["confirmed"] for kind in WRITE_KINDS)
    anomalies = sum(
        counted[kind].get(key, 0)
        for kind in WRITE_KINDS
        for key in (
            "missing",
            "duplicated",
            "stored_though_refused",
            "stored_unlogged",
            "rows_not_matching",
            "duplicate_rows",
        )
    )
    writes = [ms for n, _s, ms, _ok in requests if n.startswith("POST ") and "login" not in n]
    # Server time of the logins (access log): in each run the first `users` logins are the
    # phones starting together, the others a second browser while the meetings run.
    relogins = [sum(1 for r in log["requests"] if r[0].startswith("POST login (")) for log in logs]
    login_times = []
    for line in (side.data_dir / "access.log").read_text().splitlines():
        found = re.search(r'"POST (\S+)" (\d+) (\d+)$', line)
        if found and found.group(1).endswith("/login/") and found.group(2) == "302":
            login_times.append(float(found.group(3)))
    login_server: dict[str, list[float]] = defaultdict(list)
    position = 0
    for again in relogins:
        login_server["at the start"] += login_times[position : position + users]
        login_server["under load"] += login_times[position + users : position + users + again]
        position += users + again
    return {
        "name": side.name,
        "workers": side.workers,
        "imported": imported_from(side),
        "requests": len(requests),
        "errors": sum(errors.values()),
        "errors_by_name": dict(errors),
        "window": window,
        "confirmed": confirmed,
        "anomalies": anomalies,
        "writes_per_s": confirmed / window if window else 0.0,
        "segments": [writes / seconds for seconds, writes, _cpu in side.segments],
        "cpu_per_write": 1000 * cpu / confirmed if confirmed else 0.0,
        "cpu_busy": cpu / window if window else 0.0,
        "write_p50": statistics.median(writes) if writes else 0.0,
        "write_p95": percentile(writes, 0.95) if writes else 0.0,
        "live_p95": percentile([ms for n, _s, ms, _ok in requests if "login" not in n], 0.95),
        "per_name": {
            n: (statistics.median(v), percentile(v, 0.95), len(v)) for n, v in by_name.items()
        },
        "counted": counted,
        "login_server": {
            key: (statistics.median(v), percentile(v, 0.95), len(v))
            for key, v in login_server.items()
            if v
        },
    }


def imported_from(side: Side) -> str:
    found = re.search(r"chibo imported from (\S+)", (side.data_dir / "server.log").read_text())
    return found.group(1) if found else "?"


def describe(side: dict[str, Any]) -> list[str]:
    counted = side["counted"]
    runs = ", ".join(f"{rate:.1f}" for rate in side["segments"])
    lines = [
        f"- **{side['name']}** (gunicorn {side['workers']} worker(s) × 4 threads; chibo imported "
        f"from `{side['imported']}`): {side['confirmed']:,} successful writes in "
        f"{side['window']:.1f} s = **{side['writes_per_s']:.1f} writes/s** (runs: {runs}); "
        f"server CPU **{side['cpu_per_write']:.0f} ms per successful write** (with its share "
        f"of the cycle's GETs and logins; the server busy {side['cpu_busy']:.2f} cores); "
        f"{side['errors']} errors in {side['requests']:,} requests; writes p50 "
        f"{side['write_p50']:.0f} ms, p95 {side['write_p95']:.0f} ms; p95 of the live "
        f"requests (logins aside) {side['live_p95']:.0f} ms",
        "  - recount in the database: "
        + "; ".join(
            f"{kind} {counted[kind]['confirmed']}/{counted[kind]['ok']} confirmed"
            for kind in WRITE_KINDS
        )
        + f"; anomalies (missing, duplicated, stored though refused): {side['anomalies']}",
    ]
    for request_name, (p50, p95, n) in sorted(side["per_name"].items()):
        lines.append(f"  - {request_name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, n={n}")
    for key, (p50, p95, n) in side["login_server"].items():
        lines.append(
            f"  - login POST, server time (access log), {key}: median {p50:.0f} ms, "
            f"p95 {p95:.0f} ms, n={n}"
        )
    if side["errors_by_name"]:
        lines.append(f"  - errors: {side['errors_by_name']}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=20, help="seconds of each locust run")
    parser.add_argument("--rounds", type=int, default=2, help="locust runs per side")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--wait", type=float, default=0.0, help="think time between requests")
    parser.add_argument(
        "--workers-variant", type=int, default=0, help="also this tree with N gunicorn workers"
    )
    parser.add_argument(
        "--after-src",
        type=Path,
        default=ROOT / "src",
        help="the src folder served as 'after' (default: this tree's)",
    )
    parser.add_argument(
        "--prefill",
        type=int,
        default=0,
        help="speeches already in each meeting (and a quarter as many votes and assignments)",
    )
    parser.add_argument("--fixture", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--recount", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fixture:
        build_fixture(args.fixture, args.prefill)
        return
    if args.recount:
        recount(args.recount)
        return

    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="load-meeting-"))
    before_src = ensure_before_tree()
    after_src = args.after_src.resolve()
    ensure_messages(after_src)
    fixture_dir = fixture(before_src, args.prefill)
    login_url = json.loads((fixture_dir / "fixture.json").read_text())["login_url"]
    sides = [
        Side("before", before_src, 1, scratch / "before"),
        Side("after", after_src, 1, scratch / "after"),
    ]
    if args.workers_variant:
        sides.append(
            Side(
                f"after, {args.workers_variant} workers",
                after_src,
                args.workers_variant,
                scratch / f"after-w{args.workers_variant}",
            )
        )
    results = []
    try:
        for side in sides:
            start_side(side, fixture_dir, before_src)
        for side in sides:
            wait_ready(side, login_url)
        print(f"servers ready after {time.monotonic() - started:.0f} s", flush=True)
        # Alternate the sides (A B C, C B A, ...) so that the machine's drift falls on all.
        for round_no in range(args.rounds):
            for side in sides if round_no % 2 == 0 else sides[::-1]:
                load_segment(side, fixture_dir, args, round_no)
    finally:
        for side in sides:
            stop_side(side)
    for side in sides:
        counted = json.loads(
            run(
                [
                    str(PYTHON),
                    str(ROOT / "bench" / "load_meeting.py"),
                    "--recount",
                    str(side.data_dir),
                ],
                side_env(side.src, side.data_dir),
                side.data_dir,
            )
        )
        results.append(summarise(side, counted, args.users))
        print("\n".join(describe(results[-1])), flush=True)

    before, after = results[0], results[1]
    ratio = after["writes_per_s"] / before["writes_per_s"] if before["writes_per_s"] else 0.0
    goal = (
        ratio >= 2 and after["errors"] == 0 and after["anomalies"] == 0 and after["live_p95"] < 300
    )
    after_label = (
        "this tree" if after_src == (ROOT / "src").resolve() else f"the code in `{after_src}`"
    )
    command = " ".join([".venv/bin/python bench/load_meeting.py", *sys.argv[1:]])
    lines = [
        f"Command: `{command}` — run {datetime.date.today():%d/%m/%Y}, 2 cores shared with "
        "other work. Four cells of 40 members, each with a meeting in progress "
        + (
            f"(already holding {args.prefill} speeches, {(args.prefill + 3) // 4} votes and "
            f"as many assignments) "
            if args.prefill
            else ""
        )
        + "run by two "
        f"phones (secretary and minute-taker): {args.users} locust users, think time "
        f"{args.wait:g} s, in {args.rounds} runs of {args.duration} s per side, the sides "
        "alternating (A B, B A) on servers started together. A phone's cycle: a roll-call tap, "
        "a speech, a tap, a speech, a tab (htmx GET), a vote, an assignment (htmx POSTs with the "
        "form's CSRF token); every 5th cycle the full live page and a login from a second "
        "browser. Served as `make serve` does (gunicorn × 4 threads on SQLite WAL, the Huey "
        "consumer beside it). Before = the code at f3be99d from a separate checkout "
        "(`git worktree add /tmp/load-before f3be99d`, PYTHONPATH), after = "
        f"{after_label}, each on a copy of the same database (built once with the "
        "baseline's code and kept in the temporary folder, load-fixture-<key>). Times are "
        "client side on 127.0.0.1 (nearest-rank p95); "
        "writes/s counts only the writes found exactly once in the database afterwards.",
        "",
    ]
    for side in results:
        lines.extend(describe(side))
    lines.append(
        f"- successful writes/s after/before: ×{ratio:.2f}; goal (≥ ×2, 0 errors, p95 < 300 ms): "
        + ("met" if goal else "NOT met")
    )
    lines.append(
        f"- server CPU per successful write after/before: "
        f"×{after['cpu_per_write'] / before['cpu_per_write']:.2f} (the figure least moved by "
        "the other work on the machine)"
    )
    if len(results) > 2:
        extra = results[2]
        lines.append(
            f"- {extra['name']}: ×{extra['writes_per_s'] / after['writes_per_s']:.2f} the "
            f"writes/s of one worker, ×{extra['writes_per_s'] / before['writes_per_s']:.2f} "
            "of before"
        )
    lines.append(f"- (the whole run took {time.monotonic() - started:.0f} s)")
    print("\n".join(lines[-len(results) - 1 :]))
    write_section([SECTION, "", *lines])
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
