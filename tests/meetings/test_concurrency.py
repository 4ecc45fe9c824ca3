"""Several phones on one meeting (issue 3, acceptance): An (secretary) on the roll call and Bình
(the appointed minute-taker) on the speeches, at the same moment, from two threads with their
own database connections. Nothing is lost, a retried request never records twice, and a
stale change of the same row is refused with a message that names the member.

Runs on SQLite (WAL, IMMEDIATE transactions) and on PostgreSQL (row locks): CI runs both."""

from __future__ import annotations

import datetime
import sqlite3
import threading
import uuid
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from chibo.followup.models import Assignment
from chibo.meetings import services
from chibo.meetings.models import (
    Attendance,
    AttendanceStatus,
    Commendation,
    CommendationKind,
    Speech,
    Vote,
    VoteSubject,
)
from tests.meetings.factories import add_members, make_meeting, open_meeting

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def sqlite_as_deployed(transactional_db, tmp_path):
    """On SQLite, run these tests on a database file, as chibo runs (WAL, IMMEDIATE
    transactions, a busy timeout), instead of Django's in-memory test database: its shared
    cache answers "database table is locked" at once instead of waiting, which is not how a
    deployed chibo behaves. The in-memory database is copied to the file and kept open, and
    comes back after the test. Nothing to do on PostgreSQL."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    memory = connection.connection
    copy = sqlite3.connect(tmp_path / "chibo.sqlite3")
    memory.backup(copy)
    copy.close()
    settings_dict = connection.settings_dict  # the dict every thread's connection is made from
    memory_name = settings_dict["NAME"]
    settings_dict["NAME"] = str(tmp_path / "chibo.sqlite3")
    connection.connection = None  # not closed: closing would drop the in-memory database
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.connection = memory


def run_together(*jobs: Callable[[], None]) -> list[BaseException]:
    """Run each job in its own thread, all starting at the same moment; return what they
    raised. Each thread closes its own database connection when done."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def runner(job):
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as error:  # noqa: BLE001 — reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return errors


@pytest.fixture
def meeting(world):
    """Khối 1 with 20 members on the roll, opened with An in the chair and Bình taking the
    minutes."""
    add_members(world.khoi1, 18)
    meeting = make_meeting(world.khoi1)
    services.agenda_build(actor=world.an_user, meeting=meeting)
    open_meeting(meeting, world.an, world.binh, actor=world.an_user)
    return meeting


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_phones_mark_attendance_and_add_speeches_at_once(world, meeting):
    """Through the pages: An's phone marks 10 members and records 10 speeches while Bình's
    marks the other 10 and records 10 more; every request is sent twice, as a phone on a bad
    connection retries. All 20 marks and exactly 20 speeches are there."""
    rows = list(meeting.attendance.order_by("member__name_sort_key"))
    assert len(rows) == 20
    halves = {world.an_user: rows[:10], world.binh_user: rows[10:]}
    clients = {user: logged_in(user) for user in halves}
    status_for = {
        row.member_id: AttendanceStatus.PRESENT if index % 4 else AttendanceStatus.ABSENT_EXCUSED
        for index, row in enumerate(rows)
    }

    def phone(user):
        client = clients[user]

        def act():
            for row in halves[user]:
                mark_url = reverse("meetings:attendance_mark", args=[meeting.pk, row.member_id])
                data = {"status": status_for[row.member_id], "reason": "Đi công tác", "version": 1}
                for _attempt in range(2):
                    response = client.post(mark_url, data)
                    assert response.status_code == 302, response.status_code
                    # Neither the mark nor its retry tells the user of a conflict.
                    shown.extend(str(m) for m in get_messages(response.wsgi_request))
                speech = {
                    "member": row.member_id,
                    "agenda_item": "",
                    "summary": f"Ý kiến của đảng viên số {row.member_id}.",
                    "client_token": str(uuid.uuid4()),
                }
                for _attempt in range(2):
                    response = client.post(
                        reverse("meetings:speech_add", args=[meeting.pk]), speech
                    )
                    assert response.status_code == 302, response.status_code

        return act

    shown: list[str] = []
    errors = run_together(phone(world.an_user), phone(world.binh_user))
    assert errors == []
    assert shown == []
    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert marks == status_for
    assert all(version == 2 for version in meeting.attendance.values_list("version", flat=True))
    speeches = Speech.objects.filter(meeting=meeting)
    assert speeches.count() == 20
    assert set(speeches.values_list("member_id", flat=True)) == set(status_for)
    assert {s.created_by for s in speeches} == {world.an_user, world.binh_user}


