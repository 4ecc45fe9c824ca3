"""Benchmark: the live meeting on a phone, against the floor page (issue 13).

Run:  .venv/bin/python bench/bench_meetings.py [--samples 15] [--grow 300] [--before DIR]

It builds a scratch SQLite database in a temporary folder (or uses DATABASE_URL), a cell of 40
members (36 official, 4 probationary) with its secretary's login, and opens a meeting through
the services. Every request goes through the real HTTP stack (Django's test client: middleware,
session, the view, the service, the htmx fragment it answers with), logged in as the secretary.

Two ends are measured on the same meeting: EMPTY (the roll called, no speech, vote or
assignment yet) and FULL (grown through the services to `--grow` speeches, votes and
assignments). At each end, `--samples` of each live action (mark attendance, add a speech,
record a vote, add an assignment; htmx) and of each live tab (a full GET of `?tab=`), each
followed by a GET of the login page (anonymous: the floor). For each: the median server CPU
time of the request thread (`time.thread_time()` around the request, in-process), the median
wall time, the SQL queries, the response bytes, and the CPU as a ratio to the floor's median CPU
measured in the same run. At the FULL end a profile of the vote action says which share of it
the rollup refresh (`reports.rollups.refresh`, the receiver of `meetings_changed`) takes.

`--before DIR` first runs this same script in a subprocess with DIR (the `src` of a checkout of
the old code, e.g. `git worktree add /tmp/live-before f3be99d`) first on PYTHONPATH, then runs it
on this checkout, and reports both. The figures rewrite this benchmark's section of
bench/RESULTS.md (other sections are left as they are).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
os.environ.setdefault("CHIBO_DATA_DIR", tempfile.mkdtemp(prefix="chibo-bench-"))

from results import write_section  # noqa: E402  (bench/ is the script's folder)

CELL_SIZE = 40
PROBATIONARY = 4
ACTION_BUDGET = 5.0  # × the floor's CPU
TAB_BUDGET = 8.0
TABS = ("rollcall", "agenda", "assignments", "votes", "close")

ACTIONS = {
    "attendance": "mark attendance",
    "speech": "add a speech",
    "vote": "record a vote",
    "assignment": "add an assignment",
}


def measure_run(samples: int, grow: int) -> dict:
    """Build the cell and the meeting, measure both ends; return the raw figures."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)

    from chibo.accounts.models import User
    from chibo.meetings import services
    from chibo.meetings.models import AttendanceStatus, Meeting, MeetingKind, VoteSubject
    from chibo.members.services import member_create, member_link_user
    from chibo.orgs.models import Organization
    from chibo.orgs.services import organization_create, position_assign

    province = Organization.objects.filter(code="77").first() or organization_create(
        actor=None, parent=None, name="Tỉnh ủy Đo Lường", kind="province_committee", code="77"
    )
    ward = Organization.objects.filter(code="77.002").first() or organization_create(
        actor=None,
        parent=province,
        name="Đảng ủy phường Đo Họp",
        kind="ward_committee",
        code="77.002",
    )
    count = Organization.objects.count()
    cell = organization_create(
        actor=None,
        parent=ward,
        name=f"Chi bộ Đo Họp {count}",
        kind="cell",
        code=f"77.002.000.000.{count:03d}",
        address="Nhà văn hóa khu phố",
    )
    members = []
    for number in range(1, CELL_SIZE + 1):
        official = number > PROBATIONARY
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
                full_name=f"Nguyễn Văn Đo {number:02d}",
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
    user = User.objects.create_user(username=f"bench-live-{cell.pk}", password="x")  # noqa: S106
    member_link_user(actor=None, member=secretary, user=user)
    htmx = Client(HTTP_HX_REQUEST="true")
    htmx.force_login(user)
    browser = Client()
    browser.force_login(user)
    anonymous = Client()
    login_url = reverse("accounts:login")

    today = timezone.localdate()
    meeting = services.meeting_create(
        actor=user,
        organization=cell,
        kind=MeetingKind.REGULAR,
        date=today + datetime.timedelta(days=1),
        time=datetime.time(19, 30),
    )
    services.agenda_build(actor=user, meeting=meeting)
    services.meeting_publish(actor=user, meeting=meeting)
    services.meeting_open(actor=user, meeting=meeting, chair=secretary, minute_taker=minute_taker)
    meeting = Meeting.objects.get(pk=meeting.pk)
    items = list(meeting.agenda_items.values_list("pk", flat=True))
    for index, member in enumerate(members):
        status = AttendanceStatus.PRESENT
        if index % 13 == 5:
            status = AttendanceStatus.ABSENT_EXCUSED
        elif index % 11 == 7:
            status = AttendanceStatus.LATE
        services.attendance_mark(
            actor=user, meeting=meeting, member_id=member.pk, status=status, reason="Đi công tác"
        )
    live_url = reverse("meetings:live", args=[meeting.pk])
    speech_url = reverse("meetings:speech_add", args=[meeting.pk])
    vote_url = reverse("meetings:vote_record", args=[meeting.pk])
    assignment_url = reverse("meetings:assignment_add", args=[meeting.pk])
    due = (today + datetime.timedelta(days=30)).isoformat()
    counter = iter(range(10**6))

    def one(kind: str, call) -> dict:
        with CaptureQueriesContext(connection) as queries:
            cpu, wall = time.thread_time(), time.perf_counter()
            response = call()
            cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
        assert response.status_code in (200, 302), (kind, response.status_code)
        return {
            "cpu": cpu * 1000,
            "wall": wall * 1000,
            "queries": len(queries),
            "bytes": len(response.content),
        }

    def action(kind: str):
        n = next(counter)
        member = members[n % CELL_SIZE]
        if kind == "attendance":
            row = meeting.attendance.get(member=member)
            status = "late" if row.status == "present" else "present"
            url = reverse("meetings:attendance_mark", args=[meeting.pk, member.pk])
            data = {"status": status, "reason": "", "version": row.version}
            return lambda: htmx.post(url, data)
        if kind == "speech":
            data = {
                "member": member.pk,
                "agenda_item": items[6 + n % 3],
                "summary": "Đồng tình với dự thảo nghị quyết, đề nghị bổ sung người chịu "
                "trách nhiệm từng việc.",
                "client_token": str(uuid.uuid4()),
            }
            return lambda: htmx.post(speech_url, data)
        if kind == "vote":
            data = {
                "title": f"Biểu quyết nội dung số {n}",
                "subject": VoteSubject.DECISION,
                "in_favour": 30,
                "against": n % 2,
                "abstain": 0,
                "client_token": str(uuid.uuid4()),
            }
            return lambda: htmx.post(vote_url, data)
        data = {
            "title": f"Nhiệm vụ tháng tới số {n}",
            "members": [members[n % 20].pk, members[n % 20 + 10].pk],
            "due_date": due,
            "client_token": str(uuid.uuid4()),
        }
        return lambda: htmx.post(assignment_url, data)

    def end() -> dict:
        """Every action and tab `samples` times, each followed by the floor."""
        found: dict[str, list[dict]] = {"floor": []}
        anonymous.get(login_url)
        for tab in TABS:  # warm templates and the catalogue
            browser.get(f"{live_url}?tab={tab}")
        for _round in range(samples):
            for kind in ACTIONS:
                found.setdefault(kind, []).append(one(kind, action(kind)))
                found["floor"].append(one("floor", lambda: anonymous.get(login_url)))
            for tab in TABS:
                found.setdefault(f"tab:{tab}", []).append(
                    one(tab, lambda tab=tab: browser.get(f"{live_url}?tab={tab}"))
                )
                found["floor"].append(one("floor", lambda: anonymous.get(login_url)))
        return found

    empty = end()
    started = time.perf_counter()
    have = meeting.speeches.count()
    for n in range(grow - have):
        services.speech_add(
            actor=user,
            meeting=meeting,
            member=members[n % CELL_SIZE],
            agenda_item=meeting.agenda_items.get(pk=items[6 + n % 3]),
            summary=f"Ý kiến số {n}: đồng tình, đề nghị bổ sung người chịu trách nhiệm.",
            client_token=uuid.uuid4(),
        )
    for n in range(grow - meeting.votes.count()):
        services.vote_record(
            actor=user,
            meeting=meeting,
            title=f"Biểu quyết số {n}",
            subject=VoteSubject.DECISION,
            subject_member=None,
            in_favour=30,
            against=0,
            abstain=0,
            client_token=uuid.uuid4(),
        )
    for n in range(grow - meeting.assignments.count()):
        services.assignment_add(
            actor=user,
            meeting=meeting,
            title=f"Nhiệm vụ số {n}",
            members=[members[n % CELL_SIZE]],
            due_date=today + datetime.timedelta(days=30),
            client_token=uuid.uuid4(),
        )
    grow_seconds = time.perf_counter() - started
    full = end()
    if os.environ.get("BENCH_PROFILE"):  # a developer's look: BENCH_PROFILE=vote (or a tab)
        what = os.environ["BENCH_PROFILE"]
        profiler = cProfile.Profile()
        if what in ACTIONS:
            todo = [action(what) for _n in range(samples)]
        else:
            todo = [lambda: browser.get(f"{live_url}?tab={what}")] * samples
        profiler.enable()
        for call in todo:
            call()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)

    # Which share of a vote at the full end is the rollup refresh.
    profile = cProfile.Profile()
    calls = [action("vote") for _n in range(samples)]
    profile.enable()
    for call in calls:
        call()
    profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    refresh = sum(
        row[3]
        for (filename, _line, name), row in stats.stats.items()  # type: ignore[attr-defined]
        if name == "refresh" and filename.endswith(os.path.join("reports", "rollups.py"))
    )
    import chibo

    return {
        "code": str(Path(chibo.__file__).parent),
        "engine": connection.vendor,
        "empty": empty,
        "full": full,
        "grown_to": {
            "speeches": meeting.speeches.count(),
            "votes": meeting.votes.count(),
            "assignments": meeting.assignments.count(),
        },
        "grow_seconds": grow_seconds,
        "rollup_share": refresh / total if total else 0.0,
    }


