"""Huey's consumer (run_huey) loads each app's `tasks` module: the recovery of jobs a killed
consumer had taken (core.jobs_recovery, which registers the exports with it)."""

from chibo.core import jobs_recovery  # noqa: F401
