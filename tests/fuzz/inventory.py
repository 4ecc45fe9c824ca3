"""Every route of the site, with the HTTP methods its view accepts.

The routes come from walking the URL resolver (`get_resolver().url_patterns`, recursively); a
view's methods from its `require_http_methods` decorator (`require_POST`, `require_GET`,
`require_safe` are the same decorator), found in the closures along the `__wrapped__` chain.
A view without one accepts every method: it is counted as accepting POST."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

ALL_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # "meetings/<int:pk>/live/"
    view: str  # dotted path of the view function
    methods: frozenset[str]
    callback: Callable = field(compare=False, repr=False)

    @property
    def posts(self) -> bool:
        return "POST" in self.methods

    @property
    def gets(self) -> bool:
        return "GET" in self.methods


def view_methods(view) -> frozenset[str]:
    """The methods `view` accepts, read from require_http_methods' closure."""
    function = view
    while function is not None:
        for cell in getattr(function, "__closure__", None) or ():
            try:
                content = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(content, list | tuple)
                and content
                and all(isinstance(item, str) and item.upper() in ALL_METHODS for item in content)
            ):
                return frozenset(item.upper() for item in content)
        function = getattr(function, "__wrapped__", None)
    return ALL_METHODS


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            view = pattern.callback
            yield Route(
                name=namespace + (pattern.name or ""),
                pattern=prefix + str(pattern.pattern),
                view=f"{view.__module__}.{view.__qualname__}",
                methods=view_methods(view),
                callback=view,
            )


def all_routes() -> list[Route]:
    """Every route of chibo's own URLconf (Django's admin site excepted: not ours to fuzz)."""
    return [
        route
        for route in _walk(get_resolver().url_patterns)
        if not route.pattern.startswith("django-admin/")
    ]
