"""State changes of the member's personal data pages (issue 14, Nghị định 13/2023/NĐ-CP): the
audit of a member's own-data download, and correction requests, which reach the register
keepers by notification (so they live here, above notify: members cannot import it)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.rules import ancestor_paths
from chibo.members.models import (
    ACTIVE_STATUSES,
    CorrectionRequest,
    CorrectionSection,
    CorrectionStatus,
    Member,
)
from chibo.notify.services import notify_users
from chibo.orgs.models import MANAGING_ROLES, Position

EXPORT_FORMATS = frozenset({"json", "pdf"})


def personal_data_exported(*, actor: Any, member: Member, fmt: str) -> None:
    """Audit that the member downloaded their own data (which format only: no content)."""
    audit.record(
        actor=actor,
        code="personal_data.exported",
        target=member,
        organization=member.cell,
        changes={"format": fmt},
    )


def correction_keepers(member: Member, *, exclude_user_id: int | None = None) -> list[Any]:
    """The users who keep the member's register and hear of a correction request: the
    secretary, deputies and organisation staff (orgs.MANAGING_ROLES) of the nearest unit, from
    the member's cell upwards, that has one with a login (members.access: they may change the
    record). The nearest level only: the ward's staff are not told of every typo in a cell
    that has its own secretary; they still see every request of their subtree in the list."""
    positions = (
        Position.objects.current()
        .filter(
            organization__path__in=ancestor_paths(member.cell.path),
            role__in=MANAGING_ROLES,
            member__user__isnull=False,
            member__user__is_active=True,
            member__status__in=ACTIVE_STATUSES,
        )
        .exclude(member__user_id=exclude_user_id)
        .select_related("member__user", "organization")
        .order_by("-organization__depth")
    )
    keepers: list[Any] = []
    depth = None
    for position in positions:
        if depth is not None and position.organization.depth != depth:
            break
        depth = position.organization.depth
        keepers.append(position.member.user)
    return keepers


@transaction.atomic
def correction_request_create(
    *,
    actor: Any,
    member: Member,
    section: str,
    field_label: str = "",
    wrong_text: str,
    correct_text: str,
) -> CorrectionRequest:
    """A member asks for their data to be corrected (Nghị định 13/2023/NĐ-CP Art. 9.5); the
    register keepers of their cell are notified."""
    if section not in CorrectionSection.values:
        raise ServiceError(_("Choose which part of your data is wrong."))
    if not wrong_text.strip() or not correct_text.strip():
        raise ServiceError(_("Say what is wrong and what it should be."))
    request = CorrectionRequest.objects.create(
        member=member,
        section=section,
        field_label=field_label.strip(),
        wrong_text=wrong_text.strip(),
        correct_text=correct_text.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="correction_request.created",
        target=request,
        organization=member.cell,
        changes={"section": section},
    )
    notify_users(
        users=correction_keepers(member, exclude_user_id=getattr(actor, "pk", None)),
        code="correction.requested",
        title=_("A member asks for a correction of their data: %(name)s")
        % {"name": member.full_name},
        url=reverse("accounts:correction", args=[request.pk]),
    )
    return request


@transaction.atomic
def correction_request_answer(
    *, actor: Any, correction: CorrectionRequest, status: str, answer: str
) -> CorrectionRequest:
    """A register keeper closes a correction request as corrected or rejected, with an answer
    the member reads in their handbook (and is notified of)."""
    correction = (
        # Lock the request row only (the member's user is on the nullable side of a join).
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("member__cell", "member__user")
        .get(pk=correction.pk)
    )
    if not correction.is_open:
        raise ServiceError(_("This request has already been answered."))
    if status not in (CorrectionStatus.DONE, CorrectionStatus.REJECTED):
        raise ServiceError(_("Choose whether the data was corrected or the request rejected."))
    if not answer.strip():
        raise ServiceError(_("Write an answer to the member."))
    correction.status = status
    correction.answer = answer.strip()
    correction.handled_by = actor if getattr(actor, "is_authenticated", False) else None
    correction.handled_at = timezone.now()
    correction.save(update_fields=["status", "answer", "handled_by", "handled_at"])
    audit.record(
        actor=actor,
        code="correction_request.answered",
        target=correction,
        organization=correction.member.cell,
        changes={"status": status},
    )
    member_user = correction.member.user
    if member_user is not None:
        notify_users(
            users=[member_user],
            code="correction.answered",
            title=_("Your request for a correction of your data was answered."),
            url=reverse("accounts:handbook") + "#personal-data",
        )
    return correction
