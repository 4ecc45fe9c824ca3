"""The rules pages: every rule in force for an organization on a date, with its source, and
the organization's own overrides. Administrators manage every override; the secretaries,
deputy secretaries and organisation staff of a province, bloc or commune-level committee
manage those of their own subtree (orgs.access.rule_paths). Nobody else learns these pages
exist."""

from __future__ import annotations

import datetime
from typing import Any
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
from chibo.core.rules import RULE_KEYS, rules_for
from chibo.orgs import services_rules
from chibo.orgs.access import (
    check_rules_page,
    get_rule_organization_for_user,
    get_rule_override_for_user,
    rule_organizations,
)
from chibo.orgs.forms_rules import (
    RowsEditor,
    RuleOverrideExpireForm,
    RuleOverrideForm,
    RulesContextForm,
    value_editor,
)
from chibo.orgs.models import RULE_ISSUING_KINDS, Organization


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
            "formatted_value": RULE_KEYS[override.key].format_value(override.value),
            "status": _override_status(override, on),
            "can_end": override.effective_to is None or override.effective_to >= today,
        }
        for override in RuleOverride.objects.filter(organization=organization).order_by(
            "key", "-effective_from"
        )
    ]


def _choices(user: Any, organization: Organization | None) -> list[Organization]:
    """The units offered in the select: the committees that issue rules within the user's
    reach (a deeper unit can still be shown by its id)."""
    units = list(
        rule_organizations(user)
        .filter(kind__in=RULE_ISSUING_KINDS)
        .order_by("path")
        .only("pk", "name", "code", "depth", "path")[:500]
    )
    if organization is not None and all(unit.pk != organization.pk for unit in units):
        units.append(organization)
    return units


def _render_page(
    request,
    *,
    organization: Organization | None,
    on: datetime.date,
    context_form: RulesContextForm,
    override_form: RuleOverrideForm | None,
    status: int = 200,
):
    today = timezone.localdate()
    editor = override_form.editor if override_form is not None else None
    context = {
        "organization": organization,
        "on": on,
        "today": today,
        "choices": _choices(request.user, organization),
        "context_form": context_form,
        "key_choices": [(key, rule.description) for key, rule in RULE_KEYS.items()],
        "rules": rules_for(organization, on),
        "overrides": _override_rows(organization, on, today),
        "override_form": override_form,
        "value_form": editor.formset if isinstance(editor, RowsEditor) else editor,
        "editor": editor,
        "expire_form": RuleOverrideExpireForm(initial={"effective_to": today}),
    }
    return render(request, "orgs/rules_list.html", context, status=status)


def _new_override_form(organization: Organization, on: datetime.date, key: str):
    """The form for a new override of `key`, filled with the value in force."""
    if not key:
        return None
    in_force = next((rule for rule in rules_for(organization, on) if rule.key == key), None)
    editor = value_editor(key, initial=in_force.value if in_force else None)
    initial = {"organization": organization, "key": key, "effective_from": on}
    return RuleOverrideForm(initial=initial, editor=editor)


@login_required
@require_safe
def rules_list(request):
    """Every rule in force for the chosen organization (default: the first the user manages)
    on the chosen date (default: today), its own overrides and, with ?key=, the form for a new
    override of that rule."""
    check_rules_page(request.user)
    if request.GET.get("organization", "").isdigit():
        get_rule_organization_for_user(request.user, request.GET["organization"])
    organizations = rule_organizations(request.user)
    context_form = RulesContextForm(request.GET or None, organizations=organizations)
    organization, on, key = context_form.chosen()
    return _render_page(
        request,
        organization=organization,
        on=on,
        context_form=context_form,
        override_form=_new_override_form(organization, on, key) if organization else None,
    )


@login_required
@require_POST
def rule_override_new(request):
    """Add an override for an organization (and its subtree) the user manages."""
    check_rules_page(request.user)
    organization = get_rule_organization_for_user(request.user, request.POST.get("organization"))
    key = request.POST.get("key", "")
    editor = value_editor(key, data=request.POST) if key in RULE_KEYS else None
    form = RuleOverrideForm(request.POST, editor=editor, organization=organization)
    outcome = flow.submit(
        request,
        form,
        lambda data: services_rules.rule_override_create(
            actor=request.user, **{**data, "organization": organization}
        ),
        success=lambda override: (
            _("The override of %(key)s for %(organization)s was saved.")
            % {"key": override.key, "organization": override.organization.name}
        ),
    )
    if outcome.ok:
        return redirect(_page_url(outcome.result.organization, outcome.result.effective_from))
    on = form.cleaned_data.get("effective_from") or timezone.localdate()
    return _render_page(
        request,
        organization=organization,
        on=on,
        context_form=RulesContextForm(
            initial={"organization": organization, "on": on},
            organizations=rule_organizations(request.user),
        ),
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
