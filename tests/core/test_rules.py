"""The rules registry, rule-override services and the rules pages. Numbers are DOMAIN.md's."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from chibo.core import rules
from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry, RuleOverride
from chibo.orgs import services_rules
from chibo.orgs.services import organization_create

D = datetime.date
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# A provincial scoring frame of its own (DOMAIN R1.13-R1.14: the points scale is local).
PROVINCE_BANDS = {"good": 85, "fair": 65, "average": 50}


def make_tree():
    province = organization_create(
        actor=None, parent=None, name="Tỉnh ủy Thử Nghiệm", kind="province_committee", code="38"
    )
    ward = organization_create(
        actor=None,
        parent=province,
        name="Đảng ủy phường Hưng Phú",
        kind="ward_committee",
        code="38.168",
    )
    cell = organization_create(
        actor=None, parent=ward, name="Chi bộ Khối 1", kind="cell", code="38.168.000.000.001"
    )
    sibling = organization_create(
        actor=None, parent=None, name="Tỉnh ủy Láng Giềng", kind="province_committee", code="39"
    )
    return province, ward, cell, sibling


def make_override(organization, key="meeting.rating_bands", value=None, **extra):
    fields = {
        "regulation": "Quyết định 27-QĐ/TU (30/10/2023)",
        "clause": "Điều 3",
        "effective_from": D(2024, 1, 1),
    }
    fields.update(extra)
    return services_rules.rule_override_create(
        actor=None,
        organization=organization,
        key=key,
        value=PROVINCE_BANDS if value is None else value,
        **fields,
    )


@pytest.fixture
def tree(db):
    return make_tree()


class TestCentralRegistry:
    def test_every_version_belongs_to_a_known_key_and_every_key_has_a_version(self):
        assert {version.key for version in rules.CENTRAL_VERSIONS} == set(rules.RULE_KEYS)

    def test_versions_of_a_key_share_a_shape_and_do_not_overlap(self):
        for key in rules.RULE_KEYS:
            versions = rules.central_versions(key)
            for earlier, later in zip(versions, versions[1:], strict=False):
                assert earlier.effective_to is not None, key
                assert earlier.effective_to < later.effective_from, key
                assert rules.same_shape(later.value, earlier.value), key

    def test_every_version_cites_a_regulation_with_a_known_confidence(self):
        for version in rules.CENTRAL_VERSIONS:
            assert version.regulation, version.key
            assert version.confidence in {rules.SURE, rules.LIKELY, rules.UNSURE}
            assert version.source, version.key

    def test_every_value_can_be_shown(self):
        with translation.override("en"):
            for version in rules.CENTRAL_VERSIONS:
                assert rules.RULE_KEYS[version.key].format_value(version.value)

    def test_numbers_quoted_from_the_regulations(self):
        on = D(2026, 3, 1)

        def value(key):
            return rules.rule_in_force(key, organization=None, on=on).value

        assert value("probation.months") == 12  # Charter Art. 5.1
        assert value("admission.ceremony_deadline_working_days") == 30  # 294, điểm 5.4
        assert value("recognition.deadline_working_days") == 30  # 294, điểm 4.2
        assert value("transfer.official_deadline_working_days") == 60  # 294, điểm 6.3.1a
        assert value("admission.age_min_months") == 18 * 12  # 294, Điều 1
        assert value("admission.age_max_months") == 60 * 12
        assert value("awareness_certificate.valid_months") == 60  # 06-HD/TW, điểm 5.4
        assert value("removal.unexcused_months_per_year") == 3
        assert value("meeting.attendance_warning_percent") == 85  # 12-HD: > 85%
        assert value("badge.milestones_years")[:3] == [30, 40, 45]
        assert value("dues.salary_percent") == 1.0  # 01-QĐ/TW (2026)
        assert value("dues.pension_percent") == 0.5
        assert value("dues.student_amount_vnd") == 5000
        assert value("review.rating_bands") == {"excellent": 90, "good": 70, "completed": 50}

    def test_the_42_hd_guidance_replaces_the_2018_duration(self):
        before = rules.rule_in_force(
            "meeting.min_duration_minutes", organization=None, on=D(2025, 10, 27)
        )
        after = rules.rule_in_force(
            "meeting.min_duration_minutes", organization=None, on=D(2025, 10, 28)
        )
        assert before.value == [{"members_from": 0, "minutes": 90}]
        assert before.regulation == "Hướng dẫn 12-HD/BTCTW (06/7/2018)"
        assert after.value == [
            {"members_from": 0, "minutes": 90},
            {"members_from": 30, "minutes": 120},
        ]
        assert after.regulation == "Hướng dẫn 42-HD/BTCTW (28/10/2025)"
        assert after.confidence == rules.UNSURE  # the sources conflict (DOMAIN R1.9)

    def test_the_excellent_quota_moves_from_21_hd_to_366(self):
        old = rules.rule_in_force(
            "review.excellent_quota_percent_of_good", organization=None, on=D(2022, 12, 1)
        )
        new = rules.rule_in_force(
            "review.excellent_quota_percent_of_good", organization=None, on=D(2025, 12, 1)
        )
        assert (old.value, new.value) == (20, 20)
        assert old.regulation.startswith("Hướng dẫn 21-HD/BTCTW")
        assert new.regulation.startswith("Quy định 366-QĐ/TW")

    def test_before_the_first_regulation_the_earliest_applies_by_default(self):
        resolved = rules.rule_in_force("dues.salary_percent", organization=None, on=D(2010, 1, 1))
        assert resolved.by_default and resolved.regulation == "Quy định 342-QĐ/TW (28/12/2010)"

    def test_unknown_key(self):
        with pytest.raises(rules.UnknownRule):
            rules.rule_in_force("vote.unanimity", organization=None, on=D(2026, 3, 1))

    def test_explain_names_the_regulation_and_clause(self):
        resolved = rules.rule_in_force("vote.majority", organization=None, on=D(2026, 3, 1))
        with translation.override("en"):
            assert resolved.explain() == (
                "Votes needed to adopt a resolution: more than half of the official members — "
                "Điều lệ Đảng, Điều 10, khoản 5 (in force from 19/01/2011; confidence: sure)"
            )

    def test_explain_without_a_clause(self):
        resolved = rules.rule_in_force(
            "dues.student_amount_vnd", organization=None, on=D(2026, 3, 1)
        )
        with translation.override("en"):
            assert resolved.explain() == (
                "Monthly dues of students: 5.000 VND — Quy định 01-QĐ/TW (03/02/2026), clause "
                "not identified (in force from 03/02/2026; confidence: sure)"
            )


@pytest.mark.django_db
class TestOverrides:
    def test_the_central_default_applies_without_overrides(self, tree):
        _province, _ward, cell, _sibling = tree
        resolved = rules.rule_in_force("meeting.rating_bands", organization=cell, on=D(2026, 3, 1))
        assert resolved.value == {"good": 90, "fair": 70, "average": 50}
        assert resolved.source == rules.CENTRAL
        assert resolved.is_central

    def test_a_province_override_applies_to_a_cell_below_it(self, tree):
        province, _ward, cell, _sibling = tree
        make_override(province)
        resolved = rules.rule_in_force("meeting.rating_bands", organization=cell, on=D(2026, 3, 1))
        assert resolved.value == PROVINCE_BANDS
        assert resolved.source == "Tỉnh ủy Thử Nghiệm"
        assert resolved.regulation == "Quyết định 27-QĐ/TU (30/10/2023)"
        with translation.override("en"):
            assert resolved.explain() == (
                "Points for each rating of a meeting (out of 100): good from 85 points, fair "
                "from 65, average from 50, poor below 50 — Quyết định 27-QĐ/TU (30/10/2023), "
                "Điều 3 (in force from 01/01/2024, set by Tỉnh ủy Thử Nghiệm; confidence: sure)"
            )

    def test_a_sibling_province_still_gets_the_central_default(self, tree):
        province, _ward, _cell, sibling = tree
        make_override(province)
        resolved = rules.rule_in_force(
            "meeting.rating_bands", organization=sibling, on=D(2026, 3, 1)
        )
        assert resolved.value == {"good": 90, "fair": 70, "average": 50}
        assert resolved.is_central

    def test_the_nearest_organization_wins(self, tree):
        province, ward, cell, _sibling = tree
        make_override(province)
        make_override(ward, value={"good": 95, "fair": 75, "average": 55})
        resolved = rules.rule_in_force("meeting.rating_bands", organization=cell, on=D(2026, 3, 1))
        assert resolved.value == {"good": 95, "fair": 75, "average": 55}
        assert resolved.source == "Đảng ủy phường Hưng Phú"
        # The province itself is above the ward and keeps its own value.
        assert (
            rules.rule_in_force(
                "meeting.rating_bands", organization=province, on=D(2026, 3, 1)
            ).value
            == PROVINCE_BANDS
        )

    def test_an_expired_override_no_longer_applies(self, tree):
        province, _ward, cell, _sibling = tree
        override = make_override(province)
        services_rules.rule_override_expire(
            actor=None, override=override, effective_to=D(2025, 12, 31)
        )
        in_force = rules.rule_in_force(
            "meeting.rating_bands", organization=cell, on=D(2025, 12, 31)
        )
        after = rules.rule_in_force("meeting.rating_bands", organization=cell, on=D(2026, 1, 1))
        assert in_force.value == PROVINCE_BANDS
        assert after.is_central

    def test_an_override_not_yet_in_force_does_not_apply(self, tree):
        province, _ward, cell, _sibling = tree
        make_override(province, effective_from=D(2027, 1, 1))
        assert rules.rule_in_force(
            "meeting.rating_bands", organization=cell, on=D(2026, 12, 31)
        ).is_central

    def test_an_override_fills_a_date_before_any_central_version(self, tree):
        province, _ward, cell, _sibling = tree
        make_override(
            province, key="dues.student_amount_vnd", value=3000, effective_from=D(2020, 1, 1)
        )
        resolved = rules.rule_in_force(
            "dues.student_amount_vnd", organization=cell, on=D(2025, 6, 1)
        )
        assert resolved.value == 3000

    def test_one_query_per_lookup(self, tree, django_assert_num_queries):
        province, _ward, cell, _sibling = tree
        make_override(province)
        with django_assert_num_queries(1):
            rules.rule_in_force("meeting.rating_bands", organization=cell, on=D(2026, 3, 1))

    def test_rules_for_lists_every_key_in_force_with_one_query(
        self, tree, django_assert_num_queries
    ):
        province, _ward, cell, _sibling = tree
        make_override(province)
        make_override(province, key="meeting.notice_days_before", value=3)
        with django_assert_num_queries(1):
            listed = {item.key: item for item in rules.rules_for(cell, D(2026, 3, 1))}
        assert set(listed) == set(rules.RULE_KEYS)
        assert listed["meeting.rating_bands"].value == PROVINCE_BANDS
        assert listed["meeting.notice_days_before"].value == 3
        assert listed["vote.two_thirds"].is_central

    def test_rules_for_marks_the_rules_applied_by_default(self, tree):
        _province, _ward, cell, _sibling = tree
        listed = {item.key: item for item in rules.rules_for(cell, D(2019, 1, 1))}
        assert set(listed) == set(rules.RULE_KEYS)
        assert not listed["vote.majority"].by_default
        assert listed["dues.salary_percent"].regulation == "Quy định 342-QĐ/TW (28/12/2010)"
        assert listed["discipline.appeal_days"].by_default


@pytest.mark.django_db
class TestOverrideServices:
    def test_create_writes_one_audit_entry(self, tree):
        province, *_ = tree
        override = make_override(province)
        entry = AuditEntry.objects.get(code__startswith="rule_override")
        assert entry.code == "rule_override.created"
        assert entry.target_id == str(override.pk)
        assert entry.organization_id == province.pk
        assert entry.changes["value"] == [None, PROVINCE_BANDS]

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("meeting.min_duration_minutes", 120),  # a list of bands is expected
            ("meeting.rating_bands", {"good": 85, "fair": 65}),  # a level is missing
            ("probation.months", 12.5),  # months are whole numbers
            ("probation.months", True),
            ("badge.milestones_years", [30, "40"]),
            ("probation.months", -1),
            ("vote.two_thirds", {"numerator": 3, "denominator": 2, "strict": False}),
        ],
    )
    def test_values_of_the_wrong_shape_are_refused(self, tree, key, value):
        province, *_ = tree
        with pytest.raises(ServiceError):
            make_override(province, key=key, value=value)
        assert not RuleOverride.objects.exists()
        assert not AuditEntry.objects.filter(code__startswith="rule_override").exists()

    def test_a_decimal_rule_accepts_a_whole_number(self, tree):
        province, *_ = tree
        override = make_override(province, key="dues.salary_percent", value=2)
        assert override.value == 2

    def test_unknown_keys_are_refused(self, tree):
        province, *_ = tree
        with pytest.raises(ServiceError):
            make_override(province, key="vote.unanimity", value=1)

    def test_a_period_ending_before_it_starts_is_refused(self, tree):
        province, *_ = tree
        with pytest.raises(ServiceError):
            make_override(province, effective_from=D(2026, 3, 1), effective_to=D(2026, 2, 28))

    def test_a_blank_regulation_is_refused(self, tree):
        province, *_ = tree
        with pytest.raises(ServiceError):
            make_override(province, regulation="  ")

    def test_overlapping_overrides_of_one_organization_are_refused(self, tree):
        province, ward, *_ = tree
        make_override(province, effective_from=D(2024, 1, 1), effective_to=D(2024, 12, 31))
        with pytest.raises(ServiceError):
            make_override(province, effective_from=D(2024, 6, 1))
        with pytest.raises(ServiceError):
            make_override(province, effective_from=D(2023, 1, 1), effective_to=D(2024, 1, 1))
        # The next period, another rule, or another organization are fine.
        make_override(province, effective_from=D(2025, 1, 1))
        make_override(province, key="meeting.notice_days_before", value=2)
        make_override(ward, effective_from=D(2024, 6, 1))
        assert RuleOverride.objects.count() == 4

    def test_an_open_override_blocks_any_later_one(self, tree):
        province, *_ = tree
        make_override(province, effective_from=D(2024, 1, 1))
        with pytest.raises(ServiceError):
            make_override(province, effective_from=D(2030, 1, 1))

    def test_expire_ends_the_override_and_writes_one_audit_entry(self, tree):
        province, *_ = tree
        override = make_override(province)
        services_rules.rule_override_expire(
            actor=None, override=override, effective_to=D(2026, 6, 30)
        )
        override.refresh_from_db()
        assert override.effective_to == D(2026, 6, 30)
        entry = AuditEntry.objects.get(code="rule_override.expired")
        assert entry.changes == {"effective_to": [None, "2026-06-30"]}

    def test_expire_never_extends_and_never_ends_before_the_start(self, tree):
        province, *_ = tree
        override = make_override(province, effective_to=D(2026, 6, 30))
        with pytest.raises(ServiceError):
            services_rules.rule_override_expire(
                actor=None, override=override, effective_to=D(2026, 12, 31)
            )
        with pytest.raises(ServiceError):
            services_rules.rule_override_expire(
                actor=None, override=override, effective_to=D(2023, 12, 31)
            )
        # Ending earlier than planned is allowed.
        services_rules.rule_override_expire(
            actor=None, override=override, effective_to=D(2026, 3, 31)
        )
        override.refresh_from_db()
        assert override.effective_to == D(2026, 3, 31)
        assert AuditEntry.objects.filter(code="rule_override.expired").count() == 1


@pytest.mark.django_db
class TestRulesPages:
    @pytest.fixture(autouse=True)
    def frozen_today(self):
        with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=HANOI), tick=False):
            yield

    def new_override_data(self, organization, **extra):
        data = {
            "organization": organization.pk,
            "key": "meeting.min_duration_minutes",
            # The value as rows of a table (issue 9, item 8: never raw JSON).
            "value-TOTAL_FORMS": "1",
            "value-INITIAL_FORMS": "0",
            "value-0-members_from": "0",
            "value-0-minutes": "120",
            "regulation": "Quyết định 27-QĐ/TU (30/10/2023)",
            "clause": "Điều 3",
            "effective_from": "01/03/2026",
            "effective_to": "",
            "note": "",
        }
        data.update(extra)
        return data

    def test_the_page_lists_the_rules_in_force_today_for_the_first_province(
        self, client, world, django_assert_max_num_queries
    ):
        client.force_login(world.admin_user)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("rules"))
        assert response.status_code == 200
        assert response.context["organization"] == world.province
        assert response.context["on"] == D(2026, 3, 2)
        keys = {item.key for item in response.context["rules"]}
        assert "dues.salary_percent" in keys
        assert "Điều 10, khoản 5" in response.content.decode()

    def test_the_page_for_another_organization_and_date(self, client, world):
        make_override(world.province)
        client.force_login(world.admin_user)
        response = client.get(
            reverse("rules"), {"organization": world.khoi1.pk, "on": "2025-01-01"}
        )
        assert response.status_code == 200
        listed = {item.key: item for item in response.context["rules"]}
        assert listed["meeting.rating_bands"].source == world.province.name
        assert listed["dues.salary_percent"].regulation == "Quy định 342-QĐ/TW (28/12/2010)"
        assert response.context["overrides"] == []  # the cell has none of its own

    def test_others_get_404(self, client, world):
        override = make_override(world.province)
        for user in (world.an_user, world.cuc_user):
            client.force_login(user)
            assert client.get(reverse("rules")).status_code == 404
            response = client.post(reverse("rule_override_new"), self.new_override_data(world.ward))
            assert response.status_code == 404
            response = client.post(
                reverse("rule_override_expire", args=[override.pk]),
                {"effective_to": "2026-03-31"},
            )
            assert response.status_code == 404
        assert RuleOverride.objects.count() == 1
        assert RuleOverride.objects.get().effective_to is None

    def test_wrong_methods_get_405(self, client, world):
        override = make_override(world.province)
        client.force_login(world.admin_user)
        assert client.post(reverse("rules")).status_code == 405
        assert client.get(reverse("rule_override_new")).status_code == 405
        assert client.get(reverse("rule_override_expire", args=[override.pk])).status_code == 405

    def test_adding_an_override(self, client, world):
        client.force_login(world.admin_user)
        response = client.post(reverse("rule_override_new"), self.new_override_data(world.ward))
        assert response.status_code == 302
        override = RuleOverride.objects.get()
        assert override.organization == world.ward
        assert override.value == [{"members_from": 0, "minutes": 120}]
        assert override.created_by == world.admin_user
        assert f"organization={world.ward.pk}" in response["Location"]
        page = client.get(response["Location"])
        assert "meeting.min_duration_minutes" in page.content.decode()
        assert [str(message) for message in page.context["messages"]]

    def test_a_row_that_is_not_a_number_is_refused_with_a_clear_error(self, client, world):
        client.force_login(world.admin_user)
        response = client.post(
            reverse("rule_override_new"),
            self.new_override_data(world.ward, **{"value-0-minutes": "chín mươi"}),
        )
        assert response.status_code == 400
        assert response.context["value_form"].forms[0].errors["minutes"]
        assert not RuleOverride.objects.exists()

    def test_a_row_missing_a_field_is_refused_with_a_clear_error(self, client, world):
        client.force_login(world.admin_user)
        with translation.override("en"):
            response = client.post(
                reverse("rule_override_new"),
                self.new_override_data(world.ward, **{"value-0-minutes": ""}),
                HTTP_ACCEPT_LANGUAGE="en",
            )
            errors = response.context["override_form"].non_field_errors()
            assert "Check the value" in errors[0]
        assert response.status_code == 400
        assert not RuleOverride.objects.exists()
        assert not AuditEntry.objects.filter(code__startswith="rule_override").exists()

    def test_ending_an_override(self, client, world):
        override = make_override(world.province)
        client.force_login(world.admin_user)
        response = client.post(
            reverse("rule_override_expire", args=[override.pk]),
            {"effective_to": "2026-03-31"},
        )
        assert response.status_code == 302
        override.refresh_from_db()
        assert override.effective_to == D(2026, 3, 31)
        assert AuditEntry.objects.filter(code="rule_override.expired").count() == 1

    def test_ending_an_override_before_it_starts_changes_nothing(self, client, world):
        override = make_override(world.province)
        client.force_login(world.admin_user)
        response = client.post(
            reverse("rule_override_expire", args=[override.pk]),
            {"effective_to": "2023-12-31"},
            follow=True,
        )
        assert response.status_code == 200
        override.refresh_from_db()
        assert override.effective_to is None
        assert [message.level_tag for message in response.context["messages"]] == ["error"]

    def test_ending_an_unknown_override_is_404(self, client, world):
        client.force_login(world.admin_user)
        response = client.post(
            reverse("rule_override_expire", args=[999999]), {"effective_to": "2026-03-31"}
        )
        assert response.status_code == 404
