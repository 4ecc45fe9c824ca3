"""Who must use two-factor authentication, and where each user stands (issue 14, DESIGN §3:
"django-otp TOTP for upper-level and admin accounts").

Required ("enforced by position"):
- administrators (`is_superuser`): they see and change everything;
- a member on the rolls holding a current position as upper-level committee member or as
  organisation-commission staff, wherever it is: both read whole subtrees of cells;
- a member holding a current secretary, deputy secretary or committee member position on a
  committee (`orgs.models.COMMITTEE_KINDS`, the units above the cells): each of them reads the
  register of every cell below the committee (orgs.scope), many hundreds of people's records.
Standing attendees read nothing of a cell's register, and a cell's own officers read one cell:
for them (and ordinary members) two-factor is optional.

The policy is read here and nowhere else. `status_for(user)` answers in one query (the
positions and the confirmed devices, as two EXISTS), and the grace period reads the user row
itself (`User.two_factor_required_since`), which the request has already loaded.

The answer is kept in the session (`remember`) at login and for STATUS_TTL after each check,
so that ordinary pages cost no query: a new appointment shows within five minutes, a new login
always asks afresh, and the pages that change the state (set-up, turning off, verification)
`forget` it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts.models import User
from chibo.members.models import ACTIVE_STATUSES
from chibo.orgs.models import COMMITTEE_KINDS, Position, Role

# Roles that require two-factor wherever they are held.
REQUIRED_ANYWHERE = frozenset({Role.UPPER_COMMITTEE_MEMBER, Role.ORGANIZATION_STAFF})
# Roles that require it when held on a committee (a unit above the cells).
REQUIRED_ON_COMMITTEES = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER})


def requiring_positions(user_ref: Any, today: datetime.date):
    """The current positions of the user's member (on the rolls) that require two-factor.
    `user_ref` is a user id or an `OuterRef` to one."""
    return (
        Position.objects.current(today)
        .filter(member__user_id=user_ref, member__status__in=ACTIVE_STATUSES)
        .filter(
            Q(role__in=REQUIRED_ANYWHERE)
            | Q(role__in=REQUIRED_ON_COMMITTEES, organization__kind__in=COMMITTEE_KINDS)
        )
    )


def confirmed_devices(user_ref: Any):
    """The user's confirmed authenticator apps (the recovery codes belong to one of them)."""
    return TOTPDevice.objects.filter(user_id=user_ref, confirmed=True)


def grace_days() -> int:
    return settings.CHIBO_TWO_FACTOR_GRACE_DAYS


@dataclass(frozen=True)
class TwoFactorStatus:
    """Where a user stands: whether two-factor is required of them and whether they have set
    it up (a confirmed authenticator app)."""

    required: bool
    has_device: bool
    required_since: datetime.datetime | None = None

    @property
    def deadline(self) -> datetime.datetime | None:
        """The moment after which a required user without a device is sent to the set-up
        page; None when nothing is due."""
        if not self.required or self.has_device:
            return None
        since = self.required_since or timezone.now()
        return since + datetime.timedelta(days=grace_days())

    def overdue(self, now: datetime.datetime) -> bool:
        deadline = self.deadline
        return deadline is not None and now >= deadline

    @property
    def in_grace(self) -> bool:
        return self.deadline is not None

    @property
    def optional(self) -> bool:
        return not self.required


SESSION_KEY = "chibo_twofactor"
STATUS_TTL = datetime.timedelta(minutes=5)


def remember(session: Any, user: Any, status: TwoFactorStatus, now: datetime.datetime) -> None:
    """Keep the user's status in their session for STATUS_TTL."""
    session[SESSION_KEY] = {
        "user": user.pk,
        "required": status.required,
        "has_device": status.has_device,
        "at": now.timestamp(),
    }


def forget(session: Any) -> None:
    session.pop(SESSION_KEY, None)


def remembered(session: Any, user: Any, now: datetime.datetime) -> TwoFactorStatus | None:
    """The status kept in the session, if it is this user's and not older than STATUS_TTL
    (the grace period's start is read from the user row, always current)."""
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("user") != user.pk:
        return None
    if now.timestamp() - kept.get("at", 0) > STATUS_TTL.total_seconds():
        return None
    return TwoFactorStatus(
        required=bool(kept.get("required")),
        has_device=bool(kept.get("has_device")),
        required_since=user.two_factor_required_since,
    )


def with_since(status: TwoFactorStatus, user: Any) -> TwoFactorStatus:
    return replace(status, required_since=user.two_factor_required_since)


def status_for(user: Any) -> TwoFactorStatus:
    """The user's two-factor status, in one query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return TwoFactorStatus(required=False, has_device=False)
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            by_position=Exists(requiring_positions(OuterRef("pk"), timezone.localdate())),
            has_device=Exists(confirmed_devices(OuterRef("pk"))),
        )
        .values_list("by_position", "has_device")
        .first()
    )
    by_position, has_device = row if row is not None else (False, False)
    return TwoFactorStatus(
        required=bool(user.is_superuser or by_position),
        has_device=bool(has_device),
        required_since=user.two_factor_required_since,
    )


def two_factor_required(user: Any) -> bool:
    """Whether the user must use two-factor (administrators, and the positions above)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return requiring_positions(user.pk, timezone.localdate()).exists()
