"""The vote engine, with the numbers of the rules it encodes (DOMAIN §2).

R2.1 adoption by more than half of the official members (Charter Art. 10.5); R2.2 who is left
out of the denominator (exempted members who stay away, suspended members); R2.3 absent
members who are not exempted stay in it; R2.4 probationary members do not vote (Charter
Art. 3.4); R2.5 two thirds for admission and recognition as an official member (Charter
Art. 5.2)."""

from __future__ import annotations

import datetime

import pytest

from chibo.core.errors import ServiceError
from chibo.meetings import services, votes
from chibo.meetings.models import AttendanceStatus, Vote, VoteRule, VoteSubject
from chibo.members import services as member_services
from chibo.members.models import MemberStatus
from chibo.orgs import services_rules
from tests.meetings.factories import add_members, make_meeting, open_meeting

MAJORITY = {"numerator": 1, "denominator": 2, "strict": True}
TWO_THIRDS = {"numerator": 2, "denominator": 3, "strict": False}


def cell_of_nine(world):
    """Khối 1 with 9 official members: An, Bình and 7 more."""
    return [world.an, world.binh, *add_members(world.khoi1, 7)]


def set_status(member, status):
    member_services.member_change_status(
        actor=None, member=member, status=status, effective_date=datetime.date(2026, 6, 1)
    )


def open_with(world, absent=(), excused=()):
    """Open a meeting of Khối 1 and call the roll: everyone present except `absent` (absent
    without reason) and `excused` (absent with reason); exempted members stay exempted."""
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    away = {member.pk: AttendanceStatus.ABSENT_UNEXCUSED for member in absent}
    away |= {member.pk: AttendanceStatus.ABSENT_EXCUSED for member in excused}
    for row in meeting.attendance.filter(status=""):
        status = away.get(row.member_id, AttendanceStatus.PRESENT)
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=row.member_id,
            status=status,
            reason="Đi công tác" if status == AttendanceStatus.ABSENT_EXCUSED else "",
        )
    return meeting


def vote(world, meeting, in_favour, *, subject=VoteSubject.RESOLUTION, against=0, abstain=0):
    subject_member = (
        world.binh if subject in (VoteSubject.ADMISSION, VoteSubject.RECOGNITION) else None
    )
    row, created = services.vote_record(
        actor=world.an_user,
        meeting=meeting,
        title="Nghị quyết tháng 11",
        subject=subject,
        in_favour=in_favour,
        against=against,
        abstain=abstain,
        subject_member=subject_member,
    )
    assert created
    return row


# -- the pure engine ------------------------------------------------------------------------


def test_more_than_half_five_of_nine_passes_four_of_nine_fails():
    """R2.1, Charter Art. 10.5: 5 of 9 is more than half; 4 of 9 is not."""
    assert votes.passes(5, 9, MAJORITY)
    assert not votes.passes(4, 9, MAJORITY)
    assert votes.needed(9, MAJORITY) == 5


def test_exactly_half_is_not_more_than_half():
    """R2.1: 4 of 8 is half, not more than half; 5 of 8 is."""
    assert not votes.passes(4, 8, MAJORITY)
    assert votes.passes(5, 8, MAJORITY)
    assert votes.needed(8, MAJORITY) == 5


def test_two_thirds_six_of_nine_passes_five_of_nine_fails():
    """R2.5, Charter Art. 5.2: 6 of 9 is two thirds exactly (at least two thirds passes)."""
    assert votes.passes(6, 9, TWO_THIRDS)
    assert not votes.passes(5, 9, TWO_THIRDS)
    assert votes.needed(9, TWO_THIRDS) == 6
    # 7 of 10: 2/3 of 10 is 6.67, so 7 is needed and 6 is not enough.
    assert votes.needed(10, TWO_THIRDS) == 7
    assert not votes.passes(6, 10, TWO_THIRDS)


def test_no_eligible_voters_never_passes():
    """With 0 eligible official members nothing can be adopted, and 1 vote would be needed."""
    assert not votes.passes(0, 0, MAJORITY)
    assert not votes.passes(0, 0, TWO_THIRDS)
    assert votes.needed(0, MAJORITY) == 1
    assert votes.needed(0, TWO_THIRDS) == 1


def test_one_eligible_member_decides_alone():
    """1 of 1 is more than half and at least two thirds; 0 of 1 is neither."""
    assert votes.passes(1, 1, MAJORITY) and votes.passes(1, 1, TWO_THIRDS)
    assert not votes.passes(0, 1, MAJORITY)


# -- through the service --------------------------------------------------------------------


@pytest.mark.django_db
def test_nine_official_present_five_in_favour_adopted(world):
    """R2.1: 9 official members present, 5 in favour → adopted (5 needed)."""
    cell_of_nine(world)
    meeting = open_with(world)
    row = vote(world, meeting, 5, against=3, abstain=1)
    assert (row.eligible, row.adopted, row.rule) == (9, True, VoteRule.MAJORITY)
    assert "5/9" in row.explanation


