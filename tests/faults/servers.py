"""Processes for the fault tests: a private PostgreSQL cluster that a test may restart (never
the shared server), a chibo server (gunicorn, as `make serve` runs it) and a Huey consumer,
each a subprocess on 127.0.0.1 with its own data folder."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg_bin() -> Path | None:
    """The newest PostgreSQL server binaries installed (Debian's layout), if any."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def chibo_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CHIBO_", "DATABASE_URL", "REDIS_URL", "DJANGO_"))
    }
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        CHIBO_DATA_DIR=str(data_dir),
        CHIBO_JOBS_IMMEDIATE="0",
        CHIBO_MANIFEST_STATIC="0",  # no collectstatic: the pages are read, not their assets
        CHIBO_AXES_ENABLED="0",
        CHIBO_FAST_HASHER="1",
        DJANGO_SETTINGS_MODULE="chibo.settings",
    )
    env.update(extra)
    return env


class Cluster:
    """A PostgreSQL cluster of its own in a temporary folder, run as the `postgres` OS user
    when the tests run as root (initdb and pg_ctl refuse root)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="chibo-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)  # noqa: S603

    def ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            # A scratch cluster: durability is not what the test is about, speed is.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            action,
            "-D",
            str(self.data),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            *extra,
        )

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.ctl("start")

    def stop(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self.ctl("stop", "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def cluster() -> Iterator[Cluster]:
    bindir = pg_bin()
    assert bindir is not None
    running = Cluster(bindir)
    try:
        running.start()
        yield running
    finally:
        running.stop()


def wait_http(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@contextmanager
def gunicorn(env: dict[str, str], data_dir: Path, *, threads: int = 2) -> Iterator[str]:
    """chibo served as `make serve` serves it (one worker); yields its base URL."""
    port = free_port()
    log = open(data_dir / "server.log", "w", encoding="utf-8")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "chibo.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            str(threads),
        ],
        env=env,
        cwd=data_dir,
        stdout=log,
        stderr=log,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/accounts/login/", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def migrated_sqlite() -> Path:
    """A migrated empty SQLite database, made once per state of the migrations and kept in
    the temporary folder (migrating takes half a minute)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((ROOT / "src").glob("chibo/*/migrations/*.py")):
        digest.update(path.read_bytes())
    kept = Path(tempfile.gettempdir()) / f"chibo-faults-{digest.hexdigest()[:12]}.sqlite3"
    if not kept.exists():
        with tempfile.TemporaryDirectory() as scratch:
            subprocess.run(  # noqa: S603
                [PYTHON, "-m", "chibo", "migrate", "-v0"],
                env=chibo_env(Path(scratch)),
                check=True,
            )
            partial = kept.with_suffix(".partial")
            shutil.copy(Path(scratch) / "chibo.sqlite3", partial)
            partial.rename(kept)
    return kept
