"""Admission rules computed from the rule set in force (DOMAIN R3.1, R3.4–R3.6, R2.5)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chibo.core.calendar import add_working_days
from chibo.core.dates import add_months, full_months_between
from chibo.core.rules import Resolved, rule_in_force, rule_key


def rule_for(key: str, *, organization: Any, on: datetime.date) -> Resolved:
    """The rule for `on` under core.rules' one fallback policy (`rule_in_force`): the version in
    force that day, else the nearest one, explained as applied by default."""
    return rule_in_force(key, organization=organization, on=on)


def age_text(months: int) -> str:
    """An age in years and months, e.g. "59 năm 11 tháng"."""
    years, rest = divmod(max(months, 0), 12)
    return pgettext("age", "%(years)s years %(months)s months") % {"years": years, "months": rest}


@dataclass(frozen=True)
class AgeCheck:
    months: int
    admissible: bool
    text: str
    rules: tuple[Resolved, ...]


def age_check(*, birth_date: datetime.date, on: datetime.date, organization: Any) -> AgeCheck:
    """Age counted in months on the day the cell considers the case (R3.1) and one sentence
    saying whether it is within the rule, e.g. "59 năm 11 tháng: đủ điều kiện …"."""
    low = rule_for("admission.age_min_months", organization=organization, on=on)
    high = rule_for("admission.age_max_months", organization=organization, on=on)
    months = full_months_between(birth_date, on)
    fmt = rule_key("admission.age_min_months").format_value
    values = {
        "age": age_text(months),
        "date": date_format(on, "SHORT_DATE_FORMAT"),
        "low": fmt(low.value),
        "high": fmt(high.value),
    }
    if months < low.value:
        text = _("%(age)s: too young for admission (age on %(date)s; at least %(low)s).") % values
        return AgeCheck(months, False, text, (low,))
    if months > high.value:
        text = (
            _(
                "%(age)s: over the age for admission by the usual procedure (age on %(date)s; at "
                "most %(high)s). Admitting an older person is decided by a committee directly "
                "under the Central Committee."
            )
            % values
        )
        return AgeCheck(months, False, text, (high,))
    text = _("%(age)s: eligible (age on %(date)s; from %(low)s to %(high)s).") % values
    return AgeCheck(months, True, text, (low, high))


def certificate_expiry(
    *, certificate_date: datetime.date, on: datetime.date, organization: Any
) -> tuple[datetime.date, Resolved]:
    """The last day the Party-awareness course certificate is valid (R3.4), by the rule in force
    on `on`, the day the cell considers the case."""
    rule = rule_for("awareness_certificate.valid_months", organization=organization, on=on)
    return add_months(certificate_date, rule.value), rule


def ceremony_deadline(
    *, decision_date: datetime.date, organization: Any
) -> tuple[datetime.date, Resolved]:
    """The last day for the admission ceremony: n working days after the decision (R3.6)."""
    rule = rule_for(
        "admission.ceremony_deadline_working_days", organization=organization, on=decision_date
    )
    return add_working_days(decision_date, rule.value), rule


def personal_history_deadline(
    *, ceremony_date: datetime.date, organization: Any
) -> tuple[datetime.date, Resolved]:
    """The last day for the new member's party personal history (R3.7)."""
    rule = rule_for(
        "admission.personal_history_deadline_working_days",
        organization=organization,
        on=ceremony_date,
    )
    return add_working_days(ceremony_date, rule.value), rule


def resolution_passes(*, in_favour: int, eligible: int, organization: Any, on: datetime.date):
    """Whether `in_favour` of `eligible` official members meets the admission majority (R2.5)."""
    rule = rule_for("vote.two_thirds", organization=organization, on=on)
    numerator, denominator = rule.value["numerator"], rule.value["denominator"]
    if rule.value["strict"]:
        passes = in_favour * denominator > eligible * numerator
    else:
        passes = in_favour * denominator >= eligible * numerator
    return passes, rule
