"""A member's own data, for the member to download (issue 14; Nghị định 13/2023/NĐ-CP Art. 9.4:
the data subject may see and obtain a copy of their personal data). One structure, rendered two
ways: JSON (machine-readable, documented in docs/architecture.md "Personal data (issue 14)") and
PDF (core.exports.pdf, A4, Vietnamese headings).

Only rows about this member are read: their register fields, status history, positions, their
own attendance rows, speeches, commendations, assignments, dues, reviews, disciplinary
decisions, badges, residence links, proposals and correction requests. Nothing about another
member is put in: a meeting appears by its date, kind and cell, never with its roll; a
proposal's citizens (third parties) are left out. A constant number of queries whatever the
number of rows.

The JSON format is versioned by SCHEMA_VERSION: a key may be added without changing it; a key
renamed, removed or given another meaning changes it."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.text import capfirst

from chibo.core.exports.pdf import template_pdf
from chibo.followup.models import Assignment
from chibo.meetings.models import Attendance, Commendation, Speech
from chibo.members.models import CorrectionRequest, Member
from chibo.orgs.models import Position
from chibo.proposals.models import Proposal
from chibo.residence.models import ResidenceLink
from chibo.reviews.models import Discipline, MemberReview

SCHEMA_VERSION = 1

# The register fields of members.Member that concern the member, in the register's order
# (internal keys, sort keys and counters are left out).
PROFILE_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "ethnicity",
    "religion",
    "home_town",
    "residence_address",
    "general_education",
    "professional_qualification",
    "political_theory",
    "occupation",
    "party_card_number",
    "admission_decision_date",
    "ceremony_date",
    "official_date",
    "status",
    "membership_class",
    "phone",
    "email",
    "notes",
)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _choice(instance: Any, name: str) -> dict[str, Any]:
    """A coded field as {name: code, name_label: the Vietnamese label}."""
    value = getattr(instance, name)
    label = getattr(instance, f"get_{name}_display")() if value else ""
    return {name: value, f"{name}_label": str(label)}


def _profile(member: Member) -> dict[str, Any]:
    profile: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        field = Member._meta.get_field(name)
        if getattr(field, "choices", None):
            profile.update(_choice(member, name))
        else:
            profile[name] = _iso(getattr(member, name))
    profile["cell"] = {"name": member.cell.name, "code": member.cell.code}
    return profile


def _label(name: str) -> str:
    """The register's own (translated) name of a Member field."""
    return capfirst(str(getattr(Member._meta.get_field(name), "verbose_name", name)))


def _profile_lines(member: Member) -> list[tuple[str, str]]:
    """(label, value) lines of the profile for the PDF, labelled with the register's names."""
    lines = []
    for name in PROFILE_FIELDS:
        field = Member._meta.get_field(name)
        value = getattr(member, name)
        if getattr(field, "choices", None) and value:
            text = str(getattr(member, f"get_{name}_display")())
        elif isinstance(value, datetime.date):
            text = value.strftime("%d/%m/%Y")
        else:
            text = str(value or "")
        lines.append((_label(name), text or "—"))
    lines.append((_label("cell"), member.cell.name))
    return lines


