"""A set-based rebuild of the rollups on PostgreSQL: the same CellMonth and OrgMonth rows as
`chibo.reports.rollups.rebuild()` (the whole tree), in two INSERT … SELECT statements instead
of Python batches (tests/reports/test_national.py compares the two row by row).

What Python still computes, because the app's own functions define it: the meeting policy's
day for each policy and month (`meetings.services.schedule.scheduled_day`, holidays included)
and the central day counts of the notice and signing rules for each meeting date
(`core.rules.central_default`). They go into two temporary tables the statements join. A rule
overridden somewhere in the tree (RuleOverride of one of those keys) is resolved per cell by
`rollups.rebuild`; this rebuild then hands over to it rather than guess.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from chibo.core.models import RuleOverride
from chibo.core.rules import RuleNotInForce, central_default
from chibo.meetings.models import MeetingPolicy
from chibo.meetings.services.schedule import scheduled_day
from chibo.orgs.models import CELL_KINDS
from chibo.reports import rollups

CELL_KINDS_SQL = ", ".join(f"'{kind}'" for kind in sorted(CELL_KINDS))
HELD_SQL = "('in_progress', 'closed', 'signed')"
# A meeting in progress counts as held; its roll call, speakers and score from its closing.
COUNTED_SQL = "('closed', 'signed')"
STATE_SQL = """CASE r.status WHEN 'planned' THEN 'planned' WHEN 'prepared' THEN 'published'
    WHEN 'in_progress' THEN 'live' WHEN 'closed' THEN 'held' WHEN 'signed' THEN 'signed'
    WHEN 'cancelled' THEN 'cancelled' END"""
MUST_ATTEND_SQL = "('official', 'probationary', 'temporarily_attached')"


@dataclass
class SqlRebuildStats:
    cell_months: int = 0
    org_months: int = 0
    seconds: float = 0.0
    fallback: bool = False


def _rule_days(key: str, on: datetime.date) -> int | None:
    try:
        value = central_default(key, on=on).value
    except RuleNotInForce:
        return None
    return value if isinstance(value, int) else None


CELL_MONTHS = f"""
WITH cells AS (
    SELECT id, path, cell_type FROM orgs_organization WHERE kind IN ({CELL_KINDS_SQL})
), m AS (
    SELECT m.*, date_trunc('month', coalesce(m.period, m.date))::date AS month
    FROM meetings_meeting m JOIN cells c ON c.id = m.organization_id
), agg AS (
    SELECT organization_id AS cell_id, month,
        count(*) FILTER (WHERE status IN {HELD_SQL}
            AND (kind = 'thematic' OR with_thematic_part)) AS thematic_held,
        count(*) FILTER (WHERE status IN {HELD_SQL}
            AND kind NOT IN ('regular', 'thematic')) AS other_held,
        count(*) FILTER (WHERE status = 'cancelled') AS cancelled
    FROM m GROUP BY organization_id, month
), r AS (
    SELECT DISTINCT ON (organization_id, month) *
    FROM m WHERE kind = 'regular' ORDER BY organization_id, month, date, id
), roll AS (
    SELECT a.meeting_id,
        count(*) FILTER (WHERE a.status IN ('present', 'late')
            OR a.category IN {MUST_ATTEND_SQL}) AS expected,
        count(*) FILTER (WHERE a.status IN ('present', 'late')) AS present,
        count(*) FILTER (WHERE a.status = 'absent_excused') AS excused,
        count(*) FILTER (WHERE a.status = 'absent_unexcused') AS unexcused
    FROM meetings_attendance a JOIN r ON r.id = a.meeting_id AND r.status IN {HELD_SQL}
    GROUP BY a.meeting_id
), spoke AS (
    SELECT s.meeting_id, count(DISTINCT s.member_id) AS speakers
    FROM meetings_speech s JOIN r ON r.id = s.meeting_id AND r.status IN {HELD_SQL}
    WHERE s.member_id IS NOT NULL
    GROUP BY s.meeting_id
), adjusted AS (
    SELECT DISTINCT ON (v.meeting_id) v.meeting_id, v.adjusted_rating
    FROM supervision_visit v JOIN r ON r.id = v.meeting_id
    WHERE v.adjusted_rating <> ''
    ORDER BY v.meeting_id, v.recorded_at DESC, v.id DESC
), policy AS (
    SELECT DISTINCT ON (c.id) c.id AS cell_id, p.id AS policy_id
    FROM cells c
    JOIN meetings_meetingpolicy p ON true
    JOIN orgs_organization po ON po.id = p.organization_id
        AND left(c.path, length(po.path)) = po.path
    ORDER BY c.id, length(po.path) DESC
)
INSERT INTO reports_cellmonth (
    cell_id, period, year, province_id, path, cell_type, meeting_id, state, meeting_date,
    scheduled_date, held_late, notice_due, published_on, sign_due, signed_on, expected,
    present, absent_excused, absent_unexcused, speakers, duration_minutes, score, rating,
    regular_held, thematic_held, other_held, cancelled, updated_at)
