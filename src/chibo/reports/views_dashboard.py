"""The committee's dashboard (issue 12): the cells × months grid of a subtree with its red
flags, the list behind each flag, and the grid as XLSX. Reads go to the replica when one is
configured (`replica_view`): the figures come from the rollups and tolerate a second's lag."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chibo.core.exports.responses import xlsx_response
from chibo.core.forms import whole_number
from chibo.core.replica import replica_view
from chibo.orgs.models import CellType, Organization
from chibo.orgs.scope import scope_for
from chibo.reports.access import dashboard_organization, overseen_organizations
from chibo.reports.exports_dashboard import dashboard_filename, export_dashboard_xlsx
from chibo.reports.grid import CellStatus
from chibo.reports.selectors_dashboard import (
    DEFAULT_MONTHS,
    FLAG_KINDS,
    MAX_MONTHS,
    Sort,
    flag_cells,
    red_flags,
)
from chibo.reports.selectors_dashboard import (
    dashboard as build_dashboard,
)


@dataclass(frozen=True)
class Params:
    months: int = DEFAULT_MONTHS
    end: datetime.date | None = None
    cell_type: str = ""
    sort: str = Sort.NAME
    invalid: bool = False  # something was not understood and fell back to its default

    def query(self) -> str:
        values: dict[str, str] = {
            "months": str(self.months),
            "cell_type": self.cell_type,
            "sort": self.sort,
        }
        if self.end:
            values["end"] = f"{self.end:%Y-%m}"
        return urlencode({k: v for k, v in values.items() if v})


def parse_params(query: Any, today: datetime.date) -> Params:
    """The grid's filters from the query string; anything not understood falls back to its
    default (and is reported on the page), never to an error."""
    invalid = False
    months = DEFAULT_MONTHS
    raw = query.get("months", "")
    if raw:
        chosen = whole_number(raw, limit=MAX_MONTHS)
        if chosen:
            months = chosen
        else:
            invalid = True
    end = None
    raw = query.get("end", "")
    if raw:
        try:
            day = datetime.datetime.strptime(raw, "%Y-%m").date()
        except ValueError:
            invalid = True
        else:
            if (
                datetime.date(2000, 1, 1)
                <= day
                <= today.replace(day=1).replace(year=today.year + 1)
            ):
                end = day
            else:
                invalid = True
    cell_type = query.get("cell_type", "")
    if cell_type and cell_type not in CellType.values:
        cell_type, invalid = "", True
    sort = query.get("sort", "") or Sort.NAME
    if sort not in Sort.LABELS:
        sort, invalid = Sort.NAME, True
    return Params(months=months, end=end, cell_type=cell_type, sort=sort, invalid=invalid)


# The grid's legend, best to worst (labels translated when shown).
LEGEND = [
    (code, CellStatus.LABELS[code])
    for code in (
        CellStatus.SIGNED,
        CellStatus.HELD,
        CellStatus.LIVE,
        CellStatus.HELD_LATE,
        CellStatus.PUBLISHED,
        CellStatus.PLANNED,
        CellStatus.UNPUBLISHED_LATE,
        CellStatus.NOT_HELD,
        CellStatus.CANCELLED,
        CellStatus.NONE,
    )
]


def dashboard_crumbs(organization: Any, scope: Any, *, last_label: Any = None) -> list[dict]:
    """The drill-down path: the dashboards of the units above that the user reads (province →
    commune or ward → grassroots), then this one (as orgs.selectors.breadcrumbs_for, pointing
    to the dashboards instead of the organization pages)."""
    crumbs = [
        {"url": reverse("reports:dashboard", args=[unit.pk]), "label": unit.name}
        for unit in [*Organization.objects.get_ancestors(organization), organization]
        if scope.can_read_path(unit.path)
    ]
    if last_label:
        crumbs.append({"url": "", "label": last_label})
    return crumbs


@login_required
@require_GET
@replica_view
def dashboard_home(request: HttpRequest) -> HttpResponse:
    """The dashboard of the organization the user oversees; a choice when several, a plain
    page when none (a member without oversight)."""
    organizations = overseen_organizations(request.user)
    if len(organizations) == 1:
        return redirect("reports:dashboard", organizations[0].pk)
    return render(request, "reports/dashboard/home.html", {"organizations": organizations})


@login_required
@require_GET
@replica_view
def dashboard(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = dashboard_organization(request.user, org_pk)
    today = timezone.localdate()
    params = parse_params(request.GET, today)
    board = build_dashboard(
        organization,
        today=today,
        months=params.months,
        end=params.end,
        cell_type=params.cell_type,
        sort=params.sort,
    )
    scope = scope_for(request.user)
    query = params.query()
    context = {
        "organization": organization,
        "board": board,
        "flags": red_flags(organization, today=today),
        "params": params,
        "query": query,
        "sorts": [(code, str(label)) for code, label in Sort.LABELS.items()],
        "cell_types": CellType.choices,
        "month_choices": (3, 6, 12),
        "legend": LEGEND,
        "xlsx_url": reverse("reports:dashboard_xlsx", args=[organization.pk])
        + (f"?{query}" if query else ""),
        "breadcrumbs": dashboard_crumbs(organization, scope, last_label=_("Dashboard")),
    }
    return render(request, "reports/dashboard/dashboard.html", context)


@login_required
@require_GET
@replica_view
def dashboard_xlsx(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The grid with the page's filters as an XLSX sheet, in Vietnamese."""
    organization = dashboard_organization(request.user, org_pk)
    today = timezone.localdate()
    params = parse_params(request.GET, today)
    with translation.override("vi"):
        board = build_dashboard(
            organization,
            today=today,
            months=params.months,
            end=params.end,
            cell_type=params.cell_type,
            sort=params.sort,
        )
        content = export_dashboard_xlsx(board)
    return xlsx_response(content, dashboard_filename(board))


@login_required
@require_GET
@replica_view
def dashboard_flag(request: HttpRequest, org_pk: int, code: str) -> HttpResponse:
    """The cells or items behind one red flag, each linking to where it is fixed."""
    organization = dashboard_organization(request.user, org_pk)
    kind = FLAG_KINDS.get(code)
    if kind is None:
        raise Http404
    today = timezone.localdate()
    items = flag_cells(organization, code, today=today)
    scope = scope_for(request.user)
    context = {
        "organization": organization,
        "kind": kind,
        "items": items,
        "today": today,
        "breadcrumbs": dashboard_crumbs(organization, scope, last_label=kind.label),
    }
    return render(request, "reports/dashboard/flag.html", context)
