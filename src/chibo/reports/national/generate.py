"""A synthetic nation for the national-scale measurements (issue 12, docs/scale.md).

At scale F = 1: 34 provinces, ~3,300 communes and wards, ~250,000 cells, ~5.6 M members and
five years of monthly meetings (~15 M meetings, ~300 M attendance rows); every count but the
provinces is multiplied by F. Rows are written with COPY (psycopg 3) in one transaction, with
the ids chosen here, then the sequences are moved past them so the app can insert afterwards.
Foreign-key triggers are skipped while loading (`session_replication_role = replica`): the
rows are built consistent, and the test of this module checks the tree, the members, the
meetings and the rollups afterwards.

The tree is the 2025 shape: province committee → commune or ward committee → cells, plus one
grassroots committee per commune in ten with its own cells. Paths are treebeard's
materialized paths (steps of 4 in treebeard's alphabet, siblings in code order, `numchild`
counted), so treebeard's own checks find no problem.
"""

from __future__ import annotations

import datetime
import io
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from chibo.core.text import fold, name_sort_key
from chibo.meetings.models import MeetingPolicy
from chibo.orgs.models import Organization
from chibo.reports.national import names

FULL = {
    "communes": 3300,
    "cells": 250_000,
    "members": 5_600_000,
}
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PRESENT_LIKE = ("present", "late")
NULL = "\\N"  # COPY's text format
HELD = ("in_progress", "closed", "signed")


class NationalError(Exception):
    """Why the nation cannot be generated here (shown to the operator as is)."""


def step(n: int) -> str:
    """The treebeard path step of the n-th child (1-based)."""
    digits = ""
    while True:
        n, rest = divmod(n, len(ALPHABET))
        digits = ALPHABET[rest] + digits
        if n == 0:
            break
    return digits.rjust(STEPLEN, "0")


@dataclass
class Stats:
    scale: float
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"scale {self.scale:g}"]
        out += [f"  {table:<24} {rows:>12,} rows" for table, rows in self.counts.items()]
        out += [f"  {step:<24} {seconds:>10.1f} s" for step, seconds in self.timings.items()]
        return out


@dataclass
class CellRow:
    id: int
    path: str
    cell_type: str
    # (member id, category, membership class)
    members: list[tuple[int, str, str]] = field(default_factory=list)


