"""Huey's consumer (run_huey) loads each app's `tasks` module: the recovery of jobs a killed
consumer had taken (core.jobs_recovery), and the exports' registration with it."""

from chibo.core import jobs_recovery
from chibo.core.exports import jobs as export_jobs
from chibo.core.models import ExportJob

jobs_recovery.register_job(
    "export",
    task=export_jobs.build_export,
    model=ExportJob,
    folder=lambda job: f"exports/{job.requested_by_id}/{job.pk}/",
    file_fields=("file",),
)
