"""The standard sequence of a regular meeting (DOMAIN §1.4) and content suggestions by type of
cell (DOMAIN §1.6, 42-HD/BTCTW Mục 4). Titles are translated when an agenda is built, so a
meeting's agenda is stored in the language of the cell that prepared it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chibo.orgs.models import CellType


@dataclass(frozen=True)
class Step:
    code: str
    title: Promise
    guidance: Promise | str = ""


# Steps 1–15 of DOMAIN §1.4 (step 0 is the preparation, step 16 happens after the meeting).
STANDARD_STEPS: tuple[Step, ...] = (
    Step("dues", _("Party dues"), _("Collect or announce the month's dues.")),
    Step("opening", _("Purpose of the meeting; introduction of guests")),
    Step("minute_taker", _("Appointment of the minute-taker")),
    Step(
        "roll_call",
        _("Members' attendance"),
        _("Totals by category, exempted members, present, absent with names and reasons."),
    ),
    Step("agenda", _("Adoption of the agenda")),
    Step(
        "news",
        _("Current affairs; policies and documents of the upper level"),
        _(
            "News; new Party and State policies; directions of the upper-level committee; the "
            "political thinking of members and the public."
        ),
    ),
    Step(
        "review",
        _("Results of last month"),
        _(
            "The cell's results and each member's results on the assignments below; study of "
            "Hồ Chí Minh's thought (Directive 05); feedback from the public."
        ),
    ),
    Step(
        "tasks",
        _("Tasks for next month and assignments"),
        _("Concrete tasks, each assigned to named members with a deadline."),
    ),
    Step(
        "discussion",
        _("Discussion; self-criticism and criticism"),
        _("15 to 30 minutes on members' political thinking and self-criticism."),
    ),
    Step("commendation", _("Praise, reminders and criticism")),
    Step("conclusion", _("Conclusion; vote on the conclusion or resolution")),
    Step(
        "membership",
        _("Party membership work (if any)"),
        _(
            "Candidates for the Party-awareness course, admission, recognition as official "
            "members, mentors."
        ),
    ),
    Step("scoring", _("Scoring and rating of the meeting")),
    Step("minutes_read", _("Reading and adoption of the minutes")),
    Step("closing", _("Closing")),
)

STEP_TITLES = {step.code: step.title for step in STANDARD_STEPS}

_VILLAGE = _(
    "Propaganda and mobilising residents; national unity; socio-economic tasks, security and "
    "order; model new-countryside villages and civilised residential groups; poverty "
    "reduction; policies for people with meritorious service; grassroots democracy and village "
    "conventions; a healthy cultural environment; anti-corruption; land, construction order "
    "and sanitation; preparing candidates for admission."
)
_AGENCY = _(
    "Work methods, administrative reform, digital transformation and service quality; rules "
    "and regulations; progress and quality of professional work; thrift and anti-corruption in "
    "public service; grassroots democracy; contact with residence cells; training; recruiting "
    "new members."
)
_STATE_ENTERPRISE = _(
    "Business development and governance; workers' jobs and living conditions; mass "
    "organisations; democracy; anti-corruption; workers' skills; recruiting members."
)
_PRIVATE_ENTERPRISE = _(
    "Production and business tasks; compliance with law and company rules; labour contracts "
    "and collective agreements; harmonious labour relations; building Party and mass "
    "organisations; recruiting members."
)
_STUDENTS = _(
    "Study, research, ethics, volunteering, exam integrity, campus security, recruiting members."
)
_ARMED = _(
    "Political education; a clean and strong cell in an all-round strong unit; orders and "
    "discipline; combat readiness; soldiers' living conditions."
)

CONTENT_SUGGESTIONS: dict[str, Promise] = {
    CellType.VILLAGE: _VILLAGE,
    CellType.RESIDENTIAL_GROUP: _VILLAGE,
    CellType.APARTMENT_BUILDING: _VILLAGE,
    CellType.AGENCY: _AGENCY,
    CellType.PUBLIC_SERVICE_UNIT: _AGENCY,
    CellType.SCHOOL: _AGENCY,
    CellType.HEALTH_STATION: _AGENCY,
    CellType.STATE_ENTERPRISE: _STATE_ENTERPRISE,
    CellType.CREDIT_FUND: _STATE_ENTERPRISE,
    CellType.PRIVATE_ENTERPRISE: _PRIVATE_ENTERPRISE,
    CellType.COOPERATIVE: _PRIVATE_ENTERPRISE,
    CellType.STUDENTS: _STUDENTS,
    CellType.MILITARY: _ARMED,
    CellType.POLICE: _ARMED,
}

# Steps whose content the cell-type suggestions are for.
SUGGESTION_STEPS = frozenset({"review", "tasks"})
