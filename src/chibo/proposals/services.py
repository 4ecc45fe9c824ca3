"""Every change to a proposal: raised in a cell, assigned, escalated level by level up to the
province, handed to a government body, answered, and the answer reported back to the cell.

Each service takes keyword arguments and `actor=`, runs in one transaction, writes one audit
entry and refuses bad input with a ServiceError, changing nothing. Acting on a proposal is for
the unit holding it now (access.may_act): a unit it has left, or one it never reached, is
refused here too, whoever calls."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.calendar import add_working_days
from chibo.core.errors import ServiceError
from chibo.core.rules import rule_in_force
from chibo.core.uploads import check_stored
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.notify.services import notify_users
from chibo.orgs.models import MANAGING_ROLES, Organization, OrganizationKind, Position, Role
from chibo.proposals import access
from chibo.proposals.models import (
    OPEN_STATUSES,
    HandOff,
    Proposal,
    ProposalAttachment,
    ProposalSource,
    ProposalStatus,
    ProposalStep,
    ProposalTopic,
    StepKind,
)

DEADLINE_RULE = "proposal.deadline_working_days"

MAX_ATTACHMENTS = 5


def level_deadline(level: Organization, arrival: datetime.date) -> datetime.date:
    """The day a level must answer a proposal reaching it on `arrival`: the rule's working
    days (resolved for that level, so a committee's own value applies) counted with the
    Vietnamese calendar (weekends, holidays and Tết skipped)."""
    days = rule_in_force(DEADLINE_RULE, organization=level, on=arrival).value
    return add_working_days(arrival, int(days))


def proposal_url(proposal: Proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def _keeper_users(unit: Organization) -> list[Any]:
    return [
        p.member.user
        for p in Position.objects.current()
        .filter(organization=unit, role__in=MANAGING_ROLES, member__user__isnull=False)
        .select_related("member__user")
    ]


def _actor_user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _lock(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("cell", "level", "raised_by")
        .get(pk=proposal.pk)
    )


def _ensure_holder(actor: Any, proposal: Proposal) -> None:
    # `actor=None` is chibo itself (the demo, jobs): no person to check.
    if actor is not None and not access.may_act(actor, proposal):
        raise ServiceError(
            _("Only the unit now holding this proposal (%(unit)s) can act on it.")
            % {"unit": proposal.level.name}
        )


def _ensure_open(proposal: Proposal) -> None:
    if proposal.status == ProposalStatus.ANSWERED:
        raise ServiceError(_("This proposal is already answered."))
    if proposal.status not in OPEN_STATUSES:
        raise ServiceError(_("This proposal is closed."))


def _check_date(day: datetime.date | None, *, not_before: datetime.date, label: str) -> None:
    if day is None:
        raise ServiceError(_("Give the date: %(what)s.") % {"what": label})
    if day > timezone.localdate():
        raise ServiceError(_("The date cannot be in the future: %(what)s.") % {"what": label})
    if day < not_before:
        raise ServiceError(
            _("The date cannot be before %(date)s: %(what)s.")
            % {"date": not_before.strftime("%d/%m/%Y"), "what": label}
        )


def _open_status(proposal: Proposal) -> str:
    return (
        ProposalStatus.AT_CELL
        if proposal.level_id == proposal.cell_id
        else (ProposalStatus.ESCALATED)
    )


def _save(proposal: Proposal, fields: list[str]) -> None:
    proposal.updated_at = timezone.now()
    proposal.version += 1
    proposal.save(update_fields=[*fields, "updated_at", "version"])


def _step(proposal: Proposal, *, kind: str, actor: Any, on: datetime.date, **extra: Any) -> None:
    ProposalStep.objects.create(
        proposal=proposal,
        kind=kind,
        actor=_actor_user(actor),
        on=on,
        from_unit=extra.pop("from_unit", proposal.level),
        **extra,
    )


# -- raising ----------------------------------------------------------------------------------


def proposal_raise(
    *,
    actor: Any,
    cell: Organization,
    raised_by: Member,
    source: str,
    topic: str,
    title: str,
    content: str,
    citizen_name: str = "",
    citizen_place: str = "",
    raised_on: datetime.date | None = None,
    meeting: Any = None,
    attachments: Iterable[Any] = (),
) -> Proposal:
    """Record a proposal raised in `cell` by one of its members — their own, or relayed from
    citizens (who and where) — before or at a meeting (`meeting`, of the same cell). The cell
    holds it first, with its deadline; the cell's keepers are told."""
    attachments = [upload for upload in attachments if upload]
    title, content = title.strip(), content.strip()
    citizen_name, citizen_place = citizen_name.strip(), citizen_place.strip()
    if not title:
        raise ServiceError(_("Give the proposal a title."))
    if not content:
        raise ServiceError(_("Write what the proposal asks."))
    if source not in ProposalSource.values:
        raise ServiceError(_("Say whose proposal it is."))
    if topic not in ProposalTopic.values:
        raise ServiceError(_("Choose the topic of the proposal."))
    if source == ProposalSource.CITIZENS and not citizen_name:
        raise ServiceError(_("Say which citizens the proposal comes from."))
    if raised_by.cell_id != cell.pk or raised_by.status not in ACTIVE_STATUSES:
        raise ServiceError(_("A proposal is raised by a member of the cell."))
    if meeting is not None:
        if meeting.organization_id != cell.pk:
            raise ServiceError(_("The meeting is not a meeting of this cell."))
        raised_on = raised_on or meeting.date
    raised_on = raised_on or timezone.localdate()
    _check_date(raised_on, not_before=datetime.date(1900, 1, 1), label=_("raised on"))
    if meeting is not None and raised_on < meeting.date:
        raise ServiceError(_("A proposal raised at a meeting is dated on or after the meeting."))
    if len(attachments) > MAX_ATTACHMENTS:
        raise ServiceError(_("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS})
    attachments = check_stored(attachments)
    due_on = level_deadline(cell, raised_on)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            cell=cell,
            raised_by=raised_by,
            recorded_by=_actor_user(actor),
            source=source,
            citizen_name=citizen_name if source == ProposalSource.CITIZENS else "",
            citizen_place=citizen_place,
            topic=topic,
            title=title[:300],
            content=content,
            raised_at_meeting=meeting,
            raised_on=raised_on,
            status=ProposalStatus.AT_CELL,
            level=cell,
            arrived_on=raised_on,
            due_on=due_on,
        )
        for upload in attachments:
            ProposalAttachment.objects.create(
                proposal=proposal,
                title=upload.name[:200],
                file=upload,
                content_type=upload.content_type,
                size=upload.size,
                uploaded_by=_actor_user(actor),
            )
        _step(proposal, kind=StepKind.RAISED, actor=actor, on=raised_on, due_on=due_on)
        audit.record(
            actor=actor,
            code="proposal.raised",
            target=proposal,
            organization=cell,
            changes={"topic": topic, "source": source, "attachments": len(attachments)},
        )
        notify_users(
            users=_keeper_users(cell),
            code="proposal.arrived",
            title=_("New proposal in %(cell)s: %(title)s (answer by %(due)s)")
            % {"cell": cell.name, "title": proposal.title, "due": due_on.strftime("%d/%m/%Y")},
            url=proposal_url(proposal),
        )
    return proposal


# -- at the level holding it ------------------------------------------------------------------


def proposal_assign(*, actor: Any, proposal: Proposal, handler: Member) -> Proposal:
    """Name the person who handles the proposal at the level holding it."""
    with transaction.atomic():
        proposal = _lock(proposal)
        _ensure_holder(actor, proposal)
        _ensure_open(proposal)
        if handler is None or not access.handler_choices(proposal.level).filter(pk=handler.pk):
            raise ServiceError(
                _("The handler is a member holding a position in %(unit)s.")
                % {"unit": proposal.level.name}
            )
        before = audit.snapshot(proposal, ("handler",))
        proposal.handler = handler
        _save(proposal, ["handler"])
        _step(
            proposal,
            kind=StepKind.HANDLER_ASSIGNED,
            actor=actor,
            on=timezone.localdate(),
            text=handler.full_name,
        )
        audit.record(
            actor=actor,
            code="proposal.handler_assigned",
            target=proposal,
            organization=proposal.level,
            changes=audit.changes_between(before, audit.snapshot(proposal, ("handler",))),
        )
        if handler.user_id:
            notify_users(
                users=[handler.user],
                code="proposal.assigned",
                title=_("A proposal for you to handle: %(title)s (answer by %(due)s)")
                % {"title": proposal.title, "due": proposal.due_on.strftime("%d/%m/%Y")},
                url=proposal_url(proposal),
            )
    return proposal


def proposal_escalate(*, actor: Any, proposal: Proposal, reason: str) -> Proposal:
    """Send the proposal up to the unit above the one holding it, with the reason; that level
    gets its own deadline from today. The province is the highest level."""
    reason = reason.strip()
    with transaction.atomic():
        proposal = _lock(proposal)
        _ensure_holder(actor, proposal)
        _ensure_open(proposal)
        if proposal.status == ProposalStatus.HANDED_OFF:
            raise ServiceError(
                _("The proposal waits for the government body's answer; record it first.")
            )
        if not reason:
            raise ServiceError(_("Give the reason for escalating the proposal."))
        current = proposal.level
        parent = None
        if current.kind != OrganizationKind.PROVINCE_COMMITTEE:
            parent = Organization.objects.get_parent(current)
        if parent is None:
            raise ServiceError(
                _("The province is the highest level: the proposal cannot go further up.")
            )
        today = timezone.localdate()
        due_on = level_deadline(parent, today)
        proposal.level = parent
        proposal.status = ProposalStatus.ESCALATED
        proposal.handler = None
        proposal.arrived_on = today
        proposal.due_on = due_on
        _save(proposal, ["level", "status", "handler", "arrived_on", "due_on"])
        _step(
            proposal,
            kind=StepKind.ESCALATED,
            actor=actor,
            on=today,
            from_unit=current,
            to_unit=parent,
            text=reason,
            due_on=due_on,
        )
        audit.record(
            actor=actor,
            code="proposal.escalated",
            target=proposal,
            organization=parent,
            changes={"from": current.pk, "to": parent.pk, "due_on": due_on.isoformat()},
        )
        notify_users(
            users=_keeper_users(parent),
            code="proposal.arrived",
            title=_("Proposal escalated by %(unit)s: %(title)s (answer by %(due)s)")
            % {"unit": current.name, "title": proposal.title, "due": due_on.strftime("%d/%m/%Y")},
            url=proposal_url(proposal),
        )
    return proposal


def proposal_answer(
    *, actor: Any, proposal: Proposal, answer: str, answered_on: datetime.date | None = None
) -> Proposal:
    """Settle the proposal at the level holding it: the answer is recorded and goes to the
    member who raised it and to the cell's secretary; the cell reports it back at its next
    meeting."""
    answer = answer.strip()
    with transaction.atomic():
        proposal = _lock(proposal)
        _ensure_holder(actor, proposal)
        _ensure_open(proposal)
        if not answer:
            raise ServiceError(_("Write the answer."))
        answered_on = answered_on or timezone.localdate()
        _check_date(answered_on, not_before=proposal.raised_on, label=_("answered on"))
        proposal.answer = answer
        proposal.answered_on = answered_on
        proposal.answered_by_unit = proposal.level
        proposal.status = ProposalStatus.ANSWERED
        _save(proposal, ["answer", "answered_on", "answered_by_unit", "status"])
        _step(proposal, kind=StepKind.ANSWERED, actor=actor, on=answered_on, text=answer)
        audit.record(
            actor=actor,
            code="proposal.answered",
            target=proposal,
            organization=proposal.level,
            changes={"answered_on": answered_on.isoformat()},
        )
        users = [
            p.member.user
            for p in Position.objects.current()
            .filter(organization=proposal.cell, role=Role.SECRETARY, member__user__isnull=False)
            .select_related("member__user")
        ]
        if proposal.raised_by.user_id:
            users.append(proposal.raised_by.user)
        notify_users(
            users=users,
            code="proposal.answered",
            title=_("%(unit)s answered the proposal “%(title)s”")
            % {"unit": proposal.level.name, "title": proposal.title},
            body=answer[:500],
            url=proposal_url(proposal),
        )
    return proposal


def proposal_hand_off(
    *, actor: Any, proposal: Proposal, body: str, sent_on: datetime.date | None
) -> HandOff:
    """Record that the level holding the proposal sent it to a government body outside the
    Party (e.g. the ward People's Committee); its answer is entered when it comes."""
    body = body.strip()
    with transaction.atomic():
        proposal = _lock(proposal)
        _ensure_holder(actor, proposal)
        _ensure_open(proposal)
        if proposal.status == ProposalStatus.HANDED_OFF:
            raise ServiceError(_("The proposal already waits for a government body's answer."))
        if not body:
            raise ServiceError(_("Name the government body."))
        _check_date(sent_on, not_before=proposal.raised_on, label=_("sent on"))
        assert sent_on is not None
        hand_off = HandOff.objects.create(
            proposal=proposal,
            unit=proposal.level,
            body=body[:200],
            sent_on=sent_on,
            created_by=_actor_user(actor),
        )
        proposal.status = ProposalStatus.HANDED_OFF
        _save(proposal, ["status"])
        _step(proposal, kind=StepKind.HANDED_OFF, actor=actor, on=sent_on, text=hand_off.body)
        audit.record(
            actor=actor,
            code="proposal.handed_off",
            target=proposal,
            organization=proposal.level,
            changes={"body": hand_off.body, "sent_on": sent_on.isoformat()},
        )
    return hand_off


def proposal_outside_answer(
    *, actor: Any, hand_off: HandOff, answer: str, answered_on: datetime.date | None
) -> HandOff:
    """Enter the government body's answer. The proposal is back with the level that handed it
    off, which answers it (with that answer, or its own words) or escalates it."""
    answer = answer.strip()
    with transaction.atomic():
        proposal = _lock(hand_off.proposal)
        hand_off = HandOff.objects.select_for_update().get(pk=hand_off.pk)
        _ensure_holder(actor, proposal)
        if hand_off.answered_on is not None or proposal.status != ProposalStatus.HANDED_OFF:
            raise ServiceError(_("This government body's answer is already recorded."))
        if not answer:
            raise ServiceError(_("Write the government body's answer."))
        _check_date(answered_on, not_before=hand_off.sent_on, label=_("answered on"))
        assert answered_on is not None
        hand_off.answer = answer
        hand_off.answered_on = answered_on
        hand_off.save(update_fields=["answer", "answered_on"])
        proposal.status = _open_status(proposal)
        _save(proposal, ["status"])
        _step(
            proposal,
            kind=StepKind.OUTSIDE_ANSWER,
            actor=actor,
            on=answered_on,
            text=f"{hand_off.body}: {answer}",
        )
        audit.record(
            actor=actor,
            code="proposal.outside_answer_recorded",
            target=proposal,
            organization=proposal.level,
            changes={"hand_off": hand_off.pk, "answered_on": answered_on.isoformat()},
        )
    return hand_off


# -- back at the cell -------------------------------------------------------------------------


def report_backs_record(*, meeting: Any, proposals: Iterable[Proposal], actor: Any = None) -> int:
    """Record that `meeting` (signed) reported these answers back to the cell: called by
    meetings when the minutes are signed, for the report-back items that were not deferred.
    Only answered proposals of the meeting's cell not reported yet count. Returns how many."""
    ids = [proposal.pk for proposal in proposals]
    rows = list(
        Proposal.objects.select_for_update(of=("self",))
        .select_related("level")
        .filter(
            pk__in=ids,
            cell_id=meeting.organization_id,
            status=ProposalStatus.ANSWERED,
            reported_back_meeting__isnull=True,
        )
    )
    for proposal in rows:
        proposal.reported_back_meeting = meeting
        proposal.reported_back_on = meeting.date
        proposal.status = ProposalStatus.CLOSED
        proposal.updated_at = timezone.now()
        proposal.version += 1
    Proposal.objects.bulk_update(
        rows, ["reported_back_meeting", "reported_back_on", "status", "updated_at", "version"]
    )
    ProposalStep.objects.bulk_create(
        ProposalStep(
            proposal=proposal,
            kind=StepKind.REPORTED_BACK,
            actor=_actor_user(actor),
            on=meeting.date,
            from_unit_id=meeting.organization_id,
        )
        for proposal in rows
    )
    for proposal in rows:
        audit.record(
            actor=actor,
            code="proposal.reported_back",
            target=proposal,
            organization=meeting.organization,
            changes={"meeting": meeting.pk},
        )
    return len(rows)
