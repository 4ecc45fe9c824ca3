"""The landing page: what the user's positions give them, one click away."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chibo.accounts import selectors
from chibo.orgs.scope import scope_for


@login_required
@require_GET
def home(request):
    """The landing page: the user's own cell (next meeting, open assignments), the
    organizations they oversee, and the administration links for administrators."""
    scope = scope_for(request.user)
    context = {"scope": scope, **selectors.home_page(scope)}
    return render(request, "accounts/home.html", context)
