"""Writing a checked member list (`import_members`): one transaction, one audit entry."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import DateField, DateTimeField
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.text import name_sort_key
from chibo.members.imports import bulk
from chibo.members.imports.results import ImportMode, ImportOutcome, ImportResult, ImportRow
from chibo.members.models import Member, MemberEvent
from chibo.members.services import initial_membership_class, initial_status
from chibo.orgs.models import Organization


@transaction.atomic
def import_members(
    *,
    actor: Any,
    organization: Organization,
    result: ImportResult,
    mode: str = ImportMode.ALL_OR_NOTHING,
) -> ImportOutcome:
    """Register the members of a checked file (parse_member_file) in one transaction.

    ALL_OR_NOTHING (the default) refuses the whole file if any row has a problem;
    VALID_ROWS_ONLY writes the valid rows and skips the others. Each member gets its first
    status event, dated like member_create's (official date, else ceremony date, else today).
    One audit entry, "members.imported", with the count and the cells — never personal data."""
    if mode not in ImportMode.values:
        raise ValueError(f"unknown import mode: {mode!r}")
    if result.organization.pk != organization.pk:
        raise ValueError("the file was checked for another organization")
    if mode == ImportMode.ALL_OR_NOTHING and result.has_errors:
        raise ServiceError(
            ngettext(
                "Nothing was imported: %(count)d row has errors. Correct the file, or choose "
                "to import only the valid rows.",
                "Nothing was imported: %(count)d rows have errors. Correct the file, or choose "
                "to import only the valid rows.",
                result.invalid_count,
            )
            % {"count": result.invalid_count}
        )
    rows = result.valid_rows
    if not rows:
        raise ServiceError(_("No row of the file is valid; nothing was imported."))
    now = timezone.now()
    today = timezone.localdate()
    recorded_by_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    for row in rows:
        if row.cell is None:
            raise ValueError(f"row {row.row} is valid but has no cell")  # cannot happen
    ids = bulk.reserve_ids(Member, len(rows))
    member_columns, member_rows = _member_rows(rows, ids, now=now)
    try:
        bulk.insert_rows(Member, member_columns, member_rows)
    except IntegrityError:
        # Someone registered one of these cards between the check and now.
        raise ServiceError(
            _("The register changed while the file was being checked. Upload the file again.")
        ) from None
    reason = _("Imported from a member list file")
    event_columns, event_rows = _event_rows(
        rows, ids, now=now, today=today, reason=reason, recorded_by_id=recorded_by_id
    )
    bulk.insert_rows(MemberEvent, event_columns, event_rows)
    # No signal is due: members alone change no rollup (reports.rollups counts meetings and
    # their attendance rows), and member_create sends none either.
    cell_ids = sorted({row.cell.pk for row in rows if row.cell is not None})
    audit.record(
        actor=actor,
        code="members.imported",
        target=organization,
        organization=organization,
        changes={
            "count": len(rows),
            "skipped": result.invalid_count,
            "cells": cell_ids,
            "mode": str(mode),
        },
    )
    return ImportOutcome(created=len(rows), skipped=result.invalid_count, cell_ids=cell_ids)


# The rows are written below the ORM (imports.bulk): Member.save() and the model signals do not
# run, and nothing in chibo depends on them for a member. What member_create gives a new member
# besides the file's values is computed here the same way: name_sort_key and name_search
# (members.services._apply_name), the status and class (initial_status,
# initial_membership_class), the fields' defaults for columns the file does not have, the
# times of creation. tests/members/test_import_bulk.py compares every column with what
# member_create and the ORM write.


def _member_rows(
    rows: list[ImportRow], ids: list[int], *, now: datetime.datetime
) -> tuple[list[str], list[tuple[Any, ...]]]:
    fields = Member._meta.concrete_fields
    computed = {
        "id",
        "name_sort_key",
        "name_search",
        "status",
        "membership_class",
        "cell_id",
    }
    shared: dict[str, Any] = {"user_id": None, "created_at": now, "updated_at": now}
    base: dict[str, Any] = {}
    for field in fields:
        if field.attname not in computed:
            value = shared[field.attname] if field.attname in shared else field.get_default()
            base[field.attname] = bulk.prepared(field, value)
    # Dates that vary by row (DateTimeField is a DateField too, but the times are shared).
    date_fields = [
        field.attname
        for field in fields
        if isinstance(field, DateField) and not isinstance(field, DateTimeField)
    ]
    day = bulk.date_adapter()
    attnames = [field.attname for field in fields]

    @functools.cache
    def membership_class(status: str, official: bool, ceremony: bool) -> str:
        # initial_membership_class reads only whether the two dates are there.
        dates = {"official_date": official, "ceremony_date": ceremony}
        return str(initial_membership_class(status, dates))

    out: list[tuple[Any, ...]] = []
    for row, pk in zip(rows, ids, strict=True):
        values = row.values
        status = row.status or initial_status(values)
        record = {
            **base,
            **values,
            "id": pk,
            "name_sort_key": name_sort_key(values["full_name"]),
            "name_search": row.name_key,
            "status": str(status),
            "membership_class": membership_class(
                status, bool(values.get("official_date")), bool(values.get("ceremony_date"))
            ),
            "cell_id": row.cell.pk if row.cell is not None else None,
        }
        for name in date_fields:
            record[name] = day(record[name])
        out.append(tuple([record[name] for name in attnames]))
    return [str(field.column) for field in fields], out


def _event_rows(
    rows: list[ImportRow],
    ids: list[int],
    *,
    now: datetime.datetime,
    today: datetime.date,
    reason: str,
    recorded_by_id: int | None,
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Each member's first status event, dated like member_create's (official date, else
    ceremony date, else today); the database gives the events their ids."""
    by_name = {field.attname: field for field in MemberEvent._meta.concrete_fields}
    columns = [
        "member_id",
        "status",
        "effective_date",
        "cell_id",
        "decision_ref",
        "reason",
        "grounds",
        "details",
        "recorded_at",
        "recorded_by_id",
    ]
    shared = {
        name: bulk.prepared(by_name[name], value)
        for name, value in (("details", {}), ("recorded_at", now))
    }
    day = bulk.date_adapter()
    out: list[tuple[Any, ...]] = []
    for row, pk in zip(rows, ids, strict=True):
        values = row.values
        out.append(
            (
                pk,
                str(row.status or initial_status(values)),
                day(values.get("official_date") or values.get("ceremony_date") or today),
                row.cell.pk if row.cell is not None else None,
                "",
                reason,
                "",
                shared["details"],
                shared["recorded_at"],
                recorded_by_id,
            )
        )
    return [str(by_name[name].column) for name in columns], out
