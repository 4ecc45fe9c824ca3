"""Snapshots of the test database: every row of every table and the id counters, taken once and
put back exactly, cheaply, as often as tests need them. The browser tests use one to start each
test from the freshly seeded demo without running `seed_demo` again.

`take(connection)` copies the database aside; `Snapshot.restore()` empties every table and loads
the copy back, in one transaction, so it works both in a transactional test (the live server's
thread sees the rows once it commits) and inside a test's transaction (rolled back with it):

- SQLite: the copy is a private in-memory database (SQLite's backup API), attached to the test
  connection; restoring is the backup API again outside a transaction, and inside one
  `DELETE` + `INSERT … SELECT` per table, `sqlite_sequence` included.
- PostgreSQL: the copy is each table's `COPY … TO STDOUT` in binary, and each sequence's last
  value; restoring is `DELETE` of every table that has rows, `COPY … FROM STDIN` and `setval`.

Foreign keys are deferred (Django creates them `DEFERRABLE INITIALLY DEFERRED`), so the tables
are loaded in any order and checked when the transaction commits."""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import dataclass, field

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from chibo.meetings.immutable import PURGE_TABLE, signed_records_purge

_names = itertools.count(1)


class SnapshotError(RuntimeError):
    """The database cannot be copied or restored as asked (the message says why)."""


def take(connection: BaseDatabaseWrapper) -> Snapshot:
    """Copy the whole database of `connection` aside. Must run outside any transaction."""
    if connection.in_atomic_block:
        raise SnapshotError("take a snapshot outside a transaction (a session-scoped fixture)")
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return _take_sqlite(connection)
    if connection.vendor == "postgresql":
        return _take_postgresql(connection)
    raise SnapshotError(f"no snapshot for the {connection.vendor} backend")


@dataclass
class Snapshot:
    connection: BaseDatabaseWrapper
    tables: list[str]

    def restore(self) -> None:
        """Put every table back as it was when the snapshot was taken."""
        raise NotImplementedError

    def discard(self) -> None:
        """Let the copy go (outside any transaction)."""


def _purge(connection: BaseDatabaseWrapper):
    """The restore's transaction, allowed to delete signed records (the triggers of
    meetings 0007 refuse it otherwise): chibo.meetings.immutable.signed_records_purge. The
    purge table itself is never part of a snapshot (it is empty outside a purge)."""
    if PURGE_TABLE in connection.introspection.table_names():
        return signed_records_purge(connection.alias)
    return transaction.atomic(using=connection.alias)


# -- SQLite ------------------------------------------------------------------------------------