class Copier:
    """COPY text rows into a table through psycopg 3, in chunks of a few megabytes."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    def copy(self, table: str, columns: Iterable[str], rows: Iterable[str]) -> int:
        count = 0
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.cursor.copy(sql) as copy:
            buffer = io.StringIO()
            for line in rows:
                buffer.write(line)
                count += 1
                if buffer.tell() > 4_000_000:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        return count


def _raw_cursor() -> Any:
    cursor = connection.cursor()
    return cursor, cursor.cursor  # Django's wrapper and psycopg's cursor


def check_database() -> None:
    if connection.vendor != "postgresql":
        raise NationalError(
            "gen_national writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL "
            f"database (this one is {connection.vendor})."
        )
    if Organization.objects.exists():
        raise NationalError(
            "gen_national needs a database without organizations: create a fresh one, "
            "run `python -m chibo migrate`, then generate."
        )


class Nation:
    def __init__(
        self, *, scale: float, years: int, seed: int, today: datetime.date | None = None
    ) -> None:
        if not 0 < scale <= 1:
            raise NationalError("The scale must be above 0 and at most 1.")
        if not 1 <= years <= 10:
            raise NationalError("The number of years must be between 1 and 10.")
        self.scale = scale
        self.years = years
        self.rng = random.Random(seed)
        self.today = today or datetime.date.today()
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.offset = "+07"  # Asia/Ho_Chi_Minh has no daylight saving time
        self.stats = Stats(scale=scale)
        self.cells: list[CellRow] = []
        self.sort_keys: dict[str, tuple[str, str]] = {}
        self.ids: dict[str, int] = {}

    # -- helpers -------------------------------------------------------------------------------

    def _timed(self, label: str, action: Callable[[], int | None], table: str = "") -> None:
        started = time.perf_counter()
        rows = action()
        self.stats.timings[label] = time.perf_counter() - started
        if table and rows is not None:
            self.stats.counts[table] = rows

    def _next_id(self, cursor: Any, table: str) -> int:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0]) + 1

    def _periods(self) -> list[datetime.date]:
        first = self.today.replace(day=1)
        months = []
        year, month = first.year, first.month
        for _ in range(12 * self.years):
            months.append(datetime.date(year, month, 1))
            month -= 1
            if month == 0:
                year, month = year - 1, 12
        return months[::-1]

    # -- the run ----------------------------------------------------------------------------------

    def run(self) -> Stats:
        check_database()
        wrapper, cursor = _raw_cursor()
        copier = Copier(cursor)
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                deferred = self._drop_indexes(cursor)
                self._timed(
                    "organizations", lambda: self.organizations(cursor, copier), "organizations"
                )
                self._timed("policies", self.policies, "meeting policies")
                self._timed("members", lambda: self.members(cursor, copier), "members")
                self._timed("meetings", lambda: self.meetings(cursor, copier))
                self._timed("sequences", lambda: self.sequences(cursor))
                self._timed("indexes and keys", lambda: self._restore(cursor, deferred))
                cursor.execute("SET LOCAL session_replication_role = origin")
        finally:
            wrapper.close()
        with connection.cursor() as plain:
            started = time.perf_counter()
            for table in TABLES:
                plain.execute(f"ANALYZE {table}")
            self.stats.timings["analyze"] = time.perf_counter() - started
        return self.stats

    def _drop_indexes(self, cursor: Any) -> list[str]:
        """Drop the secondary indexes, unique and foreign keys of the large tables (loading
        is several times faster without them) and return the SQL that recreates them."""
        restore: list[str] = []
        for table in BULK_TABLES:
            cursor.execute(
                """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC""",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                """SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)""",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
                restore.insert(0, definition)
        return restore

    def _restore(self, cursor: Any, statements: list[str]) -> None:
        for statement in statements:  # indexes first, then unique keys, then foreign keys
            cursor.execute(statement)

    # -- organizations ----------------------------------------------------------------------------

    def organizations(self, cursor: Any, copier: Copier) -> int:
        rng = self.rng
        next_id = self._next_id(cursor, "orgs_organization")
        founded = datetime.date(2025, 7, 1)
        rows: list[str] = []
        communes_total = max(len(names.PROVINCES), round(FULL["communes"] * self.scale))
        cells_total = max(communes_total, round(FULL["cells"] * self.scale))
        weights = [rng.uniform(0.5, 1.5) for _ in names.PROVINCES]
        per_province = _apportion(communes_total, weights, minimum=1)
        cell_weights = [rng.uniform(0.4, 1.6) for _ in range(communes_total)]
        cells_per_commune = iter(_apportion(cells_total, cell_weights, minimum=1))
        type_names = [t for t, _, _ in names.CELL_TYPES]
        type_weights = [w for _, w, _ in names.CELL_TYPES]
        patterns = {t: p for t, _, p in names.CELL_TYPES}
        created = f"{founded} 08:00:00{self.offset}"

        def add(path: str, name: str, kind: str, code: str, cell_type: str, children: int) -> int:
            nonlocal next_id
            pk = next_id
            next_id += 1
            rows.append(
                f"{pk}\t{path}\t{len(path) // STEPLEN}\t{children}\t{name}\t{fold(name)}\t{kind}"
                f"\t{cell_type}\t{code}\t\t{founded}\t\\N\t{created}\n"
            )
            return pk

        def add_cell(path: str, code: str, kind: str, n: int) -> None:
            cell_type = rng.choices(type_names, type_weights)[0]
            name = patterns[cell_type].format(n=n, place=rng.choice(names.PLACE_NAMES))
            pk = add(path, name, kind, code, cell_type, 0)
            self.cells.append(CellRow(pk, path, cell_type))

        for p_index, ((province, city), communes) in enumerate(
            zip(names.PROVINCES, per_province, strict=True), start=1
        ):
            p_path = step(p_index)
            p_code = f"{p_index:02d}"
            label = "thành phố" if city else "tỉnh"
            add(p_path, f"Đảng bộ {label} {province}", "province_committee", p_code, "", communes)
            for c_index in range(1, communes + 1):
                c_path = p_path + step(c_index)
                c_code = f"{p_code}.{c_index:03d}"
                ward = rng.random() < (0.6 if city else 0.25)
                kind = "ward_committee" if ward else "commune_committee"
                place = rng.choice(names.PLACE_NAMES)
                cells = next(cells_per_commune)
                grassroots = cells >= 12 and rng.random() < 0.1
                inside = max(2, cells // 6) if grassroots else 0
                direct = cells - inside
                children = direct + (1 if grassroots else 0)
                add(
                    c_path,
                    f"Đảng ủy {'phường' if ward else 'xã'} {place}",
                    kind,
                    c_code,
                    "",
                    children,
                )
                for k in range(1, direct + 1):
                    kind_k = "grassroots_cell" if rng.random() < 0.03 else "cell"
                    add_cell(c_path + step(k), f"{c_code}.{k:03d}", kind_k, k)
                if grassroots:
                    g_path = c_path + step(direct + 1)
                    g_code = f"{c_code}.{direct + 1:03d}"
                    add(
                        g_path,
                        f"Đảng ủy Trung tâm Y tế {place}",
                        "grassroots_committee",
                        g_code,
                        "",
                        inside,
                    )
                    for k in range(1, inside + 1):
                        add_cell(g_path + step(k), f"{g_code}.{k:03d}", "cell", k)
        self.ids["organizations"] = next_id
        return copier.copy("orgs_organization", ORG_COLUMNS, rows)

    def policies(self) -> int:
        """One meeting policy per province: day 5 (a province may set its own day)."""
        rows = [
            MeetingPolicy(
                organization=org,
                day_of_month=5,
                term_start=datetime.date(2025, 10, 1),
                default_place="Hội trường",
            )
            for org in Organization.objects.filter(depth=1, kind="province_committee")
        ]
        MeetingPolicy.objects.bulk_create(rows)
        return len(rows)

    # -- members ---------------------------------------------------------------------------------

    def _name(self, female: bool) -> tuple[str, str, str]:
        rng = self.rng
        family = rng.choices(*zip(*names.FAMILY, strict=True))[0]
        middle = rng.choice(names.FEMALE_MIDDLE if female else names.MALE_MIDDLE)
        given = rng.choice(names.FEMALE_GIVEN if female else names.MALE_GIVEN)
        full = f"{family} {middle} {given}"
        keys = self.sort_keys.get(full)
        if keys is None:
            keys = self.sort_keys[full] = (name_sort_key(full), fold(full))
        return full, keys[0], keys[1]

    def members(self, cursor: Any, copier: Copier) -> int:
        rng = self.rng
        next_id = self._next_id(cursor, "members_member")
        total = max(3 * len(self.cells), round(FULL["members"] * self.scale))
        mean = total / len(self.cells)
        stamp = f"{self.today} 08:00:00{self.offset}"
        statuses = (
            ("official", "official", 88.5),
            ("probationary", "probationary", 5.0),
            ("exempted", "official", 5.0),
            ("temporarily_attached", "official", 1.0),
            ("suspended", "official", 0.5),
        )
        status_choices = [(s, c) for s, c, _ in statuses]
        status_weights = [w for _, _, w in statuses]

        def rows() -> Iterator[str]:
            nonlocal next_id
            for cell in self.cells:
                size = max(3, round(rng.gauss(mean, mean * 0.4)))
                picked = rng.choices(status_choices, status_weights, k=size)
                for status, klass in picked:
                    pk = next_id
                    next_id += 1
                    female = rng.random() < 0.38
                    full, sort_key, search = self._name(female)
                    if status == "probationary":
                        birth_year = self.today.year - rng.randint(19, 40)
                        admitted = self.today - datetime.timedelta(days=rng.randint(30, 360))
                        official = "\\N"
                    else:
                        birth_year = self.today.year - rng.randint(25, 85)
                        admitted = datetime.date(
                            rng.randint(birth_year + 18, min(birth_year + 50, 2024)),
                            rng.randint(1, 12),
                            rng.randint(1, 28),
                        )
                        official = str(admitted + datetime.timedelta(days=365))
                    birth = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
                    cell.members.append((pk, status, klass))
                    yield (
                        f"{full}\t{sort_key}\t{search}\t{'female' if female else 'male'}\t"
                        f"{birth}\tKinh\tKhông\t\t\t12/12\t\t"
                        f"{'intermediate' if rng.random() < 0.3 else 'elementary'}\t"
                        f"{rng.choice(names.OCCUPATIONS)}\t{pk:010d}\t{admitted}\t{admitted}\t"
                        f"{official}\t{status}\t{klass}\t{cell.id}\t\t\t\t{stamp}\t{stamp}\t1\t"
                        f"{pk}\n"
                    )

        count = copier.copy("members_member", MEMBER_COLUMNS, rows())
        self.ids["members"] = next_id
        return count

    # -- meetings, attendance, speeches, scores ---------------------------------------------------

    def meetings(self, cursor: Any, copier: Copier) -> None:
        rng = self.rng
        today = self.today
        offset = self.offset
        meeting_id = self._next_id(cursor, "meetings_meeting")
        attendance_id = self._next_id(cursor, "meetings_attendance")
        speech_id = self._next_id(cursor, "meetings_speech")
        score_id = self._next_id(cursor, "meetings_meetingscore")
        meetings: list[str] = []
        attendance: list[str] = []
        speeches: list[str] = []
        scores: list[str] = []
        counts = dict.fromkeys(("meetings", "attendance", "speeches", "scores"), 0)
        periods = self._periods()
        day = datetime.timedelta(days=1)

        def flush() -> None:
            counts["meetings"] += copier.copy("meetings_meeting", MEETING_COLUMNS, meetings)
            counts["attendance"] += copier.copy(
                "meetings_attendance", ATTENDANCE_COLUMNS, attendance
            )
            counts["speeches"] += copier.copy("meetings_speech", SPEECH_COLUMNS, speeches)
            counts["scores"] += copier.copy("meetings_meetingscore", SCORE_COLUMNS, scores)
            for rows in (meetings, attendance, speeches, scores):
                rows.clear()

        def meeting(
            cell: CellRow,
            kind: str,
            period: datetime.date | None,
            date: datetime.date,
            status: str,
            *,
            thematic: bool = False,
            topic: str = "",
            late_notice: bool = False,
        ) -> int:
            nonlocal meeting_id, attendance_id, speech_id, score_id
            pk = meeting_id
            meeting_id += 1
            workplace = cell.cell_type not in ("village", "residential_group", "apartment_building")
            start = 14 * 60 if workplace else 19 * 60 + 30
            at = f"{start // 60:02d}:{start % 60:02d}:00"
            published = started = ended = signed = "\\N"
            if status != "planned":
                notice = rng.randint(1, 3) if late_notice else rng.randint(7, 12)
                published = f"{date - notice * day} 09:00:00{offset}"
            if status in HELD:
                length = rng.randint(75, 150)
                end = start + length
                started = f"{date} {at}{offset}"
                ended = f"{date} {end // 60:02d}:{end % 60:02d}:00{offset}"
            if status == "signed":
                signed = f"{date + rng.randint(1, 8) * day} 10:00:00{offset}"
            reason = "Trùng lịch công tác của cấp ủy cấp trên" if status == "cancelled" else ""
            stamp = f"{date - 15 * day} 08:00:00{offset}"
            month = str(period) if period else NULL
            meetings.append(
                f"{pk}\t{kind}\t{'t' if thematic else 'f'}\t{topic}\t"
                f"{month}\t{date}\t{at}\tHội trường\t{status}\t"
                f"{'t' if kind == 'regular' else 'f'}\t{published}\t{started}\t{ended}\t\t"
                f"{reason}\t{signed}\t{stamp}\t{stamp}\t1\t{cell.id}\n"
            )
            if status in HELD:
                stamp = f"{date} {at}{offset}"
                present: list[int] = []
                quality = rng.random()
                for member_id, category, klass in cell.members:
                    if category == "suspended":
                        mark = "suspended"
                    elif category == "exempted":
                        mark = "present" if rng.random() < 0.3 else "exempt"
                    else:
                        r = rng.random()
                        if r < 0.80 + 0.12 * quality:
                            mark = "present"
                        elif r < 0.95:
                            mark = "late" if r < 0.84 + 0.12 * quality else "absent_excused"
                        else:
                            mark = "absent_unexcused"
                    if mark in PRESENT_LIKE:
                        present.append(member_id)
                    attendance.append(
                        f"{attendance_id}\t{category}\t{mark}\t\t1\t{stamp}\t{member_id}\t"
                        f"{pk}\t{klass}\n"
                    )
                    attendance_id += 1
                if kind == "regular" and present:
                    spoke = rng.sample(present, min(len(present), rng.randint(1, 6)))
                    if rng.random() < 0.3:
                        spoke.append(spoke[0])  # someone speaks twice
                    for member_id in spoke:
                        speeches.append(
                            f"{speech_id}\t{rng.choice(names.SPEECH_SUMMARIES)}\t"
                            f"{uuid.UUID(int=rng.getrandbits(128), version=4)}\t{stamp}\t"
                            f"{pk}\t{member_id}\n"
                        )
                        speech_id += 1
                if kind == "regular" and status == "signed":
                    total = Decimal(min(100, max(35, round(rng.gauss(82, 9) * 2) / 2)))
                    total = total.quantize(Decimal("0.1"))
                    rating = (
                        "good"
                        if total >= 90
                        else "fair"
                        if total >= 70
                        else "average"
                        if total >= 50
                        else "poor"
                    )
                    scores.append(f"{score_id}\t\t{total}\t{rating}\t\t\\N\t\t{stamp}\t{pk}\n")
                    score_id += 1
            return pk

        this_month = today.replace(day=1)
        for index, cell in enumerate(self.cells, start=1):
            for period in periods:
                date = period + datetime.timedelta(days=rng.randint(2, 11))
                r = rng.random()
                if date >= today:
                    status = "prepared" if r < 0.5 else "planned"
                elif r < 0.02:
                    status = "cancelled"
                elif r < 0.045:
                    status = "planned" if r < 0.035 else "prepared"  # not held
                elif (today - date).days < 20:
                    status = "closed" if r < 0.4 else "signed"
                else:
                    status = "signed"
                quarter_end = period.month % 3 == 0
                combined = quarter_end and rng.random() < 0.6
                meeting(
                    cell,
                    "regular",
                    period,
                    date,
                    status,
                    thematic=combined,
                    topic=rng.choice(names.TOPICS_THEMATIC) if combined else "",
                    late_notice=rng.random() < 0.08,
                )
                if quarter_end and not combined and rng.random() < 0.6:
                    other = period + datetime.timedelta(days=rng.randint(14, 26))
                    meeting(
                        cell,
                        "thematic",
                        None,
                        other,
                        "signed" if other < today - 10 * day else "planned",
                        topic=rng.choice(names.TOPICS_THEMATIC),
                    )
                elif rng.random() < 0.02 and period < this_month:
                    other = period + datetime.timedelta(days=rng.randint(14, 26))
                    meeting(cell, "extraordinary", None, other, "signed", topic="Họp bất thường")
            if index % 200 == 0:
                flush()
        flush()
        self.stats.counts.update(
            {
                "meetings": counts["meetings"],
                "attendance": counts["attendance"],
                "speeches": counts["speeches"],
                "meeting scores": counts["scores"],
            }
        )

    def sequences(self, cursor: Any) -> None:
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )


def _apportion(total: int, weights: list[float], *, minimum: int) -> list[int]:
    """Split `total` into parts proportional to `weights`, each at least `minimum`."""
    spare = total - minimum * len(weights)
    scale = sum(weights)
    parts = [minimum + int(spare * w / scale) for w in weights]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return parts


ORG_COLUMNS = (
    "id", "path", "depth", "numchild", "name", "name_search", "kind", "cell_type", "code",
    "address", "active_from", "active_to", "created_at",
)  # fmt: skip
MEMBER_COLUMNS = (
    "full_name", "name_sort_key", "name_search", "sex", "birth_date", "ethnicity", "religion",
    "home_town", "residence_address", "general_education", "professional_qualification",
    "political_theory", "occupation", "party_card_number", "admission_decision_date",
    "ceremony_date", "official_date", "status", "membership_class", "cell_id", "phone", "email",
    "notes", "created_at", "updated_at", "version", "id",
)  # fmt: skip
MEETING_COLUMNS = (
    "id", "kind", "with_thematic_part", "topic", "period", "date", "time", "place", "status",
    "generated", "published_at", "started_at", "ended_at", "resolution_draft", "cancel_reason",
    "signed_at", "created_at", "updated_at", "version", "organization_id",
)  # fmt: skip
ATTENDANCE_COLUMNS = (
    "id", "category", "status", "reason", "version", "updated_at", "member_id", "meeting_id",
    "membership_class",
)  # fmt: skip
SPEECH_COLUMNS = ("id", "summary", "client_token", "created_at", "meeting_id", "member_id")
SCORE_COLUMNS = (
    "id", "frame_source", "total", "rating", "explanation", "confirmed_at", "adjustment_reason",
    "updated_at", "meeting_id",
)  # fmt: skip
# The tables whose indexes are dropped while loading.
BULK_TABLES = ("members_member", "meetings_meeting", "meetings_attendance", "meetings_speech")
TABLES = (
    "orgs_organization",
    "members_member",
    "meetings_meeting",
    "meetings_attendance",
    "meetings_speech",
    "meetings_meetingscore",
)


def generate(
    *, scale: float, years: int = 5, seed: int = 12, today: datetime.date | None = None
) -> Stats:
    """Generate the nation (see the module docstring) and return its row counts and timings."""
    return Nation(scale=scale, years=years, seed=seed, today=today).run()
