"""The versioned rules engine (DESIGN §2.1: rules are data with a source).

Every threshold chibo computes with is a rule: a key (`RULE_KEYS`: what it is about and how its
value is shown) with central defaults, the `RuleVersion`s of the data module `core.rule_data`
(regulation, clause, dates in force, confidence). A province or commune committee overrides a
rule for its whole subtree with its own document through a `RuleOverride` row
(orgs.services_rules.rule_override_create).

    rule_in_force("vote.two_thirds", organization=cell, on=meeting.date)

returns the override of the nearest organization on the path from `cell` up to the root that is
in force on that date, else the central default in force on that date. Its `explain()` is the
sentence shown beside every decision computed from it: value, regulation, clause, confidence,
and whether the value is a local or chibo default.

The fallback policy (one, for every module): the version in force on the date; on a date no
central version covers (before the earliest one chibo knows, or in a gap), the nearest earlier
version, else the earliest one — marked `applied_on` and explained as "applied by default".
A known key therefore always resolves; `RuleNotInForce` is left for callers that ask for the
strict answer (`central_in_force`).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from chibo.core import request_cache
from chibo.core.models import RuleOverride
from chibo.core.rule_data import CENTRAL_VERSIONS as CENTRAL_VERSIONS
from chibo.core.rule_data import CHIBO as CHIBO
from chibo.core.rule_data import CONFIDENCE_LABELS as CONFIDENCE_LABELS
from chibo.core.rule_data import DURATION_BY_CELL_SIZE as DURATION_BY_CELL_SIZE
from chibo.core.rule_data import DURATION_COMBINED_THEMATIC as DURATION_COMBINED_THEMATIC
from chibo.core.rule_data import LIKELY as LIKELY
from chibo.core.rule_data import LOCAL as LOCAL
from chibo.core.rule_data import READINGS as READINGS
from chibo.core.rule_data import RECOGNITION_AT_DECISION as RECOGNITION_AT_DECISION
from chibo.core.rule_data import RECOGNITION_AT_PROBATION_END as RECOGNITION_AT_PROBATION_END
from chibo.core.rule_data import REGULATION as REGULATION
from chibo.core.rule_data import SURE as SURE
from chibo.core.rule_data import UNSURE as UNSURE
from chibo.core.rule_data import RuleVersion as RuleVersion
from chibo.core.rule_keys import DISCIPLINE_FORMS as DISCIPLINE_FORMS
from chibo.core.rule_keys import DISCIPLINE_LEVELS as DISCIPLINE_LEVELS
from chibo.core.rule_keys import RULE_KEYS as RULE_KEYS
from chibo.core.rule_keys import RuleKey as RuleKey

# Where an answer comes from when no organization overrides it.
CENTRAL = "central"

# django-treebeard's default step length: an ancestor's path is a prefix of 4*k characters.
PATH_STEP = 4


class RuleError(LookupError):
    """A rule lookup that has no answer."""


class UnknownRule(RuleError):
    pass


class RuleNotInForce(RuleError):
    pass


@dataclass(frozen=True)
class Resolved:
    """The rule that applies to one organization on one date."""

    key: str
    value: Any
    regulation: str
    clause: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    source: str  # CENTRAL, or the overriding organization's name
    confidence: str
    description: Promise | str
    note: Promise | str = ""
    override_id: int | None = None
    organization_id: int | None = None  # the overriding organization
    basis: str = REGULATION  # who sets the value (core.rule_data: REGULATION, LOCAL, CHIBO)
    # The day asked for when no version covers it and this one is applied by default.
    applied_on: datetime.date | None = None

    @property
    def is_central(self) -> bool:
        return self.override_id is None

    @property
    def value_json(self) -> str:
        return json.dumps(self.value, ensure_ascii=False)

    @property
    def formatted_value(self) -> str:
        return RULE_KEYS[self.key].format_value(self.value)

    @property
    def confidence_label(self) -> str:
        return str(CONFIDENCE_LABELS.get(self.confidence, self.confidence))

    @property
    def by_default(self) -> bool:
        """Whether this version is applied to a day it does not cover (the fallback policy)."""
        return self.applied_on is not None

    def explain(self) -> str:
        """The sentence shown beside a decision, in the active language: the value, the
        regulation and clause, when it is in force, how sure chibo is of it, and whether the
        value is a local or chibo default or applied by default to a day no version covers,
        e.g. "Votes needed to adopt a resolution: more than half of the official members —
        Điều lệ Đảng, Điều 10, khoản 5 (in force from 19/01/2011; confidence: sure)"."""
        values = {
            "description": self.description,
            "value": self.formatted_value,
            "regulation": self.regulation,
            "clause": self.clause,
        }
        if self.clause:
            head = _("%(description)s: %(value)s — %(regulation)s, %(clause)s") % values
        else:
            head = _("%(description)s: %(value)s — %(regulation)s, clause not identified") % values
        start = date_format(self.effective_from, "SHORT_DATE_FORMAT")
        if self.is_central:
            parts = [_("in force from %(date)s") % {"date": start}]
        else:
            parts = [
                _("in force from %(date)s, set by %(organization)s")
                % {"date": start, "organization": self.source}
            ]
        parts.append(_("confidence: %(confidence)s") % {"confidence": self.confidence_label})
        if self.is_central and self.basis == LOCAL:
            parts.append(_("a local practice chibo uses as the default"))
        elif self.is_central and self.basis == CHIBO:
            parts.append(_("chibo's default, not a value set by this regulation"))
        if self.applied_on is not None:
            parts.append(
                _("no version chibo knows covers %(day)s: chibo applies this one by default")
                % {"day": date_format(self.applied_on, "SHORT_DATE_FORMAT")}
            )
        return f"{head} ({'; '.join(parts)})"


