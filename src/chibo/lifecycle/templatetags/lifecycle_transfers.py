"""What the member pages show of transfers (the open transfer of a member, the cell's members
temporarily away). The register (members) sits below the life-cycle and does not import it:
the life-cycle renders its own part of those pages, as it does the status panel."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.lifecycle import transfers
from chibo.lifecycle.models import Transfer

register = template.Library()


@register.simple_tag
def open_transfer_of(member: Any) -> Transfer | None:
    return transfers.open_transfer(member)


@register.simple_tag
def open_transfers_of(members: Any) -> dict[int, Transfer]:
    """The open transfer of each listed member that has one, in one query."""
    return transfers.open_transfers_by_member([member.pk for member in members])


@register.filter
def transfer_of(in_flight: dict[int, Transfer], member_pk: int) -> Transfer | None:
    return in_flight.get(member_pk)


@register.simple_tag
def temporarily_away_from(organization: Any) -> list[Transfer]:
    return transfers.temporarily_away(organization)
