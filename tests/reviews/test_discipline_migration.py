"""Issue 9, item 6: the migration that names the deciding level of existing discipline rows
(free text before) keeps what they said and never leaves a cell "expelling" a member."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The members' latest state too: the database keeps it while reviews go back.
BEFORE = [("reviews", "0002_member_review_points"), ("members", "0006_i9_members_membership_class")]
AFTER = [("reviews", "0003_i9_reviews_discipline_authority")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_get_the_level_their_text_names_or_the_lowest_competent_one():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    org_model = apps.get_model("orgs", "Organization")
    member_model = apps.get_model("members", "Member")
    discipline_model = apps.get_model("reviews", "Discipline")
    cell = org_model.objects.create(
        path="0001", depth=1, name="Chi bộ Khối 1", kind="cell", code="38.168.000.000.001"
    )
    member = member_model.objects.create(
        cell=cell,
        full_name="Trần Thị Bình",
        birth_date=datetime.date(1970, 5, 1),
        sex="female",
        membership_class="official",
    )
    rows = {
        "cell_warning": ("warning", "Chi bộ Khối 1"),
        "cell_expulsion": ("expulsion", "Chi bộ Khối 1"),
        "cell_committee": ("reprimand", "Chi ủy Khối 1"),
        "inspection": ("dismissal_from_post", "Ủy ban kiểm tra Huyện ủy Tân Sơn"),
        "district": ("expulsion", "Ban Thường vụ Huyện ủy Tân Sơn"),
        "unknown": ("dismissal_from_post", "Hội nghị"),
    }
    ids = {}
    for name, (form, decided_by) in rows.items():
        ids[name] = discipline_model.objects.create(
            member=member,
            form=form,
            decided_on=datetime.date(2026, 1, 5),
            decided_by=decided_by,
            reason="Vi phạm",
        ).pk
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    after = {row.pk: row for row in apps.get_model("reviews", "Discipline").objects.all()}
    levels = {name: after[pk].authority for name, pk in ids.items()}
    assert levels == {
        "cell_warning": "cell",
        "cell_expulsion": "upper_committee",  # a cell may not expel (R3.19)
        "cell_committee": "cell",  # the cell committee has no disciplinary power
        "inspection": "inspection_committee",
        "district": "upper_committee",
        "unknown": "grassroots_committee",
    }
    assert after[ids["cell_expulsion"]].decided_by == "Chi bộ Khối 1"  # the text is kept
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