@pytest.mark.django_db
def test_nine_official_present_four_in_favour_not_adopted(world):
    """R2.1: 9 official members present, 4 in favour → not adopted (5 needed)."""
    cell_of_nine(world)
    meeting = open_with(world)
    row = vote(world, meeting, 4, against=5)
    assert (row.eligible, row.adopted) == (9, False)


@pytest.mark.django_db
def test_explanation_cites_the_charter_and_the_numbers(world):
    """The screen explains the result and cites the rule (DESIGN §2.1)."""
    cell_of_nine(world)
    meeting = open_with(world)
    adopted = vote(world, meeting, 5, against=4)
    rejected = vote(world, meeting, 4, against=5)
    assert adopted.explanation.startswith("Thông qua: 5/9 đảng viên chính thức tán thành")
    assert "cần ít nhất 5" in adopted.explanation
    assert "Điều lệ Đảng" in adopted.explanation
    assert "Điều 10, khoản 5" in adopted.explanation
    assert "quá nửa số đảng viên chính thức" in adopted.explanation
    assert rejected.explanation.startswith("Không thông qua: 4/9 đảng viên chính thức tán thành")
    assert "cần ít nhất 5" in rejected.explanation
    assert "Điều lệ Đảng, Điều 10, khoản 5" in rejected.explanation


@pytest.mark.django_db
def test_probationary_members_are_not_in_the_denominator(world):
    """R2.4, Charter Art. 3.4: 9 official + 2 probationary present → 9 eligible; 5 in favour
    is adopted, 4 is not."""
    cell_of_nine(world)
    add_members(world.khoi1, 2, official=False, prefix="Dự bị")
    meeting = open_with(world)
    assert meeting.attendance.count() == 11
    assert services.electorate_for(meeting) == votes.Electorate(eligible=9, present=9)
    assert vote(world, meeting, 5, against=4).adopted
    assert not vote(world, meeting, 4, against=5).adopted


@pytest.mark.django_db
def test_eleven_votes_with_nine_official_and_two_probationary_are_refused(world):
    """R2.4: 9 official + 2 probationary present; a count of 11 (the probationary counted)
    is more than the 9 who have a vote and is refused, and no vote is recorded."""
    cell_of_nine(world)
    add_members(world.khoi1, 2, official=False, prefix="Dự bị")
    meeting = open_with(world)
    with pytest.raises(ServiceError) as refused:
        vote(world, meeting, 7, against=2, abstain=2)
    assert "11 phiếu" in refused.value.message
    assert "9 đảng viên chính thức" in refused.value.message
    assert "đảng viên dự bị không biểu quyết" in refused.value.message
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_two_thirds_for_admission_six_of_nine_passes(world):
    """R2.5: admission needs at least two thirds; 6 of 9 passes."""
    cell_of_nine(world)
    meeting = open_with(world)
    row = vote(world, meeting, 6, subject=VoteSubject.ADMISSION, against=3)
    assert (row.rule, row.eligible, row.adopted) == (VoteRule.TWO_THIRDS, 9, True)
    assert "Điều lệ Đảng, Điều 5, khoản 2" in row.explanation
    assert "ít nhất hai phần ba số đảng viên chính thức" in row.explanation


@pytest.mark.django_db
def test_two_thirds_for_admission_five_of_nine_fails(world):
    """R2.5: 5 of 9 is more than half but less than two thirds: not adopted."""
    cell_of_nine(world)
    meeting = open_with(world)
    row = vote(world, meeting, 5, subject=VoteSubject.ADMISSION, against=4)
    assert not row.adopted
    assert "cần ít nhất 6" in row.explanation


@pytest.mark.django_db
def test_two_thirds_for_recognition_as_official(world):
    """R2.5, Charter Art. 5.2: recognition as an official member is voted like admission:
    6 of 9 passes, 5 of 9 fails."""
    cell_of_nine(world)
    meeting = open_with(world)
    assert vote(world, meeting, 6, subject=VoteSubject.RECOGNITION).adopted
    assert not vote(world, meeting, 5, subject=VoteSubject.RECOGNITION).adopted


@pytest.mark.django_db
def test_absent_official_members_stay_in_the_denominator(world):
    """R2.3: 9 official members, 2 absent (one with, one without reason) → still 9
    eligible, 7 present; 5 in favour passes, 4 fails."""
    members = cell_of_nine(world)
    meeting = open_with(world, absent=[members[2]], excused=[members[3]])
    assert services.electorate_for(meeting) == votes.Electorate(eligible=9, present=7)
    assert vote(world, meeting, 5, against=2).adopted
    rejected = vote(world, meeting, 4, against=3)
    assert not rejected.adopted
    assert rejected.eligible == 9


@pytest.mark.django_db
def test_absent_official_members_count_against_two_thirds(world):
    """R2.3 with R2.5: 9 official, 3 absent; the 6 present all in favour is 6 of 9: passes;
    5 of the 6 is 5 of 9: fails."""
    members = cell_of_nine(world)
    meeting = open_with(world, excused=members[6:9])
    assert vote(world, meeting, 6, subject=VoteSubject.ADMISSION).adopted
    assert not vote(world, meeting, 5, subject=VoteSubject.ADMISSION, abstain=1).adopted


