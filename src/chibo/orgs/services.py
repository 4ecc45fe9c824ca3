"""Every change to the organization tree and to positions. One transaction, one audit entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.signals import send_subtree_changed
from chibo.core.text import fold
from chibo.orgs import size_rules
from chibo.orgs.models import (
    ALLOWED_CHILDREN,
    ORG_CODE_RE,
    Organization,
    OrganizationEvent,
    OrganizationEventKind,
    Position,
    Role,
)

ORG_FIELDS = ("name", "kind", "cell_type", "code", "address", "active_from", "active_to")


def _check_kind(*, parent: Organization | None, kind: str) -> None:
    allowed = ALLOWED_CHILDREN.get(parent.kind if parent else None, frozenset())
    if kind not in allowed:
        raise ServiceError(
            _("A unit of this kind cannot be placed directly under %(parent)s.")
            % {"parent": parent.name if parent else _("the top of the tree")}
        )


def code_shape_warning(code: str) -> str:
    """Why `code` may be mistyped ("" if it fits): the shape M1.M2.M3.M4.M5 is a third-party
    reading of 208-QĐ/TW (DOMAIN R6.7, unsure), so a code off that shape is a warning shown to
    the user, never a refusal."""
    if ORG_CODE_RE.match(code):
        return ""
    return _(
        "The code %(code)s does not follow the shape M1.M2.M3.M4.M5 (for example "
        "38.168.053.000.001), an unconfirmed reading of Quy định 208-QĐ/TW; it was saved as "
        "typed. Check it if the unit uses that numbering."
    ) % {"code": code}


def _check_code(*, code: str, exclude_pk: int | None = None) -> None:
    # Only what the register needs: a code, and one unit per code. The shape is a warning
    # (code_shape_warning).
    if not code or any(character.isspace() for character in code):
        raise ServiceError(_("Enter the organization code, without spaces."))
    clash = Organization.objects.filter(code=code)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ServiceError(_("Another unit already has the code %(code)s.") % {"code": code})


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    parent: Organization | None,
    name: str,
    kind: str,
    code: str,
    cell_type: str = "",
    address: str = "",
    active_from: datetime.date | None = None,
) -> Organization:
    """Create a unit under `parent` (None: a new province at the top of the tree)."""
    _check_kind(parent=parent, kind=kind)
    _check_code(code=code)
    fields = {
        "name": name.strip(),
        "name_search": fold(name),
        "kind": kind,
        "code": code,
        "cell_type": cell_type,
        "address": address,
        "active_from": active_from or timezone.localdate(),
    }
    if parent is None:
        organization = Organization.objects.add_root(fields)
    else:
        organization = Organization.objects.add_child(parent, fields)
    OrganizationEvent.objects.create(
        organization=organization,
        kind=OrganizationEventKind.CREATED,
        effective_date=organization.active_from,
        new_parent_name=parent.name if parent else "",
        new_code=code,
    )
    audit.record(
        actor=actor,
        code="organization.created",
        target=organization,
        organization=organization,
        changes={
            name: [None, value] for name, value in audit.snapshot(organization, ORG_FIELDS).items()
        },
    )
    # Units are kept in code order: one created before its siblings renumbers their paths.
    siblings = Organization.objects.get_siblings(organization).exclude(pk=organization.pk)
    if siblings.filter(code__gt=code).exists():
        send_subtree_changed([parent.pk if parent is not None else None])
    return organization


@transaction.atomic
def organization_update(*, actor: Any, organization: Organization, **values: Any) -> Organization:
    """Change a unit's name, cell type, code, meeting place or active period."""
    before = audit.snapshot(organization, ORG_FIELDS)
    if "kind" in values and values["kind"] != organization.kind:
        parent = Organization.objects.get_parent(organization)
        _check_kind(parent=parent, kind=values["kind"])
    if "code" in values and values["code"] != organization.code:
        _check_code(code=values["code"], exclude_pk=organization.pk)
    for name, value in values.items():
        if name not in ORG_FIELDS:
            raise ValueError(f"not an editable field: {name}")
        setattr(organization, name, value)
    if organization.active_to and organization.active_to < organization.active_from:
        raise ServiceError(_("A unit cannot end before it starts."))
    changes = audit.changes_between(before, audit.snapshot(organization, ORG_FIELDS))
    if not changes:
        return organization
    update_fields = list(changes)
    if "name" in changes:
        organization.name_search = fold(organization.name)
        update_fields.append("name_search")
    organization.save(update_fields=update_fields)
    OrganizationEvent.objects.create(
        organization=organization,
        kind=OrganizationEventKind.UPDATED,
        effective_date=timezone.localdate(),
        old_code=before["code"] if "code" in changes else "",
        new_code=organization.code if "code" in changes else "",
        reason=", ".join(sorted(changes)),
    )
    audit.record(
        actor=actor,
        code="organization.updated",
        target=organization,
        organization=organization,
        changes=changes,
    )
    if "kind" in changes or "cell_type" in changes:
        send_subtree_changed([organization.pk])
    return organization


def _recode(code: str, old_prefix: str, new_prefix: str) -> str:
    return new_prefix + code[len(old_prefix) :] if code.startswith(old_prefix) else code


