"""Reading from a streaming replica (DESIGN §6): dashboards and report exports read there when
one is configured (`CHIBO_REPLICA_URL`), everything else — and every write — on the primary.

A view opts in with `@replica_view` (or a block with `replica_reads()`); the router below sends
the reads made inside to the database alias "replica" when settings define it, and to the
primary otherwise, so the embedded mode and a deployment without a replica work unchanged. A
replica lags the primary by a moment: only pages that summarise (and tolerate a second-old
figure) opt in; a page that shows what the user just wrote never does.

Even inside `replica_reads()` some reads stay on the primary:
- reads inside a transaction of the primary (`transaction.atomic`, a service, a rollup refresh,
  `select_for_update`): a transaction must see its own writes and lock the rows it read;
- the session, the user and the permissions (apps `sessions`, `auth`, `accounts`,
  `contenttypes`, `admin`): `request.user` and `request.session` are loaded lazily, often inside
  the view; read on a replica a second behind, a session just created by the login would not
  exist yet and the user would be sent back to the login page.

Reads started by a StreamingHttpResponse's iterator run after the view returned, outside the
block: they read the primary (correct, only not offloaded)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Models of these apps are always read on the primary (see the module's docstring).
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "contenttypes", "admin"})
_reading: ContextVar[bool] = ContextVar("chibo_replica_reads", default=False)


def replica_configured() -> bool:
    # `connections.settings` rather than settings.DATABASES: the test runner (and the replica
    # fixture of the tests) adjust the aliases there.
    return REPLICA in connections.settings


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


def reads_on_replica(model: Any = None) -> bool:
    """Whether a read of `model` made now goes to the replica."""
    if not (_reading.get() and replica_configured()):
        return False
    if model is not None and model._meta.app_label in PRIMARY_ONLY_APPS:
        return False
    return not connections[DEFAULT_DB_ALIAS].in_atomic_block


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads inside `replica_reads()` go to the replica."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if reads_on_replica(model) else DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica follows the primary's WAL: it is never migrated itself.
        return db != REPLICA
