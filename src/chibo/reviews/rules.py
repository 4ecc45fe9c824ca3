"""The rules of the annual review (Quy định 366-QĐ/TW Điều 11; R4.3, R4.4) read from the rule
set: the points of each level, the extra conditions, and the quota of excellent ratings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from chibo.core.errors import ServiceError
from chibo.core.rules import DISCIPLINE_FORMS, DISCIPLINE_LEVELS, Resolved
from chibo.lifecycle.rules import rule_for
from chibo.reviews.models import (
    LEVEL_ORDER,
    LEVEL_SHORT,
    DisciplineAuthority,
    DisciplineForm,
    Level,
)

APPEAL_KEY = "discipline.appeal_days"
BANDS_KEY = "review.rating_bands"
AUTHORITY_KEY = "discipline.authority"
QUOTA_KEY = "review.excellent_quota_percent_of_good"
FRAME_KEY = "review.member_criteria_frame"
# Points are given like the score: at most one decimal (e.g. 17.5).
POINTS_STEP = Decimal("0.1")


def rule_day(year: int) -> datetime.date:
    """The rules of a year's review are those in force at the end of that year."""
    return datetime.date(year, 12, 31)


def bands_rule(organization: Any, year: int) -> Resolved:
    return rule_for(BANDS_KEY, organization=organization, on=rule_day(year))


def appeal_rule(organization: Any, on: datetime.date) -> Resolved:
    """The time to appeal a disciplinary decision (R3.19), for `organization` on `on`."""
    return rule_for(APPEAL_KEY, organization=organization, on=on)


def quota_rule(organization: Any, year: int) -> Resolved:
    return rule_for(QUOTA_KEY, organization=organization, on=rule_day(year))


def frame_rule(organization: Any, year: int) -> Resolved:
    """The criteria frame of a member's review of `year` (R4.2, R4.6)."""
    return rule_for(FRAME_KEY, organization=organization, on=rule_day(year))


def _points_text(value: Decimal | int) -> str:
    return f"{Decimal(value).normalize():f}"


def criteria_points(rule: Resolved, points: Any) -> tuple[dict[str, int | float], Decimal]:
    """The points given per criterion of the frame `rule`, checked, as stored ({code: points})
    and their sum, the score out of 100 (R4.2). Refuses an unknown code, a missing criterion,
    points below 0, above the criterion's maximum or with more than one decimal, naming the
    criterion and its maximum."""
    frame = {str(item["code"]): item for item in rule.value}
    given = dict(points or {})
    unknown = sorted(code for code in given if code not in frame)
    if unknown:
        raise ServiceError(
            _("%(codes)s is not a criterion of the frame in force. %(rule)s.")
            % {"codes": ", ".join(unknown), "rule": rule.explain()}
        )
    stored: dict[str, int | float] = {}
    total = Decimal(0)
    for code, item in frame.items():
        values = {"criterion": item["label"], "max": _points_text(item["max"])}
        raw = given.get(code)
        if raw is None or raw == "":
            raise ServiceError(
                _("Give the points of the criterion “%(criterion)s” (at most %(max)s points).")
                % values
            )
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            raise ServiceError(
                _("The points of “%(criterion)s” must be a number from 0 to %(max)s.") % values
            ) from None
        values["points"] = _points_text(value) if value.is_finite() else str(raw)
        if not value.is_finite() or value < 0 or value > Decimal(item["max"]):
            raise ServiceError(
                _(
                    "%(points)s points is refused for “%(criterion)s”: this criterion has at "
                    "most %(max)s points."
                )
                % values
            )
        if value != value.quantize(POINTS_STEP):
            raise ServiceError(
                _("The points of “%(criterion)s” take at most one decimal, e.g. 17.5.") % values
            )
        stored[code] = int(value) if value == value.to_integral_value() else float(value)
        total += value
    return stored, total


