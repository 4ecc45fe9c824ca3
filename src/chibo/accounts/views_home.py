"""The landing page: what needs the person today, by role, and what their positions give them,
one click away."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chibo.accounts import selectors, selectors_home
from chibo.orgs.scope import scope_for


@login_required
@require_GET
def home(request):
    """The day's sections by role (cell desk, visitor, committee, member; the most urgent
    first), then a card for each other organization the user oversees and the administration
    links for administrators."""
    scope = scope_for(request.user)
    day = selectors_home.home_sections(scope)
    shown = {
        org.pk
        for section in day["sections"]
        for org in (getattr(section, "cell", None), getattr(section, "committee", None))
        if org is not None
    }
    context = {"scope": scope, **day, **selectors.home_page(scope, shown=shown)}
    return render(request, "accounts/home.html", context)
