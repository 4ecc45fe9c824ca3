"""The administrators' accounts screen (chibo's own, not django-admin): find a login, reset
its password, stop or allow it, and give a member a login. Temporary passwords are shown
once, in the answer to the POST that made them, and never stored or logged."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.accounts import access, selectors_users, services
from chibo.accounts.forms_password import ActiveForm, AdminResetForm, NewLoginForm
from chibo.core.flow import submit

# The two-factor helper's panel on the detail page, shown once that helper's app provides it.
TWOFACTOR_PANEL = "accounts/twofactor/_admin_panel.html"


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def _reset_message(password: str) -> str:
    if password:
        return _("A temporary password has been set; the login must change it at the next login.")
    return _("A reset e-mail has been sent; the login must choose a new password.")


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    access.require_account_admin(request.user)
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors_users.users_matching(query), settings.CHIBO_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/users/list.html", {"page": page, "query": query})


@login_required
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.get_user_for_admin(request.user, pk)
    context = {
        "account": account,
        "member": getattr(account, "member", None),
        "reset_form": AdminResetForm(),
        "email": services.contact_email(account),
        "twofactor_panel": _template_exists(TWOFACTOR_PANEL),
    }
    return render(request, "accounts/users/detail.html", context)


@login_required
@require_POST
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.get_user_for_admin(request.user, pk)
    outcome = submit(
        request,
        AdminResetForm(request.POST),
        lambda data: services.user_password_reset_by_admin(
            user=account, actor=request.user, by_email=data["method"] == "email"
        ),
        success=_reset_message,
        errors_to_messages=True,
    )
    if not (outcome.ok and outcome.result):
        return redirect("accounts:user_detail", pk=account.pk)
    context = {"account": account, "password": outcome.result}
    return render(request, "accounts/users/password_shown.html", context)


@login_required
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.get_user_for_admin(request.user, pk)
    submit(
        request,
        ActiveForm(request.POST),
        lambda data: services.user_set_active(
            user=account, actor=request.user, active=data["active"]
        ),
        success=lambda user: (
            _("The login is active.") if user.is_active else _("The login is deactivated.")
        ),
        errors_to_messages=True,
    )
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
@require_GET
def member_pick(request: HttpRequest) -> HttpResponse:
    """Members who have no login, to give one a login."""
    access.require_account_admin(request.user)
    query = request.GET.get("q", "").strip()[:100]
    members = selectors_users.members_without_login(query) if query else None
    page = (
        Paginator(members, settings.CHIBO_PAGE_SIZE).get_page(request.GET.get("page"))
        if members is not None
        else None
    )
    return render(request, "accounts/users/member_pick.html", {"page": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = access.get_member_without_login_for_admin(request.user, member_pk)
    form = NewLoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda data: services.user_create_for_member(
                member=member, actor=request.user, username=data["username"]
            ),
            error_field="username",
        )
        if outcome.ok:
            account, password = outcome.result
            context = {"account": account, "password": password, "created": True}
            return render(request, "accounts/users/password_shown.html", context)
    return render(request, "accounts/users/create.html", {"member": member, "form": form})
