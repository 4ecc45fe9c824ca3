"""Locust users for bench/load_meeting.py: phones running meetings on the live screen.

Not run on its own: load_meeting.py starts `locust --headless` with this file and its
environment: LOAD_FIXTURE (the JSON of logins and meetings that it built), LOAD_LOG (where
this file writes every request and every write it believes succeeded, for the driver's recount
in the database), LOAD_ROUND (the run's number, in the writes' markers), LOAD_WAIT (think time
in seconds, 0 by default) and LOAD_RELOGIN_EVERY (cycles between logins from a second browser).

Each user takes the next login of the fixture (a cell secretary or a minute-taker), logs in
through the login form, opens its meeting's live screen, reads the forms of the tabs and then
repeats a phone's cycle without pause: a roll-call tap, a speech, a tap, a speech, a tab, a vote,
an assignment (every POST as htmx sends it: `HX-Request: true` and the form's CSRF token),
every 5th cycle the full live page, every LOAD_RELOGIN_EVERY-th a login from another browser. The
forms are found by their action (the paths of meetings/urls_live.py, which stay stable) and
their fields read from the HTML, so that a change of markup does not break the benchmark.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
import uuid
from typing import Any

import lxml.html
from locust import HttpUser, constant, events, task
from locust.clients import HttpSession
from locust.exception import StopUser

FIXTURE: dict[str, Any] = json.loads(
    open(os.environ["LOAD_FIXTURE"], encoding="utf-8").read()  # noqa: SIM115
)
LOG_PATH = os.environ["LOAD_LOG"]
MAX_CYCLES = int(os.environ.get("LOAD_MAX_CYCLES", "2000"))
WAIT = float(os.environ.get("LOAD_WAIT", "0"))
RELOGIN_EVERY = int(os.environ.get("LOAD_RELOGIN_EVERY", "5"))  # cycles; 0: never
ROUND = int(os.environ.get("LOAD_ROUND", "0"))  # keeps the markers of successive runs apart

ATTENDANCE = re.compile(r"/live/attendance/(\d+)/$")
SPEECH = re.compile(r"/live/speeches/$")
VOTE = re.compile(r"/live/votes/$")
ASSIGNMENT = re.compile(r"/live/assignments/$")
HTMX = {"HX-Request": "true"}
TABS = ("rollcall", "agenda", "votes", "assignments")
# Consecutive marks of a member always differ (a repeated mark is a no-op, not a write).
STATUSES = ("late", "present", "absent_excused", "present")

REQUESTS: list[tuple[str, float, float, bool]] = []  # (name, start, ms, ok)
WRITES: list[dict[str, Any]] = []
LOGINS = itertools.count()


@events.request.add_listener
def _on_request(request_type, name, response_time, exception, start_time=None, **_kw):
    REQUESTS.append((name, start_time or time.time(), response_time, exception is None))


@events.quitting.add_listener
def _on_quitting(**_kw):
    with open(LOG_PATH, "w", encoding="utf-8") as out:
        json.dump({"requests": REQUESTS, "writes": WRITES}, out)


def _forms(html: str, pattern: re.Pattern) -> list[Any]:
    if not html.strip():
        return []
    document = lxml.html.document_fromstring(html)
    return [form for form in document.forms if pattern.search(form.get("action") or "")]


def _values(form: Any) -> dict[str, Any]:
    """The fields a browser would send with the form as rendered (hidden ones included)."""
    return dict(form.form_values())


def _refused(body: str) -> bool:
    """A write the server refused answers 200 with the form again: field or form errors."""
    return "is-invalid" in body or "alert-danger" in body


class Phone(HttpUser):
    wait_time = constant(WAIT)

    def on_start(self) -> None:
        number = next(LOGINS)
        if number >= len(FIXTURE["phones"]):
            raise StopUser()
        self.phone = FIXTURE["phones"][number]
        self.tag = f"L{ROUND}x{number}"
        self.count = 0
        self.cycle = 0
        self.login()
        live = self.client.get(self.phone["live_url"], name="GET live page (full)")
        self.taps = self.attendance_forms(live.text)
        self.tap_index = 0
        self.speech_form = self.form_of_tab("agenda", SPEECH)
        self.vote_form = self.form_of_tab("votes", VOTE)
        self.assignment_form = self.form_of_tab("assignments", ASSIGNMENT)

    # -- reading the pages ---------------------------------------------------------------------

    def login(self, client: Any = None, name: str = "POST login") -> None:
        """Log in through the form (`client`: another browser, for a login under load that
        leaves this phone's session alone)."""
        client = client or self.client
        url = FIXTURE["login_url"]
        page = client.get(url, name="GET login page")
        form = lxml.html.document_fromstring(page.text).forms[0]
        data = _values(form)
        data.update(username=self.phone["username"], password=FIXTURE["password"])
        with client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login answered {answer.status_code}")
                raise StopUser()

    def login_elsewhere(self) -> None:
        """The same person logging in on a second phone while the meetings run."""
        other = HttpSession(
            base_url=self.host, request_event=self.environment.events.request, user=self
        )
        self.login(other, name="POST login (again, under load)")

    def attendance_forms(self, html: str) -> list[dict[str, Any]]:
        """This phone's share of the roll (the members whose id has its parity), as the taps a
        browser would send: a status button of a form, to the button's `formaction` or the
        form's action, with the form's fields (one form per row, or one for the whole roll
        whose fields carry the member's id: `version_<id>`, `reason_<id>`)."""
        taps = []
        document = lxml.html.document_fromstring(html)
        for form in document.forms:
            for button in form.xpath(".//button[@name='status']"):
                action = button.get("formaction") or form.get("action") or ""
                found = ATTENDANCE.search(action)
                if not found or any(tap["action"] == action for tap in taps):
                    continue
                member = int(found.group(1))
                if member % self.phone["of"] != self.phone["share"]:
                    continue
                fields = form.fields
                version = next((n for n in (f"version_{member}", "version") if n in fields), "")
                reason = next((n for n in (f"reason_{member}", "reason") if n in fields), "")
                taps.append(
                    {
                        "action": action,
                        "member": member,
                        "data": _values(form),
                        "version": version,
                        "reason": reason,
                    }
                )
        # Officials first (the roll lists the probationary members first, by name): a vote
        # needs official members present.
        return taps[::-1]

    def new_version(self, body: str, tap: dict[str, Any]) -> str | None:
        """The row's version in the answer to a tap (the row comes back with its fields)."""
        document = lxml.html.document_fromstring(body)
        named = document.xpath(f"//input[@name='version_{tap['member']}']")
        if named:
            return named[0].get("value")
        for form in document.forms:
            if form.get("action") == tap["action"] and "version" in form.fields:
                return form.fields["version"]
        return None

    def form_of_tab(self, tab: str, pattern: re.Pattern) -> Any:
        page = self.client.get(
            f"{self.phone['live_url']}?tab={tab}", headers=HTMX, name=f"GET tab {tab}"
        )
        found = _forms(page.text, pattern)
        return found[0] if found else None

    def marker(self, kind: str) -> str:
        self.count += 1
        return f"[{self.tag}-{kind}-{self.count}]"

    # -- the writes ----------------------------------------------------------------------------

    def post(self, kind: str, action: str, data: dict[str, Any], marker: str, **extra) -> str:
        ok = False
        body = ""
        with self.client.post(
            action, data=data, headers=HTMX, name=f"POST {kind}", catch_response=True
        ) as answer:
            body = answer.text or ""
            if answer.status_code != 200:
                answer.failure(f"{kind} answered {answer.status_code}")
            elif _refused(body):
                answer.failure(f"{kind} refused")
            else:
                ok = True
        WRITES.append({"kind": kind, "marker": marker, "ok": ok, **extra})
        return body if ok else ""

    def tap(self) -> None:
        if not self.taps:
            return
        tap = self.taps[self.tap_index % len(self.taps)]
        status = STATUSES[(self.tap_index // len(self.taps)) % len(STATUSES)]
        self.tap_index += 1
        data = {**tap["data"], "status": status}
        if tap["reason"]:
            data[tap["reason"]] = "Đi công tác" if status != "present" else ""
        body = self.post(
            "attendance",
            tap["action"],
            data,
            "",
            meeting=self.phone["meeting"],
            member=tap["member"],
            status=status,
        )
        if body and tap["version"]:
            # The answer carries the row with its new version, for the next tap.
            version = self.new_version(body, tap)
            if version is None:
                version = str(int(tap["data"].get(tap["version"]) or 0) + 1)
            tap["data"][tap["version"]] = version

    def speech(self) -> None:
        if self.speech_form is None:
            return
        form = self.speech_form
        members = [v for v in form.inputs["member"].value_options if v]
        items = [v for v in form.inputs["agenda_item"].value_options if v]
        data = _values(form)
        marker = self.marker("speech")
        data.update(
            member=members[self.count % len(members)],
            agenda_item=items[self.count % len(items)] if items else "",
            summary=f"{marker} Đồng tình với dự thảo nghị quyết, đề nghị bổ sung người "
            "chịu trách nhiệm từng việc.",
            client_token=str(uuid.uuid4()),
        )
        self.post("speech", form.get("action"), data, marker, meeting=self.phone["meeting"])

    def vote(self) -> None:
        if self.vote_form is None:
            return
        form = self.vote_form
        data = _values(form)
        marker = self.marker("vote")
        subjects = [v for v in form.inputs["subject"].value_options if v]
        data.update(
            title=f"{marker} Biểu quyết thông qua nội dung",
            subject="decision" if "decision" in subjects else subjects[0],
            subject_member="",
            # Never more votes than official members present (the service checks it).
            in_favour="1",
            against="0",
            abstain="0",
            client_token=str(uuid.uuid4()),
        )
        self.post("vote", form.get("action"), data, marker, meeting=self.phone["meeting"])

    def assignment(self) -> None:
        if self.assignment_form is None:
            return
        form = self.assignment_form
        members = [v for v in form.inputs["members"].value_options if v]
        data = list(_values(form).items())
        data = [(name, value) for name, value in data if name not in ("members", "client_token")]
        marker = self.marker("assignment")
        data = [(name, value) for name, value in data if name != "title"]
        data += [("title", f"{marker} Nhiệm vụ tháng tới"), ("client_token", str(uuid.uuid4()))]
        pick = self.count % len(members)
        data += [("members", members[pick]), ("members", members[(pick + 7) % len(members)])]
        self.post("assignment", form.get("action"), data, marker, meeting=self.phone["meeting"])

    @task
    def meeting_cycle(self) -> None:
        if self.cycle >= MAX_CYCLES:
            raise StopUser()
        self.cycle += 1
        self.tap()
        self.speech()
        self.tap()
        self.speech()
        tab = TABS[self.cycle % len(TABS)]
        self.client.get(f"{self.phone['live_url']}?tab={tab}", headers=HTMX, name=f"GET tab {tab}")
        self.vote()
        self.assignment()
        if self.cycle % 5 == 0:
            self.client.get(self.phone["live_url"], name="GET live page (full)")
        if RELOGIN_EVERY and self.cycle % RELOGIN_EVERY == 0:
            self.login_elsewhere()
