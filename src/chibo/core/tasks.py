"""Huey's consumer (run_huey) loads each app's `tasks` module; chibo keeps its jobs in
`jobs.py` (STYLE.md), so this module only registers them: the daily backup (core.jobs) and the
recovery of jobs a killed consumer had taken (core.jobs_recovery, which registers the exports
with it)."""

from chibo.core import jobs, jobs_recovery  # noqa: F401
