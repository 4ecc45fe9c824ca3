"""Fictional demonstration data for the embedded mode (`python -m chibo seed_demo`).

Everything here is invented. The province ("Tỉnh ủy Hòa Lạc", code 38) does not exist, and every
person is an ordinary Vietnamese family name, middle name and given name drawn at random, so no real
person is ever paired with a real position. The shapes and numbers follow the field reports: a
central ward with 24 cells and about 1,170 members (17 residential, 3 school, 1 police, 2 enterprise
or cooperative, 1 agency), many of them retirees and about a third with 30 or more years of party
age; a mountain commune with 30 village cells whose members are mostly Tày, Nùng, Dao and Mông; and
a provincial bloc committee with grassroots committees and grassroots cells.

A fixed seed makes the run deterministic for a given `today`. Ages, probation and so on are counted
back from `today`, so the probationary members are always in their 12 months of probation.

Speed matters because a newcomer runs this first. About 75 organizations go through
`organization_create`, one audited call each. Members, their status history and positions are
bulk-inserted, and the run writes a single "demo.seeded" audit entry that names the logins it
created. A later run uses that entry to recognise which logins belong to the demo.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from axes.utils import reset as reset_lockouts
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from chibo.core import audit
from chibo.demo import directives as directive_demo
from chibo.demo import lifecycle as lifecycle_demo
from chibo.demo import proposals as proposal_demo
from chibo.demo import supervision as supervision_demo
from chibo.demo.common import (
    ADMIN,
    DEMO_LOGINS,
    SEED,
    DemoError,
    SeedResult,
    demo_user_ids,
    find_demo_root,
)
from chibo.demo.meetings import seeding as meeting_demo
from chibo.demo.people import Builder
from chibo.members.models import ACTIVE_STATUSES, Member, MemberEvent
from chibo.orgs.models import (
    CELL_KINDS,
    Organization,
    OrganizationKind,
    Position,
)
from chibo.orgs.scope import compute_scope

# ---------------------------------------------------------------------------------------------


def _person_names(full_name: str) -> tuple[str, str]:
    """(first_name, last_name) so that User.get_full_name() reads "Nguyễn Văn An": Django puts
    first_name first. The given name goes in last_name, which also makes the admin's
    last-name ordering the Vietnamese one (by given name)."""
    family_and_middle, _, given = full_name.rpartition(" ")
    return family_and_middle, given


def _check_usernames() -> None:
    """Demo logins that already exist must have been created by an earlier demo run: never take
    over (and reset the password of) someone's real account."""
    known = demo_user_ids()
    existing = dict(
        get_user_model()
        .objects.filter(username__in=list(DEMO_LOGINS))
        .values_list("username", "pk")
    )
    foreign = sorted(name for name, pk in existing.items() if known.get(name) != pk)
    if foreign:
        raise DemoError(
            "These logins exist and were not created by seed_demo: "
            + ", ".join(foreign)
            + ". Rename or remove them first."
        )


def _save_user(username: str, password_hash: str, *, full_name: str, admin: bool) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first() or user_model(username=username)
    user.first_name, user.last_name = _person_names(full_name)
    user.is_superuser = user.is_staff = admin
    user.is_active = True
    user.email = f"{username}@example.com"
    user.password = password_hash
    user.save()
    return user


@transaction.atomic
def seed(*, password: str, today: datetime.date | None = None) -> SeedResult:
    """Create the demo province with its ward, commune and bloc, about 2,000 members, their
    positions and the demo logins. Refuses if the demo province already exists."""
    if find_demo_root() is not None:
        raise DemoError("The demo data already exists.")
    _check_usernames()
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    # One hash for every demo login: argon2 is slow on purpose and they share the password.
    password_hash = make_password(password)
    actor = _save_user(ADMIN, password_hash, full_name="Quản trị hệ thống", admin=True)
    builder = Builder(actor=actor, today=today, rng=rng)
    tree = builder.build_tree()
    builder.members()
    builder.leadership(tree)
    users = {
        username: _save_user(
            username, password_hash, full_name=draft.values["full_name"], admin=False
        )
        for username, draft in builder.logins.items()
    }
    members, events, positions = builder.save(users)
    root = tree["root"]

    meetings = meeting_demo.seed(actor=actor, today=today)

    lifecycle = lifecycle_demo.seed(actor=actor, root=root, today=today)
    directive_demo.seed(actor=actor, root=root, today=today)
    proposal_demo.seed(actor=actor, root=root, today=today)
    supervision_demo.seed(actor=actor, root=root, today=today)
    audit.record(
        actor=actor,
        code="demo.seeded",
        target=root,
        organization=root,
        changes={
            "organizations": [None, builder.org_count],
            "members": [None, members],
            "member_events": [None, events],
            "positions": [None, positions],
            "meetings": [None, meetings.meetings],
            "candidates": [None, lifecycle.candidates],
            "dues_payments": [None, lifecycle.dues_payments],
            "badges": [None, lifecycle.badges],
            "transfers": [None, lifecycle.transfers],
            "residence_links": [None, lifecycle.residence_links],
            "member_reviews": [None, lifecycle.member_reviews],
            "logins": [None, {name: user.pk for name, user in ({ADMIN: actor} | users).items()}],
        },
        note=f"Dữ liệu mẫu (hạt giống {SEED}), tạo ngày {today:%d/%m/%Y}",
    )
    return SeedResult(
        root=root,
        organizations=builder.org_count,
        members=members,
        events=events,
        positions=positions,
        meetings=meetings.meetings,
    )


