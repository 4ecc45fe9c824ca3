"""Residence links, participation, comments and requests (Quy định 213; DOMAIN R3.20–R3.22).
Refusals are matched on the Vietnamese message the user reads."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.notify.models import Notification
from chibo.residence import selectors, services
from chibo.residence.models import FeedbackRequest, ResidenceFeedback, ResidenceLink
from tests.conftest import make_member

FEEDBACK = {
    "text": "Gương mẫu, tham gia đầy đủ sinh hoạt chi bộ nơi cư trú.",
    "sets_example": True,
    "fulfils_civic_duties": True,
    "attends_meetings": True,
    "written_on": datetime.date(2026, 11, 5),
    "signed_by_name": "Nguyễn Văn An",
    "signed_by_title": "Bí thư chi bộ",
}


def link(world, res, member=None, **extra):
    return services.link_create(
        actor=res.hoa_user,
        member=member or res.giang,
        residence_cell=world.khoi1,
        address="Số 12, tổ 3, khối 1",
        start_date=extra.pop("start_date", datetime.date(2025, 3, 1)),
        **extra,
    )


def test_link_is_audited_and_notifies_the_residence_secretary(world, res):
    row = link(world, res)
    assert row.workplace_cell == res.agency
    assert AuditEntry.objects.filter(code="residence_link.created", target_id=str(row.pk)).exists()
    assert Notification.objects.filter(recipient=world.an_user, code="residence.link_created")


def test_only_members_of_workplace_cells_are_linked(world, res):
    with pytest.raises(ServiceError, match="chi bộ nơi công tác"):
        link(world, res, member=world.binh)  # Khối 1 is a residential cell
    assert not ResidenceLink.objects.exists()


def test_the_residence_cell_must_be_residential(world, res):
    with pytest.raises(ServiceError):
        services.link_create(
            actor=res.hoa_user,
            member=res.giang,
            residence_cell=res.agency,
            address="x",
            start_date=datetime.date(2025, 1, 1),
        )


def test_one_open_link_at_a_time_and_ending_keeps_the_row(world, res):
    first = link(world, res)
    with pytest.raises(ServiceError, match="kết thúc liên kết nơi cư trú hiện tại"):
        link(world, res)
    services.link_end(
        actor=res.hoa_user, link=first, end_date=datetime.date(2026, 6, 30), reason="Chuyển nhà"
    )
    with pytest.raises(ServiceError, match="sau ngày kết thúc liên kết trước"):
        link(world, res, start_date=datetime.date(2026, 6, 30))
    second = services.link_create(
        actor=res.hoa_user,
        member=res.giang,
        residence_cell=world.khoi2,
        address="Tổ 5, khối 2",
        start_date=datetime.date(2026, 7, 1),
    )
    assert ResidenceLink.objects.filter(member=res.giang).count() == 2
    first.refresh_from_db()
    assert first.end_date == datetime.date(2026, 6, 30) and second.end_date is None


def test_link_dates_in_the_future_are_refused(world, res):
    with pytest.raises(ServiceError, match="tương lai|chưa đến"):
        link(world, res, start_date=datetime.date(2026, 12, 1))


def test_participation_must_fall_within_the_link(world, res):
    row = link(world, res)
    services.participation_record(
        actor=world.an_user,
        link=row,
        date=datetime.date(2026, 10, 5),
        activity="Sinh hoạt chi bộ tháng 10",
        attended=True,
    )
    services.participation_record(
        actor=world.an_user,
        link=row,
        date=datetime.date(2026, 9, 5),
        activity="Sinh hoạt chi bộ tháng 9",
        attended=False,
    )
    with pytest.raises(ServiceError, match="thời gian của liên kết"):
        services.participation_record(
            actor=world.an_user,
            link=row,
            date=datetime.date(2025, 1, 5),
            activity="x",
            attended=True,
        )
    assert selectors.participation_counts([row.pk], 2026) == {row.pk: (1, 2)}


def test_a_sent_comment_is_frozen(world, res):
    row = link(world, res)
    fb = services.feedback_create(actor=world.an_user, link=row, year=2026, **FEEDBACK)
    assert not fb.is_sent
    services.feedback_update(actor=world.an_user, feedback=fb, **{**FEEDBACK, "text": "Sửa nháp"})
    services.feedback_send(actor=world.an_user, feedback=fb)
    with pytest.raises(ServiceError, match="không thể sửa"):
        services.feedback_update(actor=world.an_user, feedback=fb, **FEEDBACK)
    with pytest.raises(ServiceError, match="bản đính chính"):
        services.feedback_create(actor=world.an_user, link=row, year=2026, **FEEDBACK)
    fb.refresh_from_db()
    assert fb.text == "Sửa nháp"
    assert Notification.objects.filter(recipient=res.hoa_user, code="residence.feedback_sent")


def test_a_correction_supersedes_the_old_comment_and_both_are_kept(world, res):
    row = link(world, res)
    original = services.feedback_create(
        actor=world.an_user, link=row, year=2026, send=True, **FEEDBACK
    )
    correction = services.feedback_correct(
        actor=world.an_user,
        original=original,
        reason="Ghi nhầm ngày",
        **{**FEEDBACK, "text": "Bản đính chính"},
    )
    # Until the correction is sent, the review still reads the original.
    assert selectors.residence_evidence([res.giang.pk], 2026)[res.giang.pk].text == FEEDBACK["text"]
    services.feedback_send(actor=world.an_user, feedback=correction)
    assert ResidenceFeedback.objects.filter(member=res.giang, year=2026).count() == 2
    evidence = selectors.residence_evidence([res.giang.pk], 2026)[res.giang.pk]
    assert evidence.state == "received" and evidence.text == "Bản đính chính"
    original.refresh_from_db()
    assert original.text == FEEDBACK["text"] and original.superseded_by == correction
    with pytest.raises(ServiceError, match="đã có bản đính chính"):
        services.feedback_correct(actor=world.an_user, original=original, reason="x", **FEEDBACK)


def test_comment_year_must_overlap_the_link_and_not_be_future(world, res):
    row = link(world, res)
    with pytest.raises(ServiceError, match="không cư trú"):
        services.feedback_create(
            actor=world.an_user,
            link=row,
            year=2024,
            **{**FEEDBACK, "written_on": datetime.date(2024, 12, 20)},
        )
    with pytest.raises(ServiceError, match="tương lai|chưa đến"):
        services.feedback_create(actor=world.an_user, link=row, year=2027, **FEEDBACK)


def test_special_category_is_not_required_to_have_the_annual_comment(world, res):
    """R3.22 (HD 33): armed forces in barracks, mobile workers, rotated officials, full-time
    trainees of 12 months and students away from home are not asked for the annual comment."""
    link(world, res, special_category="mobile_worker")
    evidence = selectors.residence_evidence([res.giang.pk], 2026)[res.giang.pk]
    assert evidence.state == "not_required"
    assert "Hướng dẫn 33" in evidence.summary


def test_evidence_states_missing_received_no_link(world, res):
    row = link(world, res)
    evidence = selectors.residence_evidence([res.giang.pk, res.khanh.pk], 2026)
    assert evidence[res.giang.pk].state == "missing"
    assert evidence[res.giang.pk].residence_cell_name == "Chi bộ Khối 1"
    assert evidence[res.khanh.pk].state == "no_link"
    services.feedback_create(actor=world.an_user, link=row, year=2026, send=True, **FEEDBACK)
    got = selectors.residence_evidence([res.giang.pk], 2026)[res.giang.pk]
    assert got.state == "received" and got.written_on == FEEDBACK["written_on"]
    # A draft is not evidence.
    assert selectors.residence_evidence([res.giang.pk], 2025)[res.giang.pk].state == "missing"


def test_bulk_selector_query_count_is_constant(world, res):
    link(world, res)
    with CaptureQueriesContext(connection) as few:
        selectors.residence_evidence([res.giang.pk, res.khanh.pk], 2026)
    members = [make_member(res.agency, f"Đảng viên {i}") for i in range(8)]
    for member in members[:4]:
        link(world, res, member=member)
    ids = [m.pk for m in members] + [res.giang.pk, res.khanh.pk]
    with CaptureQueriesContext(connection) as many:
        result = selectors.residence_evidence(ids, 2026)
    assert len(result) == 10
    assert len(many) == len(few) == 2


def test_request_notifies_the_residence_cell_and_sending_answers_it(world, res):
    row = link(world, res)
    request = services.request_create(actor=res.hoa_user, link=row, year=2026)
    assert Notification.objects.filter(recipient=world.an_user, code="residence.feedback_requested")
    with pytest.raises(ServiceError, match="đang chờ"):
        services.request_create(actor=res.hoa_user, link=row, year=2026)
    fb = services.feedback_create(actor=world.an_user, link=row, year=2026, send=True, **FEEDBACK)
    request.refresh_from_db()
    assert request.answered_by == fb
    with pytest.raises(ServiceError, match="Đã nhận được"):
        services.request_create(actor=res.hoa_user, link=row, year=2026)
    assert FeedbackRequest.objects.count() == 1


def test_a_draft_correction_does_not_reopen_requests_for_the_year(world, res):
    """The sent comment stays in force while its correction is a draft: no new request."""
    row = link(world, res)
    original = services.feedback_create(
        actor=world.an_user, link=row, year=2026, send=True, **FEEDBACK
    )
    services.feedback_correct(
        actor=world.an_user, original=original, reason="Ghi nhầm ngày", **FEEDBACK
    )
    with pytest.raises(ServiceError, match="Đã nhận được"):
        services.request_create(actor=res.hoa_user, link=row, year=2026)
    assert not FeedbackRequest.objects.exists()