def rule_key(key: str) -> RuleKey:
    """The definition of `key`; UnknownRule if there is none."""
    try:
        return RULE_KEYS[key]
    except KeyError:
        raise UnknownRule(f"There is no rule {key!r}.") from None


def central_versions(key: str) -> list[RuleVersion]:
    """Every central version of `key`, oldest first."""
    rule_key(key)
    return sorted(
        (version for version in CENTRAL_VERSIONS if version.key == key),
        key=lambda version: version.effective_from,
    )


def central_in_force(key: str, *, on: datetime.date) -> RuleVersion | None:
    """The central version of `key` in force on `on`, if any."""
    for version in reversed(central_versions(key)):
        if version.in_force_on(on):
            return version
    return None


def central_default(key: str, *, on: datetime.date) -> Resolved:
    """The central default of `key` for `on` under the fallback policy (module docstring): the
    version in force that day; else the latest version that started before it; else the
    earliest one. The last two are marked as applied by default on `on`."""
    versions = central_versions(key)
    if not versions:
        raise RuleNotInForce(f"The rule {key!r} has no central version.")
    for version in reversed(versions):
        if version.in_force_on(on):
            return resolved_from_central(version)
    earlier = [version for version in versions if version.effective_from <= on]
    chosen = earlier[-1] if earlier else versions[0]
    return resolved_from_central(chosen, applied_on=on)


def resolved_from_central(
    version: RuleVersion, *, applied_on: datetime.date | None = None
) -> Resolved:
    return Resolved(
        key=version.key,
        value=version.value,
        regulation=version.regulation,
        clause=version.clause,
        effective_from=version.effective_from,
        effective_to=version.effective_to,
        source=CENTRAL,
        confidence=version.confidence,
        description=RULE_KEYS[version.key].description,
        note=version.note,
        basis=version.basis,
        applied_on=applied_on,
    )


def resolved_from_override(override: Any) -> Resolved:
    # An organization's own document is its own authority: the confidence of a rule a
    # committee wrote down is "sure" for its subtree.
    return Resolved(
        key=override.key,
        value=override.value,
        regulation=override.regulation,
        clause=override.clause,
        effective_from=override.effective_from,
        effective_to=override.effective_to,
        source=override.organization.name,
        confidence=SURE,
        description=RULE_KEYS[override.key].description,
        note=override.note,
        override_id=override.pk,
        organization_id=override.organization_id,
    )


def ancestor_paths(path: str) -> list[str]:
    """The materialized paths from the root down to (and including) the node at `path`."""
    return [path[: PATH_STEP * depth] for depth in range(1, len(path) // PATH_STEP + 1)]


def _overrides_in_force(organization: Any, on: datetime.date, keys: list[str] | None = None):
    overrides = RuleOverride.objects.filter(
        organization__path__in=ancestor_paths(organization.path),
        effective_from__lte=on,
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    if keys is not None:
        overrides = overrides.filter(key__in=keys)
    # Nearest organization first; among one organization's overrides, the latest start.
    return overrides.select_related("organization").order_by(
        "-organization__depth", "-effective_from", "-pk"
    )


def rule_in_force(key: str, *, organization: Any, on: datetime.date) -> Resolved:
    """The rule `key` for `organization` on date `on`: the override of the nearest organization
    on the path from `organization` up to the root in force that day, else the central default
    for that day under the fallback policy (`central_default`; one query). `organization=None`
    asks for the central default only. UnknownRule for an unknown key.

    Within a request the answer is computed once per (key, organization, date)
    (`core.request_cache`; the override services clear it)."""
    rule_key(key)
    if organization is None:
        return central_default(key, on=on)
    return request_cache.cached(
        ("rule", key, organization.pk, organization.path, on),
        lambda: _resolve(key, organization, on),
    )


def _resolve(key: str, organization: Any, on: datetime.date) -> Resolved:
    override = _overrides_in_force(organization, on, [key]).first()
    if override is not None:
        return resolved_from_override(override)
    return central_default(key, on=on)


def rules_for(organization: Any, on: datetime.date) -> list[Resolved]:
    """Every rule for `organization` on `on`, in registry order (one query), each resolved as
    `rule_in_force` does: a key no version covers that day is applied by default."""
    nearest: dict[str, Any] = {}
    if organization is not None:
        for override in _overrides_in_force(organization, on):
            nearest.setdefault(override.key, override)
    resolved = []
    for key in RULE_KEYS:
        if key in nearest:
            resolved.append(resolved_from_override(nearest[key]))
            continue
        resolved.append(central_default(key, on=on))
    return resolved


def same_shape(value: Any, example: Any) -> bool:
    """Whether `value` has the JSON shape of `example`: the same type (an integer where the
    example is an integer; any number where it is a decimal), the same keys for an object, and
    list items shaped like the example's first item."""
    if isinstance(example, bool):
        return isinstance(value, bool)
    if isinstance(example, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(example, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(example, str):
        return isinstance(value, str)
    if isinstance(example, dict):
        return (
            isinstance(value, dict)
            and set(value) == set(example)
            and all(same_shape(value[name], example[name]) for name in example)
        )
    if isinstance(example, list):
        if not isinstance(value, list):
            return False
        if not example:
            return True
        return all(same_shape(item, example[0]) for item in value)
    return value is None and example is None
