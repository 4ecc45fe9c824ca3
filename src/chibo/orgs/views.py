from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.errors import ServiceError
from chibo.core.scope import not_found
from chibo.members.access import get_member_for_user
from chibo.members.models import Member
from chibo.orgs import selectors, services
from chibo.orgs.access import get_organization_for_user
from chibo.orgs.forms import (
    MoveForm,
    OrganizationEditForm,
    OrganizationForm,
    PositionEndForm,
    PositionForm,
)
from chibo.orgs.models import Organization, Position
from chibo.orgs.scope import scope_for


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def tree(request):
    """The units the user oversees, with a search over their whole scope."""
    scope = scope_for(request.user)
    if not scope.has_any_oversight:
        if scope.own_cell_id:
            return redirect("members:cell_list", org_pk=scope.own_cell_id)
        raise not_found()
    query = request.GET.get("q", "").strip()
    context = {
        "tops": selectors.top_organizations(scope),
        "query": query,
        "results": selectors.organization_search(scope, query) if query else None,
        "is_admin": scope.is_admin,
    }
    return render(request, "orgs/tree.html", context)


@login_required
@require_GET
def detail(request, pk: int):
    organization = get_organization_for_user(request.user, pk)
    scope = scope_for(request.user)
    context = {
        "organization": organization,
        "children": selectors.children_with_counts(organization),
        "summary": selectors.member_summary(organization),
        "positions": selectors.current_positions(organization),
        "events": organization.events.all()[:20],
        "is_admin": scope.is_admin,
        "can_manage": scope.can_manage_path(organization.path),
        "breadcrumbs": selectors.breadcrumbs_for(organization, scope),
    }
    return render(request, "orgs/detail.html", context)


@login_required
@require_GET
def children(request, pk: int):
    """The children of a unit as a partial, for expanding the tree in place (htmx)."""
    organization = get_organization_for_user(request.user, pk)
    return render(
        request,
        "orgs/_children.html",
        {"organization": organization, "children": selectors.children_with_counts(organization)},
    )


def _organization_form_view(request, *, parent):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                actor=request.user, parent=parent, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit was created."))
            return redirect("orgs:detail", pk=organization.pk)
    scope = scope_for(request.user)
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "parent": parent,
            "title": _("New unit"),
            "breadcrumbs": selectors.breadcrumbs_for(parent, scope, last_label=_("New unit"))
            if parent
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_new(request, pk: int):
    parent = get_organization_for_user(request.user, pk, write=True)
    return _organization_form_view(request, parent=parent)


@login_required
@require_http_methods(["GET", "POST"])
def organization_new_root(request):
    if not scope_for(request.user).is_admin:
        raise not_found()
    return _organization_form_view(request, parent=None)


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk: int):
    organization = get_organization_for_user(request.user, pk, write=True)
    initial = {
        field: getattr(organization, field)
        for field in ("name", "kind", "cell_type", "code", "address", "active_from", "active_to")
    }
    form = OrganizationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("orgs:detail", pk=organization.pk)
    scope = scope_for(request.user)
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "organization": organization,
            "title": _("Edit unit"),
            "breadcrumbs": selectors.breadcrumbs_for(organization, scope, last_label=_("Edit")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_move(request, pk: int):
    """Move a unit with its whole subtree under another superior (mergers)."""
    organization = get_organization_for_user(request.user, pk, write=True)
    form = MoveForm(request.POST or None, initial={"new_code": organization.code})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.organization_move(
                actor=request.user,
                organization=organization,
                new_parent=data["new_parent_code"],
                new_code=data["new_code"],
                effective_date=data["effective_date"],
                reason=data["reason"],
            )
        except ServiceError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit and its subtree were moved."))
            return redirect("orgs:detail", pk=organization.pk)
    scope = scope_for(request.user)
    return render(
        request,
        "orgs/move.html",
        {
            "form": form,
            "organization": organization,
            "subtree_size": Organization.objects.filter(path__startswith=organization.path).count()
            - 1,
            "breadcrumbs": selectors.breadcrumbs_for(organization, scope, last_label=_("Move")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_new(request, pk: int):
    organization = get_organization_for_user(request.user, pk)
    scope = scope_for(request.user)
    # Recording who holds which position is the register keepers' job.
    if not scope.can_manage_path(organization.path):
        raise PermissionDenied
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        member = Member.objects.filter(party_card_number=data.pop("member_card").strip()).first()
        if member is None:
            form.add_error("member_card", _("No member has this party card number."))
        else:
            # The member must be someone the keeper may see (no probing of other scopes).
            try:
                get_member_for_user(request.user, member.pk)
            except Http404:
                form.add_error("member_card", _("No member has this party card number."))
                member = None
        if member is not None:
            try:
                services.position_assign(
                    actor=request.user, member=member, organization=organization, **data
                )
            except ServiceError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The position was recorded."))
                return redirect("orgs:detail", pk=organization.pk)
    return render(
        request,
        "orgs/position_form.html",
        {
            "form": form,
            "organization": organization,
            "breadcrumbs": selectors.breadcrumbs_for(
                organization, scope, last_label=_("New position")
            ),
        },
    )


@login_required
@require_POST
def position_end(request, pk: int):
    position = Position.objects.select_related("organization").filter(pk=pk).first()
    if position is None:
        raise not_found()
    organization = get_organization_for_user(request.user, position.organization_id)
    if not scope_for(request.user).can_manage_path(organization.path):
        raise PermissionDenied
    form = PositionEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid end date."))
    else:
        try:
            services.position_end(
                actor=request.user, position=position, end_date=form.cleaned_data["end_date"]
            )
        except ServiceError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("The position was ended."))
    return redirect("orgs:detail", pk=organization.pk)
