"""The cell's next meeting reports the answers back (issue 10: "the cell's next meeting gets an
agenda item to report answers back, carried like assignments are"), and the upper-level member
following the cell records the proposals collected at its meeting (DOMAIN §7)."""

import datetime

from django.urls import reverse

from chibo.meetings import services as meeting_services
from chibo.proposals import services
from chibo.proposals.models import Proposal, ProposalStatus, StepKind
from chibo.proposals.selectors import answers_to_report
from tests.meetings.doc_builders import cell_people, run_meeting, sign_meeting
from tests.meetings.factories import make_meeting
from tests.proposals.helpers import raise_proposal

REPORT_TITLE = "Thông báo kết quả trả lời kiến nghị"


def answered(world, **overrides):
    proposal = raise_proposal(world, raised_on=datetime.date(2026, 10, 1), **overrides)
    return services.proposal_answer(
        actor=world.an_user,
        proposal=proposal,
        answer="Tổ dân phố đã bố trí thêm hai thùng rác đầu hẻm 12.",
        answered_on=datetime.date(2026, 10, 20),
    )


def report_item(meeting):
    return meeting.agenda_items.get(title=REPORT_TITLE)


def test_the_next_agenda_reports_the_answer_and_signing_records_it(world):
    proposal = answered(world)
    still_open = raise_proposal(world, title="Sửa đèn chiếu sáng hẻm 5")
    meeting = run_meeting(world, cell_people(world))
    item = report_item(meeting)
    # In the review part, right after the review of last month.
    review = meeting.agenda_items.get(step="review")
    assert item.position == review.position + 1
    assert list(item.proposals.all()) == [proposal]
    assert "Bố trí thêm thùng rác đầu hẻm 12 — Chi bộ Khối 1 trả lời ngày 20/10/2026" in (
        item.guidance
    )
    assert "Sửa đèn" not in item.guidance
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CLOSED
    assert proposal.reported_back_meeting == meeting
    assert proposal.reported_back_on == meeting.date
    assert proposal.steps.last().kind == StepKind.REPORTED_BACK
    assert answers_to_report(world.khoi1) == []
    assert Proposal.objects.get(pk=still_open.pk).status == ProposalStatus.AT_CELL


def test_a_deferred_report_back_is_carried_to_the_next_meeting(world):
    proposal = answered(world)
    meeting = run_meeting(world, cell_people(world), sign=False)
    meeting_services.agenda_item_update(
        actor=world.an_user, item=report_item(meeting), deferred=True
    )
    sign_meeting(world, meeting)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ANSWERED
    assert proposal.reported_back_meeting is None
    assert answers_to_report(world.khoi1) == [proposal]

    following = make_meeting(world.khoi1, date=datetime.date(2026, 12, 3))
    meeting_services.agenda_build(actor=world.an_user, meeting=following)
    # One report-back item, not a second copy of the deferred one.
    assert following.agenda_items.filter(title=REPORT_TITLE).count() == 1
    assert list(report_item(following).proposals.all()) == [proposal]


def test_no_answer_no_item(world):
    raise_proposal(world)
    meeting = make_meeting(world.khoi1)
    meeting_services.agenda_build(actor=world.an_user, meeting=meeting)
    assert not meeting.agenda_items.filter(title=REPORT_TITLE).exists()


def test_the_follower_records_a_proposal_collected_at_the_cells_meeting(client, world):
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 11, 3))
    client.force_login(world.cuc_user)  # upper-level member following the ward's cells
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    new_url = reverse("proposals:new") + f"?meeting={meeting.pk}"
    assert new_url in detail
    response = client.post(
        new_url,
        {
            "meeting": meeting.pk,
            "raised_by": world.binh.pk,
            "source": "citizens",
            "citizen_name": "Bà con khu phố 1",
            "citizen_place": "Khu phố 1",
            "topic": "security",
            "title": "Lắp camera an ninh ngã ba chợ",
            "content": "Đề nghị lắp camera giám sát tại ngã ba chợ Hưng Phú.",
            "raised_on": "2026-11-03",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.raised_at_meeting == meeting
    assert proposal.raised_by == world.binh and proposal.recorded_by == world.cuc_user
    assert proposal.level == world.khoi1


def test_a_plain_member_records_only_their_own(client, world, levels):
    client.force_login(world.binh_user)
    page = client.get(reverse("proposals:new"))
    assert page.status_code == 200
    assert 'name="raised_by"' not in page.content.decode()
    client.post(
        reverse("proposals:new"),
        {
            "cell": world.khoi1.pk,
            "source": "own",
            "topic": "infrastructure",
            "title": "Sửa mặt đường hẻm 7",
            "content": "Mặt đường hẻm 7 bị lún, đề nghị sửa.",
        },
    )
    assert Proposal.objects.get().raised_by == world.binh
    # Another cell's page for raising: 404; the ward's cell for a plain member of Khối 2: 404.
    client.force_login(world.binh_user)
    assert client.get(reverse("proposals:new") + f"?cell={world.khoi2.pk}").status_code == 404
