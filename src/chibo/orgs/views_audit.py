"""The audit log page (administrators only). The entries are written by core.audit; the page
lives here because it filters them by a subtree of the organization tree."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chibo.core.forms import whole_number
from chibo.core.models import AuditEntry
from chibo.core.scope import not_found
from chibo.orgs.access import get_unit_for_audit
from chibo.orgs.scope import scope_for


@login_required
@require_GET
def audit_log(request):
    """The audit log of the user's scope (administrators: everything)."""
    scope = scope_for(request.user)
    if not scope.is_admin:
        raise not_found()
    entries = AuditEntry.objects.select_related("actor", "organization")
    # PostgreSQL text cannot hold a NUL byte: one in the filter crashed the query (issue 14).
    code = request.GET.get("code", "").replace("\x00", "").strip()
    if code:
        entries = entries.filter(code__startswith=code)
    organization_pk = whole_number(request.GET.get("org"))
    if organization_pk:
        unit = get_unit_for_audit(request.user, organization_pk)
        if unit:
            entries = entries.filter(organization__path__startswith=unit.path)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/audit.html", {"page": page, "code": code})
