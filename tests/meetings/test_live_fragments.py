"""The live meeting's actions answer with a fragment of constant size (issue 13): the new or
changed row, the counters it moves, a fresh form — whether the meeting has 10 or 300 speeches,
votes and assignments. Long lists show the latest rows with "show all"; without JavaScript the
actions still record once and return to the tab, and one CSRF token serves a whole list."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.followup.models import Assignment
from chibo.meetings import selectors, services
from chibo.meetings.models import Attendance, Speech, Vote, VoteRule, VoteSubject
from tests.conftest import PASSWORD
from tests.meetings.factories import add_members, make_meeting, open_meeting

HTMX = {"HTTP_HX_REQUEST": "true"}
SHOWN = selectors.LIVE_SHOWN


@pytest.fixture
def live(world):
    """Khối 1 with twelve members, its regular meeting open, all but two members called."""
    extra = add_members(world.khoi1, 10)
    meeting = make_meeting(world.khoi1)
    services.agenda_build(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)
    open_meeting(meeting, world.an, world.binh)
    for member in [world.an, *extra[:9]]:
        services.attendance_mark(actor=None, meeting=meeting, member_id=member.pk, status="present")
    meeting.refresh_from_db()
    item = meeting.agenda_items.order_by("position")[6]
    return meeting, item, [world.an, world.binh, *extra]


@pytest.fixture
def secretary(client, world):
    client.login(username=world.an_user.username, password=PASSWORD)
    return client


def grow(meeting, item, members, count: int) -> None:
    """Bring the meeting to `count` speeches (on `item`), votes and assignments."""
    speeches = meeting.speeches.count()
    Speech.objects.bulk_create(
        Speech(
            meeting=meeting,
            agenda_item=item,
            member=members[n % len(members)],
            summary=f"Ý kiến số {n}",
        )
        for n in range(speeches, count)
    )
    Vote.objects.bulk_create(
        Vote(
            meeting=meeting,
            subject=VoteSubject.DECISION,
            title=f"Biểu quyết số {n}",
            rule=VoteRule.MAJORITY,
            in_favour=10,
            against=0,
            abstain=0,
            eligible=12,
            adopted=True,
            explanation="Quá nửa tán thành.",
        )
        for n in range(meeting.votes.count(), count)
    )
    made = Assignment.objects.bulk_create(
        Assignment(
            organization=meeting.organization,
            source_meeting=meeting,
            title=f"Nhiệm vụ số {n}",
            due_date=datetime.date(2026, 12, 31),
        )
        for n in range(Assignment.objects.filter(source_meeting=meeting).count(), count)
    )
    Assignment.members.through.objects.bulk_create(
        Assignment.members.through(assignment_id=row.pk, member_id=members[0].pk) for row in made
    )


def speech_post(meeting, item, member):
    return reverse("meetings:speech_add", args=[meeting.pk]), {
        "member": member.pk,
        "agenda_item": item.pk,
        "summary": "Đề nghị bổ sung người chịu trách nhiệm từng việc.",
        "client_token": str(uuid.uuid4()),
    }


def vote_post(meeting, title="Thông qua nghị quyết tháng", in_favour=9):
    return reverse("meetings:vote_record", args=[meeting.pk]), {
        "title": title,
        "subject": VoteSubject.DECISION,
        "in_favour": in_favour,
        "against": 1,
        "abstain": 0,
        "client_token": str(uuid.uuid4()),
    }


def assignment_post(meeting, member, title="Thăm hỏi gia đình chính sách"):
    return reverse("meetings:assignment_add", args=[meeting.pk]), {
        "title": title,
        "members": [member.pk],
        "due_date": "2026-12-31",
        "client_token": str(uuid.uuid4()),
    }


def mark_post(meeting, member, status="present", reason=""):
    """A tap in the roll call: the shared form posts every row's fields, in order."""
    rows = list(Attendance.objects.filter(meeting=meeting).order_by("member__name_sort_key"))
    return reverse("meetings:attendance_mark", args=[meeting.pk, member.pk]), {
        "status": status,
        "row": [row.member_id for row in rows],
        "version": [row.version for row in rows],
        "reason": [reason if row.member_id == member.pk else "" for row in rows],
    }


def element(body: str, element_id: str) -> str:
    """The opening tag and text of the element with `element_id` up to its first closing tag
    of the same name (enough for the counters, which nest no like element)."""
    match = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', body, re.S)
    assert match, f"no #{element_id} in the fragment"
    return match.group(0)


