"""The member's own pages (sổ tay): the logged-in member's record, meetings, assignments,
dues, badge progress, residence and notifications on one phone-first page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.accounts import selectors
from chibo.directives import selectors as directive_selectors
from chibo.members.models import CorrectionRequest
from chibo.orgs.scope import scope_for
from chibo.proposals import selectors as proposal_selectors

# The latest correction requests the handbook shows (issue 14).
MY_CORRECTIONS = 5


@login_required
@require_GET
def handbook(request: HttpRequest) -> HttpResponse:
    """The member's handbook; a user without a member record gets a clear message instead."""
    member_id = scope_for(request.user).member_id
    book = (
        selectors.handbook_for(user=request.user, member_id=member_id, today=timezone.localdate())
        if member_id is not None
        else None
    )
    directives = (
        directive_selectors.for_member(member_id, book.member.cell_id)
        if book is not None and member_id is not None and book.on_rolls
        else []
    )
    my_proposals = proposal_selectors.own_proposals(member_id, limit=5)
    my_corrections = (
        list(CorrectionRequest.objects.filter(member_id=member_id)[:MY_CORRECTIONS])
        if member_id is not None
        else []
    )
    return render(
        request,
        "accounts/handbook.html",
        {
            "book": book,
            "directives": directives,
            "my_proposals": my_proposals,
            "my_corrections": my_corrections,
        },
    )