SELECT
    agg.cell_id, agg.month, extract(year FROM agg.month)::int,
    CASE WHEN length(c.path) >= %(province_len)s THEN province.id END,
    c.path, c.cell_type,
    r.id,
    coalesce({STATE_SQL}, 'none'),
    r.date,
    sched.day,
    coalesce(r.status IN {HELD_SQL} AND sched.day IS NOT NULL AND r.date > sched.day, false),
    r.date - rd.notice_days,
    (r.published_at AT TIME ZONE %(tz)s)::date,
    r.date + rd.sign_days,
    (r.signed_at AT TIME ZONE %(tz)s)::date,
    CASE WHEN r.status IN {COUNTED_SQL} THEN coalesce(roll.expected, 0) ELSE 0 END,
    CASE WHEN r.status IN {COUNTED_SQL} THEN coalesce(roll.present, 0) ELSE 0 END,
    CASE WHEN r.status IN {COUNTED_SQL} THEN coalesce(roll.excused, 0) ELSE 0 END,
    CASE WHEN r.status IN {COUNTED_SQL} THEN coalesce(roll.unexcused, 0) ELSE 0 END,
    CASE WHEN r.status IN {COUNTED_SQL} THEN coalesce(spoke.speakers, 0) ELSE 0 END,
    CASE WHEN r.status IN {COUNTED_SQL} AND r.started_at IS NOT NULL AND r.ended_at IS NOT NULL
        AND r.ended_at >= r.started_at
        THEN floor(extract(epoch FROM r.ended_at - r.started_at) / 60)::int END,
    CASE WHEN r.status IN {COUNTED_SQL} THEN score.total END,
    CASE WHEN r.status IN {COUNTED_SQL}
        THEN coalesce(nullif(adjusted.adjusted_rating, ''), nullif(score.rating, ''), '')
        ELSE '' END,
    CASE WHEN r.status IN {HELD_SQL} THEN 1 ELSE 0 END,
    agg.thematic_held, agg.other_held, agg.cancelled,
    now()
FROM agg
JOIN cells c ON c.id = agg.cell_id
LEFT JOIN orgs_organization province ON province.path = left(c.path, %(province_len)s)
LEFT JOIN r ON r.organization_id = agg.cell_id AND r.month = agg.month
LEFT JOIN roll ON roll.meeting_id = r.id
LEFT JOIN spoke ON spoke.meeting_id = r.id
LEFT JOIN meetings_meetingscore score ON score.meeting_id = r.id
LEFT JOIN adjusted ON adjusted.meeting_id = r.id
LEFT JOIN policy ON policy.cell_id = agg.cell_id
LEFT JOIN rollup_scheduled sched ON sched.policy_id = policy.policy_id
    AND sched.period = agg.month
LEFT JOIN rollup_rule_days rd ON rd.day = r.date
"""  # noqa: S608

ORG_MONTHS = f"""
INSERT INTO reports_orgmonth (
    organization_id, period, year, province_id, path, cells, regular_planned, regular_held,
    held_late, signed, cancelled, thematic_held, other_held, expected, present, speakers,
    duration_sum, duration_count, score_sum, score_count, rated_good, rated_fair,
    rated_average, rated_poor, updated_at)
