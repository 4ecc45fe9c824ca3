"""A real PostgreSQL streaming replica of the test database's server, for the read-replica tests.

`pg_replica` (session scope, PostgreSQL runs only) copies the primary with
`pg_basebackup -R -X stream` into a temporary directory, starts it with the Debian PostgreSQL
binaries of the primary's major version on a free port, waits until the primary reports it
streaming, and points the database alias "replica" at the same test database (test_<name>) on
the replica's port, as `TEST: {"MIRROR": "default"}` asks: the test runner neither creates nor
flushes a mirror, the replica receives the test database through the WAL. At the end of the
session the alias is removed and the replica stopped and deleted.

On SQLite the fixture skips with the reason. On PostgreSQL it skips when the binaries or the
replication permission are missing — unless CHIBO_REPLICA_TESTS=required (.ci/run), where it
fails instead, so CI cannot pass without having tested the replica."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from chibo.core.replica import REPLICA

STARTUP_SECONDS = 60
# The settings a hot standby must have at least as high as its primary's.
STANDBY_MINIMUMS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


@dataclass
class Replica:
    port: int
    data_dir: Path
    socket_dir: Path
    primary_dsn: str
    replica_dsn: str

    def wait_for_replay(self, timeout: float = 30.0) -> None:
        """Wait until the replica has replayed everything the primary has committed so far."""
        with psycopg.connect(self.primary_dsn, autocommit=True) as primary:
            row = primary.execute("SELECT pg_current_wal_lsn()::text").fetchone()
            assert row is not None
            target = row[0]
        deadline = time.monotonic() + timeout
        with psycopg.connect(self.replica_dsn, autocommit=True) as replica:
            while True:
                row = replica.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                ).fetchone()
                if row is not None and row[0]:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the replica has not replayed {target} in {timeout} s")
                time.sleep(0.02)


def _unavailable(reason: str) -> None:
    if os.environ.get("CHIBO_REPLICA_TESTS") == "required":
        pytest.fail(f"the read-replica tests are required here but cannot run: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_cluster_owner(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run the binaries as the `postgres` user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run(args: list[str], *, what: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 - fixed binaries, arguments built here
        _as_cluster_owner(args), capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        _unavailable(f"{what} failed: {(done.stderr or done.stdout).strip()[-800:]}")
    return done


def _dsn(settings: dict, *, host: str, port: int | str, dbname: str) -> str:
    parts = {"host": host, "port": str(port), "dbname": dbname, "user": settings["USER"]}
    if settings.get("PASSWORD"):
        parts["password"] = settings["PASSWORD"]
    return " ".join(f"{key}='{value}'" for key, value in parts.items())


@pytest.fixture(scope="session")
def pg_replica(django_db_setup, django_db_blocker) -> Iterator[Replica]:
    primary = connections[DEFAULT_DB_ALIAS]
    if primary.vendor != "postgresql":
        pytest.skip("the read replica needs PostgreSQL (DATABASE_URL=postgres://…)")
    settings = dict(primary.settings_dict)
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    primary_dsn = _dsn(settings, host=host, port=port, dbname=settings["NAME"])
    with psycopg.connect(primary_dsn, autocommit=True) as conn:
        version = conn.info.server_version // 10000
        minimums = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)",
                [list(STANDBY_MINIMUMS)],
            ).fetchall()
        )
    bin_dir = Path(f"/usr/lib/postgresql/{version}/bin")
    if not (bin_dir / "pg_ctl").exists() or not (bin_dir / "pg_basebackup").exists():
        _unavailable(f"no PostgreSQL {version} binaries in {bin_dir}")
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root without a `postgres` user to run the replica")

    base = Path(tempfile.mkdtemp(prefix="chibo-replica-"))
    data_dir = base / "data"
    if os.geteuid() == 0:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    replica_port = _free_port()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if not stopped and (data_dir / "postmaster.pid").exists():
            subprocess.run(  # noqa: S603
                _as_cluster_owner(
                    [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "stop"]
                ),
                capture_output=True,
                timeout=60,
                check=False,
            )
        stopped = True
        shutil.rmtree(base, ignore_errors=True)

    try:
        _run(
            [
                str(bin_dir / "pg_basebackup"),
                "-h", str(host), "-p", str(port), "-U", settings["USER"],
                "-D", str(data_dir), "-R", "-X", "stream", "-c", "fast",
            ],
            what="pg_basebackup (the primary's pg_hba.conf needs a `host replication` line"
            " for 127.0.0.1; .ci/allow-replication adds one)",
        )  # fmt: skip
        # A Debian cluster keeps its configuration in /etc: the copy has none of its own.
        name = f"chibo_replica_{replica_port}"
        conf = [
            f"port = {replica_port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{base}'",
            f"cluster_name = '{name}'",  # the walreceiver's application_name on the primary
            "hot_standby = on",
            "shared_buffers = 16MB",
            "fsync = off",
            "logging_collector = off",
            *(f"{key} = {value}" for key, value in minimums.items()),
        ]
        (data_dir / "postgresql.conf").write_text("\n".join(conf) + "\n")
        (data_dir / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        (data_dir / "pg_ident.conf").write_text("")
        if os.geteuid() == 0:
            for path in (data_dir / "postgresql.conf", data_dir / "pg_hba.conf"):
                os.chown(path, owner.pw_uid, owner.pw_gid)
            os.chown(data_dir / "pg_ident.conf", owner.pw_uid, owner.pw_gid)
        _run(
            [
                str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(base / "replica.log"),
                "-w", "-t", str(STARTUP_SECONDS), "start",
            ],
            what="starting the replica",
        )  # fmt: skip
        replica_dsn = _dsn(settings, host="127.0.0.1", port=replica_port, dbname=settings["NAME"])
        deadline = time.monotonic() + STARTUP_SECONDS
        with psycopg.connect(primary_dsn, autocommit=True) as conn:
            while not conn.execute(
                "SELECT 1 FROM pg_stat_replication WHERE application_name = %s"
                " AND state = 'streaming'",
                [name],
            ).fetchone():
                if time.monotonic() > deadline:
                    _unavailable("the replica started but is not streaming from the primary")
                time.sleep(0.1)
        with psycopg.connect(replica_dsn, autocommit=True) as conn:
            row = conn.execute("SELECT pg_is_in_recovery()").fetchone()
            assert row == (True,), "the copy runs as a primary, not as a standby"
        replica = Replica(
            port=replica_port,
            data_dir=data_dir,
            socket_dir=base,
            primary_dsn=primary_dsn,
            replica_dsn=replica_dsn,
        )
        replica.wait_for_replay()
        # The alias: the primary's settings (its test database's NAME included) on the
        # replica's port, a mirror of "default" for the test runner (never flushed).
        connections.settings[REPLICA] = {
            **settings,
            "HOST": "127.0.0.1",
            "PORT": str(replica_port),
            "CONN_MAX_AGE": 0,
            "TEST": {**settings["TEST"], "MIRROR": DEFAULT_DB_ALIAS},
        }
        try:
            yield replica
        finally:
            with contextlib.suppress(Exception):
                connections[REPLICA].close()
            with contextlib.suppress(AttributeError):
                del connections[REPLICA]
            connections.settings.pop(REPLICA, None)
    finally:
        stop()
