"""Every change to directives: issuing, forwarding with guidance, members marking them read,
and the dissemination recorded when a cell's meeting is signed (called by meetings).

Each is one transaction with an audit entry; a refusal is a ServiceError with a clear
sentence and changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.uploads import check_stored
from chibo.directives import access
from chibo.directives.models import (
    Directive,
    DirectiveAttachment,
    DirectiveDelivery,
    DirectiveRead,
    TargetMode,
)
from chibo.notify.services import notify_users
from chibo.orgs.models import (
    CELL_KINDS,
    COMMITTEE_KINDS,
    MANAGING_ROLES,
    CellType,
    Organization,
    Position,
)
from chibo.orgs.scope import scope_for

RECEIVED_CODE = "directive.received"


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def target_cell_ids(
    root: Organization,
    *,
    target_mode: str,
    units: Collection[Organization] = (),
    cell_types: Collection[str] = (),
) -> list[int]:
    """The active cells of `root`'s subtree the target names. Refuses units outside the
    subtree, an empty choice, and a target no cell matches."""
    today = timezone.localdate()
    cells = Organization.objects.filter(
        Q(active_to__isnull=True) | Q(active_to__gte=today),
        path__startswith=root.path,
        kind__in=CELL_KINDS,
    )
    if target_mode == TargetMode.UNITS:
        if not units:
            raise ServiceError(_("Choose the units that receive the directive."))
        outside = [unit.name for unit in units if not unit.path.startswith(root.path)]
        if outside:
            raise ServiceError(
                _("%(units)s is not under %(issuer)s.")
                % {"units": ", ".join(outside), "issuer": root.name}
            )
        query = Q()
        for unit in units:
            query |= Q(path__startswith=unit.path)
        cells = cells.filter(query)
    elif target_mode == TargetMode.CELL_TYPES:
        chosen = [code for code in cell_types if code in CellType.values]
        if not chosen:
            raise ServiceError(_("Choose the types of cell that receive the directive."))
        cells = cells.filter(cell_type__in=chosen)
    elif target_mode != TargetMode.SUBTREE:
        raise ServiceError(_("Choose who receives the directive."))
    ids = list(cells.values_list("pk", flat=True))
    if not ids:
        raise ServiceError(_("No cell would receive the directive: choose other recipients."))
    return ids


def _keeper_users(cell_ids: Collection[int]) -> list[Any]:
    """The users of the secretaries, deputies and organisation staff of the cells (one query)."""
    positions = (
        Position.objects.current()
        .filter(organization_id__in=cell_ids, role__in=MANAGING_ROLES, member__user__isnull=False)
        .select_related("member__user")
    )
    return [position.member.user for position in positions]


def _tell_cells(directive: Directive, cell_ids: Collection[int], *, via: Directive | None) -> int:
    with override(settings.LANGUAGE_CODE):
        sender = via.issuer.name if via is not None else directive.issuer.name
        title = _("New directive from %(issuer)s: %(number)s — %(subject)s") % {
            "issuer": sender,
            "number": directive.number_symbol,
            "subject": directive.subject,
        }
        body = ""
        if directive.must_disseminate and directive.disseminate_by:
            body = _("To be disseminated at a cell meeting by %(date)s.") % {
                "date": directive.disseminate_by.strftime("%d/%m/%Y")
            }
    return notify_users(
        users=_keeper_users(cell_ids),
        code=RECEIVED_CODE,
        title=title,
        body=body,
        url=reverse("directives:detail", args=[directive.pk]),
    )


def directive_issue(
    *,
    actor: Any,
    issuer: Organization,
    number_symbol: str,
    issued_on: datetime.date,
    subject: str,
    body: str = "",
    must_disseminate: bool = True,
    disseminate_by: datetime.date | None = None,
    target_mode: str = TargetMode.SUBTREE,
    units: Collection[Organization] = (),
    cell_types: Collection[str] = (),
    attachments: Iterable[Any] = (),
) -> Directive:
    """Issue a directive from a committee to cells of its subtree: the whole subtree, chosen
    units (every cell below each), or cells of chosen types. Each receiving cell gets a
    delivery and its keepers a notification."""
    today = timezone.localdate()
    number_symbol = _clean(number_symbol)
    subject = _clean(subject)
    if issuer.kind not in COMMITTEE_KINDS:
        raise ServiceError(_("Directives are issued by a party committee."))
    if not access.may_issue_for(actor, issuer):
        raise ServiceError(
            _(
                "Only the secretaries, deputies and organisation staff of %(unit)s issue its "
                "directives."
            )
            % {"unit": issuer.name}
        )
    if not number_symbol:
        raise ServiceError(_("Give the number and symbol of the directive."))
    if not subject:
        raise ServiceError(_("Give the subject of the directive."))
    if issued_on is None or issued_on > today:
        raise ServiceError(_("The date issued cannot be in the future."))
    if must_disseminate:
        if disseminate_by is None:
            raise ServiceError(_("Give the date by which the cells must disseminate it."))
        if disseminate_by < today:
            raise ServiceError(_("The deadline for dissemination is already past."))
        if disseminate_by < issued_on:
            raise ServiceError(_("The deadline for dissemination is before the date issued."))
    else:
        disseminate_by = None
    uploads = check_stored(attachments)
    cell_ids = target_cell_ids(issuer, target_mode=target_mode, units=units, cell_types=cell_types)
    with transaction.atomic():
        if Directive.objects.filter(
            issuer=issuer,
            forwarded_from__isnull=True,
            number_symbol__iexact=number_symbol,
            issued_on__year=issued_on.year,
        ).exists():
            raise ServiceError(
                _("%(unit)s already issued a directive numbered %(number)s in %(year)s.")
                % {"unit": issuer.name, "number": number_symbol, "year": issued_on.year}
            )
        directive = Directive.objects.create(
            issuer=issuer,
            number_symbol=number_symbol,
            issued_on=issued_on,
            subject=subject,
            body=(body or "").strip(),
            must_disseminate=must_disseminate,
            disseminate_by=disseminate_by,
            target_mode=target_mode,
            target_cell_types=sorted(set(cell_types))
            if target_mode == TargetMode.CELL_TYPES
            else [],
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if target_mode == TargetMode.UNITS:
            directive.target_units.set(units)
        now = timezone.now()
        DirectiveDelivery.objects.bulk_create(
            [
                DirectiveDelivery(directive=directive, cell_id=pk, delivered_at=now)
                for pk in cell_ids
            ]
        )
        for upload in uploads:
            DirectiveAttachment.objects.create(
                directive=directive,
                title=(upload.name or "").rsplit("/", 1)[-1][:200],
                file=upload,
                content_type=upload.content_type,
                size=upload.size,
            )
        audit.record(
            actor=actor,
            code="directive.issued",
            target=directive,
            organization=issuer,
            changes={
                "number_symbol": [None, number_symbol],
                "cells": len(cell_ids),
                "attachments": len(uploads),
            },
        )
        _tell_cells(directive, cell_ids, via=None)
    return directive


def directive_forward(
    *,
    actor: Any,
    directive: Directive,
    forwarder: Organization,
    guidance: str,
    number_symbol: str = "",
    target_mode: str = TargetMode.SUBTREE,
    units: Collection[Organization] = (),
    cell_types: Collection[str] = (),
) -> Directive:
    """A committee below the issuer passes the directive on to cells of its own subtree with
    its guidance. Cells that already had it get the guidance; the others receive it now. The
    deliveries stay those of the original, so the issuer's coverage counts them."""
    original = directive.original
    guidance = (guidance or "").strip()
    number_symbol = _clean(number_symbol)
    if Directive.objects.filter(forwarded_from=original, issuer=forwarder).exists():
        raise ServiceError(
            _("%(unit)s has already forwarded this directive.") % {"unit": forwarder.name}
        )
    if actor is not None and forwarder not in access.forward_units(actor, original):
        raise ServiceError(
            _(
                "%(unit)s cannot forward this directive: it is not a committee of yours that "
                "received it."
            )
            % {"unit": forwarder.name}
        )
    if forwarder.kind not in COMMITTEE_KINDS or forwarder.path == original.issuer.path:
        raise ServiceError(_("Only a committee below the issuer forwards a directive."))
    if not forwarder.path.startswith(original.issuer.path):
        raise ServiceError(_("Only a committee below the issuer forwards a directive."))
    if not guidance:
        raise ServiceError(_("Write the guidance that goes with the directive."))
    cell_ids = target_cell_ids(
        forwarder, target_mode=target_mode, units=units, cell_types=cell_types
    )
    with transaction.atomic():
        if Directive.objects.filter(forwarded_from=original, issuer=forwarder).exists():
            raise ServiceError(
                _("%(unit)s has already forwarded this directive.") % {"unit": forwarder.name}
            )
        forward = Directive.objects.create(
            issuer=forwarder,
            number_symbol=number_symbol,
            issued_on=timezone.localdate(),
            subject=original.subject,
            must_disseminate=original.must_disseminate,
            disseminate_by=original.disseminate_by,
            forwarded_from=original,
            guidance=guidance,
            target_mode=target_mode,
            target_cell_types=sorted(set(cell_types))
            if target_mode == TargetMode.CELL_TYPES
            else [],
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if target_mode == TargetMode.UNITS:
            forward.target_units.set(units)
        had = set(
            DirectiveDelivery.objects.filter(directive=original, cell_id__in=cell_ids).values_list(
                "cell_id", flat=True
            )
        )
        DirectiveDelivery.objects.filter(directive=original, cell_id__in=had).update(via=forward)
        now = timezone.now()
        DirectiveDelivery.objects.bulk_create(
            [
                DirectiveDelivery(directive=original, cell_id=pk, via=forward, delivered_at=now)
                for pk in cell_ids
                if pk not in had
            ]
        )
        audit.record(
            actor=actor,
            code="directive.forwarded",
            target=forward,
            organization=forwarder,
            changes={
                "directive": original.pk,
                "cells": len(cell_ids),
                "new": len(cell_ids) - len(had),
            },
        )
        _tell_cells(original, cell_ids, via=forward)
    return forward


def directive_mark_read(*, actor: Any, directive: Directive) -> DirectiveRead:
    """A member of a receiving cell marks the directive's documents read (once)."""
    original = directive.original
    scope = scope_for(actor)
    if scope.member_id is None or scope.own_cell_id is None:
        raise ServiceError(_("Only members of a receiving cell mark a directive read."))
    if not DirectiveDelivery.objects.filter(directive=original, cell_id=scope.own_cell_id).exists():
        raise ServiceError(_("Only members of a receiving cell mark a directive read."))
    with transaction.atomic():
        read, created = DirectiveRead.objects.get_or_create(
            directive=original, member_id=scope.member_id
        )
        if created:
            audit.record(
                actor=actor,
                code="directive.read",
                target=read,
                organization=None,
                changes={"directive": original.pk},
            )
    return read


def disseminations_record(
    *, meeting: Any, deliveries: Iterable[DirectiveDelivery], actor: Any = None
) -> int:
    """Record that the signed `meeting` of a cell disseminated these deliveries (its agenda
    carried them). Deliveries of another cell, or already recorded, are left as they are.
    Returns how many were recorded. Runs inside the caller's transaction (the signing)."""
    ids = [delivery.pk for delivery in deliveries]
    rows = list(
        DirectiveDelivery.objects.select_for_update().filter(
            pk__in=ids, cell_id=meeting.organization_id, disseminated_meeting__isnull=True
        )
    )
    if not rows:
        return 0
    with transaction.atomic():
        DirectiveDelivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            disseminated_meeting=meeting, disseminated_on=meeting.date
        )
        for row in rows:
            audit.record(
                actor=actor,
                code="directive.disseminated",
                target=row,
                organization=meeting.organization,
                changes={"meeting": meeting.pk, "disseminated_on": meeting.date.isoformat()},
            )
    return len(rows)
