"""The day's reminders at the end of seeding, so the demo's inboxes and e-mail log (var/mail/,
written by the job consumer) show them: the same functions the daily jobs run."""

from __future__ import annotations

import datetime

from django.utils import timezone

from chibo.directives import jobs as directive_jobs
from chibo.followup import jobs as followup_jobs
from chibo.meetings import jobs as meeting_jobs
from chibo.proposals import jobs as proposal_jobs


def send_reminders(today: datetime.date | None = None) -> int:
    """Run every reminder finder for `today`; returns how many reminders were sent (none twice
    on the same day: seeding again adds no duplicates)."""
    today = today or timezone.localdate()
    return (
        meeting_jobs.remind_all(today=today)
        + followup_jobs.remind_assignments(today=today)
        + directive_jobs.remind_directives(today=today)
        + proposal_jobs.remind_proposals(today=today)
    )
