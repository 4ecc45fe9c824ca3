"""What the fuzzer found (issue 14), each kept as a focused regression test.

1. `text.isdigit()` then `int(text)` on query parameters: "²" (a digit to str.isdigit(), not
   to int()) answered HTTP 500 on seven pages; now `core.forms.whole_number` reads them."""

from __future__ import annotations

import pytest

from chibo.core.forms import whole_number
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("2026", 2100, 2026),
        (" 7 ", 2100, 7),
        ("١٢", 2100, 12),  # Arabic-Indic digits: int() reads them, so do we
        ("²", 2100, None),  # a digit to str.isdigit(), not to int()
        ("9" * 5000, 2100, None),  # int() refuses more than 4,300 digits
        ("2101", 2100, None),
        ("-1", 2100, None),
        ("1,5", 2100, None),
        ("", 2100, None),
        (None, 2100, None),
        (str(2**63), 2**63 - 1, None),  # no database id is that large
    ],
)
def test_whole_number_reads_only_a_bounded_whole_number(text, limit, expected):
    assert whole_number(text, limit=limit) == expected


def pages(world):
    return [
        (world.admin_user, "/audit/?org={}"),
        (world.an_user, f"/members/{world.an.pk}/badges/new/?milestone={{}}"),
        (world.an_user, f"/meetings/cell/{world.khoi1.pk}/?year={{}}"),
        (world.an_user, f"/reports/dashboard/{world.khoi1.pk}/?months={{}}"),
        (world.cuc_user, f"/reviews/committee/{world.ward.pk}/?cell={{}}"),
        (world.cuc_user, f"/supervision/briefings/committees/{world.ward.pk}/?year={{}}"),
        (world.cuc_user, f"/supervision/model-meetings/committees/{world.ward.pk}/?year={{}}"),
    ]


@pytest.mark.parametrize("hostile", ["²", "9" * 5000, str(2**64)])
def test_pages_read_hostile_numbers_in_the_query_string_as_absent(client, world, hostile):
    for user, page in pages(world):
        client.login(username=user.username, password=PASSWORD)
        response = client.get(page.format(hostile))
        assert response.status_code == 200, page


# 2. On PostgreSQL (text cannot hold a NUL byte): a guest named "\x00" added during the meeting
#    and a NUL in the audit log's code filter, the unit search, the residence search and the
#    transfer's cell search answered 500 (DataError). The guest's name and position are now
#    refused with a sentence; the search terms drop the byte.


def test_a_guest_with_a_nul_or_overlong_name_is_refused_with_a_sentence(world):
    from chibo.core.errors import ServiceError
    from chibo.meetings.services import live
    from tests.meetings.factories import make_meeting, open_meeting

    meeting = open_meeting(make_meeting(world.khoi1), world.an, world.binh)
    for name, title in [("\x00", ""), ("Lê Văn Khách", "a\x00b"), ("x" * 121, "")]:
        with pytest.raises(ServiceError):
            live.guest_add(actor=world.an_user, meeting=meeting, name=name, title=title)
    assert meeting.guests.count() == 0
    guest = live.guest_add(
        actor=world.an_user, meeting=meeting, name="  Lê  Văn Khách ", title="Bí thư "
    )
    assert (guest.name, guest.title) == ("Lê Văn Khách", "Bí thư")


def test_search_terms_with_a_nul_byte_find_nothing_rather_than_fail(client, world):
    client.login(username=world.admin_user.username, password=PASSWORD)
    for page in ("/audit/?code=%00", "/orgs/?q=%00", "/lifecycle/transfers/cells/?q=Kh%00i"):
        assert client.get(page).status_code == 200, page
    client.login(username=world.an_user.username, password=PASSWORD)
    response = client.get(f"/residence/member/{world.an.pk}/link/new/?q=%00")
    assert response.status_code == 200
