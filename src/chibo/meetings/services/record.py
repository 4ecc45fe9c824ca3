"""The record: the wording of the minutes, signatures and their withdrawal, the freeze, and
addenda to signed minutes."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.directives.services import disseminations_record
from chibo.meetings import documents, selectors
from chibo.meetings.documents import files as document_files
from chibo.meetings.models import (
    Addendum,
    Meeting,
    MeetingRecord,
    MeetingScore,
    MeetingStatus,
    Signature,
    SignerRole,
)
from chibo.meetings.services._base import (
    ConflictError,
    meeting_change,
    meeting_url,
    member_users,
    number_record,
    score_tab_url,
)
from chibo.members.models import Member
from chibo.notify.services import notify_users
from chibo.proposals import services as proposal_services
from chibo.proposals.models import Proposal

RECORD_TEXT_FIELDS = (
    "resolution_kind",
    "resolution_subject",
    "opening_text",
    "closing_text",
    "resolution_evaluation",
    "resolution_tasks",
    "resolution_implementation",
)


def record_update(
    *, actor: Any, meeting: Meeting, expected_version: int | None = None, **values: Any
) -> MeetingRecord:
    """The minute-taker edits the wording of the minutes and resolution before signing. The
    facts (attendance, votes, score) are not text and stay as recorded."""
    unknown = set(values) - set(RECORD_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not record fields: {sorted(unknown)}")
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.record_edited",
        live=True,
    ) as change:
        meeting = change.meeting
        if meeting.signatures.filter(addendum__isnull=True).exists():
            raise ServiceError(
                _("Someone has already signed these minutes; the wording can no longer change.")
            )
        record = MeetingRecord.objects.select_for_update().get(meeting=meeting)
        if expected_version is not None and record.version != expected_version:
            raise ConflictError(
                _(
                    "Someone else changed the wording a moment ago. Their text is shown; make "
                    "your change again on top of it."
                )
            )
        kind_changed = (
            "resolution_kind" in values and values["resolution_kind"] != record.resolution_kind
        )
        for name, value in values.items():
            setattr(record, name, value.strip() if isinstance(value, str) else value)
        record.version += 1
        record.save()
        if kind_changed:
            record.resolution_number = None
            record.save(update_fields=["resolution_number"])
            number_record(meeting)
        change.changes = {name: True for name in values}
    return record


def canonical_content(meeting: Meeting) -> dict[str, Any]:
    """Everything the signed documents say, as plain JSON: the fingerprint is its SHA-256."""
    return documents.canonical_content(meeting)


def fingerprint_of(content: dict[str, Any]) -> str:
    return documents.fingerprint_of(content)


def meeting_sign(*, actor: Any, meeting: Meeting, password: str) -> tuple[Meeting, Signature]:
    """Sign the minutes and resolution as chair or as minute-taker, by re-entering the
    password. After both signatures the record is frozen: the content fingerprint is computed,
    the PDF and DOCX are rendered once and kept, and the meeting becomes `signed`."""
    member = Member.objects.filter(user_id=getattr(actor, "pk", 0)).first()
    signed_at = timezone.now()
    prerendered = _prerender_if_last(
        meeting, member=member, actor=actor, password=password, signed_at=signed_at
    )
    with meeting_change(
        meeting,
        actor=actor,
        code=None,  # one entry per role signed, then the freeze's
        allowed=(MeetingStatus.CLOSED,),
        message=_("The minutes can be signed once the meeting is closed."),
    ) as change:
        meeting = change.meeting
        roles = selectors.signer_roles(meeting, member.pk if member else None)
        if not roles:
            raise ServiceError(
                _("Only the chair and the minute-taker of this meeting sign its minutes.")
            )
        if not actor.check_password(password):
            raise ServiceError(_("The password is not correct; nothing was signed."))
        signed_roles = set(
            meeting.signatures.filter(addendum__isnull=True).values_list("role", flat=True)
        )
        todo = [role for role in roles if role not in signed_roles]
        if not todo:
            raise ServiceError(_("You have already signed these minutes."))
        if meeting.score_lines.filter(points__isnull=True).exists():
            raise ServiceError(
                _("Some score criteria have no points yet; complete the score before signing.")
            )
        signature = None
        for role in todo:
            assert member is not None  # a role was found for this member above
            signature = Signature.objects.create(
                meeting=meeting, role=role, member=member, user=actor, signed_at=signed_at
            )
            audit.record(
                actor=actor,
                code="minutes.signed",
                target=meeting,
                organization=meeting.organization,
                changes={"role": role},
            )
        if signed_roles | set(todo) >= {SignerRole.CHAIR, SignerRole.MINUTE_TAKER}:
            _freeze(meeting, actor=actor, prerendered=prerendered)
    assert signature is not None
    return meeting, signature


def _prerender_if_last(
    meeting: Meeting, *, member: Member | None, actor: Any, password: str, signed_at: Any
) -> document_files.Prerendered | None:
    """When this signature will complete the pair, render the signed files BEFORE the signing
    transaction: on SQLite the transaction holds the only write lock, and rendering takes about
    a second, during which every other phone of every cell would wait (issue 14's load test
    saw "database is locked"). Everything is checked again inside the transaction; the freeze
    uses these bytes only if the content is still the same then (same fingerprint)."""
    if member is None or meeting.status != MeetingStatus.CLOSED:
        return None
    roles = selectors.signer_roles(meeting, member.pk)
    signed = set(meeting.signatures.filter(addendum__isnull=True).values_list("role", flat=True))
    todo = [role for role in roles if role not in signed]
    if not todo or not signed | set(todo) >= {SignerRole.CHAIR, SignerRole.MINUTE_TAKER}:
        return None
    if not actor.check_password(password):
        return None
    signatures = [
        Signature(meeting=meeting, role=role, member=member, user=actor, signed_at=signed_at)
        for role in todo
    ]
    return document_files.prerender(meeting, signatures=signatures)


def signature_withdraw(*, actor: Any, meeting: Meeting, password: str) -> Meeting:
    """Withdraw one's own signature while the other signer has not signed yet (the record
    is not frozen): the minutes can then be corrected and signed again. Password re-entered,
    like signing; the withdrawal is audited."""
    member = Member.objects.filter(user_id=getattr(actor, "pk", 0)).first()
    with meeting_change(
        meeting,
        actor=actor,
        code="minutes.signature_withdrawn",
        allowed=(MeetingStatus.CLOSED,),
        message=_("A signature can be withdrawn only before both have signed."),
    ) as change:
        meeting = change.meeting
        mine = meeting.signatures.filter(addendum__isnull=True, member=member)
        if member is None or not mine.exists():
            raise ServiceError(_("You have not signed these minutes."))
        if not actor.check_password(password):
            raise ServiceError(_("The password is not correct; nothing was changed."))
        roles = list(mine.values_list("role", flat=True))
        mine.delete()
        change.changes = {"roles": roles}
    return meeting


def _freeze(
    meeting: Meeting, *, actor: Any, prerendered: document_files.Prerendered | None = None
) -> None:
    meeting.status = MeetingStatus.SIGNED
    meeting.signed_at = timezone.now()
    meeting.save(update_fields=["status", "signed_at"])
    document_files.freeze(meeting, actor=actor, prerendered=prerendered)
    # The upper level's directives on the agenda are disseminated by this meeting.
    disseminations_record(
        meeting=meeting,
        deliveries=[
            item.directive_delivery
            for item in meeting.agenda_items.filter(
                deferred=False, directive_delivery__isnull=False
            ).select_related("directive_delivery")
            if item.directive_delivery is not None
        ],
        actor=actor,
    )
    # The answers to proposals reported back at this meeting; a deferred item's stay open and
    # come back on the next agenda (proposals.selectors.answers_to_report).
    proposal_services.report_backs_record(
        meeting=meeting,
        proposals=Proposal.objects.filter(
            report_back_items__meeting=meeting, report_back_items__deferred=False
        ).distinct(),
        actor=actor,
    )
    notify_users(
        users=member_users(meeting.organization),
        code="minutes.signed",
        title=_("The minutes of %(meeting)s of %(date)s are signed")
        % {"meeting": meeting.get_kind_display(), "date": meeting.date.strftime("%d/%m/%Y")},
        url=meeting_url(meeting),
    )
    _ask_to_confirm_score(meeting)


def _ask_to_confirm_score(meeting: Meeting) -> None:
    """Tell the upper-level member following the cell (and an upper-level guest of the
    meeting) that the signed meeting's score waits for their confirmation (DOMAIN R1.15): it
    can be confirmed after signing (services.score_confirm)."""
    if not MeetingScore.objects.filter(meeting=meeting, confirmed_by__isnull=True).exists():
        return
    notify_users(
        users=selectors.score_confirmer_users(meeting),
        code="meeting.score_to_confirm",
        title=_("The score of %(meeting)s of %(cell)s of %(date)s awaits your confirmation")
        % {
            "meeting": meeting.get_kind_display(),
            "cell": meeting.organization.name,
            "date": meeting.date.strftime("%d/%m/%Y"),
        },
        url=score_tab_url(meeting),
    )


# -- addenda --------------------------------------------------------------------------------


def addendum_create(*, actor: Any, meeting: Meeting, text: str, reason: str) -> Addendum:
    """Propose a correction to signed minutes. The original stays as signed; the addendum
    is signed by the chair and the minute-taker like the minutes (addendum_sign), or withdrawn
    (addendum_withdraw). One waits for signatures at a time."""
    if not text.strip():
        raise ServiceError(_("Write the correction."))
    if not reason.strip():
        raise ServiceError(_("Give the reason for the correction."))
    # Not `allowed`: an addendum is the one change a signed meeting takes.
    with meeting_change(meeting, actor=actor, code="addendum.created") as change:
        meeting = change.meeting
        if meeting.status != MeetingStatus.SIGNED:
            raise ServiceError(
                _(
                    "Until the minutes are signed, correct the text itself instead of adding an "
                    "addendum."
                )
            )
        if meeting.addenda.filter(frozen_at__isnull=True, withdrawn_at__isnull=True).exists():
            raise ServiceError(_("An addendum is already waiting for signatures."))
        number = (meeting.addenda.aggregate(last=Max("number"))["last"] or 0) + 1
        addendum = Addendum.objects.create(
            meeting=meeting,
            number=number,
            text=text.strip(),
            reason=reason.strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        change.target = addendum
        change.note = reason.strip()
    return addendum


def addendum_sign(*, actor: Any, addendum: Addendum, password: str) -> Addendum:
    """Sign an addendum as the meeting's chair or minute-taker (password re-entered) — or, for
    one of them who has left the cell, as the cell's secretary in their place
    (selectors.addendum_signer_roles; the signature records whom it is for). After both
    signatures it is frozen with its own fingerprint, which chains the minutes'."""
    member = Member.objects.filter(user_id=getattr(actor, "pk", 0)).first()
    with meeting_change(addendum.meeting, actor=actor, code="addendum.signed") as change:
        meeting = change.meeting
        addendum = Addendum.objects.select_for_update().get(pk=addendum.pk)
        if addendum.frozen_at is not None:
            raise ServiceError(_("This addendum is already signed."))
        if addendum.withdrawn_at is not None:
            raise ServiceError(_("This addendum was withdrawn; it can no longer be signed."))
        roles = selectors.addendum_signer_roles(meeting, member.pk if member else None)
        if not roles:
            raise ServiceError(
                _(
                    "Only the chair and the minute-taker of this meeting sign its addenda (the "
                    "cell's secretary for one who has left the cell)."
                )
            )
        if not actor.check_password(password):
            raise ServiceError(_("The password is not correct; nothing was signed."))
        signed = set(addendum.signatures.values_list("role", flat=True))
        todo = [(role, for_id) for role, for_id in roles if role not in signed]
        if not todo:
            raise ServiceError(_("You have already signed this addendum."))
        for role, for_id in todo:
            assert member is not None  # a role was found for this member above
            Signature.objects.create(
                meeting=meeting,
                addendum=addendum,
                role=role,
                member=member,
                user=actor,
                in_place_of_id=for_id,
            )
        change.target = addendum
        change.changes = {
            "roles": [role for role, _for in todo],
            **({"in_place_of": [f for _r, f in todo if f]} if any(f for _r, f in todo) else {}),
        }
        change.record_now()  # before the freeze's own entry
        if signed | {role for role, _for in todo} >= {SignerRole.CHAIR, SignerRole.MINUTE_TAKER}:
            _addendum_freeze(addendum, meeting, actor=actor)
    return addendum


