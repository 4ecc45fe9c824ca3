"""The fuzzing world: the demo of `seed_demo` plus two meetings of Chi bộ Khối 1 that the demo
does not have (one in progress, one closed and awaiting signatures), so that the live meeting's
and the record's forms exist too.

The world is restored from the demo's snapshot and committed once per test module (each test
then runs in its own transaction, rolled back: the examples of one test see each other's
writes, the next test starts afresh); the test database is put back as it was afterwards.
The pages are then visited once per process (`site_map`): the forms found there are fuzzed."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests.fuzz.crawl import CrawlResult, crawl

LIVE_TABS = ("rollcall", "agenda", "assignments", "votes", "close", "score", "record")


@dataclass(frozen=True)
class Visit:
    """Pages of one user: start at `starts`, follow links to the routes in `follow` only."""

    username: str
    starts: tuple[str, ...]
    follow: frozenset[str]


def _pk(model, **lookup) -> int:
    return model.objects.filter(**lookup).order_by("pk").values_list("pk", flat=True)[0]


def _add_live_and_closed_meetings() -> None:
    """Open one planned meeting of Khối 1 (in progress) and open and close another (closed,
    awaiting signatures), as the cell's secretary would."""
    from chibo.meetings.models import MeetingKind
    from chibo.meetings.services import live, schedule
    from chibo.members.models import Member

    secretary = Member.objects.select_related("user").get(user__username="bithu.khoi1")
    cell = secretary.cell
    taker = Member.objects.filter(cell=cell, status="official").exclude(pk=secretary.pk)[0]
    today = timezone.localdate()
    now = timezone.now()
    live_meeting, closed_meeting = (
        schedule.meeting_create(
            actor=None,
            organization=cell,
            kind=MeetingKind.EXTRAORDINARY,
            date=today,
            time=datetime.time(7, 0),
            place="Nhà văn hóa khu phố",
        )
        for _ in range(2)
    )
    actor = secretary.user
    for meeting in (live_meeting, closed_meeting):
        live.meeting_open(
            actor=actor,
            meeting=meeting,
            chair=secretary,
            minute_taker=taker,
            started_at=now - datetime.timedelta(hours=2),
        )
    live.attendance_mark_rest_present(actor=actor, meeting=closed_meeting)
    live.meeting_close(
        actor=actor, meeting=closed_meeting, ended_at=now - datetime.timedelta(hours=1)
    )


def _add_correction_request() -> None:
    """A member's open correction request, for the keeper's answer form (issue 14)."""
    from chibo.accounts.services_personal import correction_request_create
    from chibo.members.models import Member

    member = Member.objects.select_related("user").get(user__username="dangvien.khoi1")
    correction_request_create(
        actor=member.user,
        member=member,
        section="profile",
        field_label="Quê quán",
        wrong_text="Sai tên xã",
        correct_text="Xã Hưng Phú",
    )


