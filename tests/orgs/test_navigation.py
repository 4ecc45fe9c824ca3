"""The navigation bar: one line on a desktop screen, so that the level above's work and the
person's own records sit under one menu each; every link the scope allows is still there."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _menu(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["nav_menu"], response.context["nav_items"]


def test_a_member_gets_two_menus_holding_every_grouped_link(client, world):
    # An, Khối 1's secretary, oversees his cell: the dashboard heads the level above's menu.
    menu, items = _menu(client, world.an_user)
    groups = {entry["name"]: entry for entry in menu if entry.get("children")}
    assert [child["name"] for child in groups["direction"]["children"]] == [
        "reports:dashboard_home",
        "directives:list",
        "proposals:list",
        "supervision:hub",
    ]
    assert [child["name"] for child in groups["mine"]["children"]] == [
        "members:detail",
        "followup:mine",
        "accounts:handbook",
    ]
    # Nothing lost, nothing twice: the menu's links are the scope's links.
    shown = [c["url"] for e in menu for c in (e.get("children") or [e])]
    assert sorted(shown) == sorted(item["url"] for item in items)
    html = client.get(reverse("supervision:hub")).content.decode()
    assert 'class="nav-link dropdown-toggle active"' in html  # the open page's menu is marked


def test_a_menu_of_one_link_is_a_plain_link(client, world):
    # An administrator has no member record: no "Mine" menu, their own links stay plain.
    menu, _ = _menu(client, world.admin_user)
    assert [entry["name"] for entry in menu if entry.get("children")] == ["direction"]
    assert reverse("members:detail", args=[world.an.pk]) not in [e.get("url") for e in menu]


def test_the_dashboard_is_offered_to_those_who_oversee_a_unit_only(client, world):
    # Cúc follows cells for the ward; Dũng is a plain member of Khối 2.
    def _menu_names(user):
        return {item["name"] for item in _menu(client, user)[1]}

    assert "reports:dashboard_home" in _menu_names(world.cuc_user)
    assert "reports:dashboard_home" in _menu_names(world.admin_user)
    assert "reports:dashboard_home" not in _menu_names(world.dung_user)
    html = client.get(reverse("home")).content.decode()
    assert reverse("reports:dashboard_home") not in html
