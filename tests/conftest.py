"""Shared test set-up: the named people of STYLE.md and small factories.

An (secretary of Khối 1), Bình (member of Khối 1), Cúc (upper-level committee member who
oversees the ward), Dũng (member of Khối 2, another cell), and Hà (administrator)."""

import datetime
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteWrapper
from huey.contrib.djhuey import HUEY

from chibo.meetings.immutable import PURGE_TABLE, signed_records_purge
from chibo.members import services as member_services
from chibo.orgs import services as org_services
from tests import dbsnapshot

# argon2 is slow on purpose; the suite does not test the hasher.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.AXES_ENABLED = False
# Jobs run inline in tests (STYLE.md), in memory: nothing is queued into var/jobs.sqlite3, and the
# demo's seed leaves its signed files to the job as `make demo` does (it queues nothing inline).
HUEY.immediate = True
# Tests render pages without running collectstatic first.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

PASSWORD = "correct-horse-battery"


def _flush_with_signed_purge(flush):
    """Django empties the test database after each transactional test with DELETE on SQLite
    (TRUNCATE on PostgreSQL fires no row triggers): that DELETE may meet signed records, which
    the triggers of meetings 0007 refuse to delete. The flush is granted the purge
    (chibo.meetings.immutable) for its own transaction, and for nothing else."""

    def execute_sql_flush(self, sql_list):
        if PURGE_TABLE not in self.connection.introspection.table_names():
            return flush(self, sql_list)  # before migrations (or a migration test going back)
        with signed_records_purge(self.connection.alias):
            return flush(self, sql_list)

    return execute_sql_flush


SqliteWrapper.ops_class.execute_sql_flush = _flush_with_signed_purge(
    SqliteWrapper.ops_class.execute_sql_flush
)


def make_org(parent, name, kind, code, **extra):
    return org_services.organization_create(
        actor=None, parent=parent, name=name, kind=kind, code=code, **extra
    )


def make_member(cell, full_name, *, birth=datetime.date(1970, 5, 1), official=True, **extra):
    dates = {}
    if official:
        dates = {
            "admission_decision_date": datetime.date(2000, 3, 1),
            "ceremony_date": datetime.date(2000, 3, 19),
            "official_date": datetime.date(2001, 3, 19),
        }
    return member_services.member_create(
        actor=None,
        cell=cell,
        full_name=full_name,
        sex=extra.pop("sex", "male"),
        birth_date=birth,
        **{**dates, **extra},
    )


def make_user(django_user_model, username, member=None, **extra):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, **extra)
    if member is not None:
        member_services.member_link_user(actor=None, member=member, user=user)
    return user


def give_position(member, organization, role, start=datetime.date(2024, 1, 1)):
    return org_services.position_assign(
        actor=None, member=member, organization=organization, role=role, start_date=start
    )


@dataclass
class World:
    province: Any
    ward: Any
    khoi1: Any
    khoi2: Any
    other_ward: Any
    other_cell: Any
    an: Any
    binh: Any
    cuc: Any
    dung: Any
    an_user: Any
    binh_user: Any
    cuc_user: Any
    dung_user: Any
    admin_user: Any


@pytest.fixture
def world(db, django_user_model) -> World:
    province = make_org(None, "Tỉnh ủy Thử Nghiệm", "province_committee", "38")
    ward = make_org(province, "Đảng ủy phường Hưng Phú", "ward_committee", "38.168")
    khoi1 = make_org(
        ward, "Chi bộ Khối 1", "cell", "38.168.000.000.001", cell_type="residential_group"
    )
    khoi2 = make_org(
        ward, "Chi bộ Khối 2", "cell", "38.168.000.000.002", cell_type="residential_group"
    )
    other_ward = make_org(province, "Đảng ủy xã Tân Sơn", "commune_committee", "38.201")
    other_cell = make_org(other_ward, "Chi bộ thôn Nà Mò", "cell", "38.201.000.000.001")
    an = make_member(khoi1, "Nguyễn Văn An", party_card_number="10000001")
    binh = make_member(khoi1, "Trần Thị Bình", sex="female", party_card_number="10000002")
    cuc = make_member(khoi2, "Lê Thị Cúc", sex="female", party_card_number="10000003")
    dung = make_member(khoi2, "Phạm Văn Dũng", party_card_number="10000004")
    give_position(an, khoi1, "secretary")
    give_position(cuc, ward, "upper_committee_member")
    return World(
        province=province,
        ward=ward,
        khoi1=khoi1,
        khoi2=khoi2,
        other_ward=other_ward,
        other_cell=other_cell,
        an=an,
        binh=binh,
        cuc=cuc,
        dung=dung,
        an_user=make_user(django_user_model, "an", an, first_name="An"),
        binh_user=make_user(django_user_model, "binh", binh),
        cuc_user=make_user(django_user_model, "cuc", cuc),
        dung_user=make_user(django_user_model, "dung", dung),
        admin_user=make_user(django_user_model, "ha", None, is_superuser=True, is_staff=True),
    )


# -- the demo, seeded once per test process ------------------------------------------------------


class DemoSnapshots(NamedTuple):
    before: dbsnapshot.Snapshot  # the test database as it was before seeding
    seeded: dbsnapshot.Snapshot  # and as `seed_demo` left it


@pytest.fixture(scope="session")
def demo_snapshots(django_db_setup, django_db_blocker) -> DemoSnapshots:
    """`seed_demo` run once per test process (each xdist worker has its own database) and kept
    aside as a snapshot; the test database itself is put back exactly as it was, so the tests
    that run later in this process see no demo. Use `demo_data` in tests, not this."""
    with django_db_blocker.unblock():
        before = dbsnapshot.take(connection)
        started = time.perf_counter()
        call_command("seed_demo", stdout=io.StringIO())
        print(f"\nseed_demo (once for this process): {time.perf_counter() - started:.2f} s")
        seeded = dbsnapshot.take(connection)
        before.restore()
    return DemoSnapshots(before=before, seeded=seeded)


@pytest.fixture
def demo_data(db, demo_snapshots) -> Iterator[None]:
    """The database exactly as `seed_demo` leaves it on an empty database (rows and id
    counters), restored from the snapshot in about a second instead of seeding again.
    Inside the test's transaction with `db`; committed with `transactional_db` or
    `live_server` (then the live server's thread sees it)."""
    demo_snapshots.seeded.restore()
    yield
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Committed on SQLite: empty it the cheap way (the backup API, milliseconds), so that
        # pytest-django's flush after the test has nothing to delete. (On PostgreSQL the flush
        # costs the same either way: its TRUNCATE does not depend on the rows.)
        demo_snapshots.before.restore()
