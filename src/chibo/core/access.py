"""Access to core's own rows: a background export belongs to the user who requested it."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from chibo.core.models import ExportJob


def get_export_job_for_user(user: Any, pk: int) -> ExportJob:
    """The export job if `user` requested it; 404 for anyone else, whatever their scope (the
    file holds personal data chosen by the requester's own scope at the time)."""
    return get_object_or_404(ExportJob, pk=pk, requested_by_id=user.pk)
