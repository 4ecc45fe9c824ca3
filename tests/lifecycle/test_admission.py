"""The admission pipeline (DOMAIN §3.1, R2.5): the rules with their numbers, the order of the
steps, the ceremony creating a probationary member, and who may see and record what."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from chibo.core.calendar import add_working_days
from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.lifecycle import rules, selectors, services
from chibo.lifecycle.models import Candidate, Introducer
from chibo.meetings import services as meeting_services
from chibo.meetings.models import VoteSubject
from chibo.members.models import Member, MemberStatus
from tests.conftest import PASSWORD, make_member
from tests.meetings.factories import add_members, make_meeting, mark_all, open_meeting

VN = datetime.timezone(datetime.timedelta(hours=7))
TODAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=VN)
D = datetime.date

# One candidate's dates through 2026, in the order of R3.3.
DATES = {
    "certificate": D(2026, 3, 1),
    "application": D(2026, 4, 1),
    "personal_history": D(2026, 4, 10),
    "verification": D(2026, 6, 1),
    "introduction": D(2026, 6, 15),
    "opinions": D(2026, 7, 1),
    "resolution": D(2026, 8, 5),
    "decision": D(2026, 9, 1),
    "ceremony": D(2026, 9, 20),
}


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


BIRTH = D(1995, 5, 10)


def _candidate(world, *, birth=BIRTH, certificate=DATES["certificate"], **extra):
    return services.candidate_create(
        actor=world.an_user,
        cell=world.khoi1,
        full_name="Võ Thị Hoa",
        sex="female",
        birth_date=birth,
        mentor=world.binh,
        awareness_certificate_date=certificate,
        **extra,
    )


def _through(world, candidate, last: str, dates=DATES):
    """Record every step up to and including `last`."""
    actor = world.an_user
    order = [code for code, _label in selectors.STEPS]
    for step in order[: order.index(last) + 1]:
        if step == "application":
            services.candidate_application_record(actor=actor, candidate=candidate, day=dates[step])
        elif step == "personal_history":
            services.candidate_personal_history_record(
                actor=actor, candidate=candidate, day=dates[step]
            )
        elif step == "verification":
            services.candidate_verification_record(
                actor=actor, candidate=candidate, day=dates[step]
            )
        elif step == "introducers":
            services.candidate_introducer_add(
                actor=actor,
                candidate=candidate,
                member=world.an,
                known_since=D(2020, 1, 1),
                day=dates["introduction"],
            )
        elif step == "opinions":
            services.candidate_opinions_record(
                actor=actor,
                candidate=candidate,
                mass_organisations=dates["opinions"],
                residence=dates["opinions"],
            )
        elif step == "resolution":
            services.candidate_resolution_record(
                actor=actor, candidate=candidate, day=dates[step], in_favour=2, eligible=2
            )
        elif step == "decision":
            services.candidate_decision_record(
                actor=actor, candidate=candidate, day=dates[step], number="125-QĐ/ĐU"
            )
        else:
            services.candidate_ceremony_record(actor=actor, candidate=candidate, day=dates[step])
    candidate.refresh_from_db()
    return candidate


# -- age: 18 to 60 years, counted in months at the cell's consideration (R3.1) ----------------

CONSIDERATION = D(2026, 8, 5)


@pytest.mark.django_db
def test_59_years_11_months_at_the_consideration_is_admissible(world):
    check = rules.age_check(birth_date=D(1966, 9, 5), on=CONSIDERATION, organization=world.khoi1)
    assert check.months == 59 * 12 + 11
    assert check.admissible
    assert check.text.startswith("59 năm 11 tháng: đủ điều kiện")


@pytest.mark.django_db
def test_60_years_1_month_is_over_the_age(world):
    check = rules.age_check(birth_date=D(1966, 7, 5), on=CONSIDERATION, organization=world.khoi1)
    assert check.months == 60 * 12 + 1
    assert not check.admissible
    assert check.text.startswith("60 năm 1 tháng: quá tuổi kết nạp")
    assert "60 tuổi" in check.text


@pytest.mark.django_db
def test_17_years_11_months_is_too_young(world):
    check = rules.age_check(birth_date=D(2008, 9, 5), on=CONSIDERATION, organization=world.khoi1)
    assert check.months == 17 * 12 + 11
    assert not check.admissible
    assert check.text.startswith("17 năm 11 tháng: chưa đủ tuổi kết nạp")
    assert "18 tuổi" in check.text


@pytest.mark.django_db
def test_the_resolution_refuses_a_candidate_over_60_at_the_consideration(world):
    candidate = _through(world, _candidate(world, birth=D(1966, 7, 5)), "opinions")
    with pytest.raises(ServiceError, match="60 năm 1 tháng: quá tuổi"):
        services.candidate_resolution_record(
            actor=world.an_user, candidate=candidate, day=CONSIDERATION, in_favour=2, eligible=2
        )
    candidate.refresh_from_db()
    assert candidate.resolution_date is None


# -- the ceremony deadline: 30 working days after the decision (R3.6), across Tết --------------


@pytest.mark.django_db
def test_ceremony_deadline_is_30_working_days_after_the_decision_across_tet_2027(world):
    # Tết 2027: 5/2 (eve) to 9/2, with 10/2 and 11/2 off for the two days on the weekend.
    decision = D(2027, 1, 25)
    deadline, rule = rules.ceremony_deadline(decision_date=decision, organization=world.khoi1)
    assert deadline == add_working_days(decision, 30)
    assert deadline == D(2027, 3, 15)
    assert rule.value == 30
    assert "30 ngày làm việc" in rule.explain()


@pytest.mark.django_db
def test_the_candidate_page_shows_the_ceremony_deadline_with_its_rule(world, client):
    dates = {
        **DATES,
        "certificate": D(2026, 5, 1),
        "application": D(2026, 6, 1),
        "personal_history": D(2026, 6, 10),
        "verification": D(2026, 8, 1),
        "introduction": D(2026, 8, 15),
        "opinions": D(2026, 9, 1),
        "resolution": D(2026, 11, 5),
        "decision": D(2027, 1, 25),
    }
    candidate = _candidate(world, certificate=dates["certificate"])
    with time_machine.travel(datetime.datetime(2027, 2, 1, 9, 0, tzinfo=VN), tick=False):
        _through(world, candidate, "decision", dates)
        client.force_login(world.an_user)
        page = client.get(reverse("lifecycle:candidate", args=[candidate.pk])).content.decode()
    assert "15/03/2027" in page
    assert "Thời hạn tổ chức lễ kết nạp kể từ khi nhận được quyết định: 30 ngày làm việc" in page


# -- introducers: official members who have known the candidate ≥ 12 months (R3.5) -------------


@pytest.mark.django_db
def test_a_probationary_introducer_is_refused(world):
    candidate = _through(world, _candidate(world), "verification")
    probationary = make_member(
        world.khoi1,
        "Đỗ Văn Minh",
        official=False,
        admission_decision_date=D(2026, 3, 1),
        ceremony_date=D(2026, 3, 19),
    )
    assert probationary.status == MemberStatus.PROBATIONARY
    with pytest.raises(ServiceError, match="không phải đảng viên chính thức"):
        services.candidate_introducer_add(
            actor=world.an_user,
            candidate=candidate,
            member=probationary,
            known_since=D(2020, 1, 1),
            day=DATES["introduction"],
        )
    assert not Introducer.objects.exists()


@pytest.mark.django_db
def test_an_introducer_who_has_known_the_candidate_11_months_is_refused_12_accepted(world):
    candidate = _through(world, _candidate(world), "verification")
    day = DATES["introduction"]  # 15/06/2026
    with pytest.raises(ServiceError, match="11 tháng.*ít nhất 12 tháng"):
        services.candidate_introducer_add(
            actor=world.an_user,
            candidate=candidate,
            member=world.an,
            known_since=D(2025, 7, 15),  # 11 months before
            day=day,
        )
    assert not Introducer.objects.exists()
    introducer = services.candidate_introducer_add(
        actor=world.an_user,
        candidate=candidate,
        member=world.an,
        known_since=D(2025, 6, 15),  # 12 months before
        day=day,
    )
    assert introducer.member == world.an
    assert introducer.known_since == D(2025, 6, 15)


# -- the order of the steps (R3.3) and bad dates --------------------------------------------


def _state(candidate: Candidate) -> dict:
    candidate.refresh_from_db()
    return {
        field.attname: getattr(candidate, field.attname)
        for field in Candidate._meta.concrete_fields
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("done", "call", "message"),
    [
        (
            None,
            lambda w, c: services.candidate_personal_history_record(
                actor=w.an_user, candidate=c, day=DATES["personal_history"]
            ),
            "Hãy ghi nhận đơn xin vào Đảng trước",
        ),
        (
            "personal_history",
            lambda w, c: services.candidate_introducer_add(
                actor=w.an_user,
                candidate=c,
                member=w.an,
                known_since=D(2020, 1, 1),
                day=DATES["introduction"],
            ),
            "Hãy ghi nhận thẩm tra lý lịch trước",
        ),
        (
            "opinions",
            lambda w, c: services.candidate_decision_record(
                actor=w.an_user, candidate=c, day=DATES["decision"], number="1-QĐ"
            ),
            "Hãy ghi nhận nghị quyết của chi bộ trước",
        ),
        (
            "resolution",
            lambda w, c: services.candidate_ceremony_record(
                actor=w.an_user, candidate=c, day=DATES["ceremony"]
            ),
            "Hãy ghi nhận quyết định kết nạp trước",
        ),
        (
            "decision",
            lambda w, c: services.candidate_ceremony_record(
                actor=w.an_user, candidate=c, day=D(2026, 8, 31)
            ),
            "không thể trước quyết định kết nạp",
        ),
        (
            "verification",
            lambda w, c: services.candidate_opinions_record(
                actor=w.an_user,
                candidate=c,
                mass_organisations=DATES["opinions"],
                residence=DATES["opinions"],
            ),
            "Hãy ghi nhận người giới thiệu trước",
        ),
        (
            None,
            lambda w, c: services.candidate_application_record(
                actor=w.an_user, candidate=c, day=D(2026, 12, 1)
            ),
            "không thể ở tương lai",
        ),
        (
            "opinions",
            lambda w, c: services.candidate_resolution_record(
                actor=w.an_user, candidate=c, day=DATES["resolution"], in_favour=3, eligible=5
            ),
            "chưa đủ",
        ),
    ],
)
def test_out_of_order_steps_and_bad_dates_are_refused_with_nothing_changed(
    world, done, call, message
):
    candidate = _candidate(world)
    if done:
        candidate = _through(world, candidate, done)
    before = _state(candidate)
    audits = AuditEntry.objects.count()
    members = Member.objects.count()
    with pytest.raises(ServiceError, match=message):
        call(world, candidate)
    assert _state(candidate) == before
    assert AuditEntry.objects.count() == audits
    assert Member.objects.count() == members


# -- the ceremony: a real probationary member ------------------------------------------------


@pytest.mark.django_db
def test_the_ceremony_creates_a_probationary_member_with_the_right_dates(world):
    candidate = _through(world, _candidate(world), "ceremony")
    member = candidate.member
    assert member is not None
    assert member.status == MemberStatus.PROBATIONARY
    assert member.cell == world.khoi1
    assert member.full_name == "Võ Thị Hoa"
    assert member.birth_date == D(1995, 5, 10)
    assert member.admission_decision_date == D(2026, 9, 1)
    assert member.ceremony_date == D(2026, 9, 20)
    event = member.events.get()
    assert (event.status, event.effective_date) == (MemberStatus.PROBATIONARY, D(2026, 9, 20))
    codes = list(
        AuditEntry.objects.filter(target_type="lifecycle.candidate")
        .order_by("id")
        .values_list("code", flat=True)
    )
    assert codes[-1] == "candidate.admitted"
    with pytest.raises(ServiceError, match="đã được kết nạp"):
        services.candidate_ceremony_record(
            actor=world.an_user, candidate=candidate, day=D(2026, 9, 21)
        )


@pytest.mark.django_db
def _admission_vote(world, *, officials_added: int):
    """An adopted admission vote of Khối 1 (An, Bình and `officials_added` more official
    members, all present and in favour)."""
    add_members(world.khoi1, officials_added)
    with time_machine.travel(datetime.datetime(2026, 11, 3, 19, 0, tzinfo=VN), tick=False):
        meeting = make_meeting(world.khoi1)
        meeting_services.agenda_build(actor=world.an_user, meeting=meeting)
        meeting_services.meeting_publish(actor=world.an_user, meeting=meeting)
        open_meeting(meeting, world.an, world.binh)
        mark_all(meeting)
        vote, _created = meeting_services.vote_record(
            actor=world.an_user,
            meeting=meeting,
            title="Đề nghị kết nạp quần chúng Võ Thị Hoa",
            subject=VoteSubject.ADMISSION,
            in_favour=2 + officials_added,
            against=0,
            abstain=0,
        )
    assert vote.adopted
    return meeting, vote


def test_the_resolution_can_be_the_adopted_admission_vote_of_a_cell_meeting(world):
    candidate = _through(world, _candidate(world), "opinions")
    meeting, vote = _admission_vote(world, officials_added=1)
    services.candidate_resolution_record(actor=world.an_user, candidate=candidate, vote=vote)
    candidate.refresh_from_db()
    assert candidate.resolution_date == meeting.date
    assert (candidate.resolution_in_favour, candidate.resolution_eligible) == (3, 3)


def test_a_cell_of_2_official_members_cannot_resolve_to_admit(world):
    """R2.7 (Điều lệ Đảng, Điều 24, khoản 1): under 3 official members the cell cannot lawfully
    vote on admission; the upper committee moves members in or merges the cell."""
    candidate = _through(world, _candidate(world), "opinions")
    _meeting, vote = _admission_vote(world, officials_added=0)
    with pytest.raises(ServiceError) as refused:
        services.candidate_resolution_record(actor=world.an_user, candidate=candidate, vote=vote)
    text = " ".join(refused.value.messages)
    assert "2" in text and "3" in text and "Điều 24, khoản 1" in text
    candidate.refresh_from_db()
    assert candidate.resolution_date is None


# -- the Party-awareness course certificate: valid 60 months (R3.4) --------------------------


@pytest.mark.django_db
def test_a_certificate_older_than_60_months_warns(world, client):
    old = _candidate(world, certificate=D(2021, 10, 1))  # expired 01/10/2026
    timeline = selectors.candidate_timeline(old, today=TODAY.date())
    assert any("hết hạn ngày 01/10/2026" in warning for warning in timeline.warnings)
    assert any("60 tháng" in warning for warning in timeline.warnings)
    client.force_login(world.an_user)
    page = client.get(reverse("lifecycle:candidate", args=[old.pk])).content.decode()
    assert "hết hạn ngày 01/10/2026" in page

    fresh = _candidate(world, certificate=D(2022, 1, 10))  # valid until 10/01/2027
    timeline = selectors.candidate_timeline(fresh, today=TODAY.date())
    assert not timeline.warnings
    assert timeline.deadline is not None and timeline.deadline.day == D(2027, 1, 10)


# -- pages and access ------------------------------------------------------------------------


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.mark.django_db
def test_an_creates_a_candidate_and_records_the_first_step_through_the_pages(world, client):
    _login(client, world.an_user)
    response = client.post(
        reverse("lifecycle:candidate_new", args=[world.khoi1.pk]),
        {
            "full_name": "  Võ  Thị Hoa ",
            "sex": "female",
            "birth_date": "1995-05-10",
            "mentor": world.binh.pk,
            "awareness_certificate_date": "2026-03-01",
        },
    )
    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lifecycle:candidate", args=[candidate.pk])
    assert candidate.full_name == "Võ Thị Hoa" and candidate.mentor == world.binh
    page = client.get(response["Location"]).content.decode()
    assert "Ghi nhận: Đã nhận đơn xin vào Đảng" in page
    step = reverse("lifecycle:candidate_step", args=[candidate.pk, "application"])
    assert client.post(step, {"application-day": "2026-04-01"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.application_date == D(2026, 4, 1)
    # A step out of order answers the page with the reason, nothing saved.
    ceremony = reverse("lifecycle:candidate_step", args=[candidate.pk, "ceremony"])
    page = client.post(ceremony, {"ceremony-day": "2026-04-02"}).content.decode()
    assert "Hãy ghi nhận quyết định kết nạp trước" in page
    assert _state(candidate)["ceremony_date"] is None
    listing = client.get(reverse("lifecycle:candidates", args=[world.khoi1.pk])).content.decode()
    assert "Võ Thị Hoa" in listing


@pytest.mark.django_db
def test_access_matrix(world, client):
    candidate = _candidate(world)
    listing = reverse("lifecycle:candidates", args=[world.khoi1.pk])
    new = reverse("lifecycle:candidate_new", args=[world.khoi1.pk])
    detail = reverse("lifecycle:candidate", args=[candidate.pk])
    step = reverse("lifecycle:candidate_step", args=[candidate.pk, "application"])
    post = {"application-day": "2026-04-01"}

    # An keeps the register of Khối 1: reads and records.
    _login(client, world.an_user)
    assert client.get(listing).status_code == 200
    assert client.get(new).status_code == 200
    assert client.get(detail).status_code == 200
    assert client.post(step, post).status_code == 302
    # Wrong method.
    assert client.get(step).status_code == 405
    assert client.post(listing).status_code == 405
    assert client.put(detail).status_code == 405
    client.logout()

    # Cúc, upper-level committee member on the ward: reads, may not record.
    _login(client, world.cuc_user)
    assert client.get(listing).status_code == 200
    page = client.get(detail).content.decode()
    assert "Võ Thị Hoa" in page and "Ghi nhận:" not in page
    assert client.post(step, {"personal_history-day": "2026-04-10"}).status_code == 403
    assert client.get(new).status_code == 403
    client.logout()

    # Bình, a plain member of the same cell, and Dũng, of another cell: as if nothing existed.
    for user in (world.binh_user, world.dung_user):
        _login(client, user)
        for url in (listing, new, detail):
            assert client.get(url).status_code == 404
        assert client.post(step, post).status_code == 404
        client.logout()
    candidate.refresh_from_db()
    assert candidate.personal_history_date is None
