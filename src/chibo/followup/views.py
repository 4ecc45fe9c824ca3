"""Assignments pages: a member's own assignments (with progress), a cell's assignments for its
managers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.core.flow import submit
from chibo.followup import services
from chibo.followup.access import get_own_assignment, own_member_id
from chibo.followup.forms import OVERDUE, CellFilterForm, ProgressForm
from chibo.followup.models import CLOSED_ASSIGNMENT_STATUSES, Assignment
from chibo.orgs.access import get_cell_for_user
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The member's assignments: open ones, overdue ones, then those done or closed."""
    member_id = own_member_id(request.user)
    rows = Assignment.objects.filter(members__id=member_id).select_related(
        "source_meeting", "organization"
    )
    open_rows = list(rows.exclude(status__in=CLOSED_ASSIGNMENT_STATUSES).order_by("due_date", "id"))
    closed = Paginator(
        rows.filter(status__in=CLOSED_ASSIGNMENT_STATUSES).order_by("-due_date", "-id"), 20
    ).get_page(request.GET.get("page"))
    context = {
        "current": [row for row in open_rows if not row.is_overdue],
        "overdue": [row for row in open_rows if row.is_overdue],
        "page": closed,
        "form": ProgressForm(),
    }
    return render(request, "followup/mine.html", context)


@login_required
@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A member records progress on one of their own assignments."""
    assignment = get_own_assignment(request.user, pk)
    submit(
        request,
        ProgressForm(request.POST),
        lambda data: services.assignment_update_status(
            actor=request.user,
            assignment=assignment,
            status=data["status"],
            progress=data["progress"],
        ),
        success=lambda row: (
            _("Progress on “%(title)s” recorded: %(status)s.")
            % {"title": row.title, "status": row.get_status_display()}
        ),
        errors_to_messages=True,
    )
    return redirect("followup:mine")


@login_required
@require_GET
def cell(request: HttpRequest, cell_pk: int) -> HttpResponse:
    """Every assignment of a cell, for its managers, with a status filter."""
    # The cell's register keepers and the committees above (those who schedule its
    # meetings); a member of the cell sees their own assignments only (403).
    cell = get_cell_for_user(request.user, cell_pk, write=True, members_read=True).organization
    form = CellFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    rows = (
        Assignment.objects.filter(organization=cell)
        .select_related("source_meeting")
        .prefetch_related("members")
        .order_by("-due_date", "-id")
    )
    if status == OVERDUE:
        rows = rows.exclude(status__in=CLOSED_ASSIGNMENT_STATUSES).filter(
            due_date__lt=timezone.localdate()
        )
    elif status:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "cell": cell,
        "form": form,
        "status": status,
        "page": page,
        "breadcrumbs": breadcrumbs_for(cell, scope_for(request.user), last_label=_("Assignments")),
    }
    return render(request, "followup/cell.html", context)
