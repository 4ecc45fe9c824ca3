"""Signed records are immutable in the database too (migration 0007_signed_records_immutable):
triggers refuse to change or delete a frozen record, its signatures, a frozen addendum and any
signed file, with the error "chibo: signed record is immutable".

`signed_records_purge` is the one, narrow escape, for DELETE only: whole data sets that go
away together (the demo's reset of its own province, the test database's flush and
snapshots). It grants the purge inside the caller's transaction and withdraws it before the
transaction ends, so no other connection ever sees it and a failure rolls it back with the
rest. No service of chibo uses it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction

PURGE_TABLE = "meetings_signed_purge"


@contextmanager
def signed_records_purge(using: str = "default") -> Iterator[None]:
    """Let the statements inside delete signed records (never update them)."""
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {PURGE_TABLE} (granted_at) VALUES (1)")  # noqa: S608
        yield  # an error here rolls the grant back with everything else
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PURGE_TABLE}")  # noqa: S608
