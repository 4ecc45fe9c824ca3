"""Who reads which dashboard (reports/access.py): the committee's members and staff read their
subtree's grid, flags, trends, reports upward, structure and their exports; a neighbouring
commune, a plain member and a cell's follower outside their cells get 404 — never a hint that
the unit exists. An anonymous visitor is sent to the login page."""

import pytest
from django.urls import reverse

from chibo.orgs.models import Organization

pytestmark = pytest.mark.django_db

WARD, COMMUNE, KHOI1, KHOI5 = "38.168", "38.201", "38.168.000.000.001", "38.168.000.000.005"
ROUTES = {
    "grid": lambda org: reverse("reports:dashboard", args=[org.pk]),
    "xlsx": lambda org: reverse("reports:dashboard_xlsx", args=[org.pk]),
    "flag": lambda org: reverse("reports:dashboard_flag", args=[org.pk, "unpublished_late"]),
    # The other pages of a subtree's figures answer the same way (issue 12's access point).
    "trends": lambda org: reverse("reports:trends", args=[org.pk]),
    "trends_xlsx": lambda org: reverse("reports:trends_xlsx", args=[org.pk]),
    "trends_csv": lambda org: reverse("reports:trends_csv", args=[org.pk, "attendance"]),
    "upward": lambda org: reverse("reports:upward", args=[org.pk]),
    "structure": lambda org: reverse("reports:structure", args=[org.pk]),
}
# (user, organization code) → status, for every route above.
MATRIX = [
    ("bithu.phuong", WARD, 200),
    ("tochuc.phuong", WARD, 200),
    ("bithu.phuong", KHOI1, 200),
    ("bithu.phuong", COMMUNE, 404),
    ("bithu.xa", WARD, 404),
    ("bithu.xa", KHOI1, 404),
    ("bithu.xa", COMMUNE, 200),
    ("capuy.khoi1", KHOI1, 200),
    ("capuy.khoi1", WARD, 404),
    ("capuy.khoi1", KHOI5, 404),
    ("bithu.khoi1", KHOI1, 200),
    ("bithu.khoi1", WARD, 404),
    ("dangvien.khoi1", KHOI1, 404),
    ("dangvien.khoi1", WARD, 404),
    ("admin", WARD, 200),
    ("admin", COMMUNE, 200),
]


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize(("username", "code", "expected"), MATRIX)
def test_access_matrix(client, demo_data, django_user_model, route, username, code, expected):
    client.force_login(django_user_model.objects.get(username=username))
    organization = Organization.objects.get(code=code)
    assert client.get(ROUTES[route](organization)).status_code == expected


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_an_anonymous_visitor_is_sent_to_log_in(client, demo_data, route):
    ward = Organization.objects.get(code=WARD)
    response = client.get(ROUTES[route](ward))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_organization_is_404(client, demo_data, django_user_model):
    client.force_login(django_user_model.objects.get(username="admin"))
    assert client.get(reverse("reports:dashboard", args=[999999])).status_code == 404
