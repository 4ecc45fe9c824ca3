"""Briefings (giao ban, field report 001 Hưng Bình): a committee meets its cells' secretaries
monthly or quarterly; each cell's attendance and short report, and the committee's conclusions."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.members.models import Member
from chibo.notify.services import notify_users
from chibo.orgs.models import Organization
from chibo.supervision.access import PLANNING_KINDS
from chibo.supervision.models import (
    Briefing,
    BriefingAttendance,
    BriefingAttendanceStatus,
    BriefingPeriod,
)
from chibo.supervision.selectors_model_meetings import committee_cells
from chibo.supervision.services_model_meetings import current_secretaries


def _url(briefing: Briefing) -> str:
    return reverse("supervision:briefing", args=[briefing.pk])


def _secretary_users(briefing: Briefing) -> list[Any]:
    members = Member.objects.filter(
        pk__in=briefing.attendance.values("member_id"), user__isnull=False
    ).select_related("user")
    return [member.user for member in members]


def briefing_plan(
    *,
    actor: Any,
    committee: Organization,
    period: str,
    date: datetime.date,
    time: datetime.time,
    place: str = "",
    topic: str = "",
) -> Briefing:
    """Plan a briefing: one attendance row per active cell of the committee's subtree with the
    cell's current secretary, who is notified."""
    if committee.kind not in PLANNING_KINDS:
        raise ServiceError(_("Only a grassroots, commune or ward committee holds briefings."))
    if period not in BriefingPeriod.values:
        raise ServiceError(_("Choose whether the briefing is monthly or quarterly."))
    # The cells of the committee on the day (or today, for a briefing recorded afterwards).
    cells = committee_cells(committee, max(date, timezone.localdate()))
    with transaction.atomic():
        briefing = Briefing.objects.create(
            committee=committee,
            period=period,
            date=date,
            time=time,
            place=place.strip(),
            topic=topic.strip(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        secretaries = current_secretaries(cells)
        BriefingAttendance.objects.bulk_create(
            BriefingAttendance(briefing=briefing, cell=cell, member=secretaries.get(cell.pk))
            for cell in cells
        )
        audit.record(
            actor=actor,
            code="briefing.planned",
            target=briefing,
            organization=committee,
            changes={"date": [None, date.isoformat()], "cells": [None, len(cells)]},
        )
        notify_users(
            users=[member.user for member in secretaries.values() if member.user_id],
            code="meeting.briefing",
            title=_("Briefing of %(committee)s with the cell secretaries on %(date)s at %(time)s")
            % {
                "committee": committee.name,
                "date": date.strftime("%d/%m/%Y"),
                "time": time.strftime("%H:%M"),
            },
            body=_("Place: %(place)s. Topic: %(topic)s.")
            % {"place": briefing.place or "—", "topic": briefing.topic or "—"},
            url=_url(briefing),
        )
    return briefing


def briefing_mark(
    *, actor: Any, briefing: Briefing, attendance: BriefingAttendance, status: str
) -> BriefingAttendance:
    """Mark a cell's secretary present, absent with reason or absent without reason."""
    if attendance.briefing_id != briefing.pk:
        raise ServiceError(_("This cell is not on the briefing."))
    if status not in BriefingAttendanceStatus.values:
        raise ServiceError(_("Choose the attendance."))
    with transaction.atomic():
        before = attendance.status
        attendance.status = status
        attendance.save(update_fields=["status"])
        audit.record(
            actor=actor,
            code="briefing.attendance_marked",
            target=briefing,
            organization=briefing.committee,
            changes={"cell": [None, attendance.cell.name], "status": [before, status]},
        )
    return attendance


def briefing_report(
    *, actor: Any, attendance: BriefingAttendance, report: str
) -> BriefingAttendance:
    """Write a cell's short report at the briefing (its secretary, or the committee's keepers;
    access.get_attendance_for_report decides who)."""
    with transaction.atomic():
        attendance.report = report.strip()
        attendance.save(update_fields=["report"])
        audit.record(
            actor=actor,
            code="briefing.report_written",
            target=attendance.briefing,
            organization=attendance.cell,
            changes={"cell": [None, attendance.cell.name]},
        )
    return attendance


def briefing_conclude(*, actor: Any, briefing: Briefing, conclusions: str) -> Briefing:
    """Record the committee's conclusions; the secretaries are told."""
    if not conclusions.strip():
        raise ServiceError(_("Write the conclusions of the briefing."))
    with transaction.atomic():
        first = briefing.concluded_at is None
        briefing.conclusions = conclusions.strip()
        briefing.concluded_at = timezone.now()
        briefing.save(update_fields=["conclusions", "concluded_at"])
        audit.record(
            actor=actor,
            code="briefing.concluded",
            target=briefing,
            organization=briefing.committee,
            changes={"first": [None, first]},
        )
        notify_users(
            users=_secretary_users(briefing),
            code="meeting.briefing_concluded",
            title=_("Conclusions of the briefing of %(committee)s on %(date)s")
            % {"committee": briefing.committee.name, "date": briefing.date.strftime("%d/%m/%Y")},
            url=_url(briefing),
        )
    return briefing
