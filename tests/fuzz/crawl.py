"""Walk the site as a user, the way a person clicking through it would, and note every form.

Breadth first from the home page, following the links (`href`, `hx-get`) and GET forms of each
page. Each route is visited at most `per_route` times per user (the pages of one route differ
only by their ids), downloads are not fetched (they hold no forms), and nothing is ever POSTed.
What is found: for each route, the pages that show it (GET) and the forms that post to it."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from tests.fuzz.htmlforms import Form, page_forms, page_links

# Not worth fetching while crawling: files and downloads, and pages that act on a GET.
SKIPPED_SUFFIXES = (".xlsx", ".pdf", ".csv", ".ics", ".docx", ".zip", ".txt", ".png", ".jpg")
SKIPPED_PREFIXES = ("/static/", "/media/", "/django-admin/", "/accounts/logout/")


@dataclass(frozen=True)
class Found:
    username: str
    page: str  # the page the form was on (a path)
    form: Form


@dataclass
class CrawlResult:
    posts: dict[str, list[Found]] = field(default_factory=lambda: defaultdict(list))
    queries: dict[str, list[Found]] = field(default_factory=lambda: defaultdict(list))
    pages: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, int] = field(default_factory=dict)  # path → status, for the report
    errors: list[tuple[str, str, int]] = field(default_factory=list)  # (user, path, status)


def route_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def crawl(
    client,
    username: str,
    result: CrawlResult,
    *,
    starts: tuple[str, ...] = ("/",),
    follow: frozenset[str] | None = None,
    per_route: int = 3,
    limit: int = 300,
) -> None:
    """Visit the site as the client's user (already logged in), adding to `result`: every
    start page, then the links to the routes in `follow` (every route when None)."""
    seen: set[str] = set()
    visits: dict[str, int] = defaultdict(int)
    queue = deque((path, True) for path in starts)
    fetched = 0
    while queue and fetched < limit:
        path, is_start = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        bare = urlsplit(path).path
        if bare.endswith(SKIPPED_SUFFIXES) or bare.startswith(SKIPPED_PREFIXES):
            continue
        name = route_name(path)
        if name is None:
            continue
        if not is_start and (
            visits[name] >= per_route or (follow is not None and name not in follow)
        ):
            continue
        visits[name] += 1
        fetched += 1
        response = client.get(path)
        result.statuses[path] = response.status_code
        if response.status_code >= 500:
            result.errors.append((username, path, response.status_code))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        result.pages[name].append((username, path))
        html = response.content.decode()
        for form in page_forms(html, path):
            target = route_name(form.action)
            if target is None:
                continue
            if form.method == "post":
                result.posts[target].append(Found(username, path, form))
            else:
                result.queries[target].append(Found(username, path, form))
                queue.append((form.action, False))
        for link in page_links(html, path):
            if link not in seen:
                queue.append((link, False))
