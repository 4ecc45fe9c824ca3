"""Visits by upper-level members and standing attendees (issue 11, DOMAIN R7.2–R7.4): the yearly
minimum of Kon Tum's QĐ 776-QĐ/TU (province members 2, commune members 6, not to one's own
cell), the visit record with its proposals and the score confirmed or adjusted after signing
without touching the frozen minutes, and the standing attendee's report to the committee."""

from __future__ import annotations

import datetime

import pytest

from chibo.core import rules
from chibo.core.errors import ServiceError
from chibo.meetings.models import MeetingRecord, MeetingScore
from chibo.meetings.services._base import upper_level_users
from chibo.notify.models import Notification
from chibo.proposals.models import Proposal, ProposalSource, ProposalTopic
from chibo.supervision import selectors_visits as sel
from chibo.supervision import services_visits as svc
from chibo.supervision.models import Visit, VisitorRole
from tests.conftest import give_position, make_member, make_user
from tests.meetings.doc_builders import cell_people, run_meeting
from tests.meetings.factories import make_meeting

DAY = datetime.date(2026, 11, 3)


@pytest.fixture
def people(world):
    return cell_people(world)


@pytest.fixture
def signed(world, people):
    return run_meeting(world, people)


def held_meeting(cell, day, chair, taker):
    """A meeting of `cell` opened on `day` (held: a visit may be recorded)."""
    from chibo.meetings import services  # noqa: PLC0415 (test helper)
    from tests.meetings.factories import open_meeting  # noqa: PLC0415

    meeting = make_meeting(cell, date=day)
    services.agenda_build(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)
    return open_meeting(meeting, chair, taker)


def test_rule_quotes_kon_tum_minimums(world):
    rule = rules.rule_in_force("visit.yearly_minimum", organization=world.khoi1, on=DAY)
    assert rule.value["province"] == 2
    assert rule.value["district"] == 6
    assert rule.value["commune"] == 6
    assert "776-QĐ/TU" in rule.explain()
    version = next(v for v in rules.CENTRAL_VERSIONS if v.key == "visit.yearly_minimum")
    assert version.confidence == rules.UNSURE
    assert version.basis == rules.LOCAL


def test_minimum_by_the_level_of_the_visitors_committee(world):
    assert sel.yearly_minimum(world.ward, DAY)[0] == 6  # ward: commune level
    assert sel.yearly_minimum(world.other_ward, DAY)[0] == 6
    assert sel.yearly_minimum(world.province, DAY)[0] == 2


def test_a_visit_to_ones_own_cell_does_not_count(world):
    # Cúc, a member of Khối 2, follows the ward for the province (her position is on the ward:
    # she sits on the committee above it), so her minimum is the province's 2 a year.
    khoi1 = held_meeting(world.khoi1, DAY, world.an, world.binh)
    khoi2 = held_meeting(world.khoi2, DAY, world.dung, world.cuc)
    for meeting in (khoi1, khoi2):
        svc.visit_record(
            actor=world.cuc_user, meeting=meeting, visitor=world.cuc, role=VisitorRole.UPPER_MEMBER
        )
    assert Visit.objects.filter(visitor=world.cuc).count() == 2
    assert sel.counted_visits([world.cuc.pk], 2026) == {world.cuc.pk: 1}
    report = sel.coverage(world.province, year=2026, quarter=4)
    (cuc,) = report.followers
    assert (cuc.visits, cuc.minimum, cuc.met) == (1, 2, False)
    assert report.below == [cuc]
    # A second visit to another cell meets the province's minimum of 2.
    svc.visit_record(
        actor=None,
        meeting=held_meeting(world.khoi1, datetime.date(2026, 5, 5), world.an, world.binh),
        visitor=world.cuc,
        role=VisitorRole.UPPER_MEMBER,
    )
    (cuc,) = sel.coverage(world.province, year=2026, quarter=4).followers
    assert (cuc.visits, cuc.minimum, cuc.met) == (2, 2, True)


def test_six_visits_meet_the_commune_minimum(world):
    # Dũng (Khối 2) sits on the ward committee and follows Khối 1: the ward's minimum is 6.
    give_position(world.dung, world.khoi1, "upper_committee_member")
    for month in range(1, 6):
        meeting = held_meeting(world.khoi1, datetime.date(2026, month, 10), world.an, world.binh)
        svc.visit_record(
            actor=None, meeting=meeting, visitor=world.dung, role=VisitorRole.UPPER_MEMBER
        )
    (dung,) = sel.coverage(world.ward, year=2026, quarter=2).followers
    assert (dung.visits, dung.minimum, dung.met) == (5, 6, False)
    meeting = held_meeting(world.khoi1, datetime.date(2026, 6, 10), world.an, world.binh)
    svc.visit_record(actor=None, meeting=meeting, visitor=world.dung, role=VisitorRole.UPPER_MEMBER)
    report = sel.coverage(world.ward, year=2026, quarter=2)
    (dung,) = report.followers
    assert (dung.visits, dung.minimum, dung.met) == (6, 6, True)
    assert report.below == []
    # Khối 2 was never visited; Khối 1 was visited in Q2 (April–June) and in the year.
    assert [c.name for c in report.never_year] == ["Chi bộ Khối 2"]
    assert [c.name for c in report.never_quarter] == ["Chi bộ Khối 2"]
    q3 = sel.coverage(world.ward, year=2026, quarter=3)
    assert [c.name for c in q3.never_quarter] == ["Chi bộ Khối 1", "Chi bộ Khối 2"]