def personal_data_for(member_id: int, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Everything chibo holds about the member `member_id`, as plain JSON-ready values."""
    member = Member.objects.select_related("cell", "dues_basis").get(pk=member_id)
    events = member.events.select_related("cell").order_by("effective_date", "id")
    positions = Position.objects.filter(member=member).select_related("organization")
    attendance = (
        Attendance.objects.filter(member=member)
        .select_related("meeting__organization")
        .order_by("meeting__date", "meeting_id")
    )
    speeches = (
        Speech.objects.filter(member=member)
        .select_related("meeting__organization")
        .order_by("meeting__date", "id")
    )
    commendations = (
        Commendation.objects.filter(member=member)
        .select_related("meeting__organization")
        .order_by("meeting__date", "id")
    )
    assignments = (
        Assignment.objects.filter(members=member)
        .select_related("organization", "source_meeting")
        .order_by("due_date", "id")
    )
    basis = getattr(member, "dues_basis", None)
    payments = member.dues_payments.order_by("month")
    reviews = MemberReview.objects.filter(member=member).select_related("cell").order_by("year")
    disciplines = Discipline.objects.filter(member=member).order_by("decided_on", "id")
    badges = member.badge_awards.order_by("milestone_years")
    residence = (
        ResidenceLink.objects.filter(member=member)
        .select_related("residence_cell", "workplace_cell")
        .order_by("start_date", "id")
    )
    proposals = Proposal.objects.filter(raised_by=member).order_by("raised_on", "id")
    corrections = CorrectionRequest.objects.filter(member=member).order_by("created_at", "id")
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": _iso(now or timezone.now()),
        "member_id": member.pk,
        "profile": _profile(member),
        "status_history": [
            {
                "effective_date": _iso(row.effective_date),
                **_choice(row, "status"),
                "cell": row.cell.name,
                "decision_ref": row.decision_ref,
                "reason": row.reason,
                "grounds": row.grounds,
            }
            for row in events
        ],
        "positions": [
            {
                "organization": row.organization.name,
                **_choice(row, "role"),
                "start_date": _iso(row.start_date),
                "end_date": _iso(row.end_date),
                "note": row.note,
            }
            for row in positions
        ],
        "meetings_attended": [
            {
                "meeting_id": row.meeting_id,
                "date": _iso(row.meeting.date),
                **_choice(row.meeting, "kind"),
                "cell": row.meeting.organization.name,
                "attendance": row.status,
                "attendance_label": str(row.get_status_display()) if row.status else "",
                "reason": row.reason,
            }
            for row in attendance
        ],
        "speeches": [
            {
                "meeting_id": row.meeting_id,
                "date": _iso(row.meeting.date),
                "cell": row.meeting.organization.name,
                "summary": row.summary,
            }
            for row in speeches
        ],
        "commendations": [
            {
                "meeting_id": row.meeting_id,
                "date": _iso(row.meeting.date),
                "cell": row.meeting.organization.name,
                **_choice(row, "kind"),
                "note": row.note,
            }
            for row in commendations
        ],
        "assignments": [
            {
                "title": row.title,
                "cell": row.organization.name,
                "assigned_at_meeting_date": _iso(row.source_meeting.date)
                if row.source_meeting
                else None,
                "due_date": _iso(row.due_date),
                **_choice(row, "status"),
                "progress": row.progress,
            }
            for row in assignments
        ],
        "dues": {
            "basis": {**_choice(basis, "basis"), "basis_amount": basis.basis_amount}
            if basis is not None
            else None,
            "payments": [
                {
                    "month": row.month.strftime("%Y-%m"),
                    "amount_due": row.amount_due,
                    "amount_paid": row.amount_paid,
                    "paid_on": _iso(row.paid_on),
                    **_choice(row, "channel"),
                }
                for row in payments
            ],
        },
        "reviews": [
            {
                "year": row.year,
                "cell": row.cell.name,
                "self_score": row.self_score,
                **_choice(row, "self_level"),
                "self_text": row.self_text,
                "self_submitted_on": _iso(row.self_submitted_on),
                "proposed_score": row.proposed_score,
                **_choice(row, "proposed_level"),
                "proposed_note": row.proposed_note,
                "proposed_on": _iso(row.proposed_on),
                **_choice(row, "decided_level"),
                "decided_on": _iso(row.decided_on),
            }
            for row in reviews
        ],
        "disciplines": [
            {
                **_choice(row, "form"),
                "decided_on": _iso(row.decided_on),
                **_choice(row, "authority"),
                "decided_by": row.decided_by,
                "decision_ref": row.decision_ref,
                "reason": row.reason,
                "appeal_lodged_on": _iso(row.appeal_lodged_on),
            }
            for row in disciplines
        ],
        "badges": [
            {
                "milestone_years": row.milestone_years,
                "awarded_on": _iso(row.awarded_on),
                "occasion": row.occasion,
                "decision_ref": row.decision_ref,
            }
            for row in badges
        ],
        "residence": [
            {
                "residence_cell": row.residence_cell.name,
                "workplace_cell": row.workplace_cell.name,
                "address": row.address,
                "start_date": _iso(row.start_date),
                "end_date": _iso(row.end_date),
            }
            for row in residence
        ],
        "proposals": [
            {
                "title": row.title,
                **_choice(row, "topic"),
                "content": row.content,
                "raised_on": _iso(row.raised_on),
                **_choice(row, "status"),
                "answer": row.answer,
                "answered_on": _iso(row.answered_on),
            }
            for row in proposals
        ],
        "correction_requests": [
            {
                "created_at": _iso(row.created_at),
                **_choice(row, "section"),
                "field": row.field_label,
                "what_is_wrong": row.wrong_text,
                "what_it_should_be": row.correct_text,
                **_choice(row, "status"),
                "answer": row.answer,
                "handled_at": _iso(row.handled_at),
            }
            for row in corrections
        ],
    }


def personal_data_json(data: dict[str, Any]) -> bytes:
    """The JSON file: UTF-8, Vietnamese letters as they are, indented for reading."""
    return json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode("utf-8")


def personal_data_filename(member: Member, extension: str) -> str:
    return f"du-lieu-ca-nhan-{member.pk}-{timezone.localdate():%Y%m%d}.{extension}"


def _shown(value: Any) -> Any:
    """ISO dates and times as the PDF prints them (dd/mm/yyyy, hh:mm local), recursively."""
    if isinstance(value, dict):
        return {key: _shown(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shown(item) for item in value]
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
            moment = datetime.datetime.fromisoformat(value)
            return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    return value


def personal_data_pdf(data: dict[str, Any], *, member: Member) -> bytes:
    """The PDF file: A4, the sections of the JSON under Vietnamese headings, the profile
    labelled with the register's own field names."""
    return template_pdf(
        "accounts/personal/data_pdf.html",
        {"data": _shown(data), "profile_lines": _profile_lines(member)},
    )
