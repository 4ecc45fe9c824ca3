"""Query-count guards for the list pages not covered elsewhere: the organization tree (and its
htmx children partial), the audit log and the rules page. Each count must not grow with the
number of rows listed."""

import pytest
from django.urls import reverse

from chibo.orgs.services_rules import rule_override_create
from tests.conftest import make_member, make_org

pytestmark = pytest.mark.django_db


def _count(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_tree_and_children_do_not_grow_with_units(client, world, django_assert_max_num_queries):
    client.force_login(world.admin_user)
    tree = reverse("orgs:tree")
    children = reverse("orgs:children", args=[world.ward.pk])
    small_tree = _count(client, tree, django_assert_max_num_queries, 12)
    small_children = _count(client, children, django_assert_max_num_queries, 12)
    for number in range(3, 33):
        cell = make_org(world.ward, f"Chi bộ Khối {number}", "cell", f"38.168.000.000.{number:03d}")
        make_member(cell, f"Nguyễn Văn Số {number}", party_card_number=f"4000{number:04d}")
    assert _count(client, tree, django_assert_max_num_queries, small_tree) <= small_tree
    assert _count(client, children, django_assert_max_num_queries, small_children) <= small_children


def test_audit_log_does_not_grow_with_entries(client, world, django_assert_max_num_queries):
    client.force_login(world.admin_user)
    url = reverse("audit")
    baseline = _count(client, url, django_assert_max_num_queries, 12)
    for number in range(30):
        make_member(world.khoi1, f"Trần Văn Ghi {number}", party_card_number=f"5000{number:04d}")
    assert _count(client, url, django_assert_max_num_queries, baseline) <= baseline


def test_rules_page_does_not_grow_with_overrides(client, world, django_assert_max_num_queries):
    import datetime

    client.force_login(world.admin_user)
    url = reverse("rules") + f"?organization={world.khoi1.pk}"
    baseline = _count(client, url, django_assert_max_num_queries, 15)
    for offset, (organization, key, value) in enumerate(
        [
            (world.province, "meeting.attendance_warning_percent", 90),
            (world.ward, "meeting.notice_days_before", 3),
            (world.khoi1, "probation.months", 12),
        ]
    ):
        rule_override_create(
            actor=None,
            organization=organization,
            key=key,
            value=value,
            regulation=f"Quyết định {offset + 1}-QĐ/TU",
            clause="Điều 1",
            effective_from=datetime.date(2025, 1, 1),
        )
    assert _count(client, url, django_assert_max_num_queries, baseline) <= baseline