def test_province_coverage_shows_the_ward_one_level_down(world):
    give_position(world.dung, world.khoi1, "upper_committee_member")
    khoi1 = held_meeting(world.khoi1, DAY, world.an, world.binh)
    svc.visit_record(actor=None, meeting=khoi1, visitor=world.dung, role=VisitorRole.UPPER_MEMBER)
    report = sel.coverage(world.province, year=2026, quarter=4)
    units = {u.committee.name: u for u in report.units}
    ward = units["Đảng ủy phường Hưng Phú"]
    assert (ward.followers, ward.met, ward.below, ward.cells, ward.unvisited_year) == (
        1,
        0,
        1,
        2,
        1,
    )
    assert [f.member for f in report.followers] == [world.cuc]  # the province's own follower
    assert {c.name for c in report.never_year} == {"Chi bộ Khối 2", "Chi bộ thôn Nà Mò"}


def test_coverage_query_count_is_bounded(world, django_assert_max_num_queries):
    from chibo.orgs import services as org_services  # noqa: PLC0415

    for number in range(3, 13):
        cell = org_services.organization_create(
            actor=None,
            parent=world.ward,
            name=f"Chi bộ Khối {number}",
            kind="cell",
            code=f"38.168.000.000.{number:03d}",
        )
        follower = make_member(cell, f"Ủy viên {number:02d}")
        give_position(follower, cell, "upper_committee_member")
    khoi1 = held_meeting(world.khoi1, DAY, world.an, world.binh)
    svc.visit_record(actor=None, meeting=khoi1, visitor=world.cuc, role=VisitorRole.UPPER_MEMBER)
    with django_assert_max_num_queries(10):
        report = sel.coverage(world.province, year=2026, quarter=4)
    with django_assert_max_num_queries(10):
        ward = sel.coverage(world.ward, year=2026, quarter=4)
    assert len(ward.followers) == 10
    assert len(report.units) == 2


def test_visit_creates_the_proposals_collected(world, people, signed):
    rows = [
        svc.CollectedProposal(
            title="Sửa đèn chiếu sáng hẻm 12",
            content="Đèn đường hẻm 12 hỏng đã hai tháng, đề nghị phường sửa.",
            source=ProposalSource.CITIZENS,
            topic=ProposalTopic.INFRASTRUCTURE,
            raised_by=people["cuong"],
            citizen_name="Các hộ dân tổ 3",
        ),
        svc.CollectedProposal(
            title="Tập huấn đóng đảng phí trực tuyến",
            content="Xin hướng dẫn đóng đảng phí qua Cổng Dịch vụ công.",
            source=ProposalSource.OWN,
            topic=ProposalTopic.OTHER,
            raised_by=world.binh,
        ),
    ]
    visit = svc.visit_record(
        actor=world.cuc_user,
        meeting=signed,
        visitor=world.cuc,
        role=VisitorRole.UPPER_MEMBER,
        observations="Sinh hoạt nền nếp, nội dung sát thực tế khu phố.",
        guidance="Chi bộ cần cụ thể hóa nghị quyết tháng.",
        proposals=rows,
    )
    proposals = list(visit.proposals.order_by("title"))
    assert [p.title for p in proposals] == [
        "Sửa đèn chiếu sáng hẻm 12",
        "Tập huấn đóng đảng phí trực tuyến",
    ]
    assert all(
        p.cell_id == world.khoi1.pk and p.raised_at_meeting_id == signed.pk for p in proposals
    )
    assert proposals[0].citizen_name == "Các hộ dân tổ 3"
    assert proposals[0].raised_by == people["cuong"]


def test_a_refused_proposal_refuses_the_whole_visit(world, signed):
    bad = svc.CollectedProposal(
        title="Đề nghị",
        content="Nội dung",
        source=ProposalSource.OWN,
        topic=ProposalTopic.LAND,
        raised_by=world.cuc,  # not a member of Khối 1
    )
    with pytest.raises(ServiceError):
        svc.visit_record(
            actor=None,
            meeting=signed,
            visitor=world.cuc,
            role=VisitorRole.UPPER_MEMBER,
            proposals=[bad],
        )
    assert not Visit.objects.exists()
    assert not Proposal.objects.filter(raised_at_meeting=signed).exists()