def seed_meetings(today: datetime.date | None = None) -> int:
    """Past meetings for demo cells that have none yet (a demo seeded before meetings existed,
    or on an earlier day); returns how many were created."""

    admin_id = demo_user_ids().get(ADMIN)
    admin = get_user_model().objects.filter(pk=admin_id).first() if admin_id else None
    if admin is None:
        return 0
    return meeting_demo.seed(actor=admin, today=today).meetings


@transaction.atomic
def delete(root: Organization) -> None:
    """Delete the demo tree: its members (with their history and positions), the positions in
    it and its units. Demo logins stay (they are re-linked by the next seed); the audit log
    stays too, as it always does."""

    supervision_demo.delete(root)
    proposal_demo.delete(root)
    lifecycle_demo.delete(root)
    directive_demo.delete(root)
    meeting_demo.delete(root)
    subtree = Organization.objects.filter(path__startswith=root.path)
    members = Member.objects.filter(cell__in=subtree)
    MemberEvent.objects.filter(member__in=members).delete()
    Position.objects.filter(organization__in=subtree).delete()
    members.delete()
    Organization.objects.get(pk=root.pk).delete()


@transaction.atomic
def reset_logins(root: Organization, password: str) -> list[str]:
    """Give the demo logins the demo password again (and clear login lockouts); returns the
    usernames that no longer exist."""

    known = demo_user_ids()
    user_model = get_user_model()
    users = {
        user.username: user
        for user in user_model.objects.filter(username__in=list(DEMO_LOGINS))
        if known.get(user.username) == user.pk
    }
    password_hash = make_password(password)
    for user in users.values():
        user.password = password_hash
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        reset_lockouts(username=user.username)
    audit.record(
        actor=users.get(ADMIN),
        code="demo.logins_reset",
        target=root,
        organization=root,
        changes={"logins": [None, sorted(users)]},
    )
    return [name for name in DEMO_LOGINS if name not in users]


# -- what the command prints -------------------------------------------------------------------


@dataclass(frozen=True)
class LoginRow:
    username: str
    who: str
    can_see: str


def _subtree_summary(path: str) -> str:
    organization = Organization.objects.get(path=path)
    cells = Organization.objects.filter(path__startswith=path, kind__in=CELL_KINDS).count()
    members = Member.objects.filter(cell__path__startswith=path, status__in=ACTIVE_STATUSES).count()
    if organization.is_cell:
        return f"{organization.name} ({members} members)"
    return f"{organization.name} ({cells} cells, {members:,} members)"


def login_rows() -> list[LoginRow]:
    """One row per demo login: who it is and what its scope (core.scope) lets it see."""
    known = demo_user_ids()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=list(DEMO_LOGINS))
        if known.get(user.username) == user.pk
    }
    rows = []
    for username, label in DEMO_LOGINS.items():
        user = users.get(username)
        if user is None:
            rows.append(LoginRow(username, label, "(missing: run seed_demo --reset)"))
            continue
        name = user.get_full_name()
        scope = compute_scope(user)
        if scope.is_admin:
            rows.append(LoginRow(username, f"{label}: {name}", "everything"))
            continue
        member = Member.objects.filter(user=user).select_related("cell").first()
        if member is None:
            rows.append(LoginRow(username, f"{label}: {name}", "nothing (no member record)"))
            continue
        seen = []
        for path in scope.read_paths:
            summary = _subtree_summary(path)
            seen.append(summary + (", manages" if path in scope.manage_paths else ""))
        if scope.own_cell_id and not any(
            member.cell.path.startswith(path) for path in scope.read_paths
        ):
            seen.append(f"own cell {member.cell.name}")
        can_see = "; ".join(seen) if seen else f"own record, own cell {member.cell.name}"
        rows.append(LoginRow(username, f"{label}: {name}", can_see))
    return rows


def summary_lines(root: Organization) -> list[str]:
    """Counts by level, for the command's output."""
    lines = []
    for child in Organization.objects.get_children(root):
        cells = Organization.objects.filter(path__startswith=child.path, kind__in=CELL_KINDS)
        members = Member.objects.filter(cell__path__startswith=child.path)
        on_rolls = members.filter(status__in=ACTIVE_STATUSES).count()
        committees = Organization.objects.filter(
            path__startswith=child.path, kind=OrganizationKind.GRASSROOTS_COMMITTEE
        ).count()
        parts = [f"{cells.count()} cells"]
        if committees:
            parts.insert(0, f"{committees} grassroots committees")
        lines.append(
            f"  {child.code:<8} {child.name}: {', '.join(parts)}, {on_rolls:,} members on the "
            f"rolls ({members.count():,} records with history)"
        )
    return lines
