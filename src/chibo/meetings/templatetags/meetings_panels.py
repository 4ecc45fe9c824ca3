"""The meetings panel on an organization's page (orgs/detail.html): links to the cell's
meetings and to the meeting policy, and for a committee the cells that have no thematic
meeting this quarter (DOMAIN R1.3), the dashboard warning."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from chibo.core import rules
from chibo.meetings import selectors
from chibo.orgs.scope import scope_for

register = template.Library()

# Cells listed by name on the panel; the rest are counted.
LISTED_CELLS = 20


@register.inclusion_tag("meetings/_org_panel.html", takes_context=True)
def meetings_panel(context: Any, organization: Any) -> dict[str, Any]:
    scope = scope_for(context["request"].user)
    today = timezone.localdate()
    panel: dict[str, Any] = {
        "organization": organization,
        "can_manage": scope.can_manage_path(organization.path),
        "cells": [],
        "cells_total": 0,
    }
    if not organization.is_cell and scope.can_read_path(organization.path):
        cells = selectors.cells_without_thematic(organization, on=today)
        panel["cells"] = cells[:LISTED_CELLS]
        panel["cells_total"] = len(cells)
        panel["cells_more"] = max(len(cells) - LISTED_CELLS, 0)
        panel["quarter"] = (today.month - 1) // 3 + 1
        panel["year"] = today.year
        if cells:
            panel["rule"] = rules.rule_in_force(
                "meeting.thematic_min_per_quarter", organization=organization, on=today
            ).explain()
    return panel
