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
from chibo.core.rule_data import CHIBO as CHIBO
from chibo.core.rule_data import CONFIDENCE_LABELS as CONFIDENCE_LABELS
from chibo.core.rule_data import DURATION_BY_CELL_SIZE as DURATION_BY_CELL_SIZE
from chibo.core.rule_data import DURATION_COMBINED_THEMATIC as DURATION_COMBINED_THEMATIC
from chibo.core.rule_data import GRADED_MEASURES
from chibo.core.rule_data import LIKELY as LIKELY
from chibo.core.rule_data import LOCAL as LOCAL
from chibo.core.rule_data import READINGS as READINGS
from chibo.core.rule_data import RECOGNITION_AT_DECISION as RECOGNITION_AT_DECISION
from chibo.core.rule_data import RECOGNITION_AT_PROBATION_END as RECOGNITION_AT_PROBATION_END
from chibo.core.rule_data import REGULATION as REGULATION
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


# The levels and forms of discipline.authority (R3.18, R3.19), as reviews names them.
DISCIPLINE_LEVELS = {
    "cell": gettext_lazy("the cell"),
    "cell_committee": gettext_lazy("the cell committee"),
    "grassroots_committee": gettext_lazy("the grassroots party committee"),
    "upper_committee": gettext_lazy("the upper-level party committee"),
    "inspection_committee": gettext_lazy("the inspection committee"),
}
DISCIPLINE_FORMS = {
    "reprimand": gettext_lazy("reprimand"),
    "warning": gettext_lazy("warning"),
    "dismissal_from_post": gettext_lazy("removal from post"),
    "expulsion": gettext_lazy("expulsion"),
}


def _discipline_authority(value: dict[str, list[str]]) -> str:
    parts = []
    for level, forms in value.items():
        names = ", ".join(str(DISCIPLINE_FORMS.get(form, form)) for form in forms)
        parts.append(
            _("%(level)s: %(forms)s")
            % {"level": DISCIPLINE_LEVELS.get(level, level), "forms": names or _("none")}
        )
    return "; ".join(parts)


def _check_discipline_authority(value: dict[str, list[str]]) -> str:
    if set(value) != set(DISCIPLINE_LEVELS) or any(
        form not in DISCIPLINE_FORMS for forms in value.values() for form in forms
    ):
        return _("Give the forms each level may decide, from the forms of discipline.")
    return ""


def _review_bands(value: dict[str, int]) -> str:
    return (
        _(
            "excellent from %(excellent)s points, good from %(good)s, completed from "
            "%(completed)s, not completed below %(completed)s"
        )
        % value
    )


def _reading(key: str) -> Callable[[Any], str]:
    def format_reading(value: str) -> str:
        for option in READINGS[key]:
            if option.code == value:
                return str(option.label)
        return value

    return format_reading


def _check_reading(key: str) -> Callable[[Any], str]:
    def check_reading(value: str) -> str:
        codes = [option.code for option in READINGS[key]]
        if value in codes:
            return ""
        return _("Choose one of: %(codes)s.") % {"codes": ", ".join(codes)}

    return check_reading


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
            "cell.committee_max_members",
            gettext_lazy("Most members of a cell committee"),
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
            "meeting.duration_reading",
            gettext_lazy("Reading of the shortest duration of a regular meeting under 42-HD/BTCTW"),
            _reading("meeting.duration_reading"),
            _check_reading("meeting.duration_reading"),
        ),
        RuleKey(
            "meeting.combined_min_duration_minutes",
            gettext_lazy(
                "Shortest duration of a regular meeting combined with a thematic one, under the "
                "reading by kind"
            ),
            _minutes,
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
            "recognition.effective_date",
            gettext_lazy("Date from which a recognised member is an official member"),
            _reading("recognition.effective_date"),
            _check_reading("recognition.effective_date"),
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
            "discipline.authority",
            gettext_lazy("Forms of discipline each level may decide"),
            _discipline_authority,
            _check_discipline_authority,
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
        RuleKey(
            "proposal.deadline_working_days",
            gettext_lazy("Time each level has to answer a proposal"),
            _working_days,
        ),
        RuleKey(
            "model_meeting.rotation",
            gettext_lazy("Model meetings of each cell type each quarter"),
            lambda value: _count(value["per_quarter"]),
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
    asks for the central default only. UnknownRule for an unknown key."""
    rule_key(key)
    if organization is not None:
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
