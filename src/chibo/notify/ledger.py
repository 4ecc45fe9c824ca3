"""The ledger of reminders: one row per (kind, object, recipient, day), unique in the database."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils import timezone

from chibo.notify.models import Reminder

# Rows per INSERT: five parameters each stay far below SQLite's limit of bound variables.
CHUNK = 1000


def claim_once(
    *, kind: str, object_key: str, recipient_ids: Iterable[int], day: datetime.date
) -> list[int]:
    """Record (kind, object_key, recipient, day) for each recipient and return the recipients
    whose row this call inserted: a row already there — written earlier, or by another job at
    the same moment — is skipped by the database's unique key (INSERT … ON CONFLICT DO
    NOTHING, PostgreSQL and SQLite ≥ 3.35)."""
    ids = sorted(set(recipient_ids))
    inserted: list[int] = []
    for start in range(0, len(ids), CHUNK):
        inserted += _insert(kind, object_key, ids[start : start + CHUNK], day)
    return inserted


def _insert(kind: str, object_key: str, ids: list[int], day: datetime.date) -> list[int]:
    if not ids:
        return []
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    on_day = ops.adapt_datefield_value(day)
    table = ops.quote_name(Reminder._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(ids))
    params: list[Any] = []
    for pk in ids:
        params += [kind, object_key, pk, on_day, now]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, object_key, recipient_id, day, created_at) "  # noqa: S608
            f"VALUES {values} ON CONFLICT (kind, object_key, recipient_id, day) DO NOTHING "
            "RETURNING recipient_id",
            params,
        )
        return [row[0] for row in cursor.fetchall()]
