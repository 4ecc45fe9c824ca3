"""The test-database snapshots of tests/dbsnapshot.py put back exactly what was there: every
row, and the id counters, both committed and inside a test's transaction."""

import pytest
from django.db import connection, transaction

from chibo.orgs.models import Organization
from tests import dbsnapshot
from tests.conftest import make_org


def org_rows() -> list[tuple]:
    return list(Organization.objects.order_by("pk").values_list("pk", "name", "code"))


@pytest.fixture
def two_orgs(transactional_db):
    province = make_org(None, "Tỉnh ủy Thử Nghiệm", "province_committee", "38")
    make_org(province, "Đảng ủy phường Hưng Phú", "ward_committee", "38.168")
    return province


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_the_rows_and_the_next_id(two_orgs):
    snapshot = dbsnapshot.take(connection)
    try:
        rows = org_rows()
        next_pk = make_org(two_orgs, "Đảng ủy xã Tân Sơn", "commune_committee", "38.201").pk
        snapshot.restore()
        assert org_rows() == rows

        Organization.objects.filter(pk=rows[-1][0]).update(name="Đổi tên")
        Organization.objects.filter(pk=two_orgs.pk).update(code="39")
        snapshot.restore()
        assert org_rows() == rows
        # The id counter is back too: the same organization gets the same id again.
        assert make_org(two_orgs, "Đảng ủy xã Tân Sơn", "commune_committee", "38.201").pk == next_pk
    finally:
        snapshot.discard()


@pytest.mark.django_db(transaction=True)
def test_a_restore_inside_a_transaction_is_rolled_back_with_it(two_orgs):
    empty = dbsnapshot.take(connection)
    try:
        rows = org_rows()
        Organization.objects.all().delete()
        emptied = dbsnapshot.take(connection)
        empty.restore()
        assert org_rows() == rows
        try:
            with transaction.atomic():
                emptied.restore()
                assert org_rows() == []
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        assert org_rows() == rows
        emptied.discard()
    finally:
        empty.discard()


def test_a_snapshot_is_taken_outside_a_transaction(db):
    with pytest.raises(dbsnapshot.SnapshotError):
        dbsnapshot.take(connection)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite attaches its snapshots")
def test_a_restore_inside_a_transaction_works_when_the_attachment_is_gone(two_orgs):
    """A connection opened again after the snapshot has lost the attached copy (and cannot
    attach it inside a transaction): the rows come back from the private copy."""
    snapshot = dbsnapshot.take(connection)
    try:
        rows = org_rows()
        attached_as = snapshot.schema
        snapshot.schema = "snapshot_gone"
        with transaction.atomic():
            Organization.objects.filter(pk=two_orgs.pk).update(code="39")
            snapshot.restore()
            assert org_rows() == rows
        snapshot.schema = attached_as
    finally:
        snapshot.discard()
