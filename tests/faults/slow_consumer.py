"""A Huey consumer as `python -m chibo run_huey` runs it, with one more export kind for the
fault test: "faults.slow", which takes `steps` × 0.2 s, reports its progress through the real
export machinery (core.exports.jobs) and writes "started <id>" and "finished <id>" to
FAULTS_LOG, so the test can see how many times the work was done.

`--setup` instead migrates the database (or copies the cached migrated one), creates a user and
requests one slow export (queued in the SQLite queue, as a page would)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from chibo.core.exports import jobs  # noqa: E402

LOG = Path(os.environ.get("FAULTS_LOG", os.devnull))


def _note(line: str) -> None:
    with LOG.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def slow(job, progress):
    _note(f"started {job.pk}")
    steps = int(job.params["steps"])
    for step in range(steps):
        progress(100 * step // steps, f"step {step}")
        time.sleep(0.2)
    _note(f"finished {job.pk}")
    content = "\n".join(f"Dòng {n}" for n in range(steps)).encode("utf-8")
    return content, "danh-sach.csv", "text/csv"


jobs.register("faults.slow", slow)

if __name__ == "__main__":
    if sys.argv[1:] == ["--setup"]:
        from chibo.accounts.models import User

        call_command("migrate", verbosity=0)
        user = User.objects.create_user(username="faults.secretary", password="x-faults-2026")
        job = jobs.export_request(actor=user, kind="faults.slow", params={"steps": 40})
        print(job.pk)
    else:
        call_command("run_huey", "--workers", "1")
