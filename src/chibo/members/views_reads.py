"""The access log of members' full records (issue 14): administrators only."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chibo.members.forms_reads import RecordReadFilterForm
from chibo.members.record_reads import record_reads
from chibo.orgs.scope import scope_for

PAGE_SIZE = 50


@login_required
@require_GET
def record_read_list(request):
    """Who read whose full record, when and on which page; filtered by reader, member, days."""
    # Only administrators review the log: it tells who works on whose record.
    if not scope_for(request.user).is_admin:
        raise PermissionDenied
    form = RecordReadFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = record_reads(
        reader=filters.get("reader", ""),
        member=filters.get("member", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {key: value for key, value in request.GET.items() if key != "page" and value}
    return render(
        request,
        "members/record_reads.html",
        {
            "form": form,
            "page": page,
            "query_string": urlencode(kept),
            "keep_days": settings.CHIBO_RECORD_READS_KEEP_DAYS,
        },
    )