def test_confirming_after_signing_keeps_the_minutes(world, signed):
    record = MeetingRecord.objects.get(meeting=signed)
    before = (record.fingerprint, record.frozen_content)
    assert before[0]
    visit = svc.visit_record(
        actor=world.cuc_user,
        meeting=signed,
        visitor=world.cuc,
        role=VisitorRole.UPPER_MEMBER,
        confirm_score=True,
    )
    score = MeetingScore.objects.get(meeting=signed)
    assert score.confirmed_by == world.cuc
    assert visit.score_confirmed
    record.refresh_from_db()
    assert (record.fingerprint, record.frozen_content) == before


def test_adjusting_after_signing_is_kept_on_the_visit(world, signed):
    record = MeetingRecord.objects.get(meeting=signed)
    fingerprint = record.fingerprint
    score = MeetingScore.objects.get(meeting=signed)
    with pytest.raises(ServiceError):
        svc.visit_record(
            actor=None,
            meeting=signed,
            visitor=world.cuc,
            role=VisitorRole.UPPER_MEMBER,
            adjusted_total="80",
            adjusted_rating="fair",
        )  # no reason
    visit = svc.visit_record(
        actor=None,
        meeting=signed,
        visitor=world.cuc,
        role=VisitorRole.UPPER_MEMBER,
        adjusted_total="80",
        adjusted_rating="fair",
        adjustment_reason="Chưa thảo luận sâu nhiệm vụ tháng tới.",
    )
    assert (visit.adjusted_total, visit.adjusted_rating) == (80, "fair")
    record.refresh_from_db()
    assert record.fingerprint == fingerprint
    after = MeetingScore.objects.get(meeting=signed)
    assert (after.total, after.rating, after.confirmed_by_id) == (
        score.total,
        score.rating,
        score.confirmed_by_id,
    )


def test_one_visit_per_meeting_edited_in_place(world, signed):
    svc.visit_record(actor=None, meeting=signed, visitor=world.cuc, role=VisitorRole.UPPER_MEMBER)
    svc.visit_record(
        actor=None,
        meeting=signed,
        visitor=world.cuc,
        role=VisitorRole.UPPER_MEMBER,
        observations="Bổ sung",
    )
    assert Visit.objects.get().observations == "Bổ sung"


def test_a_meeting_not_held_takes_no_visit(world):
    meeting = make_meeting(world.khoi1, date=DAY)
    with pytest.raises(ServiceError):
        svc.visit_record(
            actor=None, meeting=meeting, visitor=world.cuc, role=VisitorRole.UPPER_MEMBER
        )


def test_standing_attendee_is_invited_and_reports_to_the_committee(world, django_user_model):
    police = make_member(world.khoi2, "Đặng Văn Công An")
    give_position(police, world.khoi1, "standing_attendee")
    police_user = make_user(django_user_model, "congan", police)
    secretary = make_member(world.khoi2, "Bùi Văn Bí Thư")
    give_position(secretary, world.ward, "secretary")
    secretary_user = make_user(django_user_model, "bithu", secretary)
    assert police_user in upper_level_users(world.khoi1)
    assert police_user not in upper_level_users(world.khoi2)
    meeting = held_meeting(world.khoi1, DAY, world.an, world.binh)
    visit = svc.visit_record(
        actor=police_user,
        meeting=meeting,
        visitor=police,
        role=VisitorRole.STANDING_ATTENDEE,
        guidance="Thông tin tình hình an ninh trật tự tháng 10.",
        observations="Bà con phản ánh tụ tập gây ồn ào ban đêm ở hẻm 5.",
        confirm_score=True,  # ignored: the score is the upper-level member's
    )
    assert not visit.score_confirmed
    assert not MeetingScore.objects.filter(meeting=meeting, confirmed_by__isnull=False).exists()
    told = Notification.objects.get(code="visit.reported")
    assert told.recipient == secretary_user
    assert "Đặng Văn Công An" in told.title
    # Standing attendance does not count towards anyone's minimum, nor as an upper-level visit.
    assert sel.counted_visits([police.pk], 2026) == {}
    report = sel.coverage(world.ward, year=2026, quarter=4)
    assert "Chi bộ Khối 1" in [cell.name for cell in report.never_year]


def test_assignments_through_orgs_positions(world):
    police = make_member(world.khoi2, "Đặng Văn Công An")
    position = svc.assignment_add(
        actor=None,
        committee=world.ward,
        member=police,
        cell=world.khoi1,
        role="standing_attendee",
        start_date=datetime.date(2026, 1, 1),
    )
    assert sel.attended_cells(police.pk) == {world.khoi1.pk: VisitorRole.STANDING_ATTENDEE}
    with pytest.raises(ServiceError):
        svc.assignment_add(
            actor=None,
            committee=world.ward,
            member=police,
            cell=world.other_cell,  # another commune's cell
            role="standing_attendee",
            start_date=datetime.date(2026, 1, 1),
        )
    svc.assignment_end(actor=None, position=position, end_date=datetime.date(2026, 2, 1))
    assert sel.attended_cells(police.pk) == {}
