"""Pages of the member register: a cell's list, a member's record, the forms that add and edit
records. Thin: parse → access → service → respond."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.flow import submit
from chibo.members import selectors, services
from chibo.members.access import get_member_for_user
from chibo.members.forms import MemberForm, MemberSearchForm
from chibo.members.models import RecordPage
from chibo.members.record_reads import record_read_log
from chibo.orgs.access import get_cell_for_user
from chibo.orgs.models import Position
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for


def _positions_of(members: Any) -> dict[int, list[Position]]:
    """The listed members' current positions, by member id."""
    positions: dict[int, list[Position]] = {}
    if not members:
        return positions
    for position in (
        Position.objects.current()
        .filter(member_id__in=[member.pk for member in members])
        .select_related("organization")
    ):
        positions.setdefault(position.member_id, []).append(position)
    return positions


@login_required
@require_GET
def cell_list(request, org_pk: int):
    """The member list of a cell (or of every cell under a committee), Vietnamese order."""
    access = get_cell_for_user(request.user, org_pk, kinds=None, members_read=True)
    organization, full_view = access.organization, access.oversees
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
    context = {
        "organization": organization,
        "page": page,
        "form": form,
        "query": query,
        "can_manage": access.can_manage,
        "full_view": full_view,
        "positions": _positions_of(page.object_list),
        "own_member_id": scope_for(request.user).member_id,
        "breadcrumbs": breadcrumbs_for(
            organization, scope_for(request.user), last_label=_("Members")
        ),
    }
    template = "members/_member_table.html" if request.htmx else "members/cell_list.html"
    return render(request, template, context)


@login_required
@require_GET
def member_detail(request, pk: int):
    access = get_member_for_user(request.user, pk)
    member = access.member
    record_read_log(user=request.user, member=member, page=RecordPage.MEMBER_DETAIL)
    scope = scope_for(request.user)
    today = timezone.localdate()
    context = {
        "member": member,
        "events": member.events.select_related("cell").all(),
        "positions": member.positions.select_related("organization").order_by("-start_date"),
        "can_manage": access.can_manage,
        "badge_progress": selectors.member_badge_progress(member, today=today),
        "dues": selectors.member_dues(member=member, year=today.year, today=today),
        "breadcrumbs": breadcrumbs_for(member.cell, scope, last_label=member.full_name),
    }
    return render(request, "members/detail.html", context)


def _create_member(request, form: MemberForm, organization) -> tuple[Any, list]:
    """(the new member or None, possible duplicates): a possible duplicate is created only
    once the keeper confirms it is another person."""
    if not form.is_valid():
        return None, []
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
        return None, duplicates
    outcome = submit(
        request,
        form,
        lambda _data: services.member_create(actor=request.user, cell=organization, **data),
        success=_("The member was added to the register."),
    )
    return outcome.result, duplicates


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request, org_pk: int):
    access = get_cell_for_user(request.user, org_pk, write=True, kinds=None, members_read=True)
    organization = access.organization
    if not organization.is_cell:
        raise PermissionDenied
    form = MemberForm(request.POST or None)
    duplicates: list = []
    if request.method == "POST":
        member, duplicates = _create_member(request, form, organization)
        if member is not None:
            return redirect("members:detail", pk=member.pk)
    scope = scope_for(request.user)
    context = {
        "form": form,
        "organization": organization,
        "duplicates": duplicates,
        "title": _("New member"),
        "breadcrumbs": breadcrumbs_for(organization, scope, last_label=_("New member")),
    }
    return render(request, "members/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    member = get_member_for_user(request.user, pk, write=True).member
    form = MemberForm(request.POST or None, instance=member, initial={"version": member.version})
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.member_update(
                actor=request.user,
                member=member,
                **{k: v for k, v in data.items() if k != "version"},
                version=data["version"],
            ),
            success=_("The changes were saved."),
        )
        if outcome.ok:
            return redirect("members:detail", pk=member.pk)
    else:
        record_read_log(user=request.user, member=member, page=RecordPage.MEMBER_EDIT)
    scope = scope_for(request.user)
    context = {
        "form": form,
        "organization": member.cell,
        "member": member,
        "title": _("Edit member record"),
        "breadcrumbs": breadcrumbs_for(member.cell, scope, last_label=member.full_name),
    }
    return render(request, "members/form.html", context)
