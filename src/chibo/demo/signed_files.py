"""The signed files of the demo's history. The demo signs about 750 meetings in bulk and freezes
their content without rendering anything (that would take minutes); the job
meetings.jobs.store_signed_files renders and stores the files in the background. Until it has,
a download renders the frozen content without storing it."""

from __future__ import annotations

from django.db import transaction
from huey.contrib.djhuey import HUEY

from chibo.meetings import jobs
from chibo.meetings.documents import files
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.orgs.models import Organization


def queue_signed_files(root: Organization) -> int | None:
    """Queue the job for the demo's signed meetings without their files, once the seed is
    committed; returns how many meetings wait for it. None when jobs run inline (Huey
    immediate mode, CHIBO_JOBS_IMMEDIATE): the seed must not render them itself."""
    if HUEY.immediate:
        return None
    signed = Meeting.objects.filter(
        organization__path__startswith=root.path, status=MeetingStatus.SIGNED
    )
    waiting = files.meetings_without_files(signed.values_list("pk", flat=True))
    if waiting:
        transaction.on_commit(lambda: jobs.store_signed_files(waiting))
    return len(waiting)
