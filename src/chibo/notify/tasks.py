"""Huey loads `tasks` modules; the delivery and digest jobs live in jobs.py (STYLE.md)."""

from chibo.notify import jobs  # noqa: F401
