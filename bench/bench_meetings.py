"""Benchmark: the live meeting actions on a phone (DESIGN §7: p99 under 100 ms server time on the
embedded mode with a 40-member cell).

Run:  .venv/bin/python bench/bench_meetings.py [--rounds 3]
It builds a scratch SQLite database in a temporary folder (or uses DATABASE_URL), a cell of 40
members (36 official, 4 probationary) with its secretary's login, and for each round a meeting
opened through the services. Each live action then goes through the real HTTP stack (Django's
test client: middleware, session, CSRF-exempt test requests, the view, the service, the htmx
partial it answers with), logged in as the secretary: 40 roll-call taps, 40 speeches, 10 votes
and 10 assignments a round. For each action: the median and p99 of the server time and the SQL
queries per request. A trivial GET of the login page, measured in the same run, shows the
machine's noise, and the slow requests are counted with how many of them overlapped a full
(generation 2) garbage collection. The figures rewrite this benchmark's section of
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import math
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
os.environ.setdefault("CHIBO_DATA_DIR", tempfile.mkdtemp(prefix="chibo-bench-"))

CELL_SIZE = 40
PROBATIONARY = 4
BUDGET_MS = 100.0
SLOW_MS = 70.0
FULL_COLLECTIONS: list[float] = []  # start times of generation-2 collections


def _on_collection(phase: str, info: dict) -> None:
    if phase == "start" and info["generation"] == 2:
        FULL_COLLECTIONS.append(time.perf_counter())


LABELS = {
    "baseline": "GET of the login page (baseline, anonymous)",
    "attendance": "mark attendance (one tap, htmx row)",
    "speech": "add a speech (htmx: form, item list, share)",
    "vote": "record a vote (htmx votes tab)",
    "assignment": "add an assignment (htmx assignments tab)",
}


def p99(values: list[float]) -> float:
    """Nearest-rank 99th percentile (the maximum when there are fewer than 100 values)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="meetings a run (default 5)")
    args = parser.parse_args()

    import django

    django.setup()
    gc.callbacks.append(_on_collection)
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
    cell = organization_create(
        actor=None,
        parent=ward,
        name=f"Chi bộ Đo Họp {Organization.objects.count()}",
        kind="cell",
        code=f"77.002.000.000.{Organization.objects.count():03d}",
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
    client = Client(HTTP_HX_REQUEST="true")
    client.force_login(user)
    anonymous = Client()

    today = timezone.localdate()
    login_url = reverse("accounts:login")
    anonymous.get(login_url)  # warm the template cache
    meetings_run = 0

    def run(rounds: int) -> dict[str, list[tuple[float, int]]]:
        """`rounds` meetings, each opened through the services, then every action over HTTP."""
        nonlocal meetings_run
        samples: dict[str, list[tuple[float, int]]] = {action: [] for action in LABELS}

        def measure(action: str, call) -> None:
            with CaptureQueriesContext(connection) as queries:
                full_collections = len(FULL_COLLECTIONS)
                started = time.perf_counter()
                response = call()
                elapsed = time.perf_counter() - started
            assert response.status_code in (200, 302), (action, response.status_code)
            samples[action].append((elapsed * 1000, len(queries)))
            if elapsed * 1000 > SLOW_MS:
                slow.append((action, len(FULL_COLLECTIONS) > full_collections))

        for _round in range(rounds):
            meetings_run += 1
            meeting = services.meeting_create(
                actor=user,
                organization=cell,
                kind=MeetingKind.EXTRAORDINARY,
                date=today + datetime.timedelta(days=meetings_run),
                time=datetime.time(19, 30),
            )
            services.agenda_build(actor=user, meeting=meeting)
            services.meeting_publish(actor=user, meeting=meeting)
            services.meeting_open(
                actor=user, meeting=meeting, chair=secretary, minute_taker=minute_taker
            )
            meeting = Meeting.objects.get(pk=meeting.pk)
            items = list(meeting.agenda_items.values_list("pk", flat=True))
            client.get(reverse("meetings:live", args=[meeting.pk]))  # warm templates, catalogue
            speech_url = reverse("meetings:speech_add", args=[meeting.pk])
            vote_url = reverse("meetings:vote_record", args=[meeting.pk])
            assignment_url = reverse("meetings:assignment_add", args=[meeting.pk])
            for index, member in enumerate(members):
                status = AttendanceStatus.PRESENT
                if index % 13 == 5:
                    status = AttendanceStatus.ABSENT_EXCUSED
                elif index % 11 == 7:
                    status = AttendanceStatus.LATE
                url = reverse("meetings:attendance_mark", args=[meeting.pk, member.pk])
                measure(
                    "attendance",
                    lambda url=url, status=status: client.post(
                        url, {"status": status, "reason": "Đi công tác", "version": 1}
                    ),
                )
                measure("baseline", lambda: anonymous.get(login_url))
            for index, member in enumerate(members):
                measure(
                    "speech",
                    lambda url=speech_url, item=items[6 + index % 3], member=member: client.post(
                        url,
                        {
                            "member": member.pk,
                            "agenda_item": item,
                            "summary": "Đồng tình với dự thảo nghị quyết, đề nghị bổ sung "
                            "người chịu trách nhiệm từng việc.",
                            "client_token": str(uuid.uuid4()),
                        },
                    ),
                )
            for index in range(10):
                measure(
                    "vote",
                    lambda url=vote_url, index=index: client.post(
                        url,
                        {
                            "title": f"Biểu quyết nội dung số {index + 1}",
                            "subject": VoteSubject.DECISION,
                            "in_favour": 30 - index,
                            "against": index % 2,
                            "abstain": 0,
                            "client_token": str(uuid.uuid4()),
                        },
                    ),
                )
            for index in range(10):
                measure(
                    "assignment",
                    lambda url=assignment_url, index=index: client.post(
                        url,
                        {
                            "title": f"Nhiệm vụ tháng tới số {index + 1}",
                            "members": [members[index].pk, members[index + 10].pk],
                            "due_date": (today + datetime.timedelta(days=30)).isoformat(),
                            "client_token": str(uuid.uuid4()),
                        },
                    ),
                )
            meeting.refresh_from_db()
            assert meeting.speeches.count() == CELL_SIZE
            assert meeting.votes.count() == 10 and meeting.assignments.count() == 10
            assert not meeting.attendance.filter(status="").exists()
        return samples

    lines: list[str] = []

    def report(line: str) -> None:
        print(line)
        lines.append(line)

    slow: list[tuple[str, bool]] = []

    def summarise(samples: dict[str, list[tuple[float, int]]]) -> None:
        baseline = statistics.median(ms for ms, _queries in samples["baseline"])
        for action, label in LABELS.items():
            times = [ms for ms, _queries in samples[action]]
            queries = [count for _ms, count in samples[action]]
            median, worst = statistics.median(times), p99(times)
            verdict = ""
            if action != "baseline":
                verdict = (
                    f"; ×{median / baseline:.1f} of the baseline; budget p99 < "
                    f"{BUDGET_MS:.0f} ms: " + ("met" if worst < BUDGET_MS else "NOT met")
                )
            query_text = (
                f"{min(queries)} queries"
                if min(queries) == max(queries)
                else f"{min(queries)}–{max(queries)} queries "
                f"(median {statistics.median(queries):g})"
            )
            report(
                f"- {label}: median {median:.1f} ms, p99 {worst:.1f} ms, {query_text}, "
                f"n={len(times)}{verdict}"
            )
        report(
            f"- requests over {SLOW_MS:.0f} ms: {len(slow)}, of which "
            f"{sum(1 for _action, collected in slow if collected)} during a full (generation 2) "
            "garbage collection"
        )
        slow.clear()

    summarise(run(args.rounds))

    engine = connection.vendor
    heading = f"## Live meeting actions ({engine})"
    section = [
        heading,
        "",
        f"Command: `.venv/bin/python bench/bench_meetings.py --rounds {args.rounds}`"
        + (" with DATABASE_URL set" if engine != "sqlite" else "")
        + f" — run {datetime.date.today():%d/%m/%Y}, {os.cpu_count()} cores. A cell of "
        f"{CELL_SIZE} members ({CELL_SIZE - PROBATIONARY} official, {PROBATIONARY} probationary); "
        "each request through Django's test client (middleware, session, view, service, htmx "
        "partial), logged in as the secretary; time measured around the request in the same "
        "process, queries with CaptureQueriesContext. p99 is nearest-rank (the maximum below "
        "100 samples).",
        "",
        *lines,
        "",
    ]
    write_section(ROOT / "bench" / "RESULTS.md", heading, section)


def write_section(path: Path, heading: str, section: list[str]) -> None:
    """Replace this benchmark's section (re-read right before writing: other benchmarks write
    their own sections of the same file)."""
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
