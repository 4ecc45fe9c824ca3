"""The job consumer killed in the middle of a job (issue 14).

A real consumer (run_huey, SQLite queue in a temporary data folder, as the embedded mode runs
it) takes a slow export job; it is killed (SIGKILL) while the job runs; a new consumer is
started. Huey does not give back a task a dead consumer had taken: core.jobs_recovery sees the
job's heartbeat go stale and queues it again. The job must end done, its work done once to
the end (started twice, finished once), one file in its folder, and one audit entry saying it
was queued again."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from tests.faults import servers

SCRIPT = Path(__file__).with_name("slow_consumer.py")


def _consumer(env: dict[str, str], data_dir: Path, name: str) -> subprocess.Popen:
    log = open(data_dir / f"{name}.log", "w", encoding="utf-8")  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603
        [servers.PYTHON, str(SCRIPT)], env=env, cwd=data_dir, stdout=log, stderr=log
    )


def _job(db: Path, pk: int) -> tuple[str, str, int]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT status, file, progress FROM core_exportjob WHERE id = ?", [pk]
        ).fetchone()


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_a_job_taken_by_a_killed_consumer_runs_again_once(tmp_path):
    env = servers.chibo_env(
        tmp_path, FAULTS_LOG=str(tmp_path / "work.log"), CHIBO_JOBS_STALE_SECONDS="2"
    )
    cached = servers.migrated_sqlite()
    shutil.copy(cached, tmp_path / "chibo.sqlite3")
    pk = int(
        subprocess.run(  # noqa: S603
            [servers.PYTHON, str(SCRIPT), "--setup"],
            env=env,
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
    )
    db = tmp_path / "chibo.sqlite3"
    work = tmp_path / "work.log"
    first = _consumer(env, tmp_path, "first")
    try:
        # Killed while the job runs: a few steps in, far from its end.
        _wait(lambda: _job(db, pk)[0] == "running" and _job(db, pk)[2] >= 10, 60, "never ran")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    status, file, _progress = _job(db, pk)
    assert status == "running"
    assert file == ""
    assert work.read_text().splitlines() == [f"started {pk}"]

    second = _consumer(env, tmp_path, "second")
    try:
        _wait(lambda: _job(db, pk)[0] == "done", 60, "the job was not run again")
        time.sleep(1)  # a second run, if one was queued, would start now
    finally:
        second.terminate()
        second.wait(timeout=20)
    status, file, progress = _job(db, pk)
    assert (status, progress) == ("done", 100)
    assert work.read_text().splitlines() == [f"started {pk}", f"started {pk}", f"finished {pk}"]
    folder = tmp_path / "media" / Path(file).parent
    assert [p.name for p in folder.iterdir()] == [Path(file).name]
    with sqlite3.connect(db) as connection:
        requeued = connection.execute(
            "SELECT count(*) FROM core_auditentry WHERE code = 'export.requeued'"
        ).fetchone()[0]
    assert requeued == 1
