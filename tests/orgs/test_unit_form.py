"""Issue 9, item 21 (orgs) and item 7 (R6.7): the new-unit form follows its parent (kind and a
proposed code), a code off R6.7's shape is a warning, not a refusal, and cells sort naturally
("Khối 2" before "Khối 10")."""

import pytest
from django.urls import reverse
from django.utils import translation

from chibo.orgs import selectors
from chibo.orgs.models import Organization
from chibo.orgs.scope import scope_for
from tests.conftest import make_org

pytestmark = pytest.mark.django_db


def form_of(client, parent):
    response = client.get(reverse("orgs:new", args=[parent.pk]))
    assert response.status_code == 200
    return response.context["form"]


def test_under_a_ward_the_kind_defaults_to_a_cell_never_a_province(client, world):
    client.force_login(world.admin_user)
    form = form_of(client, world.ward)
    assert form.initial["kind"] == "cell"
    kinds = {value for value, _label in form.fields["kind"].choices}
    assert "province_committee" not in kinds
    assert {"cell", "grassroots_cell", "grassroots_committee"} <= kinds


def test_under_a_province_the_kind_defaults_to_a_commune_committee(client, world):
    client.force_login(world.admin_user)
    assert form_of(client, world.province).initial["kind"] == "commune_committee"


def test_the_code_field_proposes_the_next_free_code_under_the_parent(client, world):
    # R6.7: M1.M2.M3.M4.M5; the ward's cells are 38.168.000.000.001 and .002.
    client.force_login(world.admin_user)
    assert form_of(client, world.ward).initial["code"] == "38.168.000.000.003"
    assert form_of(client, world.other_ward).initial["code"] == "38.201.000.000.002"
    # Under the province: the next commune-level code after 38.168 and 38.201.
    assert form_of(client, world.province).initial["code"] == "38.202"


def test_a_first_cell_of_a_grassroots_committee_gets_the_five_part_code(client, world):
    committee = make_org(world.ward, "Đảng ủy Công an phường", "grassroots_committee", "38.168.053")
    client.force_login(world.admin_user)
    form = form_of(client, committee)
    assert form.initial["kind"] == "cell"
    assert form.initial["code"] == "38.168.053.000.001"


def test_a_code_off_the_r67_shape_is_saved_with_a_warning(client, world):
    client.force_login(world.admin_user)
    with translation.override("en"):
        response = client.post(
            reverse("orgs:new", args=[world.ward.pk]),
            {
                "name": "Chi bộ Khu phố mới",
                "kind": "cell",
                "code": "HP-KP-01",
                "active_from": "2025-07-01",
            },
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert Organization.objects.filter(code="HP-KP-01").exists()
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings and "M1.M2.M3.M4.M5" in warnings[0]


def test_a_duplicate_code_is_still_refused(client, world):
    client.force_login(world.admin_user)
    before = Organization.objects.count()
    response = client.post(
        reverse("orgs:new", args=[world.ward.pk]),
        {"name": "X", "kind": "cell", "code": world.khoi1.code, "active_from": "2025-07-01"},
    )
    assert response.status_code == 200
    assert Organization.objects.count() == before


def test_cells_sort_naturally_in_the_tree(client, world):
    # Codes given in the order the cells were founded, not by their number.
    for code, number in ((3, 10), (4, 11), (5, 3)):
        make_org(world.ward, f"Chi bộ Khối {number}", "cell", f"38.168.000.000.{code:03d}")
    names = [unit.name for unit in selectors.children_with_counts(world.ward)]
    assert names == [
        "Chi bộ Khối 1",
        "Chi bộ Khối 2",
        "Chi bộ Khối 3",
        "Chi bộ Khối 10",
        "Chi bộ Khối 11",
    ]
    client.force_login(world.cuc_user)
    page = client.get(reverse("orgs:detail", args=[world.ward.pk])).content.decode()
    assert page.index("Chi bộ Khối 2<") < page.index("Chi bộ Khối 10<")


def test_search_results_sort_naturally(world):
    make_org(world.ward, "Chi bộ Khối 10", "cell", "38.168.000.000.004")
    make_org(world.ward, "Chi bộ Khối 9", "cell", "38.168.000.000.009")
    found = [u.name for u in selectors.organization_search(scope_for(world.cuc_user), "khoi")]
    assert found == ["Chi bộ Khối 1", "Chi bộ Khối 2", "Chi bộ Khối 9", "Chi bộ Khối 10"]


def test_cell_lists_of_other_apps_sort_naturally(world):
    # The meetings panel, the transfer destination search and the residence-cell search.
    from chibo.lifecycle.transfers import cell_search
    from chibo.meetings.selectors import cells_without_thematic
    from chibo.residence.selectors import residential_cell_search

    for number, code in ((10, "003"), (3, "004")):
        make_org(
            world.ward,
            f"Chi bộ Khối {number}",
            "cell",
            f"38.168.000.000.{code}",
            cell_type="residential_group",
        )
    expected = ["Chi bộ Khối 1", "Chi bộ Khối 2", "Chi bộ Khối 3", "Chi bộ Khối 10"]
    assert [cell.name for cell in cells_without_thematic(world.ward)] == expected
    assert [cell["name"] for cell in cell_search("khoi")] == expected
    assert [cell.name for cell in residential_cell_search("khoi")] == expected


def test_the_form_lists_the_next_code_for_each_kind_it_offers(client, world):
    client.force_login(world.admin_user)
    help_text = str(form_of(client, world.ward).fields["code"].help_text)
    # A grassroots cell takes the third part of the code (R6.7), a subordinate cell the fifth.
    assert "38.168.001" in help_text
    assert "38.168.000.000.003" in help_text


def test_the_units_someone_follows_are_listed_naturally(world, django_user_model):
    from tests.conftest import give_position, make_member, make_user

    khoi10 = make_org(world.ward, "Chi bộ Khối 10", "cell", "38.168.000.000.003")
    khoi3 = make_org(world.ward, "Chi bộ Khối 3", "cell", "38.168.000.000.004")
    minh = make_member(world.khoi2, "Trịnh Văn Minh", party_card_number="10000015")
    for cell in (khoi3, khoi10, world.khoi2):
        give_position(minh, cell, "upper_committee_member")
    scope = scope_for(make_user(django_user_model, "minh", minh))
    assert [unit.name for unit in selectors.top_organizations(scope)] == [
        "Chi bộ Khối 2",
        "Chi bộ Khối 3",
        "Chi bộ Khối 10",
    ]
