"""Reading from a streaming replica (DESIGN §6): dashboards and report exports read there when
one is configured (`CHIBO_REPLICA_URL`), everything else — and every write — on the primary.

A view opts in with `@replica_view` (or a block with `replica_reads()`); the router below sends
the reads made inside to the database alias "replica" when settings define it, and to the
primary otherwise, so the embedded mode and a deployment without a replica work unchanged. A
replica lags the primary by a moment: only pages that summarise (and tolerate a second-old
figure) opt in; a page that shows what the user just wrote never does."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
_reading: ContextVar[bool] = ContextVar("chibo_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def replica_view(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads inside `replica_reads()` go to the replica."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica follows the primary's WAL: it is never migrated itself.
        return db != REPLICA