def _addendum_freeze(addendum: Addendum, meeting: Meeting, *, actor: Any) -> None:
    addendum.fingerprint = fingerprint_of(
        {
            "minutes_fingerprint": meeting.record.fingerprint,
            "number": addendum.number,
            "text": addendum.text,
            "reason": addendum.reason,
            "signers": sorted(
                f"{row.role}:{row.member_id}"
                + (f":for:{row.in_place_of_id}" if row.in_place_of_id else "")
                for row in addendum.signatures.all()
            ),
        }
    )
    addendum.frozen_at = timezone.now()
    addendum.save(update_fields=["fingerprint", "frozen_at"])
    document_files.store_addendum_files(addendum)
    audit.record(
        actor=actor,
        code="addendum.frozen",
        target=addendum,
        organization=meeting.organization,
        changes={"fingerprint": addendum.fingerprint},
    )


def addendum_withdraw(*, actor: Any, addendum: Addendum, reason: str) -> Addendum:
    """Withdraw an addendum that is still waiting for signatures (its creator or a manager of
    the cell decides: meetings.access.can_withdraw_addendum). It stays, with its number and any
    signature already given, marked withdrawn; it is never signed, and the next correction can
    be recorded. A signed addendum is part of the record and cannot be withdrawn."""
    if not reason.strip():
        raise ServiceError(_("Give the reason for withdrawing the addendum."))
    with meeting_change(addendum.meeting, actor=actor, code="addendum.withdrawn") as change:
        addendum = Addendum.objects.select_for_update().get(pk=addendum.pk)
        if addendum.frozen_at is not None:
            raise ServiceError(
                _("This addendum is signed and part of the record; it cannot be withdrawn.")
            )
        if addendum.withdrawn_at is not None:
            raise ServiceError(_("This addendum is already withdrawn."))
        addendum.withdrawn_at = timezone.now()
        addendum.withdrawn_by = actor if getattr(actor, "pk", None) else None
        addendum.withdraw_reason = reason.strip()
        addendum.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        change.target = addendum
        change.changes = {
            "number": addendum.number,
            "signed_by": sorted(addendum.signatures.values_list("role", flat=True)),
        }
        change.note = reason.strip()
    return addendum
