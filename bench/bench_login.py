"""Benchmark: the server time of a login, with Django's default argon2 parameters (before) and
chibo's (after, accounts.hashers: argon2id m=19,456 KiB, t=2, p=1, OWASP's minimum row).

Run:  .venv/bin/python bench/bench_login.py [--repeat 15]
A scratch SQLite database in a temporary folder, with the settings' middleware and django-axes
as in production. Each login is a POST of the login form through Django's test client (a fresh
client each time: middleware, axes, the hasher, the session, the redirect), timed around the
request in the same process. Measured in the same run:
- the floor: a GET of the login page;
- before: PASSWORD_HASHERS as at f3be99d (Django's Argon2PasswordHasher: t=2, m=102,400 KiB,
  p=8), a user whose hash has those parameters;
- after: chibo's hasher first, a user whose hash has its parameters;
- the first login after the upgrade: a hash with the old parameters, verified and rehashed;
- eight logins at once (eight threads, a cell's phones logging in together), before and after;
- the hash alone (make_password) with each set of parameters, and with each row of OWASP's
  argon2id table.
The figures rewrite the section "Login" of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
SCRATCH = "" if "CHIBO_DATA_DIR" in os.environ else tempfile.mkdtemp(prefix="chibo-bench-login-")
os.environ.setdefault("CHIBO_DATA_DIR", SCRATCH)

from results import write_section  # noqa: E402  (bench/ is the script's folder)

os.environ.pop("CHIBO_FAST_HASHER", None)
os.environ.pop("DATABASE_URL", None)

SECTION = "## Login"
PASSWORD = "chibo-demo-2026"  # noqa: S105 (a scratch database's logins)
BEFORE = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AFTER = ["chibo.accounts.hashers.ChiboArgon2PasswordHasher"]
BUDGET_MS = 300.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15, help="logins per measure")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import reverse

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise looks there
    from chibo.accounts.hashers import ChiboArgon2PasswordHasher
    from chibo.accounts.models import User

    login_url = reverse("accounts:login")
    lines: list[str] = []

    def report(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    def user(name: str, hashers: list[str]) -> User:
        with override_settings(PASSWORD_HASHERS=hashers):
            return User.objects.create_user(username=name, password=PASSWORD)

    def login(name: str) -> float:
        client = Client()
        started = time.perf_counter()
        response = client.post(login_url, {"username": name, "password": PASSWORD})
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 302, (name, response.status_code)
        return elapsed

    def floor() -> float:
        client = Client()
        started = time.perf_counter()
        response = client.get(login_url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200
        return elapsed

    def together(names: list[str]) -> list[float]:
        """Each name logs in on its own thread, all at once."""
        times: list[float] = []
        gate = threading.Barrier(len(names))
        lock = threading.Lock()

        def one(name: str) -> None:
            from django.db import connection

            gate.wait()
            elapsed = login(name)
            with lock:
                times.append(elapsed)
            connection.close()

        threads = [threading.Thread(target=one, args=(name,)) for name in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return times

    def hash_alone(hashers: list[str]) -> list[float]:
        times = []
        with override_settings(PASSWORD_HASHERS=hashers):
            for _ in range(args.repeat):
                started = time.perf_counter()
                make_password(PASSWORD)
                times.append((time.perf_counter() - started) * 1000)
        return times

    floor()  # warm the template cache
    results: dict[str, list[float]] = {"floor": [floor() for _ in range(args.repeat * 2)]}
    user("before", BEFORE)
    user("after", AFTER)
    crowd_before = [user(f"before{n}", BEFORE).username for n in range(8)]
    crowd_after = [user(f"after{n}", AFTER).username for n in range(8)]
    upgrading = [user(f"old{n}", BEFORE).username for n in range(min(args.repeat, 8))]
    # Interleaved, so that the machine's noise falls on both sides alike.
    results["before"], results["after"] = [], []
    for _ in range(args.repeat):
        with override_settings(PASSWORD_HASHERS=BEFORE):
            results["before"].append(login("before"))
        with override_settings(PASSWORD_HASHERS=AFTER):
            results["after"].append(login("after"))
    with override_settings(PASSWORD_HASHERS=AFTER):
        results["upgrade"] = [login(name) for name in upgrading]
        upgraded = User.objects.filter(username__in=upgrading)
        prefix = "argon2$argon2id$v=19$m=19456,t=2,p=1$"
        assert all(u.password.startswith(prefix) for u in upgraded), "hashes not upgraded"
    results["crowd_before"], results["crowd_after"] = [], []
    for _ in range(2):
        with override_settings(PASSWORD_HASHERS=BEFORE):
            results["crowd_before"] += together(crowd_before)
        with override_settings(PASSWORD_HASHERS=AFTER):
            results["crowd_after"] += together(crowd_after)
    results["hash_before"] = hash_alone(BEFORE)
    results["hash_after"] = hash_alone(AFTER)

    base = statistics.median(results["floor"])

    def figures(key: str) -> str:
        values = results[key]
        median = statistics.median(values)
        return (
            f"median {median:.0f} ms, p95 {p95(values):.0f} ms, n={len(values)}; "
            f"×{median / base:.0f} of the floor"
        )

    hasher = ChiboArgon2PasswordHasher()
    report(
        f"Command: `.venv/bin/python bench/bench_login.py --repeat {args.repeat}` — run "
        f"{datetime.date.today():%d/%m/%Y}, 2 cores shared with other work. Server time of a "
        "login POST through Django's test client (middleware, django-axes, the hasher, the "
        "session), a fresh client each time, on a scratch SQLite database; p95 nearest-rank. "
        "Before = PASSWORD_HASHERS as at f3be99d (Django's argon2id defaults: m=102,400 KiB, "
        f"t=2, p=8); after = `ChiboArgon2PasswordHasher` (m={hasher.memory_cost:,} KiB, "
        f"t={hasher.time_cost}, p={hasher.parallelism}: OWASP's argon2id minimum row, "
        "m=19 MiB, t=2, p=1). Before and after interleaved in the same run."
    )
    report("")
    report(
        f"- GET of the login page (floor): median {base:.1f} ms, p95 {p95(results['floor']):.1f} ms"
    )
    report(f"- login, before: {figures('before')}")
    after_median = statistics.median(results["after"])
    report(
        f"- login, after: {figures('after')}; budget {BUDGET_MS:.0f} ms: "
        + ("met" if p95(results["after"]) < BUDGET_MS else "NOT met")
    )
    report(f"- after/before: ×{after_median / statistics.median(results['before']):.2f} (median)")
    report(
        f"- first login after the upgrade (verify the old hash, rehash with the new "
        f"parameters): {figures('upgrade')}; every hash upgraded: yes"
    )
    report(f"- eight logins at once (8 threads), before: {figures('crowd_before')}")
    report(
        f"- eight logins at once (8 threads), after: {figures('crowd_after')}; the CPU alone "
        "puts the last of eight at least 4 single logins late on 2 cores "
        f"(4 × {after_median:.0f} ms = {4 * after_median:.0f} ms)"
    )
    report(
        f"- the hash alone (make_password): before median "
        f"{statistics.median(results['hash_before']):.0f} ms, after median "
        f"{statistics.median(results['hash_after']):.0f} ms"
    )
    rows = ", ".join(
        f"m={memory // 1024} MiB t={passes}: {statistics.median(times):.0f} ms"
        for (memory, passes), times in owasp_rows(args.repeat).items()
    )
    report(
        f"- OWASP's equivalent argon2id rows (p=1), the hash alone, median: {rows}. Why "
        "m=19 MiB, t=2: the rows with t ≥ 2 cost about the same here, the m=46 MiB t=1 row "
        "several times more; of the cheap rows this one asks the most memory per guess"
    )
    report(
        "- logins while eight phones run their meetings (gunicorn, access-log server time): "
        "see “Eight phones at once (sqlite)”"
    )
    write_section([SECTION, "", *lines])
    if SCRATCH:
        shutil.rmtree(SCRATCH, ignore_errors=True)


def owasp_rows(repeat: int) -> dict[tuple[int, int], list[float]]:
    """The hash alone with each row of OWASP's argon2id table (m KiB, t; p=1), interleaved."""
    import argon2

    rows = [(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)]
    times: dict[tuple[int, int], list[float]] = {row: [] for row in rows}
    for _ in range(repeat):
        for memory, passes in rows:
            hasher = argon2.PasswordHasher(time_cost=passes, memory_cost=memory, parallelism=1)
            started = time.perf_counter()
            hasher.hash(PASSWORD)
            times[(memory, passes)].append((time.perf_counter() - started) * 1000)
    return times


if __name__ == "__main__":
    main()