SELECT
    o.id, cm.period, extract(year FROM cm.period)::int,
    CASE WHEN o.depth >= %(province_depth)s THEN max(cm.province_id) END,
    o.path,
    count(*),
    count(*) FILTER (WHERE cm.state NOT IN ('none', 'cancelled')),
    sum(cm.regular_held),
    count(*) FILTER (WHERE cm.held_late),
    count(*) FILTER (WHERE cm.state = 'signed'),
    sum(cm.cancelled), sum(cm.thematic_held), sum(cm.other_held),
    sum(cm.expected), sum(cm.present), sum(cm.speakers),
    coalesce(sum(cm.duration_minutes), 0), count(cm.duration_minutes),
    coalesce(sum(cm.score), 0), count(cm.score),
    count(*) FILTER (WHERE cm.rating = 'good'),
    count(*) FILTER (WHERE cm.rating = 'fair'),
    count(*) FILTER (WHERE cm.rating = 'average'),
    count(*) FILTER (WHERE cm.rating = 'poor'),
    now()
FROM reports_cellmonth cm
CROSS JOIN LATERAL generate_series(1, length(cm.path) / 4) AS d(depth)
JOIN orgs_organization o ON o.path = left(cm.path, 4 * d.depth)
    AND o.kind NOT IN ({CELL_KINDS_SQL})
GROUP BY o.id, o.path, o.depth, cm.period
"""  # noqa: S608


def rebuild_sql() -> SqlRebuildStats:
    """Recount every CellMonth and OrgMonth from the raw rows, in one transaction (readers
    see the old rollups until it commits). Falls back to `rollups.rebuild()` off PostgreSQL
    or when a rule the figures use is overridden somewhere."""
    started = time.perf_counter()
    stats = SqlRebuildStats()
    overridden = RuleOverride.objects.filter(
        key__in=[rollups.NOTICE_KEY, rollups.SIGN_KEY]
    ).exists()
    if connection.vendor != "postgresql" or overridden:
        result = rollups.rebuild()
        stats.cell_months, stats.org_months, stats.fallback = (
            result.cell_months,
            result.org_months,
            True,
        )
        stats.seconds = time.perf_counter() - started
        return stats
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE rollup_scheduled (policy_id bigint, period date, day date, "
            "PRIMARY KEY (policy_id, period)) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE rollup_rule_days (day date PRIMARY KEY, notice_days int, "
            "sign_days int) ON COMMIT DROP"
        )
        cursor.execute(
            "SELECT DISTINCT date_trunc('month', coalesce(period, date))::date "
            "FROM meetings_meeting"
        )
        periods = [row[0] for row in cursor.fetchall()]
        days_off: dict[int, set[datetime.date]] = {}
        scheduled = [
            (policy.pk, period, scheduled_day(policy, period.year, period.month, days_off=days_off))
            for policy in MeetingPolicy.objects.all()
            for period in periods
        ]
        cursor.executemany("INSERT INTO rollup_scheduled VALUES (%s, %s, %s)", scheduled)
        cursor.execute("SELECT DISTINCT date FROM meetings_meeting WHERE kind = 'regular'")
        days = [
            (day, _rule_days(rollups.NOTICE_KEY, day), _rule_days(rollups.SIGN_KEY, day))
            for (day,) in cursor.fetchall()
        ]
        cursor.executemany("INSERT INTO rollup_rule_days VALUES (%s, %s, %s)", days)
        cursor.execute("ANALYZE rollup_scheduled")
        cursor.execute("ANALYZE rollup_rule_days")
        cursor.execute("DELETE FROM reports_cellmonth")
        cursor.execute("DELETE FROM reports_orgmonth")
        depth = rollups.PROVINCE_DEPTH
        cursor.execute(
            CELL_MONTHS,
            {"province_len": 4 * depth, "tz": settings.TIME_ZONE},
        )
        stats.cell_months = cursor.rowcount
        cursor.execute(ORG_MONTHS, {"province_depth": depth})
        stats.org_months = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_cellmonth")
        cursor.execute("ANALYZE reports_orgmonth")
    stats.seconds = time.perf_counter() - started
    return stats
