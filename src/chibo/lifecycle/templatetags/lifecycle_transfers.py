"""Transfer marks on the member register's pages: a member's open transfer, the members of a
list page with a transfer in flight, a cell's members temporarily away. The register (members)
sits below the life-cycle app and does not import it; its templates ask these tags instead."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from chibo.lifecycle import transfers
from chibo.lifecycle.models import Transfer, TransferState

register = template.Library()


@register.simple_tag
def open_transfer_of(member: Any) -> Transfer | None:
    """The member's open transfer (issued or attached), if any: one query."""
    return transfers.open_transfer(member)


@register.simple_tag
def in_flight_ids(members: Iterable[Any]) -> set[int]:
    """The ids of `members` whose transfer is issued and not yet received: one query (none for
    an empty page)."""
    by_member = transfers.open_transfers_by_member([member.pk for member in members])
    return {pk for pk, transfer in by_member.items() if transfer.state == TransferState.ISSUED}


@register.simple_tag
def temporarily_away(organization: Any) -> list[Transfer]:
    """The members registered under `organization` and temporarily attached elsewhere."""
    return transfers.temporarily_away(organization)
