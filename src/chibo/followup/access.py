"""Fetch assignments with a permission check. Outside scope: 404.

A member sees their own assignments; a cell's assignments are for those who keep its
register (the cell comes from the register's one cell helper, `orgs.access.get_cell_for_user`).
"""

from __future__ import annotations

from typing import Any

from chibo.core.scope import not_found
from chibo.followup.models import Assignment
from chibo.orgs.scope import scope_for


def own_member_id(user: Any) -> int:
    """The id of the user's member record, whose assignments they follow."""
    member_id = scope_for(user).member_id
    # Without a member record there are no assignments to show.
    if member_id is None:
        raise not_found()
    return member_id


def get_own_assignment(user: Any, pk: int) -> Assignment:
    """One of the user's own assignments, to record progress on."""
    assignment = Assignment.objects.filter(pk=pk, members__id=own_member_id(user)).first()
    # Someone else's assignment does not exist for this member.
    if assignment is None:
        raise not_found()
    return assignment
