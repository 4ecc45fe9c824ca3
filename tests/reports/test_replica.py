"""The read replica (core.replica): which reads go where, first as routing decisions (any
database), then against a real PostgreSQL streaming replica started for the session
(tests/reports/conftest.py `pg_replica`; skipped on SQLite)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from chibo.accounts.models import User
from chibo.core.replica import REPLICA, ReplicaRouter, replica_reads, replica_view
from chibo.orgs.models import Organization
from chibo.reports.models import CellMonth
from tests.conftest import make_org

router = ReplicaRouter()
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


# -- routing decisions ---------------------------------------------------------------------------


@pytest.fixture
def replica_alias() -> Iterator[None]:
    """An alias "replica": the real one when `pg_replica` has set it up in this process, else
    one that is only declared (the decisions below never query it)."""
    if REPLICA in connections.settings:
        yield
        return
    connections.settings[REPLICA] = {
        **connections[DEFAULT_DB_ALIAS].settings_dict,
        "TEST": {"MIRROR": DEFAULT_DB_ALIAS},
    }
    yield
    connections.settings.pop(REPLICA)


@pytest.fixture
def no_replica_alias() -> Iterator[None]:
    real = connections.settings.pop(REPLICA, None)
    yield
    if real is not None:
        connections.settings[REPLICA] = real


def test_without_a_replica_every_read_goes_to_the_primary(no_replica_alias):
    with replica_reads():
        assert router.db_for_read(Organization) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Organization) == DEFAULT_DB_ALIAS


def test_reads_go_to_the_replica_only_inside_replica_reads(replica_alias):
    assert router.db_for_read(CellMonth) == DEFAULT_DB_ALIAS
    with replica_reads():
        assert router.db_for_read(CellMonth) == REPLICA
        assert router.db_for_read(Organization) == REPLICA
    assert router.db_for_read(CellMonth) == DEFAULT_DB_ALIAS


def test_the_decorated_view_reads_on_the_replica_and_the_rest_does_not(replica_alias):
    seen = []

    @replica_view
    def view(request):
        seen.append(router.db_for_read(CellMonth))
        return "page"

    assert view(None) == "page"
    assert seen == [REPLICA]
    assert router.db_for_read(CellMonth) == DEFAULT_DB_ALIAS


def test_writes_always_go_to_the_primary(replica_alias):
    with replica_reads():
        assert router.db_for_write(CellMonth) == DEFAULT_DB_ALIAS
    assert router.db_for_write(CellMonth) == DEFAULT_DB_ALIAS


def test_sessions_and_users_are_read_on_the_primary(replica_alias):
    # A session created by the login a moment ago may not be on the replica yet.
    with replica_reads():
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_of_the_primary_stay_there(replica_alias):
    with replica_reads():
        with transaction.atomic():
            assert router.db_for_read(CellMonth) == DEFAULT_DB_ALIAS
        assert router.db_for_read(CellMonth) == REPLICA


def test_the_replica_is_never_migrated():
    assert router.allow_migrate(REPLICA, "reports") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "reports") is True


# -- a real streaming replica (PostgreSQL) -------------------------------------------------------

needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="the read replica needs PostgreSQL")
on_both = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


def queries_of(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


@needs_postgres
@on_both
def test_the_replica_alias_is_a_standby_of_the_test_database(pg_replica):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database()")
        in_recovery, name = cursor.fetchone()
    assert in_recovery is True
    assert name == connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (False,)


@needs_postgres
@on_both
def test_a_read_in_replica_reads_runs_on_the_replica_and_sees_replayed_writes(pg_replica):
    province = make_org(None, "Tỉnh ủy Thử Nghiệm", "province_committee", "38")
    pg_replica.wait_for_replay()
    with (
        queries_of(REPLICA) as on_replica,
        queries_of(DEFAULT_DB_ALIAS) as on_primary,
        replica_reads(),
    ):
        names = list(Organization.objects.values_list("name", flat=True))
    assert names == [province.name]
    assert len(on_replica) == 1
    assert len(on_primary) == 0


@needs_postgres
@on_both
def test_a_write_not_yet_replayed_is_not_seen_there_but_is_on_the_primary(pg_replica):
    """Replay paused on the replica: the router's reads lag, the primary's do not."""
    make_org(None, "Tỉnh ủy Thử Nghiệm", "province_committee", "38")
    pg_replica.wait_for_replay()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        make_org(None, "Tỉnh ủy Thứ Hai", "province_committee", "39")
        with replica_reads():
            assert Organization.objects.count() == 1  # the replica, paused
        assert Organization.objects.count() == 2  # outside the block: the primary
        with replica_reads(), transaction.atomic():
            assert Organization.objects.count() == 2  # in a transaction: the primary
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    pg_replica.wait_for_replay()
    with replica_reads():
        assert Organization.objects.count() == 2


@needs_postgres
@on_both
def test_writes_inside_replica_reads_go_to_the_primary(pg_replica):
    with queries_of(REPLICA) as on_replica, replica_reads():
        province = make_org(None, "Tỉnh ủy Thử Nghiệm", "province_committee", "38")
        province.name = "Tỉnh ủy Đổi Tên"
        province.save(update_fields=["name"])
    writes = [
        q["sql"]
        for q in on_replica.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert Organization.objects.get(pk=province.pk).name == "Tỉnh ủy Đổi Tên"


@needs_postgres
@on_both
def test_reads_outside_replica_reads_stay_on_the_primary(pg_replica):
    make_org(None, "Tỉnh ủy Thử Nghiệm", "province_committee", "38")
    with queries_of(REPLICA) as on_replica:
        assert Organization.objects.count() == 1
        assert CellMonth.objects.count() == 0
    assert len(on_replica) == 0


@needs_postgres
@on_both
@pytest.mark.urls("tests.reports.replica_urls")
def test_a_replica_page_works_end_to_end(pg_replica, world, client):
    """The structure report behind @replica_view: its figures come from the replica, the
    session and the user from the primary — with replay paused, so a login the replica has
    not seen yet still opens the page."""
    pg_replica.wait_for_replay()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        client.force_login(world.cuc_user)  # a session the paused replica does not have
        with queries_of(REPLICA) as on_replica, queries_of(DEFAULT_DB_ALIAS) as on_primary:
            response = client.get(f"/replica/structure/{world.ward.pk}/")
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    assert response.status_code == 200
    assert world.ward.name in response.content.decode()
    assert len(on_replica) > 0
    primary_sql = " ".join(q["sql"] for q in on_primary.captured_queries)
    assert "django_session" in primary_sql
    replica_sql = " ".join(q["sql"] for q in on_replica.captured_queries)
    assert "django_session" not in replica_sql
    assert "orgs_organization" in replica_sql
