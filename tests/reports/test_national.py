"""Issue 12, national scale: the synthetic nation (gen_national) is a tree the app can use, its
rollups rebuilt in SQL are exactly those `rollups.rebuild()` counts, and on PostgreSQL the
rollup tables are partitioned by year with every row in its year's partition."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from chibo.meetings.models import Attendance, Meeting, MeetingScore, Speech
from chibo.members.models import Member
from chibo.orgs.models import CELL_KINDS, Organization
from chibo.orgs.services import organization_create
from chibo.reports import rollups
from chibo.reports.models import CellMonth, OrgMonth
from chibo.reports.national.generate import NationalError, generate, step
from chibo.reports.national.rebuild_sql import rebuild_sql

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)
ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="COPY and partitions are PostgreSQL's (set DATABASE_URL)"
)


@pytest.fixture
def nation():
    return generate(scale=0.0005, years=2, seed=7, today=TODAY)


def rows(model, key):
    skip = {"id", "updated_at"}
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
    return sorted(
        model.objects.values_list(*names), key=lambda row: key(dict(zip(names, row, strict=True)))
    )


def test_treebeard_steps_are_its_alphabet():
    assert [step(1), step(10), step(35), step(36), step(37)] == [
        "0001",
        "000A",
        "000Z",
        "0010",
        "0011",
    ]


@pytest.mark.skipif(ON_POSTGRESQL, reason="the refusal is on SQLite")
def test_the_command_refuses_on_sqlite_with_a_clear_message():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("gen_national", "--scale", "0.001")
    assert not Organization.objects.exists()


@postgresql_only
def test_the_scale_must_be_sensible():
    with pytest.raises(NationalError, match="scale"):
        generate(scale=2, today=TODAY)
    with pytest.raises(NationalError, match="scale"):
        generate(scale=0, today=TODAY)


@postgresql_only
def test_a_tiny_nation_is_a_consistent_tree_of_cells_with_members_and_meetings(nation):
    assert Organization.objects.filter(depth=1, kind="province_committee").count() == 34
    assert all(not problems for problems in Organization.objects.find_problems())
    # numchild agrees with the children (find_problems checks it too) and codes are unique.
    for org in Organization.objects.filter(depth__lte=2)[:50]:
        assert (
            org.numchild
            == Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).count()
        )
    cells = Organization.objects.filter(kind__in=CELL_KINDS)
    assert cells.count() >= 125
    assert not cells.filter(members__isnull=True).exists()
    assert not Member.objects.exclude(cell__kind__in=CELL_KINDS).exists()
    assert Member.objects.count() >= 2800
    # Two years of regular meetings, one a month per cell; the held ones have their roll.
    assert Meeting.objects.filter(kind="regular").count() == 24 * cells.count()
    signed = Meeting.objects.filter(kind="regular", status="signed")
    assert signed.count() > 0.8 * 24 * cells.count()
    meeting = signed.first()
    assert (
        Attendance.objects.filter(meeting=meeting).count() == meeting.organization.members.count()
    )
    assert Speech.objects.filter(meeting=meeting).exists()
    assert MeetingScore.objects.filter(meeting=meeting).exists()
    assert meeting.duration_minutes is not None and 75 <= meeting.duration_minutes <= 150
    assert Meeting.objects.filter(status="cancelled").exists()
    assert nation.counts["attendance"] == Attendance.objects.count()

    # The sequences were moved past the copied ids: the app inserts afterwards.
    province = Organization.objects.get(code="01")
    commune = organization_create(
        actor=None, parent=province, name="Đảng ủy xã Mới", kind="commune_committee", code="01.900"
    )
    assert commune.pk > max(cells.values_list("pk", flat=True))
    assert all(not problems for problems in Organization.objects.find_problems())


@postgresql_only
def test_the_sql_rebuild_counts_exactly_what_rollups_rebuild_counts(nation):
    stats = rebuild_sql()
    assert not stats.fallback
    assert stats.cell_months == CellMonth.objects.count() > 0
    by_cell = lambda row: (row["cell_id"], row["period"])  # noqa: E731
    by_org = lambda row: (row["organization_id"], row["period"])  # noqa: E731
    from_sql = rows(CellMonth, by_cell), rows(OrgMonth, by_org)

    python = rollups.rebuild()
    assert (python.cell_months, python.org_months) == (stats.cell_months, stats.org_months)
    from_python = rows(CellMonth, by_cell), rows(OrgMonth, by_org)
    assert from_sql[0] == from_python[0]
    assert from_sql[1] == from_python[1]

    # Every row carries its province, the sharding key.
    province = Organization.objects.get(code="01")
    in_province = CellMonth.objects.filter(path__startswith=province.path)
    assert set(in_province.values_list("province_id", flat=True)) == {province.pk}
    assert set(
        OrgMonth.objects.filter(path__startswith=province.path).values_list(
            "province_id", flat=True
        )
    ) == {province.pk}

    # And the figures are those of the raw rows: the nation's roll call, recounted by hand.
    national = OrgMonth.objects.filter(path__in=Organization.objects.filter(depth=1).values("path"))
    held_regular = Meeting.objects.filter(
        kind="regular", status__in=["in_progress", "closed", "signed"]
    )
    present = Attendance.objects.filter(
        meeting__in=held_regular, status__in=["present", "late"]
    ).count()
    assert sum(row.present for row in national) == present
    assert sum(row.score_sum for row in national) == sum(
        MeetingScore.objects.values_list("total", flat=True), Decimal(0)
    )


@postgresql_only
def test_the_rollup_tables_are_partitioned_by_year_and_rows_land_in_their_year(nation):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
        )
        assert {"reports_cellmonth", "reports_orgmonth"} <= {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'reports_cellmonth'::regclass"
        )
        assert cursor.fetchone()[0] == 27  # 2015..2040 and the default
        # The subtree filter `path LIKE 'prefix%'` can use the index whatever the collation.
        cursor.execute("SELECT pg_get_indexdef('cellmonth_path_period'::regclass)")
        assert "path varchar_pattern_ops, period" in cursor.fetchone()[0]
    rebuild_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text, min(period), max(period) FROM reports_cellmonth "
            "GROUP BY 1 ORDER BY 1"
        )
        placed = cursor.fetchall()
    assert [name for name, _, _ in placed] == [
        "reports_cellmonth_y2024",
        "reports_cellmonth_y2025",
        "reports_cellmonth_y2026",
    ]
    for name, first, last in placed:
        assert first.year == last.year == int(name[-4:])

    # Django still creates, updates and deletes a row by its id.
    row = CellMonth.objects.order_by("id").first()
    CellMonth.objects.filter(pk=row.pk).update(present=row.present + 1)
    row.refresh_from_db()
    row.speakers = 99
    row.save()
    assert CellMonth.objects.get(pk=row.pk).speakers == 99
    row.delete()
    assert not CellMonth.objects.filter(pk=row.pk).exists()
    moved = CellMonth.objects.create(
        cell_id=row.cell_id, period=datetime.date(2041, 1, 1), year=2041, path=row.path
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM reports_cellmonth WHERE id = %s", [moved.pk]
        )
        assert cursor.fetchone()[0] == "reports_cellmonth_default"


@postgresql_only
def test_generating_twice_is_refused(nation):
    with pytest.raises(CommandError, match="without organizations"):
        call_command("gen_national", "--scale", "0.0005")
