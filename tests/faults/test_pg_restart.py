"""PostgreSQL restarted in the middle of a meeting (issue 14).

A private cluster (never the shared server) serves a chibo run as `make serve` runs it. A
secretary's phone opens the meeting and calls part of the roll; PostgreSQL is restarted
(`pg_ctl restart -m fast`) while the phone keeps recording speeches; then the meeting goes on;
then the database is stopped outright and a speech sent. Every answer is either a success or
chibo's clean 503 page (no traceback, no 500); each speech is in the database with its audit
entry or not at all (a speech committed just before the connection died may be answered 503
by the reading after it: the page says to check), and the phone's retry with the same client
token records it exactly once; after the restart the next requests succeed (the dead
persistent connections are replaced: CONN_HEALTH_CHECKS).

The first run on a machine migrates the private cluster (slow: minutes on a busy machine) and
keeps a dump of the schema in the temporary folder, keyed by the migrations; later runs
restore it (seconds)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import lxml.html
import psycopg
import pytest
import requests

from tests.faults import servers

pytestmark = pytest.mark.skipif(
    servers.pg_bin() is None,
    reason="the PostgreSQL server binaries (initdb, pg_ctl) are not installed",
)
HTMX = {"HX-Request": "true"}
SPEECH_ACTION = re.compile(r"/live/speeches/$")
ATTENDANCE = re.compile(r"/live/attendance/(\d+)/$")


def _schema(cluster: servers.Cluster, url: str) -> None:
    """The migrated schema in the cluster's database `chibo`: restored from the cached dump,
    or migrated and dumped for the next run."""
    digest = hashlib.sha256()
    for path in sorted((servers.ROOT / "src").glob("chibo/*/migrations/*.py")):
        digest.update(path.read_bytes())
    dump = Path(tempfile.gettempdir()) / f"chibo-faults-schema-{digest.hexdigest()[:12]}.dump"
    with psycopg.connect(f"{cluster.url}/postgres", autocommit=True) as connection:
        connection.execute("CREATE DATABASE chibo")
    if dump.exists():
        subprocess.run(  # noqa: S603
            [str(cluster.bindir / "pg_restore"), "--no-owner", "-d", url, str(dump)],
            check=True,
            capture_output=True,
        )
        return
    with tempfile.TemporaryDirectory() as scratch:
        env = servers.chibo_env(Path(scratch), DATABASE_URL=url)
        subprocess.run(  # noqa: S603
            [servers.PYTHON, "-m", "chibo", "migrate", "-v0"], env=env, check=True
        )
    partial = dump.with_suffix(".partial")
    subprocess.run(  # noqa: S603
        [str(cluster.bindir / "pg_dump"), "-Fc", "-f", str(partial), url],
        check=True,
        capture_output=True,
    )
    partial.rename(dump)


class Phone:
    """A secretary's phone: a browser session posting the pages' forms as htmx does."""

    def __init__(self, base: str, fixture: dict, phone: dict) -> None:
        self.base = base
        self.fixture = fixture
        self.phone = phone
        self.session = requests.Session()
        self.answers: list[tuple[str, int, str]] = []  # (what, status, body)
        self.tokens: dict[str, str] = {}  # speech marker: its client token

    def get(self, path: str, **kw) -> requests.Response:
        answer = self.session.get(self.base + path, timeout=30, **kw)
        self.answers.append((f"GET {path}", answer.status_code, answer.text))
        return answer

    def post(self, what: str, path: str, data: dict, **kw) -> requests.Response:
        answer = self.session.post(self.base + path, data=data, timeout=30, **kw)
        self.answers.append((what, answer.status_code, answer.text))
        return answer

    def login(self) -> None:
        page = self.get(self.fixture["login_url"])
        data = dict(lxml.html.document_fromstring(page.text).forms[0].form_values())
        data.update(username=self.phone["username"], password=self.fixture["password"])
        answer = self.post("login", self.fixture["login_url"], data, allow_redirects=False)
        assert answer.status_code == 302

    def open_meeting(self) -> None:
        page = self.get(self.phone["open_url"])
        form = next(
            f for f in lxml.html.document_fromstring(page.text).forms if "chair" in f.fields
        )
        data = dict(form.form_values())
        data.update(chair=str(self.phone["chair"]), minute_taker=str(self.phone["minute_taker"]))
        answer = self.post("open", self.phone["open_url"], data, allow_redirects=False)
        assert answer.status_code == 302, answer.text[:2000]

    def taps(self) -> list[tuple[str, dict]]:
        page = self.get(self.phone["live_url"])
        found = []
        for form in lxml.html.document_fromstring(page.text).forms:
            for button in form.xpath(".//button[@name='status']"):
                action = button.get("formaction") or form.get("action") or ""
                if ATTENDANCE.search(action) and action not in [a for a, _d in found]:
                    found.append((action, {**dict(form.form_values()), "status": "present"}))
        return found

    def speech_form(self) -> dict:
        page = self.get(f"{self.phone['live_url']}?tab=agenda", headers=HTMX)
        document = lxml.html.document_fromstring(page.text)
        form = next(f for f in document.forms if SPEECH_ACTION.search(f.get("action") or ""))
        data = dict(form.form_values())
        data["member"] = next(v for v in form.inputs["member"].value_options if v)
        data["agenda_item"] = next(v for v in form.inputs["agenda_item"].value_options if v)
        data["action"] = form.get("action")
        return data

    def speech(self, form: dict, marker: str) -> requests.Response:
        """Record a speech; sent again with the same marker, it is a retry: the same client
        token, as the page's form keeps it."""
        data = {k: v for k, v in form.items() if k != "action"}
        token = self.tokens.setdefault(marker, str(uuid.uuid4()))
        data.update(summary=f"[{marker}] Đề nghị bổ sung giải pháp.", client_token=token)
        return self.post(f"speech {marker}", form["action"], data, headers=HTMX)


