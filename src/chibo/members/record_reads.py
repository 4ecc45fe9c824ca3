"""The access log of members' full records (issue 14, Nghị định 13/2023/NĐ-CP): every read of
another person's full record by a staff user is one row (reader, member, page, time), written by
the page itself with one INSERT; reading one's own record is not logged. Administrators review
the log (members.views_reads); rows are kept CHIBO_RECORD_READS_KEEP_DAYS, then purged by a
daily job (members.jobs)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from chibo.core.text import fold
from chibo.members.models import Member, RecordRead


def record_read_log(*, user: Any, member: Member, page: str) -> RecordRead | None:
    """Log that `user` read `member`'s full record on `page` (a RecordPage value), unless the
    record is the user's own. Ids only: no name, no field of the record."""
    if not getattr(user, "is_authenticated", False):
        return None
    if member.user_id is not None and member.user_id == user.pk:
        return None
    return RecordRead.objects.create(reader_id=user.pk, member_id=member.pk, page=page)


def record_reads(
    *,
    reader: str = "",
    member: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[RecordRead]:
    """The log, newest first, filtered by the reader's user name (part of it), the member's name
    or party card number (part of it, accents ignored), and a range of days (inclusive, local
    time)."""
    rows = RecordRead.objects.select_related("reader", "member__cell")
    if reader:
        rows = rows.filter(reader__username__icontains=reader)
    if member:
        rows = rows.filter(
            Q(member__name_search__contains=fold(member))
            | Q(member__party_card_number__startswith=member)
        )
    zone = timezone.get_current_timezone()
    if date_from is not None:
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone)
        rows = rows.filter(read_at__gte=start)
    if date_to is not None:
        end = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        rows = rows.filter(read_at__lt=end)
    return rows.order_by("-read_at", "-id")


def purge_old_record_reads(*, now: datetime.datetime | None = None) -> int:
    """Delete the rows older than CHIBO_RECORD_READS_KEEP_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(
        days=settings.CHIBO_RECORD_READS_KEEP_DAYS
    )
    deleted, _ = RecordRead.objects.filter(read_at__lt=cutoff).delete()
    return deleted
