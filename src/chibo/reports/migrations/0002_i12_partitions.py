"""On PostgreSQL, the rollup tables become tables partitioned by year (RANGE on `period`):
one partition per year 2015–2040 and a DEFAULT one (docs/scale.md). PostgreSQL requires the
partition key in every unique constraint, so the primary key is (id, period) in SQL; Django
still reads, updates and deletes by `id` (ids stay unique: one identity sequence). The unique
(cell, period) and (organization, period) already hold the key. Every index, foreign key and
check of the table is recreated under its own name on the partitioned table; the (path,
period) indexes get the `varchar_pattern_ops` operator class, without which PostgreSQL cannot
use them for the subtree filter `path LIKE 'prefix%'` in a non-C collation (C.UTF-8 included).
Rows already there are copied. Other databases: nothing to do.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLES = ("reports_cellmonth", "reports_orgmonth")
FIRST_YEAR, LAST_YEAR = 2015, 2040


def _definitions(cursor: Any, table: str) -> tuple[list[str], list[str]]:
    """The table's constraints (but its primary key) and its indexes that back no constraint,
    as SQL that recreates them."""
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = %s::regclass AND contype <> 'p' ORDER BY conname""",
        [table],
    )
    constraints = [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for name, definition in cursor.fetchall()
    ]
    cursor.execute(
        """SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
        WHERE i.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY i.indexrelid""",
        [table],
    )
    indexes = [definition for (definition,) in cursor.fetchall()]
    return constraints, indexes


def _rebuild(cursor: Any, table: str, *, partitioned: bool) -> None:
    constraints, indexes = _definitions(cursor, table)
    old = f"{table}_before_i12"
    cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
    tail = " PARTITION BY RANGE (period)" if partitioned else ""
    cursor.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY){tail}")
    if partitioned:
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            cursor.execute(
                f"CREATE TABLE {table}_y{year} PARTITION OF {table} "
                f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
            )
        cursor.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")
    cursor.execute(f"INSERT INTO {table} OVERRIDING SYSTEM VALUE SELECT * FROM {old}")  # noqa: S608
    cursor.execute(f"DROP TABLE {old}")
    key = "id, period" if partitioned else "id"
    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{table}_pkey" PRIMARY KEY ({key})')
    for statement in constraints + indexes:
        if partitioned:  # subtree filters are `path LIKE 'prefix%'`: a pattern index serves them
            statement = statement.replace("(path, period)", "(path varchar_pattern_ops, period)")
        else:
            statement = statement.replace("(path varchar_pattern_ops, period)", "(path, period)")
        cursor.execute(statement)
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
        f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
    )


def partition(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            _rebuild(cursor, table, partitioned=True)


def unpartition(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            _rebuild(cursor, table, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_i12_rollups")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