def _saved(answer: requests.Response) -> bool:
    return answer.status_code == 200 and "alert-danger" not in answer.text


def _clean(status: int, body: str) -> bool:
    """A success, or chibo's own 503 page asking to try again; never a traceback or a 500."""
    if "Traceback" in body or status >= 500 and status != 503:
        return False
    return status != 503 or "Hệ thống tạm thời gián đoạn" in body


def test_a_meeting_goes_on_after_postgresql_restarts(tmp_path):
    with servers.cluster() as cluster:
        url = f"{cluster.url}/chibo"
        _schema(cluster, url)
        env = servers.chibo_env(tmp_path, DATABASE_URL=url)
        subprocess.run(  # noqa: S603
            [servers.PYTHON, str(servers.ROOT / "bench" / "load_cells.py"), "--fixture"]
            + [str(tmp_path), "--cells", "1"],
            env=env,
            check=True,
            cwd=tmp_path,
        )
        fixture = json.loads((tmp_path / "fixture.json").read_text(encoding="utf-8"))
        with servers.gunicorn(env, tmp_path) as base:
            phone = Phone(base, fixture, fixture["phones"][0])
            phone.login()
            phone.open_meeting()
            taps = phone.taps()
            for action, data in taps[:3]:
                assert _saved(phone.post("tap", action, data, headers=HTMX))
            form = phone.speech_form()
            outcome: dict[str, bool] = {}
            for number in range(2):
                outcome[f"before-{number}"] = _saved(phone.speech(form, f"before-{number}"))

            # The phone keeps recording speeches while PostgreSQL restarts.
            def keep_writing() -> None:
                for number in range(25):
                    marker = f"during-{number}"
                    outcome[marker] = _saved(phone.speech(form, marker))
                    time.sleep(0.05)

            writer = threading.Thread(target=keep_writing)
            writer.start()
            time.sleep(0.3)
            cluster.ctl("restart", "-m", "fast")
            writer.join()

            # The phone retries what failed, with the same client token (the 503 page says the
            # action may have been saved: a speech committed just before the connection died
            # is answered 503 by the reading that follows it). A retry never records it twice.
            for marker in sorted(m for m, ok in outcome.items() if not ok):
                assert _saved(phone.speech(form, marker)), phone.answers[-1][2][:2000]

            # The meeting goes on: every next request succeeds.
            for number in range(3):
                marker = f"after-{number}"
                outcome[marker] = _saved(phone.speech(form, marker))
                assert outcome[marker], phone.answers[-1][2][:2000]
            for action, data in taps[3:]:
                assert _saved(phone.post("tap", action, data, headers=HTMX))

            # The database stopped outright: a clean 503, then success once it is back.
            cluster.ctl("stop", "-m", "fast")
            down = phone.speech(form, "down-0")
            outcome["down-0"] = _saved(down)
            assert down.status_code == 503
            assert down.headers["Retry-After"] == "5"
            cluster.ctl("start")
            assert _saved(phone.speech(form, "down-0"))  # its retry
            outcome["back-0"] = _saved(phone.speech(form, "back-0"))
            assert outcome["back-0"]

        unclean = [
            (what, status) for what, status, body in phone.answers if not _clean(status, body)
        ]
        assert unclean == []
        with psycopg.connect(url) as connection:
            summaries = [
                row[0]
                for row in connection.execute(
                    "SELECT summary FROM meetings_speech WHERE meeting_id = %s",
                    [fixture["phones"][0]["meeting"]],
                )
            ]
            audited = connection.execute(
                "SELECT count(*) FROM core_auditentry WHERE code = 'speech.added'"
            ).fetchone()[0]
            marked_present = connection.execute(
                "SELECT count(*) FROM meetings_attendance WHERE meeting_id = %s "
                "AND status = 'present'",
                [fixture["phones"][0]["meeting"]],
            ).fetchone()[0]
    stored = {marker: sum(s.startswith(f"[{marker}]") for s in summaries) for marker in outcome}
    # Every speech, saved at once or on its retry, is there exactly once.
    assert stored == {marker: 1 for marker in outcome}
    # Each speech with its audit entry: nothing half written.
    assert audited == len(summaries)
    assert marked_present == len(taps)
    # The stop was felt: the speech sent while the database was down failed cleanly.
    assert not outcome["down-0"]
