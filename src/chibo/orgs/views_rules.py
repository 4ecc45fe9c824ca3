"""The rules pages (administrators only): every rule in force for an organization on a date,
with its source, and the organization's own overrides."""

from __future__ import annotations

import datetime
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chibo.core import flow
from chibo.core.models import RuleOverride
from chibo.core.rules import rules_for
from chibo.core.scope import not_found
from chibo.orgs import services_rules
from chibo.orgs.access import get_rule_override_for_user
from chibo.orgs.forms_rules import RuleOverrideExpireForm, RuleOverrideForm, RulesContextForm
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for

# The organization select lists provinces and the level below them: those are the
# committees that issue their own rules (DESIGN §2.1). A deeper unit can still be shown by
# its id (?organization=…).
SELECT_MAX_DEPTH = 2


def _require_admin(request) -> None:
    # Rules are set for the whole system; nobody else should even learn these pages exist.
    if not scope_for(request.user).is_admin:
        raise not_found()


def _page_url(organization: Organization | None, on: datetime.date | None = None) -> str:
    query = {}
    if organization is not None:
        query["organization"] = organization.pk
    if on is not None:
        query["on"] = on.isoformat()
    url = reverse("rules")
    return f"{url}?{urlencode(query)}" if query else url


def _override_status(override: RuleOverride, on: datetime.date) -> str:
    if override.effective_from > on:
        return "future"
    if override.effective_to is not None and override.effective_to < on:
        return "ended"
    return "in_force"


def _override_rows(
    organization: Organization | None, on: datetime.date, today: datetime.date
) -> list[dict[str, object]]:
    """The organization's own overrides, with their state on `on` (one query)."""
    if organization is None:
        return []
    return [
        {
            "override": override,
            "value_json": json.dumps(override.value, ensure_ascii=False),
            "status": _override_status(override, on),
            "can_end": override.effective_to is None or override.effective_to >= today,
        }
        for override in RuleOverride.objects.filter(organization=organization).order_by(
            "key", "-effective_from"
        )
    ]


def _render_page(
    request,
    *,
    organization: Organization | None,
    on: datetime.date,
    context_form: RulesContextForm,
    override_form: RuleOverrideForm,
    status: int = 200,
):
    choices = list(
        Organization.objects.filter(depth__lte=SELECT_MAX_DEPTH)
        .order_by("path")
        .only("pk", "name", "code", "depth")
    )
    if organization is not None and all(choice.pk != organization.pk for choice in choices):
        choices.append(organization)
    today = timezone.localdate()
    context = {
        "organization": organization,
        "on": on,
        "today": today,
        "choices": choices,
        "context_form": context_form,
        "rules": rules_for(organization, on),
        "overrides": _override_rows(organization, on, today),
        "override_form": override_form,
        "expire_form": RuleOverrideExpireForm(initial={"effective_to": today}),
    }
    return render(request, "orgs/rules_list.html", context, status=status)


@login_required
@require_safe
def rules_list(request):
    """Every rule in force for the chosen organization (default: the first province) on the
    chosen date (default: today), and the organization's own overrides."""
    _require_admin(request)
    context_form = RulesContextForm(request.GET or None)
    organization, on = context_form.chosen()
    override_form = RuleOverrideForm(initial={"organization": organization, "effective_from": on})
    return _render_page(
        request,
        organization=organization,
        on=on,
        context_form=context_form,
        override_form=override_form,
    )


@login_required
@require_POST
def rule_override_new(request):
    """Add an override for an organization (and its subtree)."""
    _require_admin(request)
    form = RuleOverrideForm(request.POST)
    outcome = flow.submit(
        request,
        form,
        lambda data: services_rules.rule_override_create(actor=request.user, **data),
        success=lambda override: (
            _("The override of %(key)s for %(organization)s was saved.")
            % {"key": override.key, "organization": override.organization.name}
        ),
    )
    if outcome.ok:
        return redirect(_page_url(outcome.result.organization, outcome.result.effective_from))
    organization = (
        form.cleaned_data.get("organization") or Organization.objects.get_first_root_node()
    )
    on = form.cleaned_data.get("effective_from") or timezone.localdate()
    return _render_page(
        request,
        organization=organization,
        on=on,
        context_form=RulesContextForm(initial={"organization": organization, "on": on}),
        override_form=form,
        status=400,
    )


@login_required
@require_POST
def rule_override_expire(request, pk: int):
    """End an override on the given day (overrides are never deleted)."""
    override = get_rule_override_for_user(request.user, pk)
    form = RuleOverrideExpireForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the last day the override is in force."))
        return redirect(_page_url(override.organization))
    effective_to = form.cleaned_data["effective_to"]
    flow.attempt(
        request,
        lambda: services_rules.rule_override_expire(
            actor=request.user, override=override, effective_to=effective_to
        ),
        success=_("The override of %(key)s now ends on %(date)s.")
        % {"key": override.key, "date": date_format(effective_to, "SHORT_DATE_FORMAT")},
    )
    return redirect(_page_url(override.organization))