def visit_plan() -> list[Visit]:
    """Who visits what. Each user starts at the pages of their work and follows links to the
    routes listed (at most three pages a route): enough to reach every form, a fraction of
    the whole site (which takes a minute to walk)."""
    from chibo.meetings.models import Meeting, MeetingStatus
    from chibo.members.models import Member
    from chibo.orgs.models import Organization

    khoi1 = _pk(Organization, name="Chi bộ Khối 1")
    ward = _pk(Organization, name="Đảng ủy phường Hưng Phú")
    secretary = _pk(Member, user__username="bithu.khoi1")
    staff = _pk(Member, user__username="tochuc.phuong")
    live_meeting = _pk(Meeting, organization=khoi1, status=MeetingStatus.IN_PROGRESS)
    closed = _pk(Meeting, organization=khoi1, status=MeetingStatus.CLOSED)
    prepared = _pk(Meeting, organization=khoi1, status=MeetingStatus.PREPARED)
    planned = _pk(Meeting, organization=khoi1, status=MeetingStatus.PLANNED)
    signed = _pk(Meeting, organization=khoi1, status=MeetingStatus.SIGNED)
    workplace = _pk(Organization, name="Chi bộ Cơ quan phường Hưng Phú")
    year = timezone.localdate().year
    from django.contrib.auth import get_user_model

    login = _pk(get_user_model(), username="dangvien.khoi1")
    without_login = Member.objects.filter(cell_id=khoi1, user__isnull=True).order_by("pk")[0].pk
    return [
        Visit(
            "bithu.khoi1",
            (
                "/",
                "/inbox/",
                "/inbox/settings/",
                "/accounts/handbook/",
                *(f"/meetings/{live_meeting}/live/?tab={tab}" for tab in LIVE_TABS),
                f"/meetings/{closed}/live/?tab=record",
                f"/meetings/{prepared}/prepare/",
                f"/meetings/{prepared}/open/",
                f"/meetings/{prepared}/cancel/",
                f"/meetings/{prepared}/reschedule/",
                f"/meetings/{planned}/prepare/",
                f"/meetings/{signed}/outward/",
                f"/meetings/{signed}/live/?tab=record",
                f"/meetings/cell/{khoi1}/outward/",
                f"/members/cell/{khoi1}/",
                f"/members/badges/{khoi1}/",
                f"/followup/cell/{khoi1}/",
                f"/reports/dashboard/{khoi1}/",
                f"/reports/trends/{khoi1}/",
                f"/lifecycle/removal-alerts/{khoi1}/",
                "/lifecycle/transfers/cells/?q=Kh",
                "/orgs/",
                f"/meetings/cell/{khoi1}/",
                f"/meetings/policy/{khoi1}/",
                f"/meetings/cell/{khoi1}/book/{year - 1}/",
                f"/members/cell/{khoi1}/new/",
                f"/members/{secretary}/edit/",
                f"/members/{secretary}/badges/new/",
                f"/members/dues/{khoi1}/",
                f"/lifecycle/cell/{khoi1}/",
                f"/lifecycle/cell/{khoi1}/new/",
                f"/lifecycle/probation/{khoi1}/",
                f"/lifecycle/transfers/{khoi1}/",
                f"/lifecycle/member/{secretary}/status/exemption/",
                f"/lifecycle/transfers/member/{secretary}/new/",
                f"/orgs/{khoi1}/",
                f"/orgs/{khoi1}/positions/new/",
                "/proposals/",
                "/proposals/new/",
                "/directives/",
                f"/reports/upward/{khoi1}/",
                f"/reviews/member/{secretary}/",
                f"/reviews/member/{secretary}/discipline/",
                f"/reviews/organization/{khoi1}/?year={year}",
                f"/reviews/cell/{khoi1}/",
                f"/residence/cell/{khoi1}/",
                "/supervision/",
                "/supervision/calendar/",
                "/supervision/briefings/mine/",
                "/supervision/inspections/recommendations/",
                "/accounts/corrections/",
                "/accounts/password_change/",
                "/accounts/password_reset/",
            ),
            frozenset(
                {
                    "accounts:correction",
                    "meetings:live",
                    "meetings:detail",
                    "meetings:outward",
                    "members:dues_sheet",
                    "lifecycle:candidate",
                    "lifecycle:transfer",
                    "proposals:detail",
                    "directives:detail",
                    "residence:link",
                    "residence:member_panel",
                    "residence:feedback_new",
                    "residence:feedback_correct",
                    "residence:feedback_edit",
                    "reviews:member",
                    "supervision:briefing",
                }
            ),
        ),
        Visit(
            "capuy.khoi1",
            (
                "/",
                "/followup/mine/",
                "/supervision/",
                f"/supervision/meetings/{signed}/visit/",
                "/accounts/twofactor/",
                "/accounts/twofactor/setup/",
            ),
            frozenset({"meetings:live", "supervision:visit_record", "meetings:cell_meetings"}),
        ),
        Visit(
            "tochuc.phuong",
            (
                "/",
                "/directives/new/",
                f"/orgs/{ward}/new/",
                f"/orgs/{ward}/",
                f"/lifecycle/transfers/{ward}/",
                f"/lifecycle/probation/{ward}/",
                "/proposals/",
                f"/residence/member/{staff}/link/new/",
                f"/reviews/committee/{ward}/",
                f"/reviews/committee/{ward}/?year={year - 1}",
                f"/reviews/member/{staff}/?year={year - 1}",
                f"/reviews/statistics/{ward}/",
                f"/residence/workplace/{workplace}/",
                f"/supervision/committees/{ward}/coverage/",
                f"/supervision/committees/{ward}/quality/",
                f"/supervision/cells/{khoi1}/quality/",
                f"/reviews/organizations/{ward}/",
                f"/supervision/briefings/committees/{ward}/",
                f"/supervision/committees/{ward}/assignments/",
                f"/supervision/committees/{ward}/perfunctory/",
                f"/supervision/inspections/committees/{ward}/",
                f"/supervision/model-meetings/committees/{ward}/",
                "/supervision/inspections/recommendations/",
            ),
            frozenset(
                {
                    "orgs:edit",
                    "orgs:move",
                    "orgs:detail",
                    "lifecycle:transfer",
                    "proposals:detail",
                    "reviews:member",
                    "reviews:organization",
                    "supervision:briefing",
                    "supervision:inspection",
                    "supervision:inspection_new",
                    "supervision:perfunctory_flag",
                    "supervision:model_meeting",
                    "directives:detail",
                }
            ),
        ),
        Visit(
            "admin",
            (
                "/",
                "/orgs/new-province/",
                "/meetings/verify/",
                "/rules/",
                "/audit/",
                "/accounts/users/",
                "/accounts/users/new/",
                f"/accounts/users/{login}/",
                f"/accounts/users/new/{without_login}/",
                "/members/record-reads/",
            ),
            frozenset(),
        ),
        Visit(
            "dangvien.khoi1", ("/accounts/handbook/", "/accounts/handbook/correction/"), frozenset()
        ),
    ]


@pytest.fixture(scope="module")
def fuzz_world(demo_snapshots, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        demo_snapshots.seeded.restore()
        with transaction.atomic():
            _add_live_and_closed_meetings()
            _add_correction_request()
    yield
    with django_db_blocker.unblock():
        demo_snapshots.before.restore()


_site_maps: dict[str, CrawlResult] = {}


def logged_in(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def site_map(fuzz_world, db) -> CrawlResult:
    """Every form of the visit plan's pages, found once per process (inside the first
    test's transaction, rolled back with it: visiting a page may note that it was read)."""
    if "plan" not in _site_maps:
        result = CrawlResult()
        for visit in visit_plan():
            crawl(
                logged_in(visit.username),
                visit.username,
                result,
                starts=visit.starts,
                follow=visit.follow,
            )
        _site_maps["plan"] = result
    return _site_maps["plan"]