@transaction.atomic
def organization_move(
    *,
    actor: Any,
    organization: Organization,
    new_parent: Organization,
    new_code: str,
    effective_date: datetime.date,
    reason: str,
) -> Organization:
    """Move a unit and its whole subtree under `new_parent` (units merge, a commune is
    reorganised). The unit gets `new_code`; every descendant whose code starts with the old
    code gets the new prefix. Each moved unit keeps its old superior and old code in its history."""
    organization.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.pk == organization.pk or new_parent.path.startswith(organization.path):
        raise ServiceError(_("A unit cannot be moved under itself or one of its own units."))
    if not reason.strip():
        raise ServiceError(_("Give the reason for the move (for example the merger decision)."))
    _check_kind(parent=new_parent, kind=organization.kind)
    old_parent = Organization.objects.get_parent(organization)
    old_code = organization.code
    subtree = list(Organization.objects.get_tree(organization))
    if new_code != old_code:
        _check_code(code=new_code, exclude_pk=organization.pk)
        renamed = {unit.pk: _recode(unit.code, old_code, new_code) for unit in subtree}
        clashes = (
            Organization.objects.filter(code__in=list(renamed.values()))
            .exclude(pk__in=list(renamed))
            .values_list("code", flat=True)
        )
        if clashes:
            raise ServiceError(
                _("Another unit already has the code %(code)s.") % {"code": clashes[0]}
            )
    else:
        renamed = {unit.pk: unit.code for unit in subtree}
    Organization.objects.move(organization, new_parent, pos="sorted-child")
    events = []
    for unit in subtree:
        events.append(
            OrganizationEvent(
                organization=unit,
                kind=OrganizationEventKind.MOVED,
                effective_date=effective_date,
                old_parent_name=(old_parent.name if old_parent else "")
                if unit.pk == organization.pk
                else "",
                new_parent_name=new_parent.name if unit.pk == organization.pk else "",
                old_code=unit.code,
                new_code=renamed[unit.pk],
                reason=reason,
            )
        )
    OrganizationEvent.objects.bulk_create(events)
    # Codes change in two steps so that swapping codes inside the subtree never clashes.
    moved = list(Organization.objects.filter(pk__in=list(renamed)))
    for unit in moved:
        unit.code = f"~{unit.pk}"
    Organization.objects.bulk_update(moved, ["code"])
    for unit in moved:
        unit.code = renamed[unit.pk]
    Organization.objects.bulk_update(moved, ["code"])
    organization.refresh_from_db()
    audit.record(
        actor=actor,
        code="organization.moved",
        target=organization,
        organization=organization,
        changes={
            "parent": [old_parent.pk if old_parent else None, new_parent.pk],
            "code": [old_code, organization.code],
        },
        note=reason,
    )
    # The old superior's subtree lost the unit; the new one's gained it (and its siblings
    # may have been renumbered to keep code order).
    send_subtree_changed([old_parent.pk if old_parent else None, new_parent.pk])
    return organization


@transaction.atomic
def position_assign(
    *,
    actor: Any,
    member: Any,
    organization: Organization,
    role: str,
    start_date: datetime.date,
    note: str = "",
) -> Position:
    """Give a member a role in an organization from `start_date`."""
    if role not in Role.values:
        raise ServiceError(_("Unknown role."))
    # Cell leadership is elected among the cell's own members (Charter Art. 24.4).
    cell_leadership = role in (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER)
    if cell_leadership and organization.is_cell and member.cell_id != organization.pk:
        raise ServiceError(
            _("Only a member of %(cell)s can hold this position in it.")
            % {"cell": organization.name}
        )
    size_rules.check_position(organization=organization, member=member, role=role, on=start_date)
    if role == Role.SECRETARY:
        clash = Position.objects.filter(
            organization=organization, role=Role.SECRETARY, end_date__isnull=True
        ).exclude(member=member)
        if clash.exists():
            raise ServiceError(
                _("%(org)s already has a secretary; end that position first.")
                % {"org": organization.name}
            )
    if Position.objects.filter(
        member=member, organization=organization, role=role, end_date__isnull=True
    ).exists():
        raise ServiceError(_("This member already holds this position."))
    position = Position.objects.create(
        member=member, organization=organization, role=role, start_date=start_date, note=note
    )
    audit.record(
        actor=actor,
        code="position.assigned",
        target=position,
        organization=organization,
        changes={
            "member": [None, member.pk],
            "role": [None, role],
            "start_date": [None, start_date.isoformat()],
        },
    )
    return position


@transaction.atomic
def position_end(*, actor: Any, position: Position, end_date: datetime.date) -> Position:
    """End a position on `end_date` (the record stays as history)."""
    if position.end_date is not None:
        raise ServiceError(_("This position has already ended."))
    if end_date < position.start_date:
        raise ServiceError(_("A position cannot end before it starts."))
    position.end_date = end_date
    position.save(update_fields=["end_date"])
    audit.record(
        actor=actor,
        code="position.ended",
        target=position,
        organization=position.organization,
        changes={"end_date": [None, end_date.isoformat()]},
    )
    return position