def test_services_from_two_threads_lose_nothing(world, meeting):
    """The same through the services directly: 20 marks and 20 speeches, half each."""
    rows = list(meeting.attendance.order_by("member__name_sort_key"))

    def phone(user, part):
        def act():
            for row in part:
                services.attendance_mark(
                    actor=user,
                    meeting=meeting,
                    member_id=row.member_id,
                    status=AttendanceStatus.PRESENT,
                    expected_version=1,
                )
                services.speech_add(
                    actor=user,
                    meeting=meeting,
                    member=row.member,
                    summary="Đồng ý với dự thảo nghị quyết.",
                    client_token=uuid.uuid4(),
                )

        return act

    errors = run_together(phone(world.an_user, rows[:10]), phone(world.binh_user, rows[10:]))
    assert errors == []
    assert meeting.attendance.filter(status=AttendanceStatus.PRESENT).count() == 20
    assert Speech.objects.filter(meeting=meeting).count() == 20


def test_the_same_speech_sent_from_two_threads_at_once_is_recorded_once(world, meeting):
    token = uuid.uuid4()
    results = []

    def send(user):
        def act():
            results.append(
                services.speech_add(
                    actor=user,
                    meeting=meeting,
                    member=world.binh,
                    summary="Đề nghị tăng cường vệ sinh môi trường.",
                    client_token=token,
                )
            )

        return act

    errors = run_together(send(world.binh_user), send(world.binh_user))
    assert errors == []
    assert Speech.objects.filter(client_token=token).count() == 1
    assert sorted(created for _speech, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk


def test_the_same_vote_and_commendation_sent_at_once_are_recorded_once(world, meeting):
    """Two retries of the same vote and of the same praise arrive together."""
    for row in meeting.attendance.all():
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=row.member_id,
            status=AttendanceStatus.PRESENT,
        )
    vote_token, praise_token = uuid.uuid4(), uuid.uuid4()

    def send():
        services.vote_record(
            actor=world.an_user,
            meeting=meeting,
            title="Nghị quyết tháng 11",
            subject=VoteSubject.RESOLUTION,
            in_favour=15,
            against=3,
            abstain=2,
            client_token=vote_token,
        )
        services.commendation_add(
            actor=world.binh_user,
            meeting=meeting,
            member=world.binh,
            kind=CommendationKind.PRAISE,
            note="Vận động được nhiều hộ dân tham gia.",
            client_token=praise_token,
        )

    errors = run_together(send, send, send)
    assert errors == []
    assert Vote.objects.filter(client_token=vote_token).count() == 1
    assert Commendation.objects.filter(client_token=praise_token).count() == 1


