"""The versioned rules engine (DESIGN §2.1: rules are data with a source).

Every threshold chibo computes with is a rule: a key (`RULE_KEYS`: what it is about and how its
value is shown) with central defaults, the `RuleVersion`s of the data module `core.rule_data`
(regulation, clause, dates in force, confidence). A province or commune committee overrides a
rule for its whole subtree with its own document through a `RuleOverride` row
(orgs.services_rules.rule_override_create).

    rule_in_force("vote.two_thirds", organization=cell, on=meeting.date)

returns the override of the nearest organization on the path from `cell` up to the root that is
in force on that date, else the central default in force on that date. Its `explain()` is the
sentence shown beside every decision computed from it.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chibo.core.models import RuleOverride
from chibo.core.rule_data import CENTRAL_VERSIONS as CENTRAL_VERSIONS
from chibo.core.rule_data import CONFIDENCE_LABELS as CONFIDENCE_LABELS
from chibo.core.rule_data import GRADED_MEASURES
from chibo.core.rule_data import LIKELY as LIKELY
from chibo.core.rule_data import SURE as SURE
from chibo.core.rule_data import UNSURE as UNSURE
from chibo.core.rule_data import RuleVersion as RuleVersion

# Where an answer comes from when no organization overrides it.
CENTRAL = "central"

# django-treebeard's default step length: an ancestor's path is a prefix of 4*k characters.
PATH_STEP = 4

# -- value formats --------------------------------------------------------------------------
# Each key has one value format; every version and every override of the key has the same
# JSON shape (orgs.services_rules checks overrides against the central default).


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)


def _fraction(value: dict[str, Any]) -> str:
    numerator, denominator = value["numerator"], value["denominator"]
    if value["strict"] and (numerator, denominator) == (1, 2):
        return _("more than half of the official members")
    if not value["strict"] and (numerator, denominator) == (2, 3):
        return _("at least two thirds of the official members")
    if value["strict"]:
        return _("more than %(numerator)s/%(denominator)s of the official members") % {
            "numerator": numerator,
            "denominator": denominator,
        }
    return _("at least %(numerator)s/%(denominator)s of the official members") % {
        "numerator": numerator,
        "denominator": denominator,
    }


def _minutes(value: int) -> str:
    return ngettext("%(count)s minute", "%(count)s minutes", value) % {"count": value}


def _duration_bands(value: list[dict[str, int]]) -> str:
    parts = []
    for band in value:
        if band["members_from"] == 0:
            parts.append(_minutes(band["minutes"]))
        else:
            parts.append(
                _("%(minutes)s for cells of %(members)s members or more")
                % {"minutes": _minutes(band["minutes"]), "members": band["members_from"]}
            )
    return "; ".join(parts)


def _percent(value: float) -> str:
    return _("%(value)s%%") % {"value": _number(value)}


def _days(value: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", value) % {"count": value}


def _working_days(value: int) -> str:
    return ngettext("%(count)s working day", "%(count)s working days", value) % {"count": value}


def _months(value: int) -> str:
    return ngettext("%(count)s month", "%(count)s months", value) % {"count": value}


def _age_months(value: int) -> str:
    years, months = divmod(value, 12)
    if months == 0:
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return _("%(years)s years %(months)s months") % {"years": years, "months": months}


def _count(value: int) -> str:
    return _number(value)


def _vnd(value: int) -> str:
    return _("%(amount)s VND") % {"amount": _number(value)}


def _years_list(value: list[int]) -> str:
    return _("%(list)s years") % {"list": ", ".join(str(item) for item in value)}


def _day_months(value: list[str]) -> str:
    return ", ".join(value)


def _early_award_bands(value: list[dict[str, int]]) -> str:
    return "; ".join(
        _("%(months)s before the milestone for %(from)s–%(to)s years of party age")
        % {"months": _months(band["months"]), "from": band["from_years"], "to": band["to_years"]}
        for band in value
    )


def _meeting_rating_bands(value: dict[str, int]) -> str:
    return (
        _(
            "good from %(good)s points, fair from %(fair)s, average from %(average)s, "
            "poor below %(average)s"
        )
        % value
    )


def _scoring_frame(value: dict[str, Any]) -> str:
    lines = value["lines"]
    total = sum(line["max"] for line in lines)
    return ngettext(
        "%(count)s criterion, %(total)s points in all",
        "%(count)s criteria, %(total)s points in all",
        len(lines),
    ) % {"count": len(lines), "total": _number(total)}


def _check_scoring_frame(value: dict[str, Any]) -> str:
    """A frame's bands must let each graded criterion reach its maximum and never pass it
    (the shape is documented beside the frame in core.rule_data)."""
    for line in value["lines"]:
        bands = line["bands"]
        if not bands and line["auto"] in GRADED_MEASURES:
            return _("“%(label)s” is measured by chibo and needs its bands.") % {
                "label": line["label"]
            }
        if not bands:
            continue
        points = [band["points"] for band in bands]
        starts = [band["from"] for band in bands]
        if points[0] != line["max"] or max(points) > line["max"]:
            return _(
                "The best band of “%(label)s” must give its maximum, %(max)s points, and no "
                "band more."
            ) % {"label": line["label"], "max": _number(line["max"])}
        if starts != sorted(starts, reverse=True):
            return _("The bands of “%(label)s” must be listed from the best down.") % {
                "label": line["label"]
            }
    return ""


def _criteria_frame(value: list[dict[str, Any]]) -> str:
    total = sum(item["max"] for item in value)
    parts = "; ".join(f"{item['label']} {_number(item['max'])}" for item in value)
    return _("%(criteria)s (%(total)s points in all)") % {
        "criteria": parts,
        "total": _number(total),
    }


def _check_criteria_frame(value: list[dict[str, Any]]) -> str:
    """Why a criteria frame of the annual review cannot be used ("" if it can): at least one
    criterion, distinct non-empty codes, every maximum positive, 100 points in all (R4.2)."""
    codes = [str(item["code"]).strip() for item in value]
    if not value or any(not code for code in codes) or len(set(codes)) != len(codes):
        return _("Each criterion needs its own code, and the frame at least one criterion.")
    if any(item["max"] <= 0 for item in value):
        return _("Each criterion needs a maximum above 0 points.")
    total = sum(item["max"] for item in value)
    if total != 100:
        return _("The criteria must add up to 100 points; these add up to %(total)s.") % {
            "total": _number(total)
        }
    return ""


def _review_bands(value: dict[str, int]) -> str:
    return (
        _(
            "excellent from %(excellent)s points, good from %(good)s, completed from "
            "%(completed)s, not completed below %(completed)s"
        )
        % value
    )


@dataclass(frozen=True)
class RuleKey:
    """What a rule is about, independent of its version: a translatable description (a noun
    phrase, value-neutral, so that it fits an override too) and how to show its value."""

    key: str
    description: Promise
    format_value: Callable[[Any], str]
    # Why a value is refused ("" if it is fine), beyond having the central value's shape.
    check_value: Callable[[Any], str] | None = None


RULE_KEYS: dict[str, RuleKey] = {
    rule.key: rule
    for rule in (
        RuleKey(
            "vote.majority",
            gettext_lazy("Votes needed to adopt a resolution"),
            _fraction,
        ),
        RuleKey(
            "vote.two_thirds",
            gettext_lazy(
                "Votes needed for a cell resolution on admission or on recognition as an "
                "official member"
            ),
            _fraction,
        ),
        RuleKey(
            "cell.min_official_members",
            gettext_lazy("Smallest number of official members of a cell"),
            _count,
        ),
        RuleKey(
            "cell.committee_min_official_members",
            gettext_lazy("Official members from which a cell elects a cell committee"),
            _count,
        ),
        RuleKey(
            "grassroots.committee_min_members",
            gettext_lazy("Members from which a grassroots organization is a party committee"),
            _count,
        ),
        RuleKey(
            "meeting.min_duration_minutes",
            gettext_lazy("Shortest duration of a quality regular meeting"),
            _duration_bands,
        ),
        RuleKey(
            "meeting.attendance_warning_percent",
            gettext_lazy("Attendance a quality meeting must exceed (a quality mark, not a quorum)"),
            _percent,
        ),
        RuleKey(
            "meeting.max_consecutive_excused_absences",
            gettext_lazy(
                "Most consecutive absences with reason a member may have in a year at quality "
                "meetings"
            ),
            _count,
        ),
        RuleKey(
            "meeting.rating_bands",
            gettext_lazy("Points for each rating of a meeting (out of 100)"),
            _meeting_rating_bands,
        ),
        RuleKey(
            "meeting.scoring_frame",
            gettext_lazy("Scoring frame of a regular meeting"),
            _scoring_frame,
            _check_scoring_frame,
        ),
        RuleKey(
            "meeting.thematic_min_per_quarter",
            gettext_lazy("Thematic meetings to hold each quarter, at least"),
            _count,
        ),
        RuleKey(
            "meeting.notice_days_before",
            gettext_lazy("Days before a meeting by which its materials are posted"),
            _days,
        ),
        RuleKey(
            "meeting.final_upload_days_after",
            gettext_lazy("Days after a meeting within which its final materials are posted"),
            _days,
        ),
        RuleKey(
            "admission.age_min_months",
            gettext_lazy("Youngest age for admission"),
            _age_months,
        ),
        RuleKey(
            "admission.age_max_months",
            gettext_lazy("Oldest age for admission by the usual procedure"),
            _age_months,
        ),
        RuleKey(
            "admission.introducer_min_months",
            gettext_lazy(
                "Shortest time an introducer has worked, studied or lived with the candidate"
            ),
            _months,
        ),
        RuleKey(
            "admission.candidate_review_interval_months",
            gettext_lazy("How often the cell reviews each candidate on its list"),
            _months,
        ),
        RuleKey(
            "awareness_certificate.valid_months",
            gettext_lazy("Validity of the Party-awareness course certificate"),
            _months,
        ),
        RuleKey(
            "admission.ceremony_deadline_working_days",
            gettext_lazy("Time to hold the admission ceremony after receiving the decision"),
            _working_days,
        ),
        RuleKey(
            "admission.personal_history_deadline_working_days",
            gettext_lazy(
                "Time for a new member to fill in the personal history after the ceremony"
            ),
            _working_days,
        ),
        RuleKey(
            "probation.months",
            gettext_lazy("Length of probation, from the admission ceremony"),
            _months,
        ),
        RuleKey(
            "recognition.deadline_working_days",
            gettext_lazy(
                "Time for the cell to consider recognition as an official member after "
                "probation ends"
            ),
            _working_days,
        ),
        RuleKey(
            "transfer.official_deadline_working_days",
            gettext_lazy("Time to complete an official transfer after the decision"),
            _working_days,
        ),
        RuleKey(
            "removal.unexcused_months_per_year",
            gettext_lazy(
                "Months in a year without party activity or without paying dues, without a "
                "valid reason, that lead to removal from the rolls"
            ),
            _months,
        ),
        RuleKey(
            "readmission.min_months_after_leaving",
            gettext_lazy("Shortest time after leaving the Party before re-admission"),
            _months,
        ),
        RuleKey(
            "exemption.rating_excluded_min_months",
            gettext_lazy(
                "Months of exemption from activity in a year from which a member is left out "
                "of the annual rating"
            ),
            _months,
        ),
        RuleKey(
            "discipline.appeal_days",
            gettext_lazy("Time to appeal a disciplinary decision"),
            _days,
        ),
        RuleKey(
            "badge.milestones_years",
            gettext_lazy("Party ages at which the Party badge is awarded"),
            _years_list,
        ),
        RuleKey(
            "badge.award_occasions",
            gettext_lazy("Days of the year (day/month) on which the Party badge is awarded"),
            _day_months,
        ),
        RuleKey(
            "badge.early_award_months",
            gettext_lazy("How early the Party badge may be awarded to a seriously ill member"),
            _early_award_bands,
        ),
        RuleKey(
            "review.rating_bands",
            gettext_lazy("Points for each level of the annual review (out of 100)"),
            _review_bands,
        ),
        RuleKey(
            "review.member_criteria_frame",
            gettext_lazy("Criteria of a member's annual review and their points (out of 100)"),
            _criteria_frame,
            _check_criteria_frame,
        ),
        RuleKey(
            "review.excellent_quota_percent_of_good",
            gettext_lazy(
                "Members rated excellent, at most, as a share of those rated good, in each "
                "grassroots organization"
            ),
            _percent,
        ),
        RuleKey(
            "dues.salary_percent",
            gettext_lazy("Monthly dues of members in compulsory social insurance"),
            _percent,
        ),
        RuleKey(
            "dues.pension_percent",
            gettext_lazy("Monthly dues of pensioners, as a share of the pension"),
            _percent,
        ),
        RuleKey(
            "dues.student_amount_vnd",
            gettext_lazy("Monthly dues of students"),
            _vnd,
        ),
    )
}


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

    def explain(self) -> str:
        """The sentence shown beside a decision, in the active language, e.g. "Votes needed to
        adopt a resolution: more than half of the official members — Điều lệ Đảng, Điều 10,
        khoản 5 (in force from 19/01/2011)"."""
        values = {
            "description": self.description,
            "value": self.formatted_value,
            "regulation": self.regulation,
            "clause": self.clause,
            "date": date_format(self.effective_from, "SHORT_DATE_FORMAT"),
            "organization": self.source,
        }
        if self.is_central and self.clause:
            text = _(
                "%(description)s: %(value)s — %(regulation)s, %(clause)s (in force from %(date)s)"
            )
        elif self.is_central:
            text = _("%(description)s: %(value)s — %(regulation)s (in force from %(date)s)")
        elif self.clause:
            text = _(
                "%(description)s: %(value)s — %(regulation)s, %(clause)s (in force from "
                "%(date)s, set by %(organization)s)"
            )
        else:
            text = _(
                "%(description)s: %(value)s — %(regulation)s (in force from %(date)s, set by "
                "%(organization)s)"
            )
        return text % values


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


def resolved_from_central(version: RuleVersion) -> Resolved:
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
    in force that day (one query). `organization=None` asks for the central default only.
    UnknownRule for an unknown key, RuleNotInForce when nothing is in force that day."""
    rule_key(key)
    if organization is not None:
        override = _overrides_in_force(organization, on, [key]).first()
        if override is not None:
            return resolved_from_override(override)
    version = central_in_force(key, on=on)
    if version is None:
        raise RuleNotInForce(
            f"No version of the rule {key!r} is in force on {on:%d/%m/%Y}; the earliest "
            "regulation chibo knows for it starts later, or the rule was ended."
        )
    return resolved_from_central(version)


def rules_for(organization: Any, on: datetime.date) -> list[Resolved]:
    """Every rule in force for `organization` on `on`, in registry order (one query). Keys with
    nothing in force that day are left out."""
    nearest: dict[str, Any] = {}
    if organization is not None:
        for override in _overrides_in_force(organization, on):
            nearest.setdefault(override.key, override)
    resolved = []
    for key in RULE_KEYS:
        if key in nearest:
            resolved.append(resolved_from_override(nearest[key]))
            continue
        version = central_in_force(key, on=on)
        if version is not None:
            resolved.append(resolved_from_central(version))
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
