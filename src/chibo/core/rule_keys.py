"""What each rule is about and how its value is shown (`RULE_KEYS`), split from the engine
(core.rules) that resolves the versions and overrides: a key's description, its value format
and, for structured values, why a value is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chibo.core import rule_formats_quality as quality_formats
from chibo.core.rule_data import (
    GRADED_MEASURES,
    READINGS,
)


def visit_minimums_text(value: dict[str, int]) -> str:
    """How core.rules shows the value of `visit.yearly_minimum` (kept here, beside it)."""
    return (
        str(
            gettext_lazy(
                "province %(province)s, district %(district)s, commune %(commune)s, grassroots "
                "%(grassroots)s a year; one's own cell not counted"
            )
        )
        % value
    )


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


def _model_meeting_rotation(value: dict[str, Any]) -> str:
    return ngettext(
        "%(count)s model meeting of each cell type a quarter, rotating across the cells",
        "%(count)s model meetings of each cell type a quarter, rotating across the cells",
        value["per_quarter"],
    ) % {"count": value["per_quarter"]}


def _check_model_meeting_rotation(value: dict[str, Any]) -> str:
    if not isinstance(value.get("per_quarter"), int) or not 1 <= value["per_quarter"] <= 12:
        return _("Give between 1 and 12 model meetings a quarter.")
    return ""


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
            "meeting_quality.annual_rating",
            gettext_lazy("Annual meeting quality of a cell from its monthly ratings"),
            quality_formats.annual_rating,
            quality_formats.check_annual_rating,
        ),
        RuleKey(
            "perfunctory.thresholds",
            gettext_lazy("When a cell's meetings are flagged as perfunctory"),
            quality_formats.perfunctory_thresholds,
            quality_formats.check_perfunctory_thresholds,
        ),
        RuleKey(
            "visit.yearly_minimum",
            gettext_lazy("Yearly minimum of visits to cell meetings, by the committee's level"),
            visit_minimums_text,
        ),
        RuleKey(
            "model_meeting.rotation",
            gettext_lazy("Model meetings of each cell type each quarter"),
            _model_meeting_rotation,
            _check_model_meeting_rotation,
        ),
    )
}