@dataclass
class SqliteSnapshot(Snapshot):
    schema: str = ""
    holder: sqlite3.Connection | None = None  # the private copy
    attached: sqlite3.Connection | None = None  # keeps the attached copy alive

    def restore(self) -> None:
        if not self.connection.in_atomic_block and self.holder is not None:
            # Outside a transaction the whole copy goes back at once, page by page.
            self.connection.ensure_connection()
            self.holder.backup(self.connection.connection)
            return
        quote = self.connection.ops.quote_name
        self.connection.ensure_connection()
        raw = self.connection.connection
        if self.schema not in {row[1] for row in raw.execute("PRAGMA database_list")}:
            # The connection was opened again since the snapshot (the attachment went with the
            # old one) and ATTACH is refused inside a transaction: copy the rows from the
            # private copy instead (slower, and rare).
            self._restore_from_holder(raw)
            return
        with _purge(self.connection), self.connection.cursor() as cursor:
            for table in self.tables:
                name = quote(table)
                cursor.execute(f"DELETE FROM main.{name}")  # noqa: S608 — table names from SQLite
                # "WHERE 1" keeps SQLite from copying the table's pages wholesale (its transfer
                # optimisation), which would skip the deferred foreign-key bookkeeping of a
                # table that is only ever referenced, and fail the commit.
                cursor.execute(
                    f"INSERT INTO main.{name} SELECT * FROM {self.schema}.{name} WHERE 1"  # noqa: S608
                )

    def _restore_from_holder(self, raw: sqlite3.Connection) -> None:
        assert self.holder is not None
        quote = self.connection.ops.quote_name
        with _purge(self.connection):
            for table in self.tables:
                name = quote(table)
                raw.execute(f"DELETE FROM main.{name}")  # noqa: S608 — table names from SQLite
                rows = self.holder.execute(f"SELECT * FROM {name}").fetchall()  # noqa: S608
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    raw.executemany(f"INSERT INTO main.{name} VALUES ({marks})", rows)  # noqa: S608

    def discard(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DETACH DATABASE {self.schema}")
        for copy in (self.holder, self.attached):
            if copy is not None:
                copy.close()
        self.holder = self.attached = None


def _take_sqlite(connection: BaseDatabaseWrapper) -> SqliteSnapshot:
    # Two copies: a private one to restore from with the backup API, and a named shared-cache
    # one the test connection attaches to read from inside a transaction. (The backup API
    # cannot write into a connection that has the source database attached: it waits forever.)
    holder = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(holder)
    schema = f"snapshot_{next(_names)}"
    uri = f"file:chibo_{schema}_{id(connection)}?mode=memory&cache=shared"
    attached = sqlite3.connect(uri, uri=True, check_same_thread=False)
    holder.backup(attached)
    with connection.cursor() as cursor:
        cursor.execute("ATTACH DATABASE %s AS " + schema, [uri])
    tables = [
        row[0]
        for row in holder.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        if row[0] != PURGE_TABLE
    ]
    # Django's AUTOINCREMENT keys keep their counters in sqlite_sequence: restored with the rows.
    if holder.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        tables.append("sqlite_sequence")
    return SqliteSnapshot(
        connection=connection, tables=tables, schema=schema, holder=holder, attached=attached
    )


# -- PostgreSQL --------------------------------------------------------------------------------


@dataclass
class PostgresqlSnapshot(Snapshot):
    rows: dict[str, bytes] = field(default_factory=dict)
    sequences: list[tuple[str, int, bool]] = field(default_factory=list)

    def restore(self) -> None:
        quote = self.connection.ops.quote_name
        with _purge(self.connection), self.connection.cursor() as cursor:
            # DELETE, not TRUNCATE: emptying 60 tables with TRUNCATE costs seconds even when
            # they hold nothing, which is the usual case (pytest-django flushed them).
            for table in self.tables:
                cursor.execute(f"SELECT EXISTS (SELECT FROM {quote(table)})")  # noqa: S608
                if cursor.fetchone()[0]:
                    cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
            raw = cursor.cursor
            for table, data in self.rows.items():
                with raw.copy(f"COPY {quote(table)} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(data)
            for sequence, value, is_called in self.sequences:
                cursor.execute("SELECT setval(%s, %s, %s)", [sequence, value, is_called])


def _take_postgresql(connection: BaseDatabaseWrapper) -> PostgresqlSnapshot:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # A partitioned table (reports' rollups on PostgreSQL) holds no rows itself: its
        # partitions, which Django's introspection leaves out, are copied one by one.
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'p'")
        partitioned = {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relispartition AND c.relkind = 'r' AND n.nspname = current_schema()"
        )
        partitions = [name for (name,) in cursor.fetchall()]
        tables = sorted(
            {*connection.introspection.table_names(cursor), *partitions} - {PURGE_TABLE}
        )
        rows = {}
        for table in tables:
            if table in partitioned:
                continue
            data = bytearray()
            with cursor.cursor.copy(f"COPY {quote(table)} TO STDOUT (FORMAT binary)") as copy:
                for block in copy:
                    data += block
            cursor.execute(f"SELECT EXISTS (SELECT FROM {quote(table)})")  # noqa: S608
            if cursor.fetchone()[0]:
                rows[table] = bytes(data)
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
            "coalesce(last_value, start_value), last_value IS NOT NULL "
            "FROM pg_sequences WHERE schemaname = current_schema()"
        )
        sequences = [(name, value, is_called) for name, value, is_called in cursor.fetchall()]
    return PostgresqlSnapshot(connection=connection, tables=tables, rows=rows, sequences=sequences)
