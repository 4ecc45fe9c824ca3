"""Huey's consumer (run_huey) loads each app's `tasks` module; chibo keeps its jobs in
`jobs.py` (STYLE.md), so this module only registers them."""

from chibo.core import jobs  # noqa: F401
