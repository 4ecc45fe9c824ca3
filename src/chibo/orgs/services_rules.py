"""Rule overrides: an organization's own value for a central rule, from its own document
(DESIGN §2.1). An override is never deleted or edited; it is ended, so that every decision
computed from it stays explainable. One transaction and one audit entry per call."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.core import audit, request_cache, rules
from chibo.core.errors import ServiceError
from chibo.core.models import RuleOverride
from chibo.core.signals import send_subtree_changed
from chibo.orgs.models import Organization

OVERRIDE_FIELDS = ("key", "value", "regulation", "clause", "effective_from", "effective_to")


def _show(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _has_negative_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value < 0
    if isinstance(value, dict):
        return any(_has_negative_number(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_negative_number(item) for item in value)
    return False


def _check_value(*, key: str, value: Any) -> None:
    try:
        example = rules.central_versions(key)[-1].value
    except (rules.UnknownRule, IndexError):
        raise ServiceError(_("There is no rule with the key %(key)s.") % {"key": key}) from None
    if not rules.same_shape(value, example):
        raise ServiceError(
            _("The value must have the same form as the central rule, for example %(example)s.")
            % {"example": json.dumps(example, ensure_ascii=False)}
        )
    if _has_negative_number(value):
        raise ServiceError(_("The value cannot contain negative numbers."))
    check_value = rules.RULE_KEYS[key].check_value
    problem = check_value(value) if check_value is not None else ""
    if problem:
        raise ServiceError(problem)
    is_share = isinstance(value, dict) and "denominator" in value
    if is_share and not 0 < value["numerator"] <= value["denominator"]:
        raise ServiceError(
            _("A share of the members needs a numerator between 1 and the denominator.")
        )


@transaction.atomic
def rule_override_create(
    *,
    actor: Any,
    organization: Organization,
    key: str,
    value: Any,
    regulation: str,
    clause: str,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    note: str = "",
) -> RuleOverride:
    """Give `organization` and its whole subtree its own value for the rule `key`, set by its
    own document (`regulation`, `clause`), from `effective_from` (until `effective_to`, if
    given). Refused for an unknown key, a value not shaped like the central default, a period
    that ends before it starts, or one that overlaps another override of the same rule by the
    same organization."""
    _check_value(key=key, value=value)
    regulation = regulation.strip()
    if not regulation:
        raise ServiceError(
            _("Name the document that sets this value, for example the committee's decision.")
        )
    if effective_to is not None and effective_to < effective_from:
        raise ServiceError(_("An override cannot end before it starts."))
    # Serialise overrides of one organization so two concurrent requests cannot both pass the
    # overlap check.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    clash = RuleOverride.objects.filter(organization=organization, key=key).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from)
    )
    if effective_to is not None:
        clash = clash.filter(effective_from__lte=effective_to)
    existing = clash.order_by("effective_from").first()
    if existing is not None:
        raise ServiceError(
            _(
                "%(organization)s already has an override of this rule from %(start)s that "
                "overlaps these dates; end it first or choose other dates."
            )
            % {"organization": organization.name, "start": _show(existing.effective_from)}
        )
    override = RuleOverride.objects.create(
        organization=organization,
        key=key,
        value=value,
        regulation=regulation,
        clause=clause.strip(),
        effective_from=effective_from,
        effective_to=effective_to,
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    snapshot = audit.snapshot(override, OVERRIDE_FIELDS)
    snapshot["value"] = value  # keep the JSON value itself, not its string form
    audit.record(
        actor=actor,
        code="rule_override.created",
        target=override,
        organization=organization,
        changes={name: [None, item] for name, item in snapshot.items()},
        note=override.note,
    )
    request_cache.clear()  # this request's later look-ups see the new override
    send_subtree_changed([organization.pk], rule_key=key)
    return override


@transaction.atomic
def rule_override_expire(
    *, actor: Any, override: RuleOverride, effective_to: datetime.date
) -> RuleOverride:
    """End `override` on `effective_to` (its last day in force). It can be ended earlier than
    planned but never extended, and never before it starts."""
    override = (
        RuleOverride.objects.select_for_update().select_related("organization").get(pk=override.pk)
    )
    if effective_to < override.effective_from:
        raise ServiceError(
            _("An override cannot end before it starts (%(start)s).")
            % {"start": _show(override.effective_from)}
        )
    if override.effective_to is not None and effective_to >= override.effective_to:
        raise ServiceError(
            _("This override already ends on %(end)s.") % {"end": _show(override.effective_to)}
        )
    before = override.effective_to
    override.effective_to = effective_to
    override.save(update_fields=["effective_to"])
    audit.record(
        actor=actor,
        code="rule_override.expired",
        target=override,
        organization=override.organization,
        changes={
            "effective_to": [before.isoformat() if before else None, effective_to.isoformat()]
        },
    )
    request_cache.clear()
    send_subtree_changed([override.organization_id], rule_key=override.key)
    return override
