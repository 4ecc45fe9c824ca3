"""Who counts as what (issue 9, items 1 and 17; DOMAIN R2.2, R2.4, §9a).

The membership class (official / probationary) is kept apart from the activity status
(exempted, suspended, temporarily attached): an exempted probationary member stays
probationary and never votes; a suspended member is listed but never expected, never marked
present and never offered as mentor; the cell's numbers add up."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from chibo.core.errors import ServiceError
from chibo.lifecycle import status as lifecycle_status
from chibo.lifecycle.forms import CandidateForm, IntroducerForm
from chibo.meetings import documents, selectors, services
from chibo.meetings.models import AttendanceStatus, VoteSubject
from chibo.members import services as member_services
from chibo.members.models import Member, MemberStatus
from chibo.orgs.selectors import member_summary
from tests.conftest import PASSWORD, make_member
from tests.meetings.factories import add_members, make_meeting, mark_all, open_meeting

JUNE = datetime.date(2026, 6, 1)


def set_status(member, status):
    member_services.member_change_status(
        actor=None, member=member, status=status, effective_date=JUNE
    )
    member.refresh_from_db()
    return member


def probationary_member(cell, name="Dự bị Exempt"):
    return add_members(cell, 1, official=False, prefix=name)[0]


@pytest.fixture
def mixed_cell(world):
    """Khối 1: An and Bình (official, in activity), 1 probationary, 1 official exempted, 1
    probationary exempted, 1 official suspended, 1 temporarily attached (official): 7 on the
    roll, 5 official and 2 probationary by class."""
    probationary = probationary_member(world.khoi1, "Dự bị")
    exempted_official = set_status(
        make_member(world.khoi1, "Vũ Thị Hoa", sex="female"), MemberStatus.EXEMPTED
    )
    exempted_probationary = set_status(
        probationary_member(world.khoi1, "Dự bị miễn"), MemberStatus.EXEMPTED
    )
    suspended = set_status(make_member(world.khoi1, "Đỗ Văn Khánh"), MemberStatus.SUSPENDED)
    attached = set_status(
        make_member(world.khoi1, "Hoàng Văn Giang"), MemberStatus.TEMPORARILY_ATTACHED
    )
    return {
        "probationary": probationary,
        "exempted_official": exempted_official,
        "exempted_probationary": exempted_probationary,
        "suspended": suspended,
        "attached": attached,
    }


# -- item 1: the class stays apart from the activity status ---------------------------------


@pytest.mark.django_db
def test_exempting_a_probationary_member_keeps_them_probationary(world):
    """§9a: exemption changes activity, not membership class."""
    member = set_status(probationary_member(world.khoi1), MemberStatus.EXEMPTED)
    assert (member.status, member.membership_class) == (
        MemberStatus.EXEMPTED,
        "probationary",
    )


@pytest.mark.django_db
def test_suspending_and_lifting_keep_the_class_and_recognition_changes_it(world):
    member = probationary_member(world.khoi1)
    lifecycle_status.suspension_record(
        actor=None,
        member=member,
        decision_date=JUNE,
        decision_ref="12-QĐ/ĐU",
        reason="Đang bị xem xét kỷ luật",
    )
    member.refresh_from_db()
    assert (member.status, member.membership_class) == ("suspended", "probationary")
    lifecycle_status.suspension_lift(
        actor=None,
        member=member,
        decision_date=datetime.date(2026, 7, 1),
        decision_ref="15-QĐ/ĐU",
    )
    member.refresh_from_db()
    assert (member.status, member.membership_class) == ("probationary", "probationary")
    member_services.member_change_status(
        actor=None,
        member=member,
        status=MemberStatus.OFFICIAL,
        effective_date=datetime.date(2026, 7, 2),
    )
    member.refresh_from_db()
    assert member.membership_class == "official"


@pytest.mark.django_db
def test_the_class_cannot_contradict_the_status(world):
    """A database constraint: status official ⇒ class official, probationary ⇒ probationary."""
    with transaction.atomic(), pytest.raises(IntegrityError):
        Member.objects.filter(pk=world.an.pk).update(membership_class="probationary")


@pytest.mark.django_db
def test_registering_an_exempted_member_takes_the_class_from_the_dates(world):
    """An exempted member registered (or imported) with a ceremony but no recognition date is
    probationary; with a recognition date, official."""
    probationary = member_services.member_create(
        actor=None,
        cell=world.khoi1,
        status=MemberStatus.EXEMPTED,
        full_name="Lê Văn Mới",
        sex="male",
        birth_date=datetime.date(1990, 1, 1),
        admission_decision_date=datetime.date(2026, 3, 1),
        ceremony_date=datetime.date(2026, 3, 19),
    )
    official = make_member(world.khoi1, "Lê Văn Cũ", status=MemberStatus.EXEMPTED)
    assert probationary.membership_class == "probationary"
    assert official.membership_class == "official"


@pytest.mark.django_db
def test_an_exempted_probationary_member_who_attends_is_not_a_voter(world, mixed_cell):
    """R2.4 (Charter Art. 3.4): a probationary member never votes, exempted or not. Present:
    An, Bình, the exempted official member (counted, R2.2), the exempted probationary member
    (not counted) → 3 eligible, 3 present."""
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    for key in ("exempted_official", "exempted_probationary"):
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=mixed_cell[key].pk,
            status=AttendanceStatus.PRESENT,
        )
    electorate = services.electorate_for(meeting)
    assert (electorate.eligible, electorate.present) == (3, 3)
    with pytest.raises(ServiceError):
        services.vote_record(
            actor=world.an_user,
            meeting=meeting,
            title="Nghị quyết",
            subject=VoteSubject.RESOLUTION,
            in_favour=4,
            against=0,
            abstain=0,
        )


@pytest.mark.django_db
def test_the_minutes_count_members_by_class_and_add_up(world, mixed_cell):
    """The minutes' roll call: 7 on the roll = 4 official + 2 probationary (the exempted
    probationary member among them) + 1 temporarily attached; exempted 2, suspended 1."""
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    services.attendance_mark(
        actor=world.an_user,
        meeting=meeting,
        member_id=mixed_cell["exempted_probationary"].pk,
        status=AttendanceStatus.PRESENT,
    )
    roll = documents.document_data(meeting).roll_call
    assert roll.total == 7
    assert (roll.official, roll.probationary, roll.temporarily_attached) == (4, 2, 1)
    assert roll.official + roll.probationary + roll.temporarily_attached == roll.total
    assert (roll.exempted, roll.suspended) == (2, 1)
    # Present: An, Bình, the probationary member, the attached member and the exempted
    # probationary member who came.
    assert roll.present == 5
    assert (roll.present_official, roll.present_probationary) == (2, 2)
    assert roll.present_official + roll.present_probationary + 1 == roll.present
    assert (roll.eligible, roll.eligible_present) == (2, 2)


# -- item 17: the suspended member --------------------------------------------------------


@pytest.mark.django_db
def test_a_suspended_member_is_listed_but_not_expected(world, mixed_cell):
    """§9a, R2.2: not on the must-attend roll. Expected: An, Bình, the probationary member and
    the attached member (4); the exempted and the suspended are not."""
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    row = meeting.attendance.get(member=mixed_cell["suspended"])
    assert row.status == AttendanceStatus.SUSPENDED
    summary = selectors.roll_call_summary(selectors.attendance_rows(meeting))
    assert summary.not_called == 4
    assert summary.denominator == 4
    assert summary.by_category["suspended"] == 1


@pytest.mark.django_db
def test_the_roll_call_offers_no_marks_for_a_suspended_member(client, world, mixed_cell):
    """The roll-call row of a suspended member says so and has no buttons (the service would
    refuse them); the other rows keep theirs."""
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    client.force_login(world.an_user)
    page = client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    suspended = mixed_cell["suspended"].pk
    row = page.split(f'id="att-{suspended}"')[1].split("</li>")[0]
    assert "Đình chỉ sinh hoạt" in row
    assert "attendance_mark" not in row and 'name="status"' not in row
    an_row = page.split(f'id="att-{world.an.pk}"')[1].split("</li>")[0]
    assert 'name="status" value="present"' in an_row


@pytest.mark.django_db
def test_mark_all_present_skips_the_suspended_member(world, mixed_cell):
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    marked = services.attendance_mark_rest_present(actor=world.an_user, meeting=meeting)
    assert marked == 4
    assert meeting.attendance.get(member=mixed_cell["suspended"]).status == "suspended"
    summary = selectors.roll_call_summary(selectors.attendance_rows(meeting))
    assert (summary.present, summary.denominator, summary.rate) == (4, 4, 100)


@pytest.mark.django_db
def test_a_suspended_member_cannot_be_marked_present(world, mixed_cell):
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    with pytest.raises(ServiceError):
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=mixed_cell["suspended"].pk,
            status=AttendanceStatus.PRESENT,
        )
    with pytest.raises(ServiceError):
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=world.binh.pk,
            status=AttendanceStatus.SUSPENDED,
        )
    assert meeting.attendance.get(member=mixed_cell["suspended"]).status == "suspended"


@pytest.mark.django_db
def test_a_suspended_member_cannot_chair_the_meeting(client, world, mixed_cell):
    meeting = make_meeting(world.khoi1)
    services.agenda_build(actor=world.an_user, meeting=meeting)
    services.meeting_publish(actor=world.an_user, meeting=meeting)
    client.force_login(world.an_user)
    form = client.get(reverse("meetings:open", args=[meeting.pk])).context["form"]
    offered = {member.pk for member in form.fields["chair"].queryset}
    assert world.an.pk in offered and mixed_cell["suspended"].pk not in offered
    with pytest.raises(ServiceError):
        open_meeting(meeting, mixed_cell["suspended"], world.binh)
    meeting.refresh_from_db()
    assert meeting.status == "prepared" and not meeting.attendance.exists()


@pytest.mark.django_db
def test_mentor_and_introducer_candidates_are_official_members_in_activity(world, mixed_cell):
    """§9a: never a suspended member; not an exempted, attached or probationary one."""
    expected = {world.an.pk, world.binh.pk}
    mentors = CandidateForm(cell=world.khoi1).fields["mentor"].queryset
    introducers = IntroducerForm(cell=world.khoi1).fields["member"].queryset
    assert {m.pk for m in mentors} == expected
    assert {m.pk for m in introducers} == expected


@pytest.mark.django_db
def test_the_cell_counts_add_up(world, mixed_cell):
    """7 on the roll = 5 official + 2 probationary; of them 2 exempted, 1 suspended, 1
    temporarily attached; 4 must attend."""
    summary = member_summary(world.khoi1)
    assert summary.total == 7
    assert (summary.official, summary.probationary) == (5, 2)
    assert summary.official + summary.probationary == summary.total
    assert (summary.exempted, summary.suspended, summary.temporarily_attached) == (2, 1, 1)
    assert summary.must_attend == 4


@pytest.mark.django_db
def test_the_cell_header_says_what_each_number_counts(world, mixed_cell, client):
    client.login(username=world.an_user.username, password=PASSWORD)
    response = client.get(reverse("home"))
    text = " ".join(response.content.decode().split())
    assert (
        "7 đảng viên: 5 chính thức, 2 dự bị. Trong đó: 2 miễn sinh hoạt, 1 đình chỉ sinh "
        "hoạt, 1 sinh hoạt tạm thời." in text
    )


# -- the data migrations derive the class of existing rows ----------------------------------


@pytest.mark.django_db
def test_the_migrations_derive_the_class_from_the_history(world):
    """Existing rows: the latest official or probationary event decides (an exempted member
    admitted as probationary stays probationary); without one, the dates do. The meetings'
    roll rows take the member's class."""
    members_migration = importlib.import_module(
        "chibo.members.migrations.0006_i9_members_membership_class"
    )
    meetings_migration = importlib.import_module(
        "chibo.meetings.migrations.0003_i9_members_attendance_class"
    )
    was_probationary = set_status(probationary_member(world.khoi1), MemberStatus.EXEMPTED)
    was_official = set_status(make_member(world.khoi1, "Vũ Thị Hoa"), MemberStatus.EXEMPTED)
    by_dates = member_services.member_create(
        actor=None,
        cell=world.khoi1,
        status=MemberStatus.SUSPENDED,
        full_name="Lê Văn Mới",
        sex="male",
        birth_date=datetime.date(1990, 1, 1),
        admission_decision_date=datetime.date(2026, 3, 1),
        ceremony_date=datetime.date(2026, 3, 19),
    )
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    # As the rows were before the migration: no class recorded (the field's temporary
    # default was "official").
    pks = [was_probationary.pk, was_official.pk, by_dates.pk]
    Member.objects.filter(pk__in=pks).update(membership_class="official")
    meeting.attendance.update(membership_class="official")

    members_migration.derive_classes(apps, None)
    meetings_migration.derive_classes(apps, None)

    classes = dict(Member.objects.filter(pk__in=pks).values_list("pk", "membership_class"))
    assert classes == {
        was_probationary.pk: "probationary",
        was_official.pk: "official",
        by_dates.pk: "probationary",
    }
    rows = dict(meeting.attendance.values_list("member_id", "membership_class"))
    assert rows[was_probationary.pk] == "probationary"
    assert rows[was_official.pk] == "official"
    assert rows[world.an.pk] == "official"


@pytest.mark.django_db
def test_the_member_page_shows_the_class_beside_the_activity_status(world, client):
    """An exempted probationary member reads "Miễn công tác…" and "Dự bị" on their page."""
    member = set_status(probationary_member(world.khoi1, "Lê Văn"), MemberStatus.EXEMPTED)
    client.login(username=world.an_user.username, password=PASSWORD)
    response = client.get(reverse("members:detail", args=[member.pk]))
    header = response.content.decode().split("<h1", 1)[1].split("</div>", 1)[0]
    assert "Lê Văn 01" in header
    assert ">Dự bị</span>" in header