@pytest.mark.django_db
def test_exempted_member_who_stays_away_is_left_out(world):
    """R2.2: 9 official + 1 exempted from activity who is absent → 9 eligible."""
    cell_of_nine(world)
    exempted = add_members(world.khoi1, 1, prefix="Miễn sinh hoạt")[0]
    set_status(exempted, MemberStatus.EXEMPTED)
    meeting = open_with(world)
    row = meeting.attendance.get(member=exempted)
    assert row.status == AttendanceStatus.EXEMPT
    assert services.electorate_for(meeting) == votes.Electorate(eligible=9, present=9)
    assert vote(world, meeting, 5).adopted


@pytest.mark.django_db
def test_exempted_member_who_attends_is_counted(world):
    """R2.2: an exempted member who attends and votes is counted: 9 official + 1 exempted
    present → 10 eligible; 5 of 10 is not more than half, 6 of 10 is."""
    cell_of_nine(world)
    exempted = add_members(world.khoi1, 1, prefix="Miễn sinh hoạt")[0]
    set_status(exempted, MemberStatus.EXEMPTED)
    meeting = make_meeting(world.khoi1)
    open_meeting(meeting, world.an, world.binh)
    for row in meeting.attendance.all():
        services.attendance_mark(
            actor=world.an_user,
            meeting=meeting,
            member_id=row.member_id,
            status=AttendanceStatus.PRESENT,
        )
    assert services.electorate_for(meeting) == votes.Electorate(eligible=10, present=10)
    assert not vote(world, meeting, 5, against=5).adopted
    assert vote(world, meeting, 6, against=4).adopted


@pytest.mark.django_db
def test_suspended_member_is_left_out(world):
    """R2.2: a member suspended from party activity is not in the denominator: 9 official
    + 1 suspended → 9 eligible, and the suspended member cannot add a tenth vote. They are
    listed as suspended, not called (DOMAIN §9a)."""
    cell_of_nine(world)
    suspended = add_members(world.khoi1, 1, prefix="Đình chỉ")[0]
    set_status(suspended, MemberStatus.SUSPENDED)
    meeting = open_with(world)
    assert meeting.attendance.get(member=suspended).status == AttendanceStatus.SUSPENDED
    assert services.electorate_for(meeting) == votes.Electorate(eligible=9, present=9)
    with pytest.raises(ServiceError):
        vote(world, meeting, 10)
    assert vote(world, meeting, 5).adopted


@pytest.mark.django_db
def test_a_province_override_of_the_majority_is_used(world):
    """DESIGN §2.1: a province that sets its own rule (here two thirds for every resolution,
    by its own decision) overrides the Charter default for all cells under it: 5 of 9 then
    fails, 6 of 9 passes, and the explanation cites the province's document."""
    services_rules.rule_override_create(
        actor=world.admin_user,
        organization=world.province,
        key="vote.majority",
        value={"numerator": 2, "denominator": 3, "strict": False},
        regulation="Quyết định 99-QĐ/TU (02/01/2026)",
        clause="Điều 3",
        effective_from=datetime.date(2026, 1, 2),
    )
    cell_of_nine(world)
    meeting = open_with(world)
    rejected = vote(world, meeting, 5, against=4)
    assert not rejected.adopted
    assert "cần ít nhất 6" in rejected.explanation
    assert "Quyết định 99-QĐ/TU (02/01/2026), Điều 3" in rejected.explanation
    assert "Tỉnh ủy Thử Nghiệm" in rejected.explanation
    assert vote(world, meeting, 6, against=3).adopted


@pytest.mark.django_db
def test_an_override_in_another_province_is_not_used(world):
    """An override set by another ward does not reach Khối 1: 5 of 9 still passes."""
    services_rules.rule_override_create(
        actor=world.admin_user,
        organization=world.other_ward,
        key="vote.majority",
        value={"numerator": 2, "denominator": 3, "strict": False},
        regulation="Quyết định 12-QĐ/ĐU",
        clause="",
        effective_from=datetime.date(2026, 1, 1),
    )
    cell_of_nine(world)
    meeting = open_with(world)
    row = vote(world, meeting, 5)
    assert row.adopted
    assert "Điều lệ Đảng" in row.explanation


@pytest.mark.django_db
def test_negative_counts_and_missing_person_are_refused(world):
    cell_of_nine(world)
    meeting = open_with(world)
    with pytest.raises(ServiceError):
        vote(world, meeting, -1)
    with pytest.raises(ServiceError) as refused:
        services.vote_record(
            actor=world.an_user,
            meeting=meeting,
            title="Công nhận đảng viên chính thức",
            subject=VoteSubject.RECOGNITION,
            in_favour=6,
            against=0,
            abstain=0,
        )
    assert refused.value.message == "Chọn người được biểu quyết."
    assert Vote.objects.count() == 0
