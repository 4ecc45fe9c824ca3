from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chibo.core.models import AuditEntry
from chibo.core.scope import not_found
from chibo.meetings import selectors as meeting_selectors
from chibo.members.models import Member
from chibo.orgs import selectors as org_selectors
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for


@login_required
@require_GET
def home(request):
    """The landing page: what the user's positions give them, one click away."""
    scope = scope_for(request.user)
    member = (
        Member.objects.select_related("cell").filter(pk=scope.member_id).first()
        if scope.member_id
        else None
    )
    own_cell = member.cell if member and scope.own_cell_id else None
    overseen = []
    for organization in org_selectors.top_organizations(scope)[:20]:
        overseen.append(
            {"organization": organization, "summary": org_selectors.member_summary(organization)}
        )
    next_meeting = None
    open_assignments = 0
    if own_cell is not None:
        from chibo.followup.models import CLOSED_ASSIGNMENT_STATUSES

        next_meeting = meeting_selectors.next_meeting_for_member(member)
        open_assignments = member.assignments.exclude(status__in=CLOSED_ASSIGNMENT_STATUSES).count()
    context = {
        "scope": scope,
        "member": member,
        "next_meeting": next_meeting,
        "open_assignments": open_assignments,
        "own_cell": own_cell,
        "own_cell_summary": org_selectors.member_summary(own_cell) if own_cell else None,
        "overseen": overseen,
    }
    return render(request, "core/home.html", context)


@login_required
@require_GET
def audit_log(request):
    """The audit log of the user's scope (administrators: everything)."""
    scope = scope_for(request.user)
    if not scope.is_admin:
        raise not_found()
    entries = AuditEntry.objects.select_related("actor", "organization")
    code = request.GET.get("code", "").strip()
    if code:
        entries = entries.filter(code__startswith=code)
    organization_pk = request.GET.get("org")
    if organization_pk and organization_pk.isdigit():
        unit = Organization.objects.filter(pk=organization_pk).first()
        if unit:
            entries = entries.filter(organization__path__startswith=unit.path)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"page": page, "code": code})
