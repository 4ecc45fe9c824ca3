from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.errors import ServiceError
from chibo.members import selectors, services
from chibo.members.access import get_member_for_user
from chibo.members.forms import MemberForm, MemberSearchForm
from chibo.orgs.access import get_cell_for_member_list
from chibo.orgs.models import Position
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def cell_list(request, org_pk: int):
    """The member list of a cell (or of every cell under a committee), Vietnamese order."""
    organization, can_manage = get_cell_for_member_list(request.user, org_pk)
    scope = scope_for(request.user)
    full_view = scope.can_read_path(organization.path)
    if not organization.is_cell and not full_view:
        raise PermissionDenied
    form = MemberSearchForm(request.GET or None)
    query = status = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        status = form.cleaned_data["status"] if full_view else ""
    members = selectors.member_list(organization=organization, query=query, status=status)
    page = Paginator(members, request.GET.get("per_page") and 200 or 50).get_page(
        request.GET.get("page")
    )
    positions: dict[int, list[Position]] = {}
    if page.object_list:
        for position in (
            Position.objects.current()
            .filter(member_id__in=[member.pk for member in page.object_list])
            .select_related("organization")
        ):
            positions.setdefault(position.member_id, []).append(position)
    context = {
        "organization": organization,
        "page": page,
        "form": form,
        "query": query,
        "can_manage": can_manage,
        "full_view": full_view,
        "positions": positions,
        "own_member_id": scope.member_id,
        "breadcrumbs": breadcrumbs_for(organization, scope, last_label=_("Members")),
    }
    template = "members/_member_table.html" if _is_htmx(request) else "members/cell_list.html"
    return render(request, template, context)


@login_required
@require_GET
def member_detail(request, pk: int):
    member = get_member_for_user(request.user, pk)
    scope = scope_for(request.user)
    today = timezone.localdate()
    context = {
        "member": member,
        "events": member.events.select_related("cell").all(),
        "positions": member.positions.select_related("organization").order_by("-start_date"),
        "can_manage": scope.can_manage_path(member.cell.path),
        "badge_progress": selectors.member_badge_progress(member, today=today),
        "dues": selectors.member_dues(member=member, year=today.year, today=today),
        "breadcrumbs": breadcrumbs_for(member.cell, scope, last_label=member.full_name),
    }
    return render(request, "members/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request, org_pk: int):
    organization, can_manage = get_cell_for_member_list(request.user, org_pk)
    if not can_manage or not organization.is_cell:
        raise PermissionDenied
    form = MemberForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        duplicates = list(
            selectors.find_duplicates(
                full_name=data["full_name"],
                birth_date=data["birth_date"],
                party_card_number=data.get("party_card_number"),
            )
        )
        if duplicates and not request.POST.get("confirm_duplicate"):
            form.add_error(None, _("This person may already be registered; check the list below."))
        else:
            try:
                member = services.member_create(actor=request.user, cell=organization, **data)
            except ServiceError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The member was added to the register."))
                return redirect("members:detail", pk=member.pk)
    scope = scope_for(request.user)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "organization": organization,
            "duplicates": duplicates,
            "title": _("New member"),
            "breadcrumbs": breadcrumbs_for(organization, scope, last_label=_("New member")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    member = get_member_for_user(request.user, pk, write=True)
    form = MemberForm(request.POST or None, instance=member, initial={"version": member.version})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.member_update(
                actor=request.user, member=member, version=form.cleaned_data["version"], **data
            )
        except ServiceError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("members:detail", pk=member.pk)
    scope = scope_for(request.user)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "organization": member.cell,
            "member": member,
            "title": _("Edit member record"),
            "breadcrumbs": breadcrumbs_for(member.cell, scope, last_label=member.full_name),
        },
    )
