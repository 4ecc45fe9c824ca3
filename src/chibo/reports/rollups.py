"""Maintaining the rollups (reports.models): `refresh` recounts one cell-month from the raw rows
in the transaction of the change (the receiver of `core.signals.meetings_changed`) and applies
the difference to the committees above; `rebuild` recounts a whole subtree in batches. Both
compute a row with the same pure function (`month_values`), so an incremental row and a
rebuilt one cannot disagree on what a figure means — the property test
(tests/reports/test_rollup_property.py) checks that they are equal after random meeting actions.
What a month's figures depend on besides its meetings — the meeting policy, the rule overrides
of the two day counts below, a unit's place in the tree, its kind or cell type — changes
rarely: `core.signals.subtree_changed` then recounts the subtrees concerned with `rebuild`
(`on_subtree_changed`). A change of the central rules (a data migration) needs
`rebuild_rollups`.

What a figure means:
- the month of a meeting: a regular meeting's `period`, else its date's month;
- the roll call as the meeting page counts it (meetings.selectors.roll_call_summary): present
  are the present and the late; expected are those present plus those who must attend
  (members.standing.must_attend: exempted and suspended members are not expected);
- speakers: distinct members with at least one speech;
- the effective rating: the latest visit's adjustment (supervision), else the meeting's own;
- held late: held after the day the cell's meeting policy sets for the month;
- notice due: the meeting day minus rule `meeting.notice_days_before`; sign due: the meeting
  day plus rule `meeting.final_upload_days_after`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.utils import timezone

from chibo.core.models import RuleOverride
from chibo.core.rules import (
    RuleNotInForce,
    ancestor_paths,
    central_default,
    rule_in_force,
)
from chibo.core.signals import meetings_changed, subtree_changed
from chibo.meetings.models import (
    PRESENT_STATUSES,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingPolicy,
    MeetingRating,
    MeetingStatus,
    Speech,
)
from chibo.meetings.services.schedule import scheduled_day
from chibo.members import standing
from chibo.orgs.models import CELL_KINDS, Organization
from chibo.reports.models import CellMonth, MonthState, OrgMonth
from chibo.supervision.models import Visit

PROVINCE_DEPTH = 1  # the provinces are the roots (orgs.models.ALLOWED_CHILDREN[None])
NOTICE_KEY = "meeting.notice_days_before"
SIGN_KEY = "meeting.final_upload_days_after"
HELD = frozenset({MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED, MeetingStatus.SIGNED})
STATE_OF = {
    MeetingStatus.PLANNED: MonthState.PLANNED,
    MeetingStatus.PREPARED: MonthState.PUBLISHED,
    MeetingStatus.IN_PROGRESS: MonthState.LIVE,
    MeetingStatus.CLOSED: MonthState.HELD,
    MeetingStatus.SIGNED: MonthState.SIGNED,
    MeetingStatus.CANCELLED: MonthState.CANCELLED,
}
HELD_STATES = frozenset({MonthState.LIVE, MonthState.HELD, MonthState.SIGNED})
RATING_FIELD = {
    MeetingRating.GOOD: "rated_good",
    MeetingRating.FAIR: "rated_fair",
    MeetingRating.AVERAGE: "rated_average",
    MeetingRating.POOR: "rated_poor",
}
# The figures of OrgMonth that are sums over cells.
ADDITIVE = (
    "cells",
    "regular_planned",
    "regular_held",
    "held_late",
    "signed",
    "cancelled",
    "thematic_held",
    "other_held",
    "expected",
    "present",
    "speakers",
    "duration_sum",
    "duration_count",
    "score_sum",
    "score_count",
    "rated_good",
    "rated_fair",
    "rated_average",
    "rated_poor",
)
CELL_FIELDS = (
    "meeting_id",
    "state",
    "meeting_date",
    "scheduled_date",
    "held_late",
    "notice_due",
    "published_on",
    "sign_due",
    "signed_on",
    "expected",
    "present",
    "absent_excused",
    "absent_unexcused",
    "speakers",
    "duration_minutes",
    "score",
    "rating",
    "regular_held",
    "thematic_held",
    "other_held",
    "cancelled",
)


def month_of(meeting_period: datetime.date | None, meeting_date: datetime.date) -> datetime.date:
    return (meeting_period or meeting_date).replace(day=1)


def next_month(period: datetime.date) -> datetime.date:
    return (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def province_id_of(path: str, ids_by_path: dict[str, int]) -> int | None:
    return ids_by_path.get(path[: 4 * PROVINCE_DEPTH]) if len(path) >= 4 * PROVINCE_DEPTH else None


# -- the facts of one meeting and the pure computation ---------------------------------------


@dataclass
class MeetingFacts:
    pk: int
    kind: str
    status: str
    date: datetime.date
    with_thematic_part: bool
    published_at: datetime.datetime | None = None
    signed_at: datetime.datetime | None = None
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    # (category, status) -> rows
    roll: dict[tuple[str, str], int] = field(default_factory=dict)
    speakers: int = 0
    score: Decimal | None = None
    rating: str = ""


@dataclass(frozen=True)
class CellContext:
    """What a month's figures need besides the meetings: the policy's day and the rules'
    day counts (None where no policy or no rule applies)."""

    scheduled_date: datetime.date | None
    notice_days: int | None
    sign_days: int | None


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def roll_figures(roll: dict[tuple[str, str], int]) -> tuple[int, int, int, int]:
    """(expected, present, absent excused, absent unexcused) from the roll counts, as
    meetings.selectors.roll_call_summary counts them."""
    expected = present = excused = unexcused = 0
    for (category, status), rows in roll.items():
        is_present = status in PRESENT_STATUSES
        if is_present:
            present += rows
        elif status == AttendanceStatus.ABSENT_EXCUSED:
            excused += rows
        elif status == AttendanceStatus.ABSENT_UNEXCUSED:
            unexcused += rows
        if is_present or standing.must_attend(category):
            expected += rows
    return expected, present, excused, unexcused


def month_values(meetings: Sequence[MeetingFacts], context: CellContext) -> dict[str, Any] | None:
    """The CellMonth figures of one cell-month from its meetings, or None when it has none."""
    if not meetings:
        return None
    regular = next((m for m in meetings if m.kind == MeetingKind.REGULAR), None)
    values: dict[str, Any] = {
        "meeting_id": None,
        "state": MonthState.NONE,
        "meeting_date": None,
        "scheduled_date": context.scheduled_date,
        "held_late": False,
        "notice_due": None,
        "published_on": None,
        "sign_due": None,
        "signed_on": None,
        "expected": 0,
        "present": 0,
        "absent_excused": 0,
        "absent_unexcused": 0,
        "speakers": 0,
        "duration_minutes": None,
        "score": None,
        "rating": "",
        "regular_held": 0,
        "thematic_held": sum(
            1
            for m in meetings
            if m.status in HELD and (m.kind == MeetingKind.THEMATIC or m.with_thematic_part)
        ),
        "other_held": sum(
            1
            for m in meetings
            if m.status in HELD and m.kind not in (MeetingKind.REGULAR, MeetingKind.THEMATIC)
        ),
        "cancelled": sum(1 for m in meetings if m.status == MeetingStatus.CANCELLED),
    }
    if regular is None:
        return values
    state = STATE_OF[MeetingStatus(regular.status)]
    values.update(
        meeting_id=regular.pk,
        state=state,
        meeting_date=regular.date,
        published_on=_local_day(regular.published_at),
        signed_on=_local_day(regular.signed_at),
    )
    if context.notice_days is not None:
        values["notice_due"] = regular.date - datetime.timedelta(days=context.notice_days)
    if context.sign_days is not None:
        values["sign_due"] = regular.date + datetime.timedelta(days=context.sign_days)
    if state in HELD_STATES:
        values.update(
            regular_held=1,
            held_late=bool(context.scheduled_date and regular.date > context.scheduled_date),
        )
    if state in HELD_STATES and state != MonthState.LIVE:
        # A meeting being held counts as held; its roll call, speakers and score count from
        # its closing (issue 13: the live actions of a meeting in progress then change no
        # rollup, and meetings.services.meeting_change sends no signal for them).
        expected, present, excused, unexcused = roll_figures(regular.roll)
        values.update(
            expected=expected,
            present=present,
            absent_excused=excused,
            absent_unexcused=unexcused,
            speakers=regular.speakers,
            score=regular.score,
            rating=regular.rating,
        )
        if regular.started_at and regular.ended_at and regular.ended_at >= regular.started_at:
            values["duration_minutes"] = int(
                (regular.ended_at - regular.started_at).total_seconds() // 60
            )
    return values


def contribution(values: dict[str, Any] | None) -> dict[str, Any]:
    """What one cell-month adds to the OrgMonth rows above it."""
    out: dict[str, Any] = dict.fromkeys(ADDITIVE, 0)
    if values is None:
        return out
    state = values["state"]
    out["cells"] = 1
    out["regular_planned"] = int(state not in (MonthState.NONE, MonthState.CANCELLED))
    out["regular_held"] = values["regular_held"]
    out["held_late"] = int(values["held_late"])
    out["signed"] = int(state == MonthState.SIGNED)
    out["cancelled"] = values["cancelled"]
    out["thematic_held"] = values["thematic_held"]
    out["other_held"] = values["other_held"]
    out["expected"] = values["expected"]
    out["present"] = values["present"]
    out["speakers"] = values["speakers"]
    if values["duration_minutes"] is not None:
        out["duration_sum"] = values["duration_minutes"]
        out["duration_count"] = 1
    if values["score"] is not None:
        out["score_sum"] = values["score"]
        out["score_count"] = 1
    if values["rating"] in RATING_FIELD:
        out[RATING_FIELD[values["rating"]]] = 1
    return out


# -- reading the facts from the raw rows (batched) -------------------------------------------


class RuleDays:
    """The day count of a rule for many cells and dates with few queries: cells with no
    override on their path share the central value per date. `paths`: only the overrides of
    these organizations (the ancestors of the one cell a refresh recounts)."""

    def __init__(self, key: str, *, paths: list[str] | None = None) -> None:
        self.key = key
        overrides = RuleOverride.objects.filter(key=key)
        if paths is not None:
            overrides = overrides.filter(organization__path__in=paths)
        self.override_paths = set(overrides.values_list("organization__path", flat=True))
        self.cache: dict[Any, int | None] = {}

    def days(self, cell: Organization, on: datetime.date) -> int | None:
        overriding = tuple(p for p in ancestor_paths(cell.path) if p in self.override_paths)
        cache_key = (overriding, on)
        if cache_key not in self.cache:
            try:
                if overriding:
                    value = rule_in_force(self.key, organization=cell, on=on).value
                else:
                    value = central_default(self.key, on=on).value
            except RuleNotInForce:
                value = None
            self.cache[cache_key] = value if isinstance(value, int) else None
        return self.cache[cache_key]


class Policies:
    """The meeting policy of each cell (the nearest on its path), loaded once; `paths`: only
    the policies of these organizations (a refresh's one cell and its ancestors)."""

    def __init__(self, *, paths: list[str] | None = None) -> None:
        policies = MeetingPolicy.objects.select_related("organization")
        if paths is not None:
            policies = policies.filter(organization__path__in=paths)
        self.by_path = {p.organization.path: p for p in policies}
        self.days_off: dict[int, set[datetime.date]] = {}

    def scheduled(self, cell: Organization, period: datetime.date) -> datetime.date | None:
        for path in reversed(ancestor_paths(cell.path)):
            policy = self.by_path.get(path)
            if policy is not None:
                return scheduled_day(policy, period.year, period.month, days_off=self.days_off)
        return None


def _meeting_rows(meetings: Any) -> dict[tuple[int, datetime.date], list[MeetingFacts]]:
    """Facts of the meetings in `meetings` (a queryset), grouped by (cell id, month), with their
    roll counts, speakers, score and effective rating in four grouped queries."""
    adjusted = (
        Visit.objects.filter(meeting=OuterRef("pk"))
        .exclude(adjusted_rating="")
        .order_by("-recorded_at", "-id")
        .values("adjusted_rating")[:1]
    )
    rows = list(
        meetings.annotate(adjusted=Subquery(adjusted)).values_list(
            "pk",
            "organization_id",
            "kind",
            "status",
            "period",
            "date",
            "with_thematic_part",
            "published_at",
            "signed_at",
            "started_at",
            "ended_at",
            "score__total",
            "score__rating",
            "adjusted",
        )
    )
    facts: dict[int, MeetingFacts] = {}
    grouped: dict[tuple[int, datetime.date], list[MeetingFacts]] = defaultdict(list)
    held_ids = []
    for (
        pk, org_id, kind, status, period, date, thematic, published, signed, started, ended,
        total, rating, adjusted_rating,
    ) in rows:  # fmt: skip
        fact = MeetingFacts(
            pk=pk,
            kind=kind,
            status=status,
            date=date,
            with_thematic_part=thematic,
            published_at=published,
            signed_at=signed,
            started_at=started,
            ended_at=ended,
            score=total,
            rating=adjusted_rating or rating or "",
        )
        facts[pk] = fact
        grouped[(org_id, month_of(period, date))].append(fact)
        if kind == MeetingKind.REGULAR and status in HELD:
            held_ids.append(pk)
    for start in range(0, len(held_ids), 5000):
        chunk = held_ids[start : start + 5000]
        for meeting_id, category, status, rows_count in (
            Attendance.objects.filter(meeting_id__in=chunk)
            .values_list("meeting_id", "category", "status")
            .annotate(n=Count("id"))
            .order_by()
        ):
            facts[meeting_id].roll[(category, status)] = rows_count
        for meeting_id, speakers in (
            Speech.objects.filter(meeting_id__in=chunk, member__isnull=False)
            .values_list("meeting_id")
            .annotate(n=Count("member_id", distinct=True))
            .order_by()
        ):
            facts[meeting_id].speakers = speakers
    for group in grouped.values():
        group.sort(key=lambda m: (m.kind != MeetingKind.REGULAR, m.date, m.pk))
    return grouped


def _meetings_in_month(cell_id: int, period: datetime.date) -> Any:
    end = next_month(period)
    return Meeting.objects.filter(organization_id=cell_id).filter(
        Q(period=period) | Q(period__isnull=True, date__gte=period, date__lt=end)
    )


# -- incremental: one cell-month, in the caller's transaction ----------------------------------


def refresh(cell_id: int, period: datetime.date) -> None:
    """Recount one cell-month from the raw rows and apply the difference to every committee
    above the cell, in the caller's transaction. Rows are locked (PostgreSQL) from the root
    down, so two changes in one subtree wait for each other rather than deadlock."""
    cell = Organization.objects.filter(pk=cell_id, kind__in=CELL_KINDS).first()
    if cell is None:
        return
    with transaction.atomic():
        old = CellMonth.objects.select_for_update().filter(cell_id=cell_id, period=period).first()
        grouped = _meeting_rows(_meetings_in_month(cell_id, period))
        meetings = grouped.get((cell_id, period), [])
        paths = ancestor_paths(cell.path)
        context = CellContext(
            scheduled_date=Policies(paths=paths).scheduled(cell, period),
            notice_days=(
                RuleDays(NOTICE_KEY, paths=paths).days(cell, meetings[0].date) if meetings else None
            ),
            sign_days=(
                RuleDays(SIGN_KEY, paths=paths).days(cell, meetings[0].date) if meetings else None
            ),
        )
        values = month_values(meetings, context)
        before = contribution(_values_of(old) if old else None)
        after = contribution(values)
        ancestors = list(
            Organization.objects.filter(path__in=ancestor_paths(cell.path))
            .exclude(pk=cell.pk)
            .order_by("path")
            .values_list("pk", "path")
        )
        ids_by_path = {path: pk for pk, path in ancestors}
        province_id = province_id_of(cell.path, ids_by_path)
        if values is None:
            if old is not None:
                old.delete()
        elif old is None:
            CellMonth.objects.create(
                cell=cell,
                period=period,
                year=period.year,
                province_id=province_id,
                path=cell.path,
                cell_type=cell.cell_type,
                **values,
            )
        else:
            for name, value in values.items():
                setattr(old, name, value)
            old.path, old.cell_type, old.province_id = cell.path, cell.cell_type, province_id
            old.save()
        delta = {name: after[name] - before[name] for name in ADDITIVE}
        if any(delta.values()):
            _apply(ancestors, period, province_id, delta)


def _values_of(row: CellMonth) -> dict[str, Any]:
    return {name: getattr(row, name) for name in CELL_FIELDS}


def _apply(
    ancestors: list[tuple[int, str]],
    period: datetime.date,
    province_id: int | None,
    delta: dict[str, Any],
) -> None:
    changes = {name: F(name) + value for name, value in delta.items() if value}
    for org_id, path in ancestors:
        if not OrgMonth.objects.filter(organization_id=org_id, period=period).update(**changes):
            try:
                with transaction.atomic():
                    OrgMonth.objects.create(
                        organization_id=org_id,
                        period=period,
                        year=period.year,
                        province_id=province_id if len(path) >= 4 * PROVINCE_DEPTH else None,
                        path=path,
                        **{name: value for name, value in delta.items() if value},
                    )
            except IntegrityError:  # created meanwhile by another change: add to it
                OrgMonth.objects.filter(organization_id=org_id, period=period).update(**changes)
        if delta["cells"] < 0:
            OrgMonth.objects.filter(organization_id=org_id, period=period, cells=0).delete()


def on_meetings_changed(
    sender: Any, *, cell_id: int, periods: Iterable[datetime.date], **kwargs: Any
) -> None:
    for period in sorted(periods):
        refresh(cell_id, period)


def on_subtree_changed(
    sender: Any,
    *,
    organization_ids: Sequence[int | None],
    rule_key: str | None = None,
    **kwargs: Any,
) -> None:
    """A policy, a rule, the tree's shape changed: recount the subtrees named (in the caller's
    transaction). Rules other than the two the rollups use change nothing here."""
    if rule_key is not None and rule_key not in (NOTICE_KEY, SIGN_KEY):
        return
    if None in organization_ids:
        rebuild()
        return
    by_pk = Organization.objects.in_bulk([pk for pk in organization_ids if pk is not None])
    for pk in organization_ids:
        if pk in by_pk:
            rebuild(by_pk[pk])


def connect() -> None:
    meetings_changed.connect(on_meetings_changed, dispatch_uid="reports.rollups")
    subtree_changed.connect(on_subtree_changed, dispatch_uid="reports.rollups.subtree")


# -- rebuild: a whole subtree from the raw rows ------------------------------------------------


@dataclass
class RebuildStats:
    cells: int = 0
    cell_months: int = 0
    org_months: int = 0
    seconds: float = 0.0


def rebuild(organization: Organization | None = None, *, batch: int = 500) -> RebuildStats:
    """Recount every CellMonth of the subtree (everything when `organization` is None) in
    batches of cells, then every OrgMonth of the committees in and above it from the new rows.
    One transaction: readers see the old rollups until it commits."""
    started = timezone.now()
    stats = RebuildStats()
    prefix = organization.path if organization is not None else ""
    ids_by_path = dict(
        Organization.objects.filter(depth__lte=PROVINCE_DEPTH).values_list("path", "pk")
    )
    policies = Policies()
    notice, sign = RuleDays(NOTICE_KEY), RuleDays(SIGN_KEY)
    with transaction.atomic():
        cells = list(
            Organization.objects.filter(path__startswith=prefix, kind__in=CELL_KINDS).only(
                "pk", "path", "cell_type"
            )
        )
        # The rows under the prefix, and the subtree's cells' own rows wherever their stored
        # path says they were (a cell moved in since): each cell-month is recreated below.
        CellMonth.objects.filter(path__startswith=prefix).delete()
        if organization is not None:
            for start in range(0, len(cells), batch):
                CellMonth.objects.filter(
                    cell_id__in=[cell.pk for cell in cells[start : start + batch]]
                ).delete()
        stats.cells = len(cells)
        for start in range(0, len(cells), batch):
            chunk = {cell.pk: cell for cell in cells[start : start + batch]}
            grouped = _meeting_rows(Meeting.objects.filter(organization_id__in=list(chunk)))
            new_rows = []
            for (cell_id, period), meetings in grouped.items():
                cell = chunk[cell_id]
                first = meetings[0].date
                values = month_values(
                    meetings,
                    CellContext(
                        scheduled_date=policies.scheduled(cell, period),
                        notice_days=notice.days(cell, first),
                        sign_days=sign.days(cell, first),
                    ),
                )
                if values is None:
                    continue
                new_rows.append(
                    CellMonth(
                        cell_id=cell_id,
                        period=period,
                        year=period.year,
                        province_id=province_id_of(cell.path, ids_by_path),
                        path=cell.path,
                        cell_type=cell.cell_type,
                        **values,
                    )
                )
            CellMonth.objects.bulk_create(new_rows, batch_size=2000)
            stats.cell_months += len(new_rows)
        stats.org_months = rebuild_org_months(organization)
    stats.seconds = (timezone.now() - started).total_seconds()
    return stats


def rebuild_org_months(organization: Organization | None = None) -> int:
    """Recompute OrgMonth for the committees in the subtree and those above it, from CellMonth
    (one grouped query per depth)."""
    committees = Organization.objects.exclude(kind__in=CELL_KINDS)
    if organization is not None:
        committees = committees.filter(
            Q(path__startswith=organization.path) | Q(path__in=ancestor_paths(organization.path))
        )
    OrgMonth.objects.filter(organization__in=committees).delete()
    by_depth: dict[int, dict[str, int]] = defaultdict(dict)
    for pk, path, depth in committees.values_list("pk", "path", "depth"):
        by_depth[depth][path] = pk
    created = 0
    for depth, pk_by_path in sorted(by_depth.items()):
        length = 4 * depth
        sums = (
            CellMonth.objects.annotate(prefix=Substr("path", 1, length))
            .filter(prefix__in=list(pk_by_path))
            .values("prefix", "period")
            .annotate(**SUMS)
            .order_by()
        )
        rows = []
        for sum_row in sums:
            row: dict[str, Any] = dict(sum_row)
            path, period, province = row.pop("prefix"), row.pop("period"), row.pop("province")
            rows.append(
                OrgMonth(
                    organization_id=pk_by_path[path],
                    period=period,
                    year=period.year,
                    province_id=province if depth >= PROVINCE_DEPTH else None,
                    path=path,
                    **row,
                )
            )
        OrgMonth.objects.bulk_create(rows, batch_size=2000)
        created += len(rows)
    return created


def _count_when(condition: Q) -> Sum:
    return Sum(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


# OrgMonth's figures as aggregates over CellMonth rows: the same as `contribution` summed.
SUMS: dict[str, Any] = {
    "province": Max("province_id"),
    "cells": Count("id"),
    "regular_planned": _count_when(~Q(state__in=[MonthState.NONE, MonthState.CANCELLED])),
    "regular_held": Sum("regular_held"),
    "held_late": _count_when(Q(held_late=True)),
    "signed": _count_when(Q(state=MonthState.SIGNED)),
    "cancelled": Sum("cancelled"),
    "thematic_held": Sum("thematic_held"),
    "other_held": Sum("other_held"),
    "expected": Sum("expected"),
    "present": Sum("present"),
    "speakers": Sum("speakers"),
    "duration_sum": Sum("duration_minutes", default=0),
    "duration_count": Count("duration_minutes"),
    "score_sum": Sum("score", default=Decimal(0)),
    "score_count": Count("score"),
    "rated_good": _count_when(Q(rating=MeetingRating.GOOD)),
    "rated_fair": _count_when(Q(rating=MeetingRating.FAIR)),
    "rated_average": _count_when(Q(rating=MeetingRating.AVERAGE)),
    "rated_poor": _count_when(Q(rating=MeetingRating.POOR)),
}
