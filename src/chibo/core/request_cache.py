"""A cache that lives for one request (issue 13): what a request asks twice is computed once.

A live meeting action used to resolve the same rule two or three times and repeat the same access
check (`meetings.access.can_confirm_score`) once per place that shows its result. Inside a request,
`cached(key, compute)` keeps the first answer; outside one (jobs, commands, the shell, tests that
call a service directly) there is no cache and every call computes, as before.

`RequestCacheMiddleware` opens the cache when a request starts and drops it when the response is
returned. It is a `ContextVar`, so gunicorn's threads (and asyncio tasks) each see their own.
A write that changes what a cached answer depends on calls `clear()` in its service (the rule
overrides do); the keys carry what identifies the answer (a rule's key, the organization's id and
path, the date), so an organization moved within the request is looked up again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_store: ContextVar[dict[Hashable, Any] | None] = ContextVar("chibo_request_cache", default=None)


@contextmanager
def request_scope() -> Iterator[dict[Hashable, Any]]:
    """Open a cache for the duration of the block (a request, or a job that wants one)."""
    store: dict[Hashable, Any] = {}
    token = _store.set(store)
    try:
        yield store
    finally:
        _store.reset(token)


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`'s answer, computed once per request for `key`; computed every time outside a
    request."""
    store = _store.get()
    if store is None:
        return compute()
    if key in store:
        return store[key]
    value = compute()
    store[key] = value
    return value


def clear() -> None:
    """Forget what this request cached (called by writes that change cached answers)."""
    store = _store.get()
    if store is not None:
        store.clear()


class RequestCacheMiddleware:
    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        with request_scope():
            return self.get_response(request)