def summarise(run: dict) -> dict[str, dict[str, dict[str, float]]]:
    """Medians per kind and end, and the CPU ratio to that end's floor."""
    found: dict[str, dict[str, dict[str, float]]] = {}
    for which in ("empty", "full"):
        floor = statistics.median(s["cpu"] for s in run[which]["floor"])
        for kind, rows in run[which].items():
            cpu = statistics.median(s["cpu"] for s in rows)
            found.setdefault(kind, {})[which] = {
                "cpu": cpu,
                "wall": statistics.median(s["wall"] for s in rows),
                "queries": statistics.median(s["queries"] for s in rows),
                "bytes": statistics.median(s["bytes"] for s in rows),
                "ratio": cpu / floor,
            }
    return found


def label(kind: str) -> str:
    if kind == "floor":
        return "floor: GET of the login page (anonymous)"
    if kind.startswith("tab:"):
        return f"tab {kind[4:]} (full GET)"
    return f"{ACTIONS[kind]} (htmx)"


def table(title: str, run: dict) -> list[str]:
    figures = summarise(run)
    lines = [
        f"### {title}",
        "",
        f"Grown to {run['grown_to']['speeches']} speeches, {run['grown_to']['votes']} votes, "
        f"{run['grown_to']['assignments']} assignments (through the services, "
        f"{run['grow_seconds']:.0f} s). The rollup refresh (`reports.rollups.refresh`) is "
        f"{run['rollup_share'] * 100:.0f} % of a vote's profile at the full end.",
        "",
        "| request | CPU ms empty → full | × floor empty → full | wall ms empty → full "
        "| queries empty → full | bytes empty → full |",
        "|---|---|---|---|---|---|",
    ]
    for kind, ends in figures.items():
        e, f = ends["empty"], ends["full"]
        budget = 1.0 if kind == "floor" else ACTION_BUDGET if kind in ACTIONS else TAB_BUDGET
        flag = "" if kind == "floor" or max(e["ratio"], f["ratio"]) <= budget else " ✗"
        lines.append(
            f"| {label(kind)} | {e['cpu']:.2f} → {f['cpu']:.2f} | ×{e['ratio']:.1f} → "
            f"×{f['ratio']:.1f}{flag} | {e['wall']:.1f} → {f['wall']:.1f} | "
            f"{e['queries']:g} → {f['queries']:g} | {e['bytes']:,.0f} → {f['bytes']:,.0f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=15, help="requests per kind and end")
    parser.add_argument("--grow", type=int, default=300, help="speeches, votes, assignments")
    parser.add_argument("--before", help="src folder of the old code to run first")
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    before = None
    if args.before:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = handle.name
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([args.before, os.environ.get("PYTHONPATH", "")]),
            "CHIBO_DATA_DIR": tempfile.mkdtemp(prefix="chibo-bench-before-"),
        }
        command = [sys.executable, __file__, "--samples", str(args.samples)]
        command += ["--grow", str(args.grow), "--json-out", out]
        subprocess.run(command, env=env, check=True)  # noqa: S603 (this script, the old code)
        before = json.loads(Path(out).read_text())
        Path(out).unlink()

    run = measure_run(args.samples, args.grow)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(run))
        return

    revision = git_revision(ROOT)
    lines: list[str] = []
    if before is not None:
        old = git_revision(Path(args.before))
        lines += table(f"Before (the code in `{args.before}`, {old})", before) + [""]
    lines += table(f"After (this checkout, {revision})", run)
    print("\n".join(lines))

    engine = run["engine"]
    heading = f"## Live meeting actions ({engine})"
    command = (
        f".venv/bin/python bench/bench_meetings.py --samples {args.samples} --grow {args.grow}"
    )
    if args.before:
        command += f" --before {args.before}"
    section = [
        heading,
        "",
        f"Command: `{command}`"
        + (" with DATABASE_URL set" if engine != "sqlite" else "")
        + f" — run {datetime.date.today():%d/%m/%Y}, {os.cpu_count()} cores (shared). A cell of "
        f"{CELL_SIZE} members ({CELL_SIZE - PROBATIONARY} official, {PROBATIONARY} probationary), "
        "its roll called; each request through Django's test client (middleware, session, view, "
        "service, htmx fragment) as the secretary. CPU is `time.thread_time()` of the request, "
        "in-process; medians; each ratio is against the floor (login GET) measured in the same "
        f"run at the same end. Budgets (issue 13): an action ≤ ×{ACTION_BUDGET:g}, a tab ≤ "
        f"×{TAB_BUDGET:g} of the floor (✗ where not met). "
        + (
            "“Before” is the old code run by this same script in a subprocess with its `src` "
            "first on PYTHONPATH, in the same invocation."
            if args.before
            else ""
        ),
        "",
        *lines,
        "",
    ]
    write_section(section)


def git_revision(folder: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=folder,
        capture_output=True,
        text=True,
    ).stdout.strip()


if __name__ == "__main__":
    main()