def test_a_retried_request_does_not_duplicate(world, meeting):
    """The same client_token sent twice (speech, vote, assignment, commendation) gives one
    row; the second answer says nothing was created."""
    for row in meeting.attendance.all():
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=row.member_id,
            status=AttendanceStatus.PRESENT,
        )
    tokens = {name: uuid.uuid4() for name in ("speech", "vote", "assignment", "praise")}
    for attempt in range(2):
        _speech, created_speech = services.speech_add(
            actor=world.binh_user,
            meeting=meeting,
            member=world.an,
            summary="Báo cáo kết quả tháng 10.",
            client_token=tokens["speech"],
        )
        _vote, created_vote = services.vote_record(
            actor=world.an_user,
            meeting=meeting,
            title="Nghị quyết tháng 11",
            subject=VoteSubject.RESOLUTION,
            in_favour=20,
            against=0,
            abstain=0,
            client_token=tokens["vote"],
        )
        _assignment, created_assignment = services.assignment_add(
            actor=world.an_user,
            meeting=meeting,
            title="Tuyên truyền phòng cháy chữa cháy",
            members=[world.binh],
            due_date=datetime.date(2026, 11, 30),
            client_token=tokens["assignment"],
        )
        _praise, created_praise = services.commendation_add(
            actor=world.binh_user,
            meeting=meeting,
            member=world.binh,
            kind=CommendationKind.PRAISE,
            note="Hoàn thành tốt nhiệm vụ.",
            client_token=tokens["praise"],
        )
        expected = attempt == 0
        assert (created_speech, created_vote, created_assignment, created_praise) == (
            expected,
            expected,
            expected,
            expected,
        )
    assert Speech.objects.filter(meeting=meeting).count() == 1
    assert Vote.objects.filter(meeting=meeting).count() == 1
    assert Assignment.objects.filter(source_meeting=meeting).count() == 1
    assert Commendation.objects.filter(meeting=meeting).count() == 1


def test_the_same_mark_from_two_phones_is_not_a_conflict(world, meeting):
    """Both phones loaded Bình's row at version 1 and both tap "present": the second tap
    changes nothing and is not an error."""
    first, changed = services.attendance_mark(
        actor=world.an_user,
        meeting=meeting,
        member_id=world.binh.pk,
        status=AttendanceStatus.PRESENT,
        expected_version=1,
    )
    assert changed and first.version == 2
    second, changed = services.attendance_mark(
        actor=world.binh_user,
        meeting=meeting,
        member_id=world.binh.pk,
        status=AttendanceStatus.PRESENT,
        expected_version=1,
    )
    assert not changed and second.version == 2


def test_a_retried_present_that_still_carries_a_reason_is_the_same_mark(world, meeting):
    """The roll-call form sends its reason field with every tap; "present" keeps no reason, so
    the retry of a "present" tap is the same mark, not a conflict."""
    for _attempt in range(2):
        row, _changed = services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=world.binh.pk,
            status=AttendanceStatus.PRESENT,
            reason="Đi công tác",
            expected_version=1,
        )
    assert (row.status, row.reason, row.version) == (AttendanceStatus.PRESENT, "", 2)


def test_a_stale_different_mark_is_refused_naming_the_member(world, meeting):
    """An's phone shows Bình as not called (version 1); Bình's phone has meanwhile marked her
    present. An's tap "absent" on the stale row is refused with a Vietnamese message that
    names Bình and says what is recorded now; nothing changes."""
    services.attendance_mark(
        actor=world.binh_user,
        meeting=meeting,
        member_id=world.binh.pk,
        status=AttendanceStatus.PRESENT,
        expected_version=1,
    )
    with pytest.raises(services.ConflictError) as conflict:
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=world.binh.pk,
            status=AttendanceStatus.ABSENT_UNEXCUSED,
            expected_version=1,
        )
    assert conflict.value.message == (
        "Đồng chí Trần Thị Bình vừa được điểm danh “Có mặt” từ một điện thoại khác. "
        "Hãy kiểm tra và bấm lại nếu cần."
    )
    row = meeting.attendance.get(member=world.binh)
    assert (row.status, row.version) == (AttendanceStatus.PRESENT, 2)


def test_a_stale_edit_of_agenda_notes_is_refused(world, meeting):
    """Two phones edit the notes of the same agenda item: the later one, based on the old
    text, is refused and the first text is kept."""
    item = meeting.agenda_items.get(step="review")
    services.agenda_item_update(
        actor=world.binh_user, item=item, expected_version=1, notes="Ghi chép của Bình."
    )
    with pytest.raises(services.ConflictError) as conflict:
        services.agenda_item_update(
            actor=world.an_user, item=item, expected_version=1, notes="Ghi chép của An."
        )
    assert conflict.value.message.startswith("Người khác vừa sửa “Đánh giá kết quả tháng trước”.")
    item.refresh_from_db()
    assert (item.notes, item.version) == ("Ghi chép của Bình.", 2)
