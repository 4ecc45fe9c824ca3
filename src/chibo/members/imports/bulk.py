"""Writing many rows of one table at once, below the ORM: COPY on PostgreSQL (psycopg 3's
`cursor.copy`), one prepared INSERT run over every row (`executemany`) on SQLite — the two
databases chibo runs on.

`bulk_create` spends most of a large import compiling every value of every row through the
field classes (about 0.4 ms a member with its status event on a 2-core machine); here the
caller gives the values already in the form the database stores, column by column, and the
ids are reserved before writing (`reserve_ids`), so rows that refer to the new rows (status
events) are written the same way without reading anything back.

Nothing here runs model code: no `save()`, no signals. The caller computes what `save()` or a
receiver would have (see writing.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

# On SQLite, the values of a date column are stored as ISO text (what Django's
# adapt_datefield_value gives); PostgreSQL takes the date objects.
DateAdapter = Callable[[Any], Any]


def date_adapter() -> DateAdapter:
    if connection.vendor == "sqlite":
        return lambda day: day.isoformat() if day is not None else None
    return lambda day: day


def prepared(field: models.Field[Any, Any], value: Any) -> Any:
    """One value as the database stores it, through the field (for values shared by every
    row: the time of the import, a default, a JSON document)."""
    return field.get_db_prep_save(field.get_prep_value(value), connection)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`.

    PostgreSQL: taken from the column's sequence (never given twice, whatever runs alongside).
    SQLite: the ids after the highest ever given (AUTOINCREMENT's sqlite_sequence included, so
    the ids of deleted rows are not reused); call it inside the transaction that inserts —
    SQLite lets one transaction write at a time (settings: IMMEDIATE), and a row inserted by
    someone else in between would make the insert fail on the primary key, never mix rows."""
    meta = model._meta
    table, pk = meta.db_table, str(meta.pk.column if meta.pk else "id")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            quote = connection.ops.quote_name
            cursor.execute(
                f"SELECT MAX(n) FROM (SELECT MAX({quote(pk)}) AS n FROM {quote(table)} "  # noqa: S608
                "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
                [table],
            )
            last = cursor.fetchone()[0] or 0
            return list(range(last + 1, last + count + 1))
    raise NotImplementedError(f"bulk writes on {connection.vendor}")


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert `rows` (tuples of values as the database stores them, in the order of
    `columns`, which are column names) into `model`'s table."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({names}) FROM STDIN"
        started = time.monotonic()
        count = 0
        # COPY goes through the psycopg cursor itself (Django's wrapper has no copy());
        # wrap_database_errors turns psycopg's errors into Django's (IntegrityError …).
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(sql) as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        if connection.queries_logged:
            # Show the COPY where the other queries are shown (debug pages, query counts).
            connection.queries_log.append(
                {"sql": f"{sql} -- {count} rows", "time": f"{time.monotonic() - started:.3f}"}
            )
        return
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608
            list(rows),
        )
