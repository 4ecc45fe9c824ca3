"""The per-request cache (issue 13): within a request a rule and an access check are resolved
once; outside a request nothing is cached; a rule override changes the answer at once."""

import datetime
import threading

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from chibo.core import request_cache, rules
from chibo.orgs import services_rules
from tests.core.test_rules import PROVINCE_BANDS, make_override, make_tree

D = datetime.date
KEY = "meeting.rating_bands"


@pytest.fixture
def tree(db):
    return make_tree()


def test_outside_a_request_every_lookup_queries(tree, django_assert_num_queries):
    _province, _ward, cell, _sibling = tree
    with django_assert_num_queries(2):
        rules.rule_in_force(KEY, organization=cell, on=D(2026, 3, 1))
        rules.rule_in_force(KEY, organization=cell, on=D(2026, 3, 1))


def test_a_request_resolves_a_rule_once_per_organization_and_date(tree, django_assert_num_queries):
    province, _ward, cell, _sibling = tree
    make_override(province)

    def view(request):
        first = rules.rule_in_force(KEY, organization=cell, on=D(2026, 3, 1))
        again = rules.rule_in_force(KEY, organization=cell, on=D(2026, 3, 1))
        assert first is again and first.value == PROVINCE_BANDS
        # Another date and another organization are other answers.
        rules.rule_in_force(KEY, organization=cell, on=D(2026, 4, 1))
        rules.rule_in_force(KEY, organization=province, on=D(2026, 3, 1))
        return HttpResponse("ok")

    middleware = request_cache.RequestCacheMiddleware(view)
    with django_assert_num_queries(3):
        middleware(RequestFactory().get("/"))
    # The cache ended with the response: the next request (or a job) looks up again.
    with django_assert_num_queries(1):
        rules.rule_in_force(KEY, organization=cell, on=D(2026, 3, 1))


def test_an_override_made_in_the_request_is_seen_by_its_later_lookups(tree):
    province, _ward, cell, _sibling = tree
    with request_cache.request_scope():
        assert rules.rule_in_force(KEY, organization=cell, on=D(2026, 3, 1)).is_central
        make_override(province)
        assert rules.rule_in_force(KEY, organization=cell, on=D(2026, 3, 1)).value == (
            PROVINCE_BANDS
        )


def test_an_expired_override_is_seen_at_once(tree):
    province, _ward, cell, _sibling = tree
    override = make_override(province)
    with request_cache.request_scope():
        assert rules.rule_in_force(KEY, organization=cell, on=D(2026, 3, 1)).value == (
            PROVINCE_BANDS
        )
        services_rules.rule_override_expire(
            actor=None, override=override, effective_to=D(2026, 2, 28)
        )
        assert rules.rule_in_force(KEY, organization=cell, on=D(2026, 3, 1)).is_central


def test_each_thread_has_its_own_cache():
    seen = []
    with request_cache.request_scope():
        request_cache.cached("k", lambda: "main")

        def other():
            # No request open in this thread: computed, not the main thread's answer.
            seen.append(request_cache.cached("k", lambda: "thread"))

        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
        assert request_cache.cached("k", lambda: "again") == "main"
    assert seen == ["thread"]
