"""Every change to the member register. One transaction, one audit entry each."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.text import fold, name_sort_key
from chibo.members.models import Member, MemberEvent, MemberStatus
from chibo.orgs.models import Organization

# Fields a register keeper edits directly. Status and cell change only through events.
IDENTITY_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "ethnicity",
    "religion",
    "home_town",
    "residence_address",
    "general_education",
    "professional_qualification",
    "political_theory",
    "occupation",
    "party_card_number",
    "admission_decision_date",
    "ceremony_date",
    "official_date",
    "phone",
    "email",
    "notes",
)


def check_member_dates(values: dict[str, Any], *, today: datetime.date | None = None) -> None:
    """Refuse dates that cannot be true together, with one clear sentence each."""
    today = today or timezone.localdate()
    birth = values.get("birth_date")
    decision = values.get("admission_decision_date")
    ceremony = values.get("ceremony_date")
    official = values.get("official_date")
    if birth and birth > today:
        raise ServiceError(_("The date of birth cannot be in the future."))
    for label, day in (
        (_("admission decision date"), decision),
        (_("admission ceremony date"), ceremony),
        (_("official recognition date"), official),
    ):
        if day and day > today:
            raise ServiceError(_("The %(field)s cannot be in the future.") % {"field": label})
        if day and birth and day <= birth:
            raise ServiceError(
                _("The %(field)s must be after the date of birth.") % {"field": label}
            )
    if decision and ceremony and ceremony < decision:
        raise ServiceError(_("The admission ceremony cannot be before the admission decision."))
    if ceremony and official and official < ceremony:
        raise ServiceError(_("Official recognition cannot be before the admission ceremony."))
    if official and not ceremony:
        raise ServiceError(_("An official member needs an admission ceremony date."))


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    if "full_name" in cleaned:
        cleaned["full_name"] = " ".join(str(cleaned["full_name"]).split())
    if "party_card_number" in cleaned:
        card = (cleaned["party_card_number"] or "").strip()
        cleaned["party_card_number"] = card or None
    return cleaned


def _apply_name(member: Member) -> None:
    member.name_sort_key = name_sort_key(member.full_name)
    member.name_search = fold(member.full_name)


def initial_status(values: dict[str, Any]) -> str:
    """Official once recognised, probationary before (Charter Art. 5)."""
    return MemberStatus.OFFICIAL if values.get("official_date") else MemberStatus.PROBATIONARY


@transaction.atomic
def member_create(
    *,
    actor: Any,
    cell: Organization,
    status: str | None = None,
    status_date: datetime.date | None = None,
    **values: Any,
) -> Member:
    """Register a member in `cell`. The first status event is written with the record."""
    if not cell.is_cell:
        raise ServiceError(_("Members are registered in a party cell."))
    values = _normalise(values)
    unknown = set(values) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"not member fields: {sorted(unknown)}")
    if not values.get("full_name"):
        raise ServiceError(_("The full name is required."))
    check_member_dates(values)
    card = values.get("party_card_number")
    if card and Member.objects.filter(party_card_number=card).exists():
        raise ServiceError(
            _("Another member already has party card number %(card)s.") % {"card": card}
        )
    status = status or initial_status(values)
    member = Member(cell=cell, status=status, **values)
    _apply_name(member)
    member.save()
    MemberEvent.objects.create(
        member=member,
        status=status,
        cell=cell,
        effective_date=status_date
        or values.get("official_date")
        or values.get("ceremony_date")
        or timezone.localdate(),
        reason=_("Registered in chibo"),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="member.created",
        target=member,
        organization=cell,
        changes={"cell": [None, cell.pk], "status": [None, status]},
    )
    return member


@transaction.atomic
def member_update(
    *, actor: Any, member: Member, version: int | None = None, **values: Any
) -> Member:
    """Change a member's identity fields. `version` is the version the user saw: if someone
    else saved the record in between, nothing is changed and the user is told."""
    values = _normalise(values)
    unknown = set(values) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"not member fields: {sorted(unknown)}")
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if version is not None and locked.version != version:
        raise ServiceError(
            _("Someone else changed this record while you were editing it. Reload and try again.")
        )
    before = audit.snapshot(locked, IDENTITY_FIELDS)
    merged = {**before, **{k: getattr(locked, k) for k in IDENTITY_FIELDS}, **values}
    check_member_dates(merged)
    card = values.get("party_card_number")
    if card and Member.objects.filter(party_card_number=card).exclude(pk=locked.pk).exists():
        raise ServiceError(
            _("Another member already has party card number %(card)s.") % {"card": card}
        )
    for name, value in values.items():
        setattr(locked, name, value)
    changes = audit.changes_between(before, audit.snapshot(locked, IDENTITY_FIELDS))
    if not changes:
        return locked
    update_fields = [*changes, "version", "updated_at"]
    if "full_name" in changes:
        _apply_name(locked)
        update_fields += ["name_sort_key", "name_search"]
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=update_fields)
    audit.record(
        actor=actor, code="member.updated", target=locked, organization=locked.cell, changes=changes
    )
    return locked


@transaction.atomic
def member_change_status(
    *,
    actor: Any,
    member: Member,
    status: str,
    effective_date: datetime.date,
    reason: str = "",
    decision_ref: str = "",
    cell: Organization | None = None,
) -> MemberEvent:
    """Record a dated status change (and, for a transfer, the new cell). The earlier events
    stay; the member's current status is the latest event's."""
    if status not in MemberStatus.values:
        raise ServiceError(_("Unknown status."))
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if effective_date > timezone.localdate():
        raise ServiceError(_("A status change cannot take effect in the future."))
    if locked.birth_date and effective_date < locked.birth_date:
        raise ServiceError(_("A status change cannot take effect before the date of birth."))
    latest = locked.events.order_by("-effective_date", "-id").first()
    if latest and effective_date < latest.effective_date:
        raise ServiceError(
            _("The new status must take effect on or after the latest one (%(date)s).")
            % {"date": latest.effective_date.strftime("%d/%m/%Y")}
        )
    if locked.status == MemberStatus.DECEASED:
        raise ServiceError(_("This member is recorded as deceased; no further change is possible."))
    new_cell = cell or locked.cell
    if not new_cell.is_cell:
        raise ServiceError(_("Members are registered in a party cell."))
    if status == MemberStatus.OFFICIAL and not locked.official_date:
        locked.official_date = effective_date
    if (
        status == MemberStatus.OFFICIAL
        and locked.ceremony_date
        and effective_date < locked.ceremony_date
    ):
        raise ServiceError(_("Official recognition cannot be before the admission ceremony."))
    event = MemberEvent.objects.create(
        member=locked,
        status=status,
        effective_date=effective_date,
        cell=new_cell,
        reason=reason,
        decision_ref=decision_ref,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    changes: dict[str, list[Any]] = {"status": [locked.status, status]}
    if new_cell.pk != locked.cell_id:
        changes["cell"] = [locked.cell_id, new_cell.pk]
    locked.status = status
    locked.cell = new_cell
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "cell", "official_date", "version", "updated_at"])
    audit.record(
        actor=actor,
        code="member.status_changed",
        target=locked,
        organization=new_cell,
        changes=changes,
        note=reason,
    )
    return event


@transaction.atomic
def member_link_user(*, actor: Any, member: Member, user: Any) -> Member:
    """Give a member a login (or move the login to another record)."""
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise ServiceError(_("This login already belongs to another member."))
    before = member.user_id
    member.user = user
    member.save(update_fields=["user"])
    audit.record(
        actor=actor,
        code="member.login_linked",
        target=member,
        organization=member.cell,
        changes={"user": [before, user.pk]},
    )
    return member