def points_rows(rule: Resolved, points: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The stored points of one step beside the frame's criteria, for display: a criterion the
    frame no longer has is still shown under its code."""
    if not points:
        return []
    labels = {str(item["code"]): item for item in rule.value}
    codes = [code for code in labels if code in points]
    codes += [code for code in points if code not in labels]
    rows = []
    for code in codes:
        item = labels.get(code)
        rows.append(
            {
                "code": code,
                "label": item["label"] if item else code,
                "max": item["max"] if item else None,
                "points": Decimal(str(points[code])),
            }
        )
    return rows


def highest_level(
    bands: dict[str, Any], score: Decimal | float, *, all_on_time: bool, exceeding: bool
) -> str:
    """The best level the points and the asserted conditions allow (R4.3): excellent needs the
    excellent points, every task on time and at least 30% exceeding; good needs the good points
    and every task on time; completed needs the completed points."""
    if score >= bands["excellent"] and all_on_time and exceeding:
        return Level.EXCELLENT
    if score >= bands["good"] and all_on_time:
        return Level.GOOD
    if score >= bands["completed"]:
        return Level.COMPLETED
    return Level.NOT_COMPLETED


def step_defaults(
    *, bands: Resolved, review: Any, step: str, evidence_on_time: bool | None
) -> dict[str, Any]:
    """The initial values of a step's form (issue 9, item 18): those already recorded for the
    step, else those of the step before (the member's own for the cell's proposal), but
    "every task on time" follows the evidence of the year when it has any, and the level is no
    better than the points and those conditions allow (R4.3)."""
    if review is not None and getattr(review, f"{step}_level"):
        return {
            "level": getattr(review, f"{step}_level"),
            "all_on_time": getattr(review, f"{step}_all_on_time"),
            "exceeding": getattr(review, f"{step}_exceeding"),
        }
    if step == "proposed" and review is not None and review.self_level:
        level, score = review.self_level, review.self_score
        all_on_time = review.self_all_on_time and evidence_on_time is not False
        exceeding = review.self_exceeding
    else:
        return {"all_on_time": evidence_on_time is True}
    if score is not None:
        best = highest_level(
            bands.value, score, all_on_time=all_on_time, exceeding=exceeding and all_on_time
        )
        level = max(level, best, key=rank)
    return {"level": level, "all_on_time": all_on_time, "exceeding": exceeding}


def rank(level: str) -> int:
    return LEVEL_ORDER.index(Level(level))


def check_level(
    *,
    rule: Resolved,
    level: str,
    score: Decimal | float | None,
    all_on_time: bool,
    exceeding: bool,
    note: str,
) -> None:
    """Refuse a level the score and conditions do not allow, citing the rule. A lower level
    than the points allow needs a note saying why (R4.3: other disqualifying conditions)."""
    if score is None:
        raise ServiceError(_("Give the score out of 100 with the level."))
    if score < 0 or score > 100:
        raise ServiceError(_("The score is out of 100."))
    best = highest_level(rule.value, score, all_on_time=all_on_time, exceeding=exceeding)
    values = {
        "level": LEVEL_SHORT[Level(level)],
        "score": f"{score:g}",
        "best": LEVEL_SHORT[Level(best)],
        "rule": rule.explain(),
    }
    if rank(level) < rank(best):
        if level == Level.EXCELLENT and rule.value["excellent"] <= score:
            raise ServiceError(
                _(
                    "%(level)s needs every task done on time and at least 30%% of them exceeding "
                    "the requirements, besides %(score)s points; as asserted, %(best)s at "
                    "best. %(rule)s."
                )
                % values
            )
        if level == Level.GOOD and rule.value["good"] <= score:
            raise ServiceError(
                _(
                    "%(level)s needs every task done on time, besides %(score)s points; as "
                    "asserted, %(best)s at best. %(rule)s."
                )
                % values
            )
        raise ServiceError(
            _("%(level)s is refused: %(score)s points allow %(best)s at best. %(rule)s.") % values
        )
    if rank(level) > rank(best) and not note.strip():
        raise ServiceError(
            _(
                "%(score)s points allow %(best)s: give the reason for the lower level %(level)s "
                "in the note. %(rule)s."
            )
            % values
        )


@dataclass(frozen=True)
class QuotaState:
    """The share of excellent among good ratings in one grassroots organization and year."""

    excellent: int
    good: int
    percent_allowed: float
    rule: Resolved

    @property
    def percent(self) -> float | None:
        if self.good == 0:
            return None if self.excellent == 0 else float("inf")
        return self.excellent * 100 / self.good

    @property
    def within(self) -> bool:
        return self.excellent * 100 <= self.percent_allowed * self.good

    @property
    def allowed_excellent(self) -> int:
        """The most excellent ratings the good ones allow now."""
        return int(self.percent_allowed * self.good // 100)

    @property
    def percent_text(self) -> str:
        percent = self.percent
        if percent is None:
            return "0%"
        if percent == float("inf"):
            return "∞"
        return f"{percent:.1f}".rstrip("0").rstrip(".") + "%"


def quota_message(state: QuotaState) -> str:
    values = {
        "excellent": state.excellent,
        "good": state.good,
        "percent": state.percent_text,
        "quota": f"{state.percent_allowed:g}%",
        "allowed": state.allowed_excellent,
        "rule": state.rule.explain(),
    }
    return (
        _(
            "%(percent)s HTXSNV of HTTNV is refused at a %(quota)s quota: this decision would "
            "make %(excellent)s members rated HTXSNV for %(good)s rated HTTNV in the grassroots "
            "organization (at most %(allowed)s). %(rule)s."
        )
        % values
    )


# -- discipline (R3.19) ----------------------------------------------------------------------


def authority_rule(organization: Any, on: datetime.date) -> Resolved:
    """Which level may decide which disciplinary form, for `organization` on `on`."""
    return rule_for(AUTHORITY_KEY, organization=organization, on=on)


def check_authority(*, rule: Resolved, form: str, authority: str, upper_task: bool) -> None:
    """Refuse a form the level may not decide under `rule`, or a cell's decision on a breach of
    a task given by an upper level (R3.19), citing the rule."""
    values = {
        "level": DISCIPLINE_LEVELS[DisciplineAuthority(authority)],
        "form": DISCIPLINE_FORMS[DisciplineForm(form)],
        "rule": rule.explain(),
    }
    allowed = rule.value.get(authority, [])
    if not allowed:
        raise ServiceError(_("%(level)s has no disciplinary power. %(rule)s.") % values)
    if form not in allowed:
        values["allowed"] = ", ".join(str(DISCIPLINE_FORMS[item]) for item in allowed)
        raise ServiceError(
            _(
                "%(form)s is refused: %(level)s may only decide %(allowed)s; this form is for "
                "the competent upper level. %(rule)s."
            )
            % values
        )
    if upper_task and authority == DisciplineAuthority.CELL:
        raise ServiceError(
            _(
                "A breach of a task given by an upper level goes to the competent level, not "
                "to the cell (Quy định 296-QĐ/TW). %(rule)s."
            )
            % values
        )


@dataclass(frozen=True)
class AppealPeriod:
    """The period in which a disciplined member may appeal (R3.19)."""

    until: datetime.date
    open: bool
    rule: Resolved


def appeal_period(*, organization: Any, decided_on: datetime.date, today: datetime.date):
    """The appeal period of a decision of `decided_on`: the rule's number of days from it."""
    rule = rule_for(APPEAL_KEY, organization=organization, on=decided_on)
    until = decided_on + datetime.timedelta(days=rule.value)
    return AppealPeriod(until=until, open=today <= until, rule=rule)
