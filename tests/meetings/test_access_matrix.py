"""Every meeting page and action, tried by members who must not reach it: a member of another
cell gets 404 (the meeting does not exist for them) and nothing changes; a plain member of the
cell may read but not run the meeting (403)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.directives import services as directive_services
from chibo.meetings import services
from chibo.meetings.models import Meeting
from chibo.meetings.urls import urlpatterns
from tests.conftest import PASSWORD
from tests.meetings.doc_builders import cell_people, run_meeting
from tests.meetings.factories import make_meeting, open_meeting

# Pages a plain member of the cell reads (the meeting, its documents, the books).
MEMBER_READS = {
    "detail",
    "document_download",
    "cell_meetings",
    "minutes_file",
    "resolution_file",
    "addendum_file",
    "book",
    "book_pdf",
    "book_prepare",
    "book_progress",
    "outward",
    "outward_notice",
    "cell_outward",
}


def _kwargs(name: str, ids: dict) -> dict | None:
    pattern = next(p for p in urlpatterns if p.name == name).pattern
    keys = set(pattern.converters)
    values = {
        "pk": ids["meeting"],
        "org_pk": ids["ward"],
        "cell_pk": ids["cell"],
        "doc_pk": ids["document"],
        "item_pk": ids["item"],
        "member_id": ids["member"],
        "speech_pk": ids["speech"],
        "assignment_pk": ids["assignment"],
        "vote_pk": ids["vote"],
        "recipient_pk": ids["recipient"],
        "delivery_pk": ids["delivery"],
        "number": 1,
        "fmt": "pdf",
        "year": 2026,
    }
    return {key: values[key] for key in keys}


@pytest.fixture
def signed(world):
    meeting = run_meeting(world, cell_people(world))
    services.addendum_create(
        actor=world.an_user, meeting=meeting, text="Sửa tên khách mời.", reason="Ghi nhầm"
    )
    return meeting


@pytest.fixture
def ids(world, signed):
    live = make_meeting(world.khoi1, kind="extraordinary", date=datetime.date(2026, 11, 20))
    services.document_attach(
        actor=None,
        meeting=live,
        title="Tài liệu",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    services.agenda_build(actor=None, meeting=live)
    return {
        "meeting": signed.pk,
        "ward": world.ward.pk,
        "cell": world.khoi1.pk,
        "document": live.documents.get().pk,
        "item": signed.agenda_items.first().pk,
        "member": world.binh.pk,
        "speech": signed.speeches.first().pk,
        "assignment": signed.assignments.first().pk,
        "vote": signed.votes.first().pk,
        "recipient": services.recipient_add(
            actor=None,
            meeting=signed,
            kind="front",
            name="Ban công tác Mặt trận khu phố 1",
            content="resolution",
            sent_on=datetime.date(2026, 11, 10),
        ).pk,
        "live": live.pk,
        # A directive of the ward delivered to the cell, for "put on the agenda".
        "delivery": directive_services.directive_issue(
            actor=None,
            issuer=world.ward,
            number_symbol="12-CT/ĐU",
            issued_on=datetime.date(2026, 10, 1),
            subject="Tổ chức Tết",
            disseminate_by=timezone.localdate() + datetime.timedelta(days=60),
        )
        .deliveries.get(cell=world.khoi1)
        .pk,
    }


ROUTES = sorted(p.name for p in urlpatterns if p.name != "verify")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROUTES)
def test_a_member_of_another_cell_gets_404_and_changes_nothing(client, world, ids, name):
    kwargs = _kwargs(name, ids)
    if name in {"document_download", "prepare_document_remove"}:
        kwargs["pk"] = ids["live"]
    url = reverse(f"meetings:{name}", kwargs=kwargs)
    client.login(username="dung", password=PASSWORD)
    before = (AuditEntry.objects.count(), Meeting.objects.count())
    answers = {client.get(url).status_code, client.post(url, {"password": PASSWORD}).status_code}
    assert 404 in answers and answers <= {404, 405}, (name, answers)
    assert (AuditEntry.objects.count(), Meeting.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(ROUTES) - MEMBER_READS - {"policy", "policy_generate"}))
def test_a_plain_member_of_the_cell_cannot_run_the_meeting(client, world, ids, name):
    """Bình was the minute-taker of the signed meeting; on a meeting of the cell she does not
    run, every management and conduct action answers 403."""
    other = make_meeting(world.khoi1, kind="extraordinary", date=datetime.date(2026, 11, 25))
    services.agenda_build(actor=None, meeting=other)
    open_meeting(other, world.an, world.an)
    kwargs = _kwargs(name, ids)
    kwargs["pk"] = other.pk
    url = reverse(f"meetings:{name}", kwargs=kwargs)
    client.login(username="binh", password=PASSWORD)
    before = AuditEntry.objects.count()
    answers = {client.get(url).status_code, client.post(url, {"password": "x"}).status_code}
    # 404 where the sub-object (speech, vote …) belongs to another meeting; 302 only for the
    # signing pages, which refuse with a message because she is neither chair nor minute-taker.
    assert answers & {403, 404, 302} and not answers & {200}, (name, answers)
    assert AuditEntry.objects.count() == before
