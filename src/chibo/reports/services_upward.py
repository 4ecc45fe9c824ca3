"""Requesting a report upward: the job is recorded, audited and queued when the transaction
commits; reports.jobs generates its files.

Who may request: whoever reads the organization (reports.access: its committee's members and
staff, the committees above it). A report only gathers figures the requester can already read on
the dashboard, so plain readers may request one too; a plain member oversees nothing and cannot.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from chibo.reports import jobs
from chibo.reports.models import ReportJob, ReportKind
from chibo.reports.selectors_upward import period_bounds

MAX_NUMBER_LENGTH = 40
MAX_NOTES_LENGTH = 20_000


def report_request(
    *,
    actor: Any,
    organization: Organization,
    kind: str,
    period: datetime.date,
    number: str = "",
    notes: str = "",
    today: datetime.date | None = None,
) -> ReportJob:
    """Record a report of `kind` for the period containing `period` and queue its generation.
    The period may be the current one (a report in progress) but not a later one."""
    if kind not in ReportKind.values:
        raise ServiceError(_("Choose a kind of report."))
    if not scope_for(actor).can_read_path(organization.path):
        raise ServiceError(_("You cannot request a report for this organization."))
    today = today or timezone.localdate()
    start, end = period_bounds(kind, period)
    current_start, _current_end = period_bounds(kind, today)
    if start > current_start:
        raise ServiceError(_("The period has not started yet."))
    number = number.strip()
    if len(number) > MAX_NUMBER_LENGTH:
        raise ServiceError(_("The number is too long."))
    if len(notes) > MAX_NOTES_LENGTH:
        raise ServiceError(_("The assessment is too long."))
    with transaction.atomic():
        job = ReportJob.objects.create(
            organization=organization,
            kind=kind,
            period_start=start,
            period_end=end,
            number=number,
            notes=notes.strip(),
            requested_by=actor,
            step=_("Waiting in the queue"),
        )
        audit.record(
            actor=actor,
            code="report.requested",
            target=job,
            organization=organization,
            changes={"kind": kind, "period_start": start.isoformat(), "number": number},
        )
        transaction.on_commit(lambda: jobs.generate_report(job.pk))
    return job
