"""Writing a checked member list (`import_members`): one transaction, one audit entry."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.text import name_sort_key
from chibo.members.imports.results import ImportMode, ImportOutcome, ImportResult
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
    members: list[Member] = []
    # Ids rather than objects for the foreign keys: the same object setters cost a third of
    # the time on a 100,000-row import.
    for row in rows:
        if row.cell is None:
            raise ValueError(f"row {row.row} is valid but has no cell")  # cannot happen
        status = row.status or initial_status(row.values)
        member = Member(
            cell_id=row.cell.pk,
            status=status,
            membership_class=initial_membership_class(status, row.values),
            created_at=now,
            updated_at=now,
            **row.values,
        )
        member.name_sort_key = name_sort_key(member.full_name)
        member.name_search = row.name_key
        members.append(member)
    try:
        Member.objects.bulk_create(members, batch_size=1000)
    except IntegrityError:
        # Someone registered one of these cards between the check and now.
        raise ServiceError(
            _("The register changed while the file was being checked. Upload the file again.")
        ) from None
    reason = _("Imported from a member list file")
    MemberEvent.objects.bulk_create(
        (
            MemberEvent(
                member_id=member.pk,
                status=member.status,
                cell_id=member.cell_id,
                effective_date=member.official_date or member.ceremony_date or today,
                reason=reason,
                recorded_at=now,
                recorded_by_id=recorded_by_id,
            )
            for member in members
        ),
        batch_size=1000,
    )
    cell_ids = sorted({member.cell_id for member in members})
    audit.record(
        actor=actor,
        code="members.imported",
        target=organization,
        organization=organization,
        changes={
            "count": len(members),
            "skipped": result.invalid_count,
            "cells": cell_ids,
            "mode": str(mode),
        },
    )
    return ImportOutcome(created=len(members), skipped=result.invalid_count, cell_ids=cell_ids)
