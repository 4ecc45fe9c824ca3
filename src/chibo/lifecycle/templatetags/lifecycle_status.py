"""The "Status changes" panel of the member page: the member's events and the changes allowed
in the current status (lifecycle.status)."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.lifecycle import status

register = template.Library()


@register.inclusion_tag("lifecycle/status/_panel.html")
def status_panel(member: Any, events: Any, can_manage: bool) -> dict[str, Any]:
    actions = [
        {"code": code, "label": status.ACTION_LABELS[code]}
        for code in status.allowed_actions(member)
    ]
    rows = [
        {"event": event, "grounds": str(status.GROUNDS_LABELS.get(event.grounds, ""))}
        for event in events
    ]
    return {"member": member, "rows": rows, "actions": actions, "can_manage": can_manage}
