"""Fetch the life-cycle's objects with a permission check. Outside scope: 404; inside but
read-only: 403.

Candidates' personal data is sensitive: only those who oversee the cell read it (others,
fellow members included: 404); only those who keep the cell's register change it (readers:
403). A transfer is read by those who read the sending or the receiving cell. Cells and
members come from the register's helpers (`orgs.access.get_cell_for_user`,
`members.access.get_member_for_user`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from chibo.core.scope import not_found
from chibo.lifecycle.models import Candidate, Transfer
from chibo.orgs.models import CELL_KINDS, Organization
from chibo.orgs.scope import scope_for


@dataclass(frozen=True)
class CandidateAccess:
    candidate: Candidate
    # Keeps the register of the candidate's cell: records steps, reviews, withdrawal.
    can_manage: bool


def get_candidate_for_user(user: Any, pk: int, *, manage: bool = False) -> CandidateAccess:
    """A candidate of a cell the user oversees; `manage=True`: one whose register they keep."""
    candidate = Candidate.objects.select_related("cell", "mentor", "member").filter(pk=pk).first()
    if candidate is None:
        raise not_found()
    scope = scope_for(user)
    # Fellow members do not see candidates: only overseers of the cell.
    if not scope.can_read_path(candidate.cell.path):
        raise not_found()
    can_manage = scope.can_manage_path(candidate.cell.path)
    if manage and not can_manage:
        raise PermissionDenied
    return CandidateAccess(candidate=candidate, can_manage=can_manage)


def get_transfer_for_user(user: Any, pk: int) -> Transfer:
    """A transfer, for those who read the sending or the receiving cell; others: 404. What
    each side may do with it is `transfers.transfer_row(...)`'s flags, checked again by the
    services."""
    transfer = (
        Transfer.objects.select_related("member", "from_cell", "to_cell", "member__cell")
        .filter(pk=pk)
        .first()
    )
    if transfer is None:
        raise not_found()
    scope = scope_for(user)
    sender_reads = scope.can_read_path(transfer.from_cell.path)
    receiver_reads = transfer.to_cell is not None and scope.can_read_path(transfer.to_cell.path)
    if not (sender_reads or receiver_reads):
        raise not_found()
    return transfer


def receiving_cell(code: str) -> Organization | None:
    """The cell a transfer is sent to, by its code. Any cell of the tree may receive a
    member, so this is deliberately not limited to the user's scope; the issuing page shows
    only its name and code."""
    return Organization.objects.filter(code=code, kind__in=CELL_KINDS).first()


def can_search_cells(user: Any) -> bool:
    """Searching the whole tree for a receiving cell is for those who manage some cell."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.manage_paths)