@pytest.mark.django_db
def test_a_roll_call_tap_answers_its_row_and_the_summary(secretary, world, live):
    meeting, _item, members = live
    url, data = mark_post(meeting, world.binh, "absent_excused", "Ốm")
    response = secretary.post(url, data, **HTMX)
    body = response.content.decode()
    assert response["HX-Retarget"] == f"#att-{world.binh.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assert body.count('class="list-group-item attendance-row"') == 1  # only the changed row
    assert f'id="att-{world.binh.pk}" data-status="absent_excused"' in body
    assert "Ốm" in body
    summary = body[body.index('<div id="rollcall-summary"') :]
    assert 'hx-swap-oob="true"' in element(body, "rollcall-summary")
    assert "<strong>12</strong> đảng viên trong danh sách" in summary
    assert '<strong class="text-success">10</strong>' in summary  # ten present
    assert '<strong class="text-danger">1</strong>' in summary  # Bình, absent with reason
    assert "<strong>1</strong> chưa điểm danh" in summary  # the last one not called yet
    assert Attendance.objects.get(meeting=meeting, member=world.binh).reason == "Ốm"


@pytest.mark.django_db
def test_a_speech_answers_the_new_speech_and_the_share_who_spoke(secretary, world, live):
    meeting, item, members = live
    grow(meeting, item, [members[2]], 3)  # three speeches by one member
    url, data = speech_post(meeting, item, world.an)
    body = secretary.post(url, data, **HTMX).content.decode()
    assert f'hx-swap-oob="beforeend:#speeches-{item.pk}"' in body
    assert body.count("speech-row") == 1  # the new speech, not the item's list
    assert "Nguyễn Văn An (1970):</strong> Đề nghị bổ sung" in body
    share = element(body, "speakers-share")
    assert 'hx-swap-oob="true"' in share
    assert "2/10 đảng viên có mặt đã phát biểu (20.0%)" in share.replace("20,0", "20.0")
    assert 'id="speech-form"' in body and 'name="client_token"' in body  # a fresh form
    assert meeting.speeches.count() == 4


@pytest.mark.django_db
def test_a_vote_answers_its_card_and_the_vote_counters(secretary, live):
    meeting, item, members = live
    grow(meeting, item, members, 4)  # four adopted votes
    url, data = vote_post(meeting, "Không thông qua việc này", in_favour=2)
    body = secretary.post(url, data, **HTMX).content.decode()
    assert 'hx-swap-oob="beforeend:#votes-list"' in body
    assert body.count("vote-result") == 1
    assert "Không thông qua việc này" in body and "Không thông qua" in body
    counts = element(body, "vote-counts")
    assert "Đã ghi 5 biểu quyết, 4 được thông qua" in counts
    assert 'role="status"' in body  # "the vote is recorded" toast
    assert 'id="vote-form"' in body


@pytest.mark.django_db
def test_an_assignment_answers_its_row_and_the_count(secretary, world, live):
    meeting, item, members = live
    grow(meeting, item, members, 2)
    url, data = assignment_post(meeting, world.binh)
    body = secretary.post(url, data, **HTMX).content.decode()
    assert 'hx-swap-oob="beforeend:#assignments-list"' in body
    assert body.count("assignment-row") == 1
    assert "Thăm hỏi gia đình chính sách" in body and "Trần Thị Bình (1970)" in body
    count = element(body, "assignment-count")
    assert '<span class="badge text-bg-secondary">3</span>' in count
    assert "Đã giao “Thăm hỏi gia đình chính sách” cho Trần Thị Bình (1970)." in body


@pytest.mark.django_db
def test_the_first_vote_and_assignment_clear_the_empty_notes(secretary, world, live):
    meeting, _item, _members = live
    body = secretary.post(*vote_post(meeting), **HTMX).content.decode()
    assert '<p id="votes-empty" hx-swap-oob="delete">' in body
    body = secretary.post(*assignment_post(meeting, world.binh), **HTMX).content.decode()
    assert '<li id="assignments-empty" hx-swap-oob="delete">' in body


def _measure(client, url, data):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    return len(queries), len(response.content)


@pytest.mark.django_db
def test_each_action_costs_the_same_queries_and_bytes_at_10_and_300_rows(secretary, world, live):
    """The answer to a tap does not grow with the meeting: same SQL queries, same size (the
    fresh form's token and the ids' digits aside), none of the earlier rows in it."""
    meeting, item, members = live
    member = members[3]

    def every_action(n: int) -> dict[str, tuple[int, int]]:
        return {
            "attendance": _measure(
                secretary, *mark_post(meeting, member, "late" if n % 2 else "present")
            ),
            "speech": _measure(secretary, *speech_post(meeting, item, member)),
            "vote": _measure(secretary, *vote_post(meeting, f"Biểu quyết mới {n}")),
            "assignment": _measure(secretary, *assignment_post(meeting, member, f"Việc {n}")),
        }

    grow(meeting, item, members, 10)
    every_action(0)  # warm the caches that fill once (rules in force, templates)
    small = every_action(1)
    grow(meeting, item, members, 300)
    every_action(2)  # back to present, so that the measured tap is a change again
    large = every_action(3)
    for action in small:
        queries_small, bytes_small = small[action]
        queries_large, bytes_large = large[action]
        assert queries_small == queries_large, action
        assert abs(bytes_small - bytes_large) <= 16, (action, bytes_small, bytes_large)
    assert meeting.speeches.count() == 302 and meeting.votes.count() == 302


