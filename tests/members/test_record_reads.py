"""The access log of full records (issue 14, Nghị định 13/2023/NĐ-CP): each read of another
person's full record by a staff user is one row (who, whose, when, which page); reading one's
own record is not logged; only an administrator reviews the log, filtered by reader, member and
days; rows older than the retention period are purged."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.members.models import RecordPage, RecordRead
from chibo.members.record_reads import purge_old_record_reads

pytestmark = pytest.mark.django_db

VN = datetime.timezone(datetime.timedelta(hours=7))
LOG_URL = reverse("members:record_reads")


def _detail(member):
    return reverse("members:detail", args=[member.pk])


def test_a_staff_read_of_another_record_logs_one_row(client, world):
    client.force_login(world.an_user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_detail(world.binh)).status_code == 200
    row = RecordRead.objects.get()
    assert (row.reader, row.member, row.page) == (world.an_user, world.binh, "member_detail")
    # One INSERT into the log, nothing else written about it.
    inserts = [q for q in queries.captured_queries if "members_recordread" in q["sql"]]
    assert len(inserts) == 1 and inserts[0]["sql"].startswith("INSERT")


def test_reading_ones_own_record_is_not_logged(client, world):
    client.force_login(world.binh_user)
    assert client.get(_detail(world.binh)).status_code == 200
    client.force_login(world.an_user)
    assert client.get(_detail(world.an)).status_code == 200
    assert not RecordRead.objects.exists()


def test_a_refused_read_is_not_logged(client, world):
    """Dũng (another cell) gets 404 for Bình's record: he read nothing."""
    client.force_login(world.dung_user)
    assert client.get(_detail(world.binh)).status_code == 404
    assert not RecordRead.objects.exists()


def test_the_edit_form_and_the_review_page_are_logged_too(client, world):
    client.force_login(world.an_user)
    assert client.get(reverse("members:edit", args=[world.binh.pk])).status_code == 200
    assert client.get(reverse("reviews:member", args=[world.binh.pk])).status_code == 200
    assert list(RecordRead.objects.order_by("id").values_list("page", flat=True)) == [
        RecordPage.MEMBER_EDIT,
        RecordPage.REVIEW,
    ]
    # The upper-level committee member (Cúc) and the administrator are logged as well.
    client.force_login(world.cuc_user)
    client.get(_detail(world.binh))
    client.force_login(world.admin_user)
    client.get(_detail(world.binh))
    assert RecordRead.objects.filter(member=world.binh).count() == 4


def _log(reader, member, when):
    return RecordRead.objects.create(
        reader=reader, member=member, page=RecordPage.MEMBER_DETAIL, read_at=when
    )


@pytest.fixture
def logged(world):
    """An read Bình on 1/11; Cúc read Dũng on 5/11; the
    administrator read Bình on 9/11 (all at 09:00 Vietnam time)."""
    _log(world.an_user, world.binh, datetime.datetime(2026, 11, 1, 9, tzinfo=VN))
    _log(world.cuc_user, world.dung, datetime.datetime(2026, 11, 5, 9, tzinfo=VN))
    _log(world.admin_user, world.binh, datetime.datetime(2026, 11, 9, 9, tzinfo=VN))
    return world


def _rows(client, **params):
    response = client.get(LOG_URL, params)
    assert response.status_code == 200
    return response.context["page"].object_list


def test_admin_filters_by_reader_member_and_days(client, logged):
    client.force_login(logged.admin_user)
    assert len(_rows(client)) == 3
    assert [r.reader for r in _rows(client, reader="cuc")] == [logged.cuc_user]
    # By name without accents, or by party card number.
    assert {r.member for r in _rows(client, member="tran thi binh")} == {logged.binh}
    assert {r.member for r in _rows(client, member="10000004")} == {logged.dung}
    # 5/11 to 9/11 inclusive: Cúc's and the administrator's reads.
    rows = _rows(client, date_from="2026-11-05", date_to="2026-11-09")
    assert [r.reader for r in rows] == [logged.admin_user, logged.cuc_user]
    assert [r.reader for r in _rows(client, date_from="2026-11-06")] == [logged.admin_user]
    page = client.get(LOG_URL).content.decode()
    assert "Trần Thị Bình" in page and 'id="record-reads"' in page


def test_bad_dates_are_reported_and_filter_nothing(client, logged):
    client.force_login(logged.admin_user)
    response = client.get(LOG_URL, {"date_from": "2026-11-09", "date_to": "2026-11-01"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert len(response.context["page"].object_list) == 3


def test_only_the_administrator_reviews_the_log(client, logged):
    for user in (logged.an_user, logged.binh_user, logged.cuc_user):
        client.force_login(user)
        assert client.get(LOG_URL).status_code == 403
    client.force_login(logged.admin_user)
    assert client.post(LOG_URL).status_code == 405
    client.logout()
    assert client.get(LOG_URL).status_code == 302


def test_the_log_page_runs_a_fixed_number_of_queries(client, world):
    for day in range(1, 21):
        _log(world.an_user, world.binh, datetime.datetime(2026, 11, day, 9, tzinfo=VN))
    client.force_login(world.admin_user)
    client.get(LOG_URL)  # warm the session and the scope
    with CaptureQueriesContext(connection) as few:
        client.get(LOG_URL)
    for day in range(1, 21):
        _log(world.cuc_user, world.dung, datetime.datetime(2026, 10, day, 9, tzinfo=VN))
    with CaptureQueriesContext(connection) as many:
        client.get(LOG_URL)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_admin_reaches_the_log_from_home_and_the_audit_page(client, world):
    client.force_login(world.admin_user)
    assert LOG_URL in client.get(reverse("home")).content.decode()
    assert LOG_URL in client.get(reverse("audit")).content.decode()


def test_rows_older_than_the_retention_period_are_purged(world, settings):
    settings.CHIBO_RECORD_READS_KEEP_DAYS = 730
    now = datetime.datetime(2026, 11, 10, 9, tzinfo=VN)
    old = _log(world.an_user, world.binh, now - datetime.timedelta(days=731))
    kept = _log(world.an_user, world.binh, now - datetime.timedelta(days=729))
    with time_machine.travel(now, tick=False):
        assert purge_old_record_reads() == 1
    assert list(RecordRead.objects.all()) == [kept]
    assert not RecordRead.objects.filter(pk=old.pk).exists()
