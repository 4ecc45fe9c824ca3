"""Issue 9, item 8: committees set their own rules. DOMAIN §0 and R1.13-R1.14: provinces (and
communes/wards, the level directly above the cells since 294-QĐ/TW, R6.3) issue their own
frames and thresholds. A secretary, deputy secretary or organisation staff of such a committee
manages the overrides of its own subtree; nobody else does, and nothing outside that subtree.
Every value is entered in a form that fits it, never as raw JSON."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from chibo.core import rules
from chibo.core.models import RuleOverride
from chibo.core.rule_data import AN_PHU_FRAME
from chibo.orgs import services_rules
from tests.conftest import give_position, make_member, make_user

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=HANOI), tick=False):
        yield


@pytest.fixture
def people(world, django_user_model):
    """Giang: ward secretary; Hạnh: provincial organisation staff; Khoa: ward committee
    member (no managing position)."""
    giang = make_member(world.khoi2, "Hoàng Văn Giang", party_card_number="10000011")
    hanh = make_member(world.khoi2, "Đỗ Thị Hạnh", sex="female", party_card_number="10000012")
    khoa = make_member(world.khoi2, "Vũ Văn Khoa", party_card_number="10000013")
    give_position(giang, world.ward, "secretary")
    give_position(hanh, world.province, "organization_staff")
    give_position(khoa, world.ward, "committee_member")
    return {
        "giang": make_user(django_user_model, "giang", giang),
        "hanh": make_user(django_user_model, "hanh", hanh),
        "khoa": make_user(django_user_model, "khoa", khoa),
    }


def base(organization, key, **extra):
    data = {
        "organization": organization.pk,
        "key": key,
        "regulation": "Quyết định 27-QĐ/TU (30/10/2023)",
        "clause": "Điều 3",
        "effective_from": "01/03/2026",
        "effective_to": "",
        "note": "",
    }
    data.update(extra)
    return data


def rows(prefix, items, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        for name, value in item.items():
            if value is True:
                data[f"{prefix}-{index}-{name}"] = "on"
            elif value is not False:
                data[f"{prefix}-{index}-{name}"] = str(value)
    return data


def duration(organization, minutes=120):
    # R1.9: ≥ 90 min below 30 members and ≥ 120 min from 30 — a province may ask for more.
    return base(
        organization,
        "meeting.min_duration_minutes",
        **rows(
            "value", [{"members_from": 0, "minutes": minutes}, {"members_from": 30, "minutes": 150}]
        ),
    )


# -- who may manage overrides -------------------------------------------------------------


def test_a_ward_secretary_sees_the_rules_page_of_the_ward(client, world, people):
    client.force_login(people["giang"])
    response = client.get(reverse("rules"))
    assert response.status_code == 200
    assert response.context["organization"] == world.ward
    nav = [item["url"] for item in response.context["nav_items"]]
    assert reverse("rules") in nav


def test_a_ward_secretary_sets_an_override_for_the_ward(client, world, people):
    client.force_login(people["giang"])
    response = client.post(reverse("rule_override_new"), duration(world.ward))
    assert response.status_code == 302
    override = RuleOverride.objects.get()
    assert override.organization == world.ward
    assert override.value == [
        {"members_from": 0, "minutes": 120},
        {"members_from": 30, "minutes": 150},
    ]
    assert override.created_by == people["giang"]


def test_a_ward_secretary_cannot_override_for_another_ward(client, world, people):
    client.force_login(people["giang"])
    assert client.get(reverse("rules"), {"organization": world.other_ward.pk}).status_code == 404
    response = client.post(reverse("rule_override_new"), duration(world.other_ward))
    assert response.status_code == 404
    assert not RuleOverride.objects.exists()
    foreign = services_rules.rule_override_create(
        actor=None,
        organization=world.other_ward,
        key="meeting.rating_bands",
        value={"good": 85, "fair": 65, "average": 50},
        regulation="Quyết định 1-QĐ/ĐU",
        clause="",
        effective_from=datetime.date(2026, 1, 1),
    )
    response = client.post(
        reverse("rule_override_expire", args=[foreign.pk]), {"effective_to": "2026-03-31"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.effective_to is None


def test_a_ward_secretary_ends_the_wards_own_override(client, world, people):
    own = services_rules.rule_override_create(
        actor=None,
        organization=world.ward,
        key="meeting.rating_bands",
        value={"good": 85, "fair": 65, "average": 50},
        regulation="Quyết định 1-QĐ/ĐU",
        clause="",
        effective_from=datetime.date(2026, 1, 1),
    )
    client.force_login(people["giang"])
    response = client.post(
        reverse("rule_override_expire", args=[own.pk]), {"effective_to": "2026-03-31"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.effective_to == datetime.date(2026, 3, 31)


def test_provincial_organisation_staff_override_for_a_ward_below(client, world, people):
    client.force_login(people["hanh"])
    response = client.post(reverse("rule_override_new"), duration(world.ward))
    assert response.status_code == 302
    assert RuleOverride.objects.get().organization == world.ward


def test_a_cell_secretary_and_a_plain_committee_member_cannot_at_all(client, world, people):
    for user in (world.an_user, people["khoa"], world.cuc_user):
        client.force_login(user)
        assert client.get(reverse("rules")).status_code == 404
        for organization in (world.khoi1, world.ward):
            response = client.post(reverse("rule_override_new"), duration(organization))
            assert response.status_code == 404
    assert not RuleOverride.objects.exists()


# -- a form for each kind of value --------------------------------------------------------


def test_the_new_override_form_has_no_json_box(client, world, people):
    client.force_login(world.admin_user)
    for key in ("meeting.min_duration_minutes", "vote.two_thirds", "meeting.scoring_frame"):
        response = client.get(reverse("rules"), {"organization": world.ward.pk, "key": key})
        assert response.status_code == 200
        page = response.content.decode()
        assert 'name="value"' not in page
        assert "JSON" not in page


def test_a_number_with_its_unit(client, world, people):
    # R1.13/12-HD: attendance above 85% is the quality mark; a province may ask 90%.
    client.force_login(people["giang"])
    response = client.get(
        reverse("rules"),
        {"organization": world.ward.pk, "key": "meeting.attendance_warning_percent"},
    )
    assert response.context["value_form"].initial["number"] == 85
    data = base(world.ward, "meeting.attendance_warning_percent", **{"value-number": "90"})
    assert client.post(reverse("rule_override_new"), data).status_code == 302
    assert RuleOverride.objects.get().value == 90


def test_a_fraction_as_numerator_denominator_and_strictness(client, world, people):
    # Charter: admission needs at least two thirds of the official members (2/3, not strict).
    client.force_login(people["giang"])
    response = client.get(
        reverse("rules"), {"organization": world.ward.pk, "key": "vote.two_thirds"}
    )
    initial = response.context["value_form"].initial
    assert (initial["numerator"], initial["denominator"], initial["strict"]) == (2, 3, False)
    data = base(
        world.ward,
        "vote.two_thirds",
        **{"value-numerator": "3", "value-denominator": "4", "value-strict": "on"},
    )
    assert client.post(reverse("rule_override_new"), data).status_code == 302
    assert RuleOverride.objects.get().value == {"numerator": 3, "denominator": 4, "strict": True}


def test_rating_bands_as_one_number_per_level(client, world, people):
    # R1.13: Tốt ≥ 90, Khá 70, Trung bình 50; this ward's frame says 85/65/50.
    client.force_login(people["giang"])
    data = base(
        world.ward,
        "meeting.rating_bands",
        **{"value-good": "85", "value-fair": "65", "value-average": "50"},
    )
    assert client.post(reverse("rule_override_new"), data).status_code == 302
    assert RuleOverride.objects.get().value == {"good": 85, "fair": 65, "average": 50}


def test_a_list_of_years(client, world, people):
    client.force_login(people["giang"])
    data = base(world.ward, "badge.milestones_years", **{"value-items": "30, 40, 50, 60"})
    assert client.post(reverse("rule_override_new"), data).status_code == 302
    assert RuleOverride.objects.get().value == [30, 40, 50, 60]


def test_the_scoring_frame_as_a_table_of_lines(client, world, people):
    # R1.17: the An Phú frame, 100 points; this ward gives results 25 and duration 10.
    lines = [dict(line) for line in AN_PHU_FRAME["lines"]]
    lines[0]["max"] = 10
    lines[0]["bands"] = [{"from": 100.0, "points": 10}, {"from": 50.0, "points": 5}]
    lines[-4]["max"] = 25
    lines[-4]["bands"] = [{"from": 90.0, "points": 25}, {"from": 0.0, "points": 10}]
    written = [
        {**line, "bands": "; ".join(f"{band['from']}:{band['points']}" for band in line["bands"])}
        for line in lines
    ]
    client.force_login(people["giang"])
    response = client.get(
        reverse("rules"), {"organization": world.ward.pk, "key": "meeting.scoring_frame"}
    )
    page = response.content.decode()
    assert "Tỷ lệ chỉ tiêu, nhiệm vụ hoàn thành" in page
    data = base(world.ward, "meeting.scoring_frame", **rows("value-lines", written, len(lines)))
    response = client.post(reverse("rule_override_new"), data)
    assert response.status_code == 302
    saved = RuleOverride.objects.get().value
    assert [line["max"] for line in saved["lines"]] == [line["max"] for line in lines]
    assert [line["bands"] for line in saved["lines"]] == [line["bands"] for line in lines]
    assert saved["lines"][0]["must_have"] is True
    assert saved["lines"][10]["thematic_only"] is True


def test_a_bad_fraction_is_refused_with_a_clear_error(client, world, people):
    client.force_login(people["giang"])
    data = base(
        world.ward,
        "vote.majority",
        **{"value-numerator": "5", "value-denominator": "4"},
    )
    with translation.override("en"):
        response = client.post(reverse("rule_override_new"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "numerator" in response.content.decode()
    assert not RuleOverride.objects.exists()


def test_a_number_that_is_not_a_number_is_refused(client, world, people):
    client.force_login(people["giang"])
    data = base(world.ward, "probation.months", **{"value-number": "mười hai"})
    response = client.post(reverse("rule_override_new"), data)
    assert response.status_code == 400
    assert response.context["value_form"].errors
    assert not RuleOverride.objects.exists()


def test_the_rules_page_of_a_keeper_has_a_bounded_query_count(
    client, world, people, django_assert_max_num_queries
):
    client.force_login(people["giang"])
    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("rules"), {"organization": world.ward.pk, "key": "meeting.scoring_frame"}
        )
    assert response.status_code == 200


def test_a_frame_line_keeps_its_bands():
    # The frame form reads "from:points" bands per line when the frame has them (R1.17's
    # sub-scoring, e.g. duration 5 points if ≥ 90 min, 4 if ≤ 15 min short).
    from chibo.orgs.forms_rules import BandsField

    field = BandsField(example={"from": 0, "points": 0})
    assert field.clean("90:5; 75:4") == [{"from": 90, "points": 5}, {"from": 75, "points": 4}]
    assert field.prepare_value([{"from": 90, "points": 5}]) == "90:5"
    with pytest.raises(ValidationError):
        field.clean("90:5.5")


def test_a_deputy_secretary_of_a_commune_manages_its_overrides(client, world, django_user_model):
    lan = make_member(world.other_cell, "Ngô Thị Lan", sex="female", party_card_number="10000014")
    give_position(lan, world.other_ward, "deputy_secretary")
    client.force_login(make_user(django_user_model, "lan", lan))
    response = client.post(reverse("rule_override_new"), duration(world.other_ward))
    assert response.status_code == 302
    assert RuleOverride.objects.get().organization == world.other_ward
    # Not the ward next door.
    assert client.post(reverse("rule_override_new"), duration(world.ward)).status_code == 404


# -- every rule has a form that fits its value -----------------------------------------------


def posted(editor) -> dict:
    """What a browser posts for the editor's form as rendered (the value in force)."""
    forms = [editor.formset.management_form, *editor.formset.forms] if editor.is_rows else [editor]
    data: dict = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False or value == "":
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = str(value)
    return data


@pytest.mark.parametrize("key", sorted(rules.RULE_KEYS))
def test_every_rule_round_trips_through_its_form(client, world, people, key):
    """The ward secretary opens the form of any rule and saves it unchanged: the page answers,
    has no JSON box, and the override holds exactly the value in force."""
    client.force_login(people["giang"])
    page = client.get(reverse("rules"), {"organization": world.ward.pk, "key": key})
    assert page.status_code == 200
    assert 'name="value"' not in page.content.decode()
    in_force = rules.rule_in_force(key, organization=world.ward, on=datetime.date(2026, 3, 2))
    data = base(world.ward, key, **posted(page.context["editor"]))
    response = client.post(reverse("rule_override_new"), data)
    assert response.status_code == 302, page.context["editor"].errors
    assert RuleOverride.objects.get(key=key).value == in_force.value
