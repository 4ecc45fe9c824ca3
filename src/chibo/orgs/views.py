"""Pages of the organization tree and of positions. Thin: parse → access → service → respond."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.flow import attempt, submit
from chibo.core.scope import not_found
from chibo.orgs import selectors, services, size_rules
from chibo.orgs.access import (
    check_tree_admin,
    find_member_by_card,
    get_cell_for_user,
    get_organization_for_user,
    get_parent_for_new_unit,
    get_position_to_end,
    get_unit_to_change,
    may_place_under,
    tree_rights,
)
from chibo.orgs.forms import (
    MoveForm,
    OrganizationEditForm,
    OrganizationForm,
    PositionEndForm,
    PositionForm,
)
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for


@login_required
@require_GET
def tree(request):
    """The units the user oversees, with a search over their whole scope."""
    scope = scope_for(request.user)
    if not scope.has_any_oversight:
        if scope.own_cell_id:
            return redirect("members:cell_list", org_pk=scope.own_cell_id)
        raise not_found()
    # PostgreSQL text cannot hold a NUL byte: one in the search crashed the query (issue 14).
    query = request.GET.get("q", "").replace("\x00", "").strip()
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
    access = get_cell_for_user(request.user, pk, kinds=None)
    organization = access.organization
    summary = selectors.member_summary(organization)
    context = {
        "organization": organization,
        "children": selectors.children_with_counts(organization),
        "summary": summary,
        "size_notes": size_rules.size_notes(organization, summary, on=timezone.localdate()),
        "positions": selectors.current_positions(organization),
        "events": organization.events.all()[:20],
        "is_admin": access.is_admin,
        "can_manage": access.can_manage,
        "tree_rights": tree_rights(request.user, organization),
        "breadcrumbs": selectors.breadcrumbs_for(organization, scope_for(request.user)),
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


def _warn_about_code(request, code: str) -> None:
    warning = services.code_shape_warning(code)
    if warning:
        messages.warning(request, warning)


def _organization_form_view(request, *, parent):
    kind = selectors.DEFAULT_CHILD_KIND.get(parent.kind if parent else None, "")
    form = OrganizationForm(
        request.POST or None,
        parent=parent,
        initial={"kind": kind, "code": selectors.proposed_code(parent, kind)},
        proposals=selectors.proposed_codes(parent),
    )
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.organization_create(actor=request.user, parent=parent, **data),
            success=_("The unit was created."),
        )
        if outcome.ok:
            _warn_about_code(request, outcome.result.code)
            return redirect("orgs:detail", pk=outcome.result.pk)
    breadcrumbs = (
        selectors.breadcrumbs_for(parent, scope_for(request.user), last_label=_("New unit"))
        if parent
        else []
    )
    return render(
        request,
        "orgs/form.html",
        {"form": form, "parent": parent, "title": _("New unit"), "breadcrumbs": breadcrumbs},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_new(request, pk: int):
    parent = get_parent_for_new_unit(request.user, pk)
    return _organization_form_view(request, parent=parent)


@login_required
@require_http_methods(["GET", "POST"])
def organization_new_root(request):
    check_tree_admin(request.user)
    return _organization_form_view(request, parent=None)


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk: int):
    organization = get_unit_to_change(request.user, pk)
    initial = {
        field: getattr(organization, field)
        for field in ("name", "kind", "cell_type", "code", "address", "active_from", "active_to")
    }
    parent = Organization.objects.get_parent(organization)
    form = OrganizationEditForm(request.POST or None, initial=initial, parent=parent)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.organization_update(
                actor=request.user, organization=organization, **data
            ),
            success=_("The changes were saved."),
        )
        if outcome.ok:
            _warn_about_code(request, organization.code)
            return redirect("orgs:detail", pk=organization.pk)
    scope = scope_for(request.user)
    context = {
        "form": form,
        "organization": organization,
        "title": _("Edit unit"),
        "breadcrumbs": selectors.breadcrumbs_for(organization, scope, last_label=_("Edit")),
    }
    return render(request, "orgs/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organization_move(request, pk: int):
    """Move a unit with its whole subtree under another superior (mergers)."""
    organization = get_unit_to_change(request.user, pk)
    form = MoveForm(
        request.POST or None,
        initial={"new_code": organization.code},
        may_place_under=lambda parent: may_place_under(request.user, parent),
    )
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.organization_move(
                actor=request.user,
                organization=organization,
                new_parent=data["new_parent_code"],
                new_code=data["new_code"],
                effective_date=data["effective_date"],
                reason=data["reason"],
            ),
            success=_("The unit and its subtree were moved."),
        )
        if outcome.ok:
            _warn_about_code(request, outcome.result.code)
            return redirect("orgs:detail", pk=organization.pk)
    scope = scope_for(request.user)
    context = {
        "form": form,
        "organization": organization,
        "subtree_size": Organization.objects.filter(path__startswith=organization.path).count() - 1,
        "breadcrumbs": selectors.breadcrumbs_for(organization, scope, last_label=_("Move")),
    }
    return render(request, "orgs/move.html", context)


def _assign_position(request, form: PositionForm, organization: Organization) -> bool:
    """Record the position posted in `form`; the holder must be a member the keeper may see."""
    if not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    member = find_member_by_card(request.user, data.pop("member_card"))
    if member is None:
        form.add_error("member_card", _("No member has this party card number."))
        return False
    return submit(
        request,
        form,
        lambda _data: services.position_assign(
            actor=request.user, member=member, organization=organization, **data
        ),
        success=_("The position was recorded."),
    ).ok


@login_required
@require_http_methods(["GET", "POST"])
def position_new(request, pk: int):
    # Recording who holds which position is the register keepers' job.
    organization = get_cell_for_user(request.user, pk, write=True, kinds=None).organization
    form = PositionForm(request.POST or None)
    if request.method == "POST" and _assign_position(request, form, organization):
        return redirect("orgs:detail", pk=organization.pk)
    scope = scope_for(request.user)
    context = {
        "form": form,
        "organization": organization,
        "breadcrumbs": selectors.breadcrumbs_for(organization, scope, last_label=_("New position")),
    }
    return render(request, "orgs/position_form.html", context)


@login_required
@require_POST
def position_end(request, pk: int):
    position = get_position_to_end(request.user, pk)
    form = PositionEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid end date."))
    else:
        attempt(
            request,
            lambda: services.position_end(
                actor=request.user, position=position, end_date=form.cleaned_data["end_date"]
            ),
            success=_("The position was ended."),
        )
    return redirect("orgs:detail", pk=position.organization_id)