@pytest.mark.django_db
def test_without_javascript_each_action_records_once_and_returns_to_its_tab(secretary, world, live):
    meeting, item, members = live
    cases = [
        ("rollcall", mark_post(meeting, world.binh, "late", "Tắc đường")),
        ("agenda", speech_post(meeting, item, world.an)),
        ("votes", vote_post(meeting)),
        ("assignments", assignment_post(meeting, world.binh)),
    ]
    for tab, (url, data) in cases:
        response = secretary.post(url, data)
        assert response.status_code == 302
        assert response["Location"].endswith(f"?tab={tab}")
        secretary.post(url, data)  # a retried request (same token) records nothing more
    row = Attendance.objects.get(meeting=meeting, member=world.binh)
    assert (row.status, row.reason) == ("late", "Tắc đường")
    assert meeting.speeches.count() == 1
    assert meeting.votes.count() == 1
    assert Assignment.objects.filter(source_meeting=meeting).count() == 1


@pytest.mark.django_db
def test_long_lists_show_the_latest_and_show_all_loads_the_rest(secretary, live):
    meeting, item, members = live
    grow(meeting, item, members, 300)
    live_url = reverse("meetings:live", args=[meeting.pk])
    page = secretary.get(f"{live_url}?tab=agenda").content.decode()
    shown = re.findall(r'id="speech-(\d+)"', page)
    latest = list(meeting.speeches.order_by("-id").values_list("pk", flat=True)[:SHOWN])
    assert sorted(map(int, shown)) == sorted(latest)  # the latest ones only
    assert "Xem cả 300 ý kiến phát biểu" in page
    whole = secretary.get(f"{live_url}?part=speeches&item={item.pk}", **HTMX).content.decode()
    assert whole.count("speech-row") == 300
    assert whole.startswith(f'<div id="speeches-{item.pk}">')
    # Without JavaScript the same link shows every speech on the tab.
    assert secretary.get(f"{live_url}?tab=agenda&all=1").content.decode().count("speech-row") == 300

    page = secretary.get(f"{live_url}?tab=votes").content.decode()
    assert page.count("vote-result") == SHOWN and "Xem cả 300 biểu quyết" in page
    assert "Đã ghi 300 biểu quyết, 300 được thông qua" in page
    whole = secretary.get(f"{live_url}?part=votes", **HTMX).content.decode()
    assert whole.count("vote-result") == 300

    page = secretary.get(f"{live_url}?tab=assignments").content.decode()
    assert page.count("assignment-row") == SHOWN and "Xem cả 300 nhiệm vụ" in page
    whole = secretary.get(f"{live_url}?part=assignments", **HTMX).content.decode()
    assert whole.count("assignment-row") == 300


@pytest.mark.django_db
def test_one_csrf_token_serves_every_row_of_a_list(world, live):
    """The rows' buttons post through one shared form, so a page carries one token per list,
    not one per row — and a browser without JavaScript still passes the CSRF check."""
    meeting, item, members = live
    browser = Client(enforce_csrf_checks=True)
    browser.login(username=world.an_user.username, password=PASSWORD)
    live_url = reverse("meetings:live", args=[meeting.pk])

    def tokens() -> dict[str, int]:
        return {
            tab: browser.get(f"{live_url}?tab={tab}&all=1").content.decode().count("csrfmiddle")
            for tab in ("rollcall", "agenda", "votes")
        }

    grow(meeting, item, members, 2)
    few = tokens()
    grow(meeting, item, members, 30)
    assert tokens() == few  # 30 rows of each, all shown: not one token more

    page = browser.get(f"{live_url}?tab=agenda").content.decode()
    token = re.search(
        r'<form id="speech-delete"[^>]*><input type="hidden" name="csrfmiddlewaretoken" '
        r'value="([^"]+)"',
        page,
    ).group(1)
    speech = meeting.speeches.order_by("-id").first()
    delete = reverse("meetings:speech_delete", args=[meeting.pk, speech.pk])
    assert f'form="speech-delete" formaction="{delete}"' in page
    response = browser.post(delete, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not Speech.objects.filter(pk=speech.pk).exists()

    page = browser.get(f"{live_url}?tab=rollcall").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.split("rollcall-form")[1])
    mark = reverse("meetings:attendance_mark", args=[meeting.pk, world.binh.pk])
    assert f'formaction="{mark}"' in page
    row = Attendance.objects.get(meeting=meeting, member=world.binh)
    # The other rows' fields travel with the shared form and change nothing.
    data = {
        "csrfmiddlewaretoken": token.group(1),
        "status": "present",
        "row": [world.an.pk, world.binh.pk],
        "version": [99, row.version],
        "reason": ["không liên quan", ""],
    }
    assert browser.post(mark, data).status_code == 302
    assert Attendance.objects.get(meeting=meeting, member=world.binh).status == "present"
    assert Attendance.objects.get(meeting=meeting, member=world.an).reason == ""
