"""A receiving cell's next meeting carries the directive (DOMAIN §1.4 step 5, "phổ biến, quán
triệt văn bản cấp trên") and signing the minutes records its dissemination."""

import datetime

import pytest
from django.urls import reverse

from chibo.core.errors import ServiceError
from chibo.directives import selectors
from chibo.meetings import documents, services
from tests.conftest import PASSWORD
from tests.directives.conftest import issue
from tests.meetings.doc_builders import cell_people, run_meeting
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db


def test_the_agenda_carries_the_pending_directive_after_the_news_step(world, ward_keeper):
    directive = issue(ward_keeper, world.ward)
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 12, 20))
    items = services.agenda_build(actor=world.an_user, meeting=meeting)
    steps = [item.step for item in items]
    carried = [item for item in items if item.directive_delivery_id]
    assert len(carried) == 1
    item = carried[0]
    assert item.position == items[steps.index("news")].position + 1
    assert item.title.startswith("Phổ biến, quán triệt 12-CT/ĐU ngày 01/10/2026")
    assert "Đảng ủy phường Hưng Phú" in item.title and directive.subject in item.title
    assert item.directive_delivery.cell_id == world.khoi1.pk


def test_a_directive_issued_after_the_meeting_is_not_on_its_agenda(world, ward_keeper):
    issue(ward_keeper, world.ward)
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 9, 20))
    items = services.agenda_build(actor=world.an_user, meeting=meeting)
    assert not [item for item in items if item.directive_delivery_id]


def test_signing_records_the_dissemination_and_the_minutes_name_it(world, ward_keeper):
    directive = issue(ward_keeper, world.ward)
    meeting = run_meeting(world, cell_people(world))
    delivery = directive.deliveries.get(cell=world.khoi1)
    assert delivery.disseminated_meeting == meeting
    assert delivery.disseminated_on == meeting.date
    # The signed minutes name the directive: its agenda item is in the frozen content.
    titles = [entry.title for entry in documents.document_data(meeting).agenda]
    assert any("12-CT/ĐU" in title and "Đảng ủy phường Hưng Phú" in title for title in titles)
    assert selectors.pending_for_cell(world.khoi1) == []
    coverage = selectors.coverage(directive, world.ward)
    assert (coverage.total.cells, coverage.total.disseminated) == (2, 1)
    khoi2 = next(row for row in coverage.rows if row.unit == world.khoi2)
    assert khoi2.delivery.disseminated_meeting is None


def test_a_deferred_directive_item_is_not_disseminated(world, ward_keeper):
    directive = issue(ward_keeper, world.ward)
    people = cell_people(world)
    meeting = run_meeting(world, people, sign=False)
    item = meeting.agenda_items.get(directive_delivery__isnull=False)
    item.deferred = True
    item.save(update_fields=["deferred"])
    from tests.meetings.doc_builders import sign_meeting

    sign_meeting(world, meeting)
    assert directive.deliveries.get(cell=world.khoi1).disseminated_meeting is None


def test_the_agenda_page_offers_a_new_directive_and_the_button_adds_it(client, world, ward_keeper):
    meeting = make_meeting(world.khoi1, date=datetime.date(2026, 12, 20))
    services.agenda_build(actor=world.an_user, meeting=meeting)
    directive = issue(ward_keeper, world.ward, number_symbol="15-HD/ĐU")
    delivery = directive.deliveries.get(cell=world.khoi1)
    client.login(username="an", password=PASSWORD)
    page = client.get(reverse("meetings:prepare", args=[meeting.pk]))
    assert "15-HD/ĐU" in page.content.decode() and b"pending-directives" in page.content
    url = reverse("meetings:prepare_agenda_directive", args=[meeting.pk, delivery.pk])
    assert client.post(url).status_code == 302
    # Where agenda_build would have put it: right after the step for the upper level's
    # documents (DOMAIN §1.4), the items after it moved down one.
    steps = [item.step for item in meeting.agenda_items.order_by("position")]
    item = meeting.agenda_items.get(directive_delivery=delivery)
    news = meeting.agenda_items.get(step="news")
    assert item.position == news.position + 1
    assert steps[news.position] == ""  # the item right after the news step is the directive
    assert steps.count("closing") == 1 and steps[-1] == "closing"
    # A second one goes after the first.
    second = issue(ward_keeper, world.ward, number_symbol="16-HD/ĐU").deliveries.get(
        cell=world.khoi1
    )
    services.agenda_add_directive(actor=world.an_user, meeting=meeting, delivery=second)
    added = meeting.agenda_items.get(directive_delivery=second)
    assert added.position == news.position + 2
    positions = list(meeting.agenda_items.values_list("position", flat=True))
    assert sorted(positions) == list(range(1, len(positions) + 1))
    page = client.get(reverse("meetings:prepare", args=[meeting.pk]))
    assert b"pending-directives" not in page.content
    with pytest.raises(ServiceError, match="đã có trong chương trình"):
        services.agenda_add_directive(actor=world.an_user, meeting=meeting, delivery=delivery)
    # Another cell's delivery does not exist for this meeting.
    other = directive.deliveries.get(cell=world.khoi2)
    url = reverse("meetings:prepare_agenda_directive", args=[meeting.pk, other.pk])
    assert client.post(url).status_code == 404
    assert not meeting.agenda_items.filter(directive_delivery=other).exists()
