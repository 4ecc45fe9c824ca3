"""The query strings of list, search and filter pages, fuzzed (issue 14): `?page=`, `?year=`,
`?q=`, filters, months and tabs with hostile values. Not one may answer 500.

QUERY_PAGES names every page whose view reads `request.GET`, with the parameters it reads;
the fields of the GET forms found on the page are fuzzed as well.
`test_every_view_reading_the_query_string_is_fuzzed` keeps the list complete."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.client import query
from tests.fuzz.conftest import logged_in
from tests.fuzz.htmlforms import Field
from tests.fuzz.inventory import all_routes
from tests.fuzz.strategies import ABSENT, field_values
from tests.fuzz.test_forms import FUZZ_SETTINGS

QUERY_PAGES = {
    "audit": ("code", "org", "page"),
    "rules": ("organization", "regime", "on"),
    "orgs:tree": ("q",),
    "members:cell_list": ("q", "status", "page", "per_page"),
    "members:badges": ("year", "milestone"),
    "members:badge_new": ("milestone", "next"),
    "members:dues": ("year",),
    "members:dues_sheet": ("month",),
    "meetings:cell_meetings": ("year",),
    "meetings:live": ("tab", "part", "item", "all"),
    "meetings:book": ("book",),
    "followup:mine": ("page",),
    "followup:cell": ("status", "page"),
    "directives:detail": ("unit",),
    "proposals:list": ("status", "cell", "page", "q"),
    "notify:inbox": ("page",),
    "reports:dashboard": ("month", "year", "period"),
    "reports:trends": ("start", "end", "months"),
    "lifecycle:candidates": ("state",),
    "lifecycle:probation": ("state",),
    "lifecycle:status_change": ("grounds",),
    "lifecycle:removal_alerts": ("year",),
    "lifecycle:transfer_cell_search": ("q",),
    "reviews:member": ("year",),
    "reviews:organization": ("year", "cell"),
    "reviews:statistics": ("year", "format"),
    "residence:residence_cell": ("q", "year"),
    "residence:link_new": ("q",),
    "residence:link": ("year",),
    "residence:feedback_new": ("year",),
    "residence:workplace": ("year",),
    "supervision:inspection_plans": ("year",),
    "supervision:recommendations": ("committee", "status"),
    "supervision:briefings": ("year",),
    "supervision:model_meetings": ("year", "cell"),
    "supervision:quality": ("year", "month"),
    "supervision:perfunctory": ("status",),
    "supervision:coverage": ("year", "month"),
    "accounts:corrections": ("show", "page"),
    "accounts:users": ("q", "page"),
    "accounts:user_new": ("q", "page"),
    "members:record_reads": ("reader", "member", "date_from", "date_to", "page"),
}
# Views that read the query string but are not list pages fuzzed here, with the reason.
NOT_FUZZED = {
    "proposals:new": "reads ?cell= for the form's initial cell only: fuzzed through its form",
    "reviews:committee": "reads ?year=/?cell= like reviews:organization (the same helper)",
    "reviews:decide_all": "POST; its ?year= is the committee page's",
    "reports:dashboard_xlsx": "a download: same parameters as reports:dashboard",
    "reports:trends_xlsx": "a download: same parameters as reports:trends",
    "reports:trends_csv": "a download: same parameters as reports:trends",
    "supervision:inspection_plan_new": "POST; its ?year= is the plans page's",
}


def test_every_view_reading_the_query_string_is_fuzzed():
    unlisted = [
        route.name
        for route in all_routes()
        if "request.GET" in _function_source(route) and route.name not in QUERY_PAGES | NOT_FUZZED
    ]
    assert unlisted == [], "add these pages to QUERY_PAGES (or NOT_FUZZED with the reason)"


def _function_source(route) -> str:
    view = route.callback
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    try:
        return inspect.getsource(view)
    except (OSError, TypeError):
        return ""


@pytest.mark.parametrize("route_name", sorted(QUERY_PAGES))
def test_query_string_survives_hostile_input(route_name, site_map):
    pages = site_map.pages.get(route_name)
    assert pages, (
        f"{route_name} was not visited: add it (or a page linking to it) to visit_plan "
        f"(tests/fuzz/conftest.py)"
    )
    username, path = pages[0]
    fields = {name: Field(name=name, kind="text") for name in QUERY_PAGES[route_name]}
    for found in site_map.queries.get(route_name, []):
        for one in found.form.fields:
            fields.setdefault(one.name, one)
    client = logged_in(username)
    strategy = st.fixed_dictionaries(
        {name: st.one_of(st.just(ABSENT), field_values(one)) for name, one in fields.items()}
    )

    @FUZZ_SETTINGS
    @given(values=strategy, htmx=st.booleans())
    def get_hostile(values, htmx):
        response = query(client, path.split("?")[0], values, htmx=htmx)
        assert response.status_code < 500, (route_name, values)

    get_hostile()
