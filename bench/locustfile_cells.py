"""Locust users for bench/load_cells.py: many cells running whole meetings at once, three
phones per cell.

Not run on its own: load_cells.py starts `locust --headless` with this file and LOAD_FIXTURE
(the cells, meetings and logins it built), LOAD_LOG (where every request and every write
believed to have succeeded is written, for the recount in the database) and LOAD_SPEECHES
(speeches each of phones 2 and 3 adds).

The users take the fixture's logins in order, three per cell:
- phone 1, the cell secretary, chairs: opens the meeting (chair, minute-taker, start time),
  calls the roll (one tap per member), records a speech on each of the first four agenda
  items and two votes, waits for phones 2 and 3 to finish their speeches, closes the meeting
  and signs as chair;
- phone 2, the minute-taker, and phone 3, the deputy secretary, wait for the meeting to be
  open, then read the tabs and add LOAD_SPEECHES speeches each; phone 2 signs once the
  meeting is closed.
Each phone stops when its part is done; the last one stops locust (the run is bounded in time
by --run-time and in count by the script). The phones of a cell share one locust process and
coordinate through `STATE` (what the phones of a cell would see on their screens).

Forms are found by their action and their fields read from the HTML (as in
locustfile_meeting.py): every POST sends what a browser would, with the CSRF token.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import time
import uuid
import zoneinfo
from collections import defaultdict
from typing import Any

import gevent
import lxml.html
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

FIXTURE: dict[str, Any] = json.loads(
    open(os.environ["LOAD_FIXTURE"], encoding="utf-8").read()  # noqa: SIM115
)
LOG_PATH = os.environ["LOAD_LOG"]
SPEECHES = int(os.environ.get("LOAD_SPEECHES", "4"))
CHAIR_SPEECHES = 4  # the chair's own: one on each of the first agenda items
HTMX = {"HX-Request": "true"}
TABS = ("rollcall", "agenda", "votes", "assignments")
LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
ATTENDANCE = re.compile(r"/live/attendance/(\d+)/$")

REQUESTS: list[tuple[str, float, float, bool]] = []  # (name, start, ms, ok)
WRITES: list[dict[str, Any]] = []
FAILURES: list[str] = []  # what each failed request answered, for the report
STATE: dict[int, dict[str, Any]] = defaultdict(lambda: {"open": False, "closed": False, "done": 0})
STARTED = [0]
FINISHED = [0]


@events.request.add_listener
def _on_request(request_type, name, response_time, exception, start_time=None, **_kw):
    REQUESTS.append((name, start_time or time.time(), response_time, exception is None))
    if exception is not None:
        FAILURES.append(f"{name}: {str(exception)[:120]}")


@events.quitting.add_listener
def _on_quitting(**_kw):
    with open(LOG_PATH, "w", encoding="utf-8") as out:
        json.dump({"requests": REQUESTS, "writes": WRITES, "failures": FAILURES}, out)


def _document(html: str) -> Any:
    return lxml.html.document_fromstring(html or "<html></html>")


def _form(html: str, action: re.Pattern) -> Any:
    found = [f for f in _document(html).forms if action.search(f.get("action") or "")]
    return found[0] if found else None


def _refused(body: str) -> bool:
    """A refused write answers with the form again (field errors) or an error message."""
    return "is-invalid" in body or "alert-danger" in body


def _local(moment: datetime.datetime) -> str:
    return moment.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M")


def _wait_for(condition: Any, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise StopUser()
        gevent.sleep(0.2)


class Phone(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        number = STARTED[0]
        STARTED[0] += 1
        if number >= len(FIXTURE["phones"]):
            raise StopUser()
        self.phone = FIXTURE["phones"][number]
        self.cell = self.phone["cell"]
        self.state = STATE[self.cell]
        self.count = 0
        self.login()

    def on_stop(self) -> None:
        FINISHED[0] += 1
        if FINISHED[0] >= len(FIXTURE["phones"]):
            # Every phone has done its part: end the run now rather than at --run-time.
            gevent.spawn_later(0.5, self.environment.runner.quit)

    # -- requests --------------------------------------------------------------------------

    def login(self) -> None:
        url = FIXTURE["login_url"]
        page = self.client.get(url, name="GET login page")
        form = _document(page.text).forms[0]
        data = dict(form.form_values())
        data.update(username=self.phone["username"], password=FIXTURE["password"])
        with self.client.post(
            url, data=data, name="POST login", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login answered {answer.status_code}")
                raise StopUser()

    def tab(self, tab: str) -> str:
        answer = self.client.get(
            f"{self.phone['live_url']}?tab={tab}", headers=HTMX, name=f"GET tab {tab}"
        )
        return answer.text or ""

    def write(self, kind: str, action: str, data: Any, *, htmx: bool, marker: str = "", **extra):
        """POST a write; an htmx write succeeds with 200 and no error in the answer, a page
        write with a redirect (the refused form is shown again with 200)."""
        # Logged before it is sent: a write still in flight when the run's time is up stays
        # `None` (neither seen to succeed nor refused; the recount reports them apart).
        entry = {"kind": kind, "marker": marker, "ok": None, "meeting": self.phone["meeting"]}
        WRITES.append({**entry, **extra})
        entry = WRITES[-1]
        ok = False
        with self.client.post(
            action,
            data=data,
            headers=HTMX if htmx else {},
            name=f"POST {kind}",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            body = answer.text or ""
            expected = 200 if htmx else 302
            if answer.status_code != expected:
                answer.failure(f"{kind} answered {answer.status_code}")
            elif htmx and _refused(body):
                answer.failure(f"{kind} refused")
            else:
                ok = True
        entry["ok"] = ok
        return ok, answer

    def marker(self, kind: str) -> str:
        self.count += 1
        return f"[C{self.cell}p{self.phone['role_no']}-{kind}-{self.count}]"

    def speech(self, form: Any) -> None:
        members = [v for v in form.inputs["member"].value_options if v]
        items = [v for v in form.inputs["agenda_item"].value_options if v]
        data = dict(form.form_values())
        marker = self.marker("speech")
        data.update(
            member=members[self.count % len(members)],
            agenda_item=items[self.count % len(items)] if items else "",
            summary=f"{marker} Đồng tình với dự thảo nghị quyết, đề nghị bổ sung người "
            "chịu trách nhiệm từng việc.",
            client_token=str(uuid.uuid4()),
        )
        self.write("speech", form.get("action"), data, htmx=True, marker=marker)

    def sign(self) -> None:
        page = self.tab("record")
        form = _form(page, re.compile(r"/live/sign/$"))
        if form is None:
            self.write("signature", self.phone["live_url"], {}, htmx=False)
            return
        data = dict(form.form_values())
        data["password"] = FIXTURE["password"]
        ok, answer = self.write("signature", form.get("action"), data, htmx=False)
        if ok:
            # The outcome is a message on the page the redirect leads to.
            shown = self.client.get(answer.headers["Location"], name="GET record after signing")
            if "alert-danger" in shown.text:
                [entry for entry in WRITES if entry["kind"] == "signature"][-1]["ok"] = False
                REQUESTS.append(("POST signature (refused)", time.time(), 0.0, False))

    # -- the phones ------------------------------------------------------------------------

    @task
    def run_part(self) -> None:
        if self.phone["role_no"] == 1:
            self.chair()
        else:
            self.member()
        raise StopUser()

    def chair(self) -> None:
        open_url = self.phone["open_url"]
        page = self.client.get(open_url, name="GET open page")
        # The opening form posts to its own page (no action): the one with the chair's field.
        form = next((f for f in _document(page.text).forms if "chair" in f.fields), None)
        data = dict(form.form_values()) if form is not None else {}
        data.update(
            chair=str(self.phone["chair"]),
            minute_taker=str(self.phone["minute_taker"]),
            started_at=_local(datetime.datetime.now(tz=LOCAL) - datetime.timedelta(hours=1)),
        )
        ok, _answer = self.write("open", open_url, data, htmx=False)
        self.state["open"] = True  # phones 2 and 3 stop waiting either way
        if not ok:
            self.state["closed"] = True
            return
        roll = self.client.get(self.phone["live_url"], name="GET live page (full)").text
        seen = set()
        for form in _document(roll).forms:
            for button in form.xpath(".//button[@name='status']"):
                action = button.get("formaction") or form.get("action") or ""
                found = ATTENDANCE.search(action)
                if not found or action in seen:
                    continue
                seen.add(action)
                values = dict(form.form_values())
                values["status"] = "present"
                self.write(
                    "attendance",
                    action,
                    values,
                    htmx=True,
                    member=int(found.group(1)),
                    status="present",
                )
        speech_form = _form(self.tab("agenda"), re.compile(r"/live/speeches/$"))
        items = len([v for v in speech_form.inputs["agenda_item"].value_options if v])
        for _item in range(min(items, CHAIR_SPEECHES)):
            self.speech(speech_form)
        vote_form = _form(self.tab("votes"), re.compile(r"/live/votes/$"))
        for number in (1, 2):
            marker = self.marker("vote")
            data = dict(vote_form.form_values())
            data.update(
                title=f"{marker} Biểu quyết thông qua nội dung {number}",
                subject="decision",
                subject_member="",
                in_favour="3",
                against="0",
                abstain="0",
                client_token=str(uuid.uuid4()),
            )
            self.write("vote", vote_form.get("action"), data, htmx=True, marker=marker)
        _wait_for(lambda: self.state["done"] >= 2)
        close = _form(self.tab("close"), re.compile(r"/live/close/$"))
        data = dict(close.form_values())
        data["ended_at"] = _local(datetime.datetime.now(tz=LOCAL))
        ok, _answer = self.write("close", close.get("action"), data, htmx=False)
        self.state["closed"] = True  # phone 2 stops waiting either way
        if ok:
            self.sign()

    def member(self) -> None:
        _wait_for(lambda: self.state["open"])
        form = None
        for number in range(SPEECHES):
            page = self.tab(TABS[number % len(TABS)])
            form = form or _form(self.tab("agenda"), re.compile(r"/live/speeches/$"))
            if form is None:
                break
            self.speech(form)
            del page
        self.state["done"] += 1
        if self.phone["role_no"] == 2:
            _wait_for(lambda: self.state["closed"])
            self.sign()
