"""Who must use two-factor and the roll-out (issue 14).

Hà (administrator) and Cúc (upper-level committee member of the ward) must; so do the ward's
secretary, a ward committee member and the organisation-commission staff. An (secretary of the
cell Khối 1), Bình (member) and a standing attendee may, but are never forced. A required user
without an app has CHIBO_TWO_FACTOR_GRACE_DAYS (14) days from the first request where it was
required: a banner with the date meanwhile, then every page sends them to the set-up page."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from chibo.accounts.twofactor import STATUS_TTL, status_for, two_factor_required
from chibo.core.models import AuditEntry
from tests.conftest import give_position, make_member, make_user

HOME = reverse("home")
SETUP = reverse("accounts:twofactor_setup")


def required_since(user) -> datetime.datetime | None:
    user.refresh_from_db(fields=["two_factor_required_since"])
    return user.two_factor_required_since


@pytest.fixture
def officers(world, django_user_model):
    """Phường (ward secretary), Quang (ward committee member), Sơn (organisation staff),
    Tâm (standing attendee of Khối 1), Uyên (deputy secretary of the cell Khối 1)."""
    users = {}
    for username, name, unit, role in (
        ("phuong", "Hoàng Văn Phường", world.ward, "secretary"),
        ("quang", "Đỗ Văn Quang", world.ward, "committee_member"),
        ("son", "Vũ Văn Sơn", world.ward, "organization_staff"),
        ("tam", "Lý Văn Tâm", world.khoi1, "standing_attendee"),
        ("uyen", "Mai Thị Uyên", world.khoi1, "deputy_secretary"),
    ):
        cell = unit if unit.kind == "cell" else world.khoi2
        member = make_member(cell, name, party_card_number=f"2000{len(users):04d}")
        give_position(member, unit, role)
        users[username] = make_user(django_user_model, username, member)
    return users


@pytest.mark.django_db
def test_who_must_use_two_factor(world, officers):
    assert two_factor_required(world.admin_user)
    assert two_factor_required(world.cuc_user)  # upper-level committee member
    assert two_factor_required(officers["phuong"])  # secretary of a committee
    assert two_factor_required(officers["quang"])  # committee member of a committee
    assert two_factor_required(officers["son"])  # organisation-commission staff
    assert not two_factor_required(world.an_user)  # secretary of a cell
    assert not two_factor_required(officers["uyen"])  # deputy secretary of a cell
    assert not two_factor_required(officers["tam"])  # standing attendee reads no register
    assert not two_factor_required(world.binh_user)  # ordinary member
    for user in (world.admin_user, world.cuc_user, world.binh_user, officers["tam"]):
        assert status_for(user).required == two_factor_required(user)


@pytest.mark.django_db
def test_an_ended_position_no_longer_requires_it(world, django_user_model):
    member = make_member(world.khoi1, "Đinh Văn Vinh", party_card_number="30000001")
    position = give_position(member, world.ward, "deputy_secretary")
    user = make_user(django_user_model, "vinh", member)
    assert two_factor_required(user)
    position.end_date = timezone.localdate() - datetime.timedelta(days=1)
    position.save(update_fields=["end_date"])
    assert not two_factor_required(user)


@pytest.mark.django_db
def test_within_grace_every_page_shows_the_banner_with_the_date(world, client):
    client.force_login(world.cuc_user)
    since = required_since(world.cuc_user)
    assert since is not None  # the grace period started at login
    assert AuditEntry.objects.filter(code="twofactor.grace_started").count() == 1
    deadline = timezone.localtime(since + datetime.timedelta(days=14)).strftime("%d/%m/%Y")
    for url in (HOME, reverse("accounts:handbook"), reverse("notify:inbox")):
        response = client.get(url)
        assert response.status_code == 200, url
        banner = response.content.decode().split('id="twofactor-banner"')[1][:600]
        assert deadline in banner
        assert SETUP in banner
    assert required_since(world.cuc_user) == since  # the first moment is kept


@pytest.mark.django_db
def test_the_administrator_must_use_it_too(world, client):
    client.force_login(world.admin_user)
    assert 'id="twofactor-banner"' in client.get(HOME).content.decode()
    world.admin_user.two_factor_required_since = timezone.now() - datetime.timedelta(days=15)
    world.admin_user.save(update_fields=["two_factor_required_since"])
    assert client.get(reverse("audit")).url.startswith(SETUP)


@pytest.mark.django_db
def test_past_grace_every_page_redirects_to_setup(world, client):
    client.force_login(world.cuc_user)
    world.cuc_user.two_factor_required_since = timezone.now() - datetime.timedelta(days=14)
    world.cuc_user.save(update_fields=["two_factor_required_since"])
    for url in (HOME, reverse("accounts:handbook"), reverse("accounts:twofactor")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{SETUP}?next={url.replace('/', '%2F')}"
    # A POST is refused the same way and changes nothing.
    assert client.post(reverse("notify:inbox")).url == SETUP
    # htmx asks for the whole page instead of swapping the set-up page into a fragment.
    response = client.get(HOME, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == SETUP
    # The set-up page itself, the static files and logging out stay reachable.
    assert client.get(SETUP).status_code == 200
    assert client.get("/static/core/chibo.css").status_code != 302
    assert client.post(reverse("accounts:logout")).url == reverse("accounts:login")


@pytest.mark.django_db
def test_one_day_before_the_end_of_grace_is_still_grace(world, client):
    client.force_login(world.cuc_user)
    world.cuc_user.two_factor_required_since = timezone.now() - datetime.timedelta(days=13)
    world.cuc_user.save(update_fields=["two_factor_required_since"])
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_an_optional_user_is_never_forced_nor_bannered(world, client):
    for user in (world.an_user, world.binh_user):
        client.force_login(user)
        response = client.get(HOME)
        assert response.status_code == 200
        assert 'id="twofactor-banner"' not in response.content.decode()
        assert required_since(user) is None


@pytest.mark.django_db
def test_grace_starts_at_the_first_request_where_it_is_required(world, client):
    client.force_login(world.binh_user)
    assert required_since(world.binh_user) is None
    # Bình is appointed organisation staff of the ward while her session is open: the status
    # her session keeps is renewed within five minutes.
    give_position(world.binh, world.ward, "organization_staff", start=timezone.localdate())
    assert 'id="twofactor-banner"' not in client.get(HOME).content.decode()
    with time_machine.travel(timezone.now() + STATUS_TTL + datetime.timedelta(seconds=1)):
        response = client.get(HOME)
        first_request = timezone.now()
    assert response.status_code == 200
    assert 'id="twofactor-banner"' in response.content.decode()
    assert abs(required_since(world.binh_user) - first_request) < datetime.timedelta(seconds=5)


@pytest.mark.django_db
def test_grace_is_forgotten_when_the_requirement_ends(world, django_user_model, client):
    member = make_member(world.khoi1, "Đinh Văn Vinh", party_card_number="30000001")
    position = give_position(member, world.ward, "committee_member")
    user = make_user(django_user_model, "vinh", member)
    client.force_login(user)
    assert required_since(user) is not None
    position.end_date = timezone.localdate() - datetime.timedelta(days=1)
    position.save(update_fields=["end_date"])
    with time_machine.travel(timezone.now() + STATUS_TTL + datetime.timedelta(seconds=1)):
        assert 'id="twofactor-banner"' not in client.get(HOME).content.decode()
    assert required_since(user) is None
    assert AuditEntry.objects.filter(code="twofactor.requirement_ended").count() == 1


@pytest.mark.django_db
def test_an_ordinary_page_costs_no_query_for_two_factor(
    world, client, django_assert_max_num_queries
):
    """The status is computed at login and kept in the session: the home page of a user
    without two-factor asks the database nothing more than it did before issue 14."""
    client.force_login(world.cuc_user)
    client.get(HOME)
    with django_assert_max_num_queries(200) as counted:
        client.get(HOME)
    sqls = " ".join(query["sql"] for query in counted.captured_queries)
    assert "otp_totp_totpdevice" not in sqls  # no device lookup
    assert 'UPDATE "accounts_user"' not in sqls  # no grace write
    assert 'UPDATE "django_session"' not in sqls  # nothing new kept in the session
