"""The home page by role (issue 12): what needs the person today.

An (secretary of Khối 1) gets the cell desk: the next meeting's steps, the unsigned minutes, the
cell's assignments, proposals and directives; Bình (plain member of Khối 1) gets the next
meeting, her assignments and the directives she has not read, and no committee section; Cúc
(upper-level member following the ward's cells) gets this month's meetings, the scores to
confirm and her visits against the minimum; Phường (the ward's secretary) gets the ward's
figures of the month. Dũng's cell (Khối 2) never shows on An's or Bình's page."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.directives import services as directive_services
from chibo.followup import services as followup_services
from chibo.meetings import services
from chibo.meetings.models import MeetingKind
from chibo.proposals import services as proposal_services
from chibo.proposals.models import ProposalSource, ProposalTopic
from chibo.reports.models import OrgMonth
from chibo.supervision.selectors_visits import yearly_minimum
from tests.conftest import give_position, make_member, make_org, make_user
from tests.meetings.factories import make_meeting, mark_all, open_meeting

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2026, 3, 10)
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=VN)
URL = reverse("home")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ward_secretary(world, django_user_model):
    """Phường: secretary of the ward (a member of Khối 2)."""
    member = make_member(world.khoi2, "Hoàng Văn Phường", party_card_number="10000009")
    give_position(member, world.ward, "secretary")
    return make_user(django_user_model, "phuong", member)


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def section(text: str, anchor: str) -> str:
    """The HTML of the section whose id is `anchor`, up to the next section."""
    start = text.index(f'id="{anchor}"')
    end = text.find('<div class="col-12 col-md-6" id=', start + 1)
    return text[start : end if end != -1 else None]


def next_meeting(cell, *, day=datetime.date(2026, 3, 20), publish=False, documents=0):
    meeting = make_meeting(cell, date=day)
    services.agenda_build(actor=None, meeting=meeting)
    for number in range(documents):
        services.document_attach(
            actor=None,
            meeting=meeting,
            title=f"Dự thảo nghị quyết {number + 1}",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        )
    if publish:
        services.meeting_publish(actor=None, meeting=meeting)
    return meeting


def extra_meeting(cell, day):
    meeting = make_meeting(cell, kind=MeetingKind.EXTRAORDINARY, date=day)
    services.agenda_build(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)
    return meeting


def give_assignments(world, cell, members, count, *, due=datetime.date(2026, 3, 5)):
    source = make_meeting(cell, kind=MeetingKind.EXTRAORDINARY, date=datetime.date(2026, 2, 20))
    for number in range(count):
        followup_services.assignment_create(
            actor=None,
            meeting=source,
            title=f"Vận động hộ dân số {number + 1} đóng quỹ vì người nghèo",
            members=members,
            due_date=due,
        )


def raise_proposals(world, cell, member, count, actor):
    for number in range(count):
        proposal_services.proposal_raise(
            actor=actor,
            cell=cell,
            raised_by=member,
            source=ProposalSource.OWN,
            topic=ProposalTopic.ENVIRONMENT,
            title=f"Bố trí thùng rác đầu hẻm {number + 1}",
            content="Rác tồn đọng đầu hẻm vào cuối tuần.",
            raised_on=datetime.date(2026, 3, 2),
        )


def issue_directives(world, count, *, units=None, first=1):
    for number in range(first - 1, first - 1 + count):
        directive_services.directive_issue(
            actor=world.admin_user,
            issuer=world.ward,
            number_symbol=f"{number + 1}-CT/ĐU",
            issued_on=datetime.date(2026, 3, 1),
            subject=f"Chỉ thị số {number + 1} về vệ sinh môi trường",
            must_disseminate=True,
            disseminate_by=datetime.date(2026, 4, 1),
            target_mode="units" if units else "subtree",
            units=units or (),
        )


# -- the cell desk --------------------------------------------------------------------------


@pytest.mark.django_db
def test_secretary_sees_what_remains_before_the_next_meeting(world, client, frozen):
    meeting = next_meeting(world.khoi1)  # agenda built, no document, not published
    text = page(client, world.an_user)
    desk = section(text, f"cell-desk-{world.khoi1.pk}")
    assert reverse("meetings:prepare", args=[meeting.pk]) in desk
    assert "Chương trình:" in desk  # the agenda is prepared ("Agenda: n items")
    assert "Chưa có tài liệu nào" in desk
    # Notice deadline: the meeting day minus rule meeting.notice_days_before (1 day).
    assert "Thông báo chậm nhất ngày 19/03/2026" in desk
    assert "step-published" in desk and "text-danger" not in desk.split("step-published")[1][:40]

    services.meeting_publish(actor=None, meeting=meeting)
    desk = section(page(client, world.an_user), f"cell-desk-{world.khoi1.pk}")
    assert "Đã thông báo ngày 10/03/2026" in desk


@pytest.mark.django_db
def test_a_late_notice_is_flagged(world, client):
    with time_machine.travel(datetime.datetime(2026, 3, 18, 9, 0, tzinfo=VN), tick=False):
        next_meeting(world.khoi1, day=datetime.date(2026, 3, 18))
        desk = section(page(client, world.an_user), f"cell-desk-{world.khoi1.pk}")
    assert "Thông báo chậm nhất ngày 17/03/2026 · quá hạn" in desk


@pytest.mark.django_db
def test_secretary_sees_the_cells_assignments_proposals_and_directives(world, client, frozen):
    give_assignments(world, world.khoi1, [world.binh], 2)
    give_assignments(world, world.khoi2, [world.dung], 1)
    raise_proposals(world, world.khoi1, world.binh, 1, world.an_user)
    issue_directives(world, 1, units=[world.khoi1])
    text = page(client, world.an_user)
    desk = section(text, f"cell-desk-{world.khoi1.pk}")
    assert (
        "Vận động hộ dân số 1 đóng quỹ vì người nghèo — Trần Thị Bình" in desk
        and "Vận động hộ dân số 2" in desk
    )
    assert "quá hạn" in desk  # due on 05/03, overdue on 10/03
    assert "Bố trí thùng rác đầu hẻm 1" in desk
    assert "1-CT/ĐU" in desk
    # The section with overdue work comes before the member's own card.
    assert text.index(f"cell-desk-{world.khoi1.pk}") < text.index('id="member-desk"')
    # Khối 2's assignment is Dũng's cell's business.
    dung_text = page(client, world.dung_user)
    assert "Vận động hộ dân số 2" not in dung_text
    assert "cell-desk-" not in dung_text


@pytest.mark.django_db
def test_secretary_is_reminded_of_unsigned_minutes(world, client, frozen):
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 3, 3))
    services.agenda_build(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    services.meeting_close(actor=None, meeting=meeting)
    desk = section(page(client, world.an_user), f"cell-desk-{world.khoi1.pk}")
    assert reverse("meetings:live", args=[meeting.pk]) + "?tab=record" in desk
    # Sign due: the meeting day plus rule meeting.final_upload_days_after (2 days): late.
    assert "Hạn: 05/03/2026 · quá hạn" in desk


# -- the member desk ------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_sees_the_next_meeting_her_assignments_and_directives(world, client, frozen):
    meeting = next_meeting(world.khoi1, publish=True, documents=1)
    give_assignments(world, world.khoi1, [world.binh], 1)
    give_assignments(world, world.khoi1, [world.an], 1, due=datetime.date(2026, 3, 30))
    issue_directives(world, 1, units=[world.khoi1])
    text = page(client, world.binh_user)
    desk = section(text, "member-desk")
    assert reverse("meetings:detail", args=[meeting.pk]) in desk
    assert "20/03/2026 19:30" in desk and "Nhà văn hóa khu phố" in desk
    assert "Dự thảo nghị quyết 1" in desk
    assert "Vận động hộ dân số 1" in desk
    assert "1-CT/ĐU" in desk
    # A plain member gets no committee, cell-desk or visitor section.
    for anchor in ("cell-desk-", "committee-desk-", "visitor-desk"):
        assert anchor not in text
    # An's assignment due on 30/03 is his, not hers: her list shows only her own.
    assert text.count("Vận động hộ dân số 1") == 1


@pytest.mark.django_db
def test_member_of_another_cell_sees_nothing_of_khoi1(world, client, frozen):
    next_meeting(world.khoi1, publish=True, documents=1)
    issue_directives(world, 1, units=[world.khoi1])
    text = page(client, world.dung_user)
    assert "Dự thảo nghị quyết 1" not in text
    assert "1-CT/ĐU" not in text
    assert "Chưa có buổi sinh hoạt nào được thông báo" in text


@pytest.mark.django_db
def test_reading_a_directive_takes_it_off_the_list(world, client, frozen):
    issue_directives(world, 1, units=[world.khoi1])
    directive = world.khoi1.directive_deliveries.get().directive
    assert "1-CT/ĐU" in page(client, world.binh_user)
    directive_services.directive_mark_read(actor=world.binh_user, directive=directive)
    assert "1-CT/ĐU" not in page(client, world.binh_user)


# -- the visitor desk -----------------------------------------------------------------------


@pytest.mark.django_db
def test_upper_member_sees_this_months_meetings_and_visits(world, client, frozen):
    followed = extra_meeting(world.khoi1, datetime.date(2026, 3, 25))
    elsewhere = extra_meeting(world.other_cell, datetime.date(2026, 3, 25))
    next_month = extra_meeting(world.khoi2, datetime.date(2026, 4, 2))
    text = page(client, world.cuc_user)
    desk = section(text, "visitor-desk")
    assert reverse("meetings:detail", args=[followed.pk]) in desk
    assert reverse("meetings:detail", args=[elsewhere.pk]) not in text
    assert reverse("meetings:detail", args=[next_month.pk]) not in desk
    # Cúc follows the ward for the province committee: rule visit.yearly_minimum, province level.
    minimum, _rule = yearly_minimum(world.province, TODAY)
    assert f"Số lần dự sinh hoạt năm 2026: 0 / tối thiểu {minimum}" in desk
    assert "Mức tối thiểu đối với cấp ủy viên Tỉnh ủy Thử Nghiệm" in desk


# -- the committee desk ---------------------------------------------------------------------


@pytest.mark.django_db
def test_ward_secretary_sees_the_months_figures(world, client, frozen, ward_secretary):
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 3, 3))
    services.agenda_build(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)
    open_meeting(meeting, world.an, world.binh)
    make_meeting(world.khoi2, date=datetime.date(2026, 3, 20))
    row = OrgMonth.objects.get(organization=world.ward, period=datetime.date(2026, 3, 1))
    assert (row.regular_held, row.cells) == (1, 2)
    text = page(client, ward_secretary)
    desk = section(text, f"committee-desk-{world.ward.pk}")
    assert "1/2" in desk
    assert reverse("orgs:detail", args=[world.ward.pk]) in desk
    # The ward's card is not repeated below the sections.
    assert f'id="overseen-{world.ward.pk}"' not in text
    # An, a cell secretary, gets no committee figures.
    assert "committee-desk-" not in page(client, world.an_user)


@pytest.mark.django_db
def test_committee_figures_without_a_roll_call_show_no_attendance(
    world, client, frozen, ward_secretary
):
    desk = section(page(client, ward_secretary), f"committee-desk-{world.ward.pk}")
    assert "0/0" in desk and "—" in desk


# -- the view -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_needs_a_login_and_takes_only_get(world, client):
    assert client.get(URL).status_code == 302
    client.force_login(world.binh_user)
    assert client.post(URL).status_code == 405


@pytest.mark.django_db
def test_home_ignores_query_parameters(world, client, frozen):
    client.force_login(world.an_user)
    assert client.get(URL + "?year=abc&month=13&org=99999999999999999999").status_code == 200


# -- query guards: the same count for 1 and 5 items ------------------------------------------


def count_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_cell_desk_queries_do_not_grow_with_items(world, client, frozen):
    next_meeting(world.khoi1, documents=1)
    give_assignments(world, world.khoi1, [world.binh], 1)
    raise_proposals(world, world.khoi1, world.binh, 1, world.an_user)
    issue_directives(world, 1, units=[world.khoi1])
    few = count_queries(client, world.an_user)
    next_meeting(world.khoi1, day=datetime.date(2026, 4, 20), documents=4)
    give_assignments(world, world.khoi1, [world.binh, world.an], 4)
    raise_proposals(world, world.khoi1, world.binh, 4, world.an_user)
    issue_directives(world, 4, units=[world.khoi1], first=2)
    assert count_queries(client, world.an_user) == few


@pytest.mark.django_db
def test_member_desk_queries_do_not_grow_with_items(world, client, frozen):
    next_meeting(world.khoi1, publish=True, documents=1)
    give_assignments(world, world.khoi1, [world.binh], 1)
    issue_directives(world, 1, units=[world.khoi1])
    few = count_queries(client, world.binh_user)
    give_assignments(world, world.khoi1, [world.binh], 4)
    issue_directives(world, 4, units=[world.khoi1], first=2)
    extra_meeting(world.khoi1, datetime.date(2026, 3, 27))
    assert count_queries(client, world.binh_user) == few


@pytest.mark.django_db
def test_visitor_desk_queries_do_not_grow_with_items(world, client, frozen):
    extra_meeting(world.khoi1, datetime.date(2026, 3, 12))
    extra_meeting(world.khoi2, datetime.date(2026, 3, 13))  # Cúc's own cell: her next meeting
    few = count_queries(client, world.cuc_user)
    for day in (14, 15, 16, 17):
        extra_meeting(world.khoi2 if day % 2 else world.khoi1, datetime.date(2026, 3, day))
    assert count_queries(client, world.cuc_user) == few


@pytest.mark.django_db
def test_committee_desk_queries_do_not_grow_with_cells(world, client, frozen, ward_secretary):
    make_meeting(world.khoi1, date=datetime.date(2026, 3, 20))
    few = count_queries(client, ward_secretary)
    for number in range(3, 7):
        cell = make_org(world.ward, f"Chi bộ Khối {number}", "cell", f"38.168.000.000.00{number}")
        make_meeting(cell, date=datetime.date(2026, 3, 20))
    assert count_queries(client, ward_secretary) == few
