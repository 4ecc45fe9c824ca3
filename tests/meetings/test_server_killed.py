"""The server killed between the two signatures (issue 14, "Load and faults"): a real chibo
process (`python -m chibo runserver --noreload`) on a file SQLite database takes the first
signature over HTTP and is killed with SIGKILL; started again, it holds one signature and
nothing frozen, and the second signature freezes the minutes with the right fingerprint.

The server's database is the test database, built through the services and copied to a file
with the backup's own snapshot (core.backup.sqlite_snapshot): no second migrate."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from chibo.core.backup import open_copy, sqlite_snapshot
from chibo.meetings import services
from tests.conftest import PASSWORD
from tests.meetings.doc_builders import cell_people, run_meeting

CSRF_SECRET = "k" * 32  # a CSRF secret of our own, sent as the cookie and as the form field


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "CHIBO_DATA_DIR": str(data_dir),
            "CHIBO_SECRET_KEY": settings.SECRET_KEY,  # the sessions were signed with it
            "CHIBO_FAST_HASHER": "1",  # the test users' password hashes
            "CHIBO_AXES_ENABLED": "0",
            "CHIBO_MANIFEST_STATIC": "0",  # no collectstatic for this server
            "CHIBO_JOBS_IMMEDIATE": "1",
            "CHIBO_BACKUP_DAILY": "0",
            "DATABASE_URL": "",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
            [sys.executable, "-m", "chibo", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/accounts/login/", timeout=5)
                return
            except urllib.error.HTTPError as answer:
                raise RuntimeError(f"the server answers {answer.code}") from None
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if self.process.poll() is not None:
                    raise RuntimeError("the server stopped while starting") from None
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def sign(self, path: str, session: str) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=f"password={PASSWORD}&csrfmiddlewaretoken={CSRF_SECRET}".encode(),
            headers={
                "Cookie": f"sessionid={session}; csrftoken={CSRF_SECRET}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            method="POST",
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            return opener.open(request, timeout=120).status
        except urllib.error.HTTPError as answer:
            return answer.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def state(database: Path) -> dict:
    conn = open_copy(database)  # with Django's SQL functions, which the CHECKs call
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        meeting_status = conn.execute("SELECT status FROM meetings_meeting").fetchone()[0]
        fingerprint, content = conn.execute(
            "SELECT fingerprint, frozen_content FROM meetings_meetingrecord"
        ).fetchone()
        roles = sorted(r for (r,) in conn.execute("SELECT role FROM meetings_signature"))
        files = conn.execute("SELECT content, sha256, fingerprint FROM meetings_signedfile")
        return {
            "status": meeting_status,
            "fingerprint": fingerprint,
            "content": json.loads(content) if content else None,
            "roles": roles,
            "files": [(hashlib.sha256(c).hexdigest() == s, f) for c, s, f in files],
        }
    finally:
        conn.close()


@pytest.mark.django_db(transaction=True)
def test_the_server_killed_between_the_two_signatures(world, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the embedded server on a SQLite file; the signing code is the same on PG")
    meeting = run_meeting(world, cell_people(world), sign=False)
    sessions = {}
    for user in (world.binh_user, world.an_user):
        client = Client()
        client.force_login(user)
        sessions[user.username] = client.cookies["sessionid"].value
    database = tmp_path / "chibo.sqlite3"
    sqlite_snapshot(connection.connection, database)
    sign_path = reverse("meetings:sign", args=[meeting.pk])

    server = Server(tmp_path)
    try:
        server.start()
        assert server.sign(sign_path, sessions["binh"]) == 302
        server.kill()
        after_kill = state(database)
        assert after_kill["roles"] == ["minute_taker"]
        assert (after_kill["status"], after_kill["fingerprint"]) == ("closed", "")
        assert after_kill["content"] is None and after_kill["files"] == []

        server.start()
        assert server.sign(sign_path, sessions["an"]) == 302
    finally:
        server.kill()

    signed = state(database)
    assert signed["status"] == "signed"
    assert signed["roles"] == ["chair", "minute_taker"]
    assert signed["fingerprint"] == services.fingerprint_of(signed["content"])
    assert signed["files"] == [(True, signed["fingerprint"])] * 4
