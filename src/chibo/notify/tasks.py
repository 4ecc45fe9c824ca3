"""Huey loads `tasks` modules; the e-mail jobs live in jobs.py (STYLE.md)."""

from chibo.notify import jobs  # noqa: F401
