"""Preparation: the preparatory meeting, the agenda, documents, details and publishing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.core.uploads import check_stored
from chibo.directives import selectors as directive_selectors
from chibo.directives.models import DirectiveDelivery
from chibo.meetings import agenda, scoring, selectors
from chibo.meetings.models import (
    EDITABLE_STATUSES,
    AgendaItem,
    AgendaPart,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    PreparatoryMeeting,
)
from chibo.meetings.services._base import (
    ConflictError,
    meeting_change,
    meeting_url,
    member_users,
    upper_level_users,
)
from chibo.members.models import Member
from chibo.notify.services import notify_users
from chibo.proposals import selectors as proposal_selectors


def preparation_record(
    *,
    actor: Any,
    meeting: Meeting,
    held_on: datetime.date,
    participants: Iterable[Member],
    agreed: str,
) -> PreparatoryMeeting:
    """Record the cell committee's preparatory meeting (DOMAIN R1.11)."""
    participants = list(participants)
    if not agreed.strip():
        raise ServiceError(_("Write down what the preparatory meeting agreed."))
    if not participants:
        raise ServiceError(_("Choose who took part in the preparatory meeting."))
    if held_on > meeting.date:
        raise ServiceError(_("The preparatory meeting is held before the meeting."))
    if any(member.cell_id != meeting.organization_id for member in participants):
        raise ServiceError(_("Participants must be members of the cell."))
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.preparation_recorded",
        allowed=EDITABLE_STATUSES,
        message=_("The preparation can be changed only before the meeting."),
    ) as change:
        meeting = change.meeting
        preparation, _created = PreparatoryMeeting.objects.update_or_create(
            meeting=meeting,
            defaults={
                "held_on": held_on,
                "agreed": agreed.strip(),
                "recorded_by": actor if getattr(actor, "pk", None) else None,
                "recorded_at": timezone.now(),
            },
        )
        preparation.participants.set(participants)
        change.changes = {"held_on": [None, held_on.isoformat()], "participants": len(participants)}
    return preparation


def agenda_build(*, actor: Any, meeting: Meeting) -> list[AgendaItem]:
    """Build the agenda from the standard sequence (DOMAIN §1.4), with the content
    suggestions for the cell's type (§1.6), last month's assignments to review with their
    status, and the items the last meeting deferred. Only on an empty agenda."""
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.agenda_built",
        allowed=EDITABLE_STATUSES,
        message=_("The agenda can be changed only before the meeting."),
    ) as change:
        meeting = change.meeting
        if meeting.agenda_items.exists():
            raise ServiceError(_("The meeting already has an agenda."))
        suggestion = agenda.CONTENT_SUGGESTIONS.get(meeting.organization.cell_type, "")
        review_lines = [
            _("%(title)s — %(members)s — due %(due)s — %(status)s")
            % {
                "title": row.title,
                "members": ", ".join(member.full_name for member in row.members.all()),
                "due": row.due_date.strftime("%d/%m/%Y"),
                "status": row.get_status_display(),
            }
            for row in selectors.assignments_to_review(meeting)
        ]
        items: list[AgendaItem] = []
        position = 0
        deferred = []
        previous = selectors.previous_meeting(meeting)
        if previous is not None:
            # A deferred report-back item is not copied: its answers come back below.
            deferred = list(
                previous.agenda_items.filter(deferred=True, proposals__isnull=True)
                .select_related("meeting")
                .distinct()
            )
        answers = proposal_selectors.answers_to_report(meeting.organization)
        report_back_position = 0
        for step in agenda.STANDARD_STEPS:
            if meeting.kind != MeetingKind.REGULAR and step.code in ("dues",):
                continue
            guidance = [str(step.guidance)] if step.guidance else []
            if step.code in agenda.SUGGESTION_STEPS and suggestion:
                guidance.append(
                    _("Suggested content for this type of cell: %(text)s") % {"text": suggestion}
                )
            if step.code == "review" and review_lines:
                guidance.append(
                    _("Assignments to review:")
                    + "\n"
                    + "\n".join(f"• {line}" for line in review_lines)
                )
            position += 1
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    step=step.code,
                    title=str(step.title),
                    guidance="\n\n".join(guidance),
                )
            )
            if step.code == "news":
                # The upper level's directives the cell has yet to disseminate, one item each.
                for delivery in directive_selectors.pending_for_cell(
                    meeting.organization, on=meeting.date
                ):
                    position += 1
                    items.append(_directive_item(meeting, position, delivery))
            if step.code == "review" and answers:
                position += 1
                report_back_position = position
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        title=_("Report back the answers to proposals"),
                        guidance=_report_back_guidance(answers),
                    )
                )
            if step.code == "tasks":
                for old in deferred:
                    position += 1
                    items.append(
                        AgendaItem(
                            meeting=meeting,
                            position=position,
                            title=old.title,
                            guidance=_("Deferred from the meeting of %(date)s.")
                            % {"date": old.meeting.date.strftime("%d/%m/%Y")},
                            carried_from=old,
                        )
                    )
                if meeting.with_thematic_part or meeting.kind == MeetingKind.THEMATIC:
                    position += 1
                    items.append(
                        AgendaItem(
                            meeting=meeting,
                            position=position,
                            step="thematic",
                            part=AgendaPart.THEMATIC,
                            title=_("Thematic part: %(topic)s") % {"topic": meeting.topic},
                        )
                    )
        AgendaItem.objects.bulk_create(items)
        if report_back_position:
            meeting.agenda_items.get(position=report_back_position).proposals.set(answers)
        change.changes = {"items": len(items), "carried": len(deferred)}
    return list(meeting.agenda_items.all())


def _directive_item(meeting: Meeting, position: int, delivery: DirectiveDelivery) -> AgendaItem:
    return AgendaItem(
        meeting=meeting,
        position=position,
        title=directive_selectors.agenda_title(delivery),
        guidance=directive_selectors.agenda_guidance(delivery),
        directive_delivery=delivery,
    )


def agenda_add_directive(
    *, actor: Any, meeting: Meeting, delivery: DirectiveDelivery
) -> AgendaItem:
    """Put a directive the cell has yet to disseminate on an agenda already built, after the
    step for the upper level's documents. Refused for another cell's directive, one already
    disseminated or already on this agenda, or one issued after the meeting's date."""
    if delivery.cell_id != meeting.organization_id:
        raise ServiceError(_("This directive was not sent to this cell."))
    if delivery.disseminated_meeting_id is not None:
        raise ServiceError(_("This directive has already been disseminated."))
    if delivery.directive.issued_on > meeting.date:
        raise ServiceError(_("This directive was issued after the date of the meeting."))
    with meeting_change(
        meeting,
        actor=actor,
        code="agenda_item.added",
        allowed=EDITABLE_STATUSES,
        message=_("The agenda can be changed only before the meeting."),
    ) as change:
        meeting = change.meeting
        if meeting.agenda_items.filter(directive_delivery=delivery).exists():
            raise ServiceError(_("This directive is already on the agenda."))
        item = _directive_item(meeting, _free_position_for_directive(meeting), delivery)
        item.save()
        change.target = item
        change.changes = {"directive_delivery": [None, delivery.pk]}
    return item


def _report_back_guidance(answers: list[Any]) -> str:
    """One line per answered proposal: its title, who answered it and when, the answer
    (shortened)."""
    lines = [
        _("%(title)s — answered by %(unit)s on %(date)s — %(answer)s")
        % {
            "title": proposal.title,
            "unit": proposal.answered_by_unit.name if proposal.answered_by_unit else "",
            "date": proposal.answered_on.strftime("%d/%m/%Y") if proposal.answered_on else "",
            "answer": Truncator(proposal.answer).chars(200),
        }
        for proposal in answers
    ]
    return _("Answers to report to the cell:") + "\n" + "\n".join(f"• {line}" for line in lines)


def agenda_item_add(
    *, actor: Any, meeting: Meeting, title: str, guidance: str = "", part: str = AgendaPart.REGULAR
) -> AgendaItem:
    if not title.strip():
        raise ServiceError(_("Give the agenda item a title."))
    with meeting_change(
        meeting,
        actor=actor,
        code="agenda_item.added",
        allowed=(*EDITABLE_STATUSES, MeetingStatus.IN_PROGRESS),
        message=_("The agenda can no longer be changed."),
    ) as change:
        meeting = change.meeting
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=_free_position_before_closing(meeting),
            title=title.strip(),
            guidance=guidance,
            part=part,
        )
        change.target = item
    return item


def _free_position_at(meeting: Meeting, target: int) -> int:
    """Free `target` for a new item: the item there and those after it move down one. Two
    steps through free positions past the end, so the unique (meeting, position) holds."""
    rows = meeting.agenda_items
    last = rows.aggregate(last=Max("position"))["last"] or 0
    if target > last:
        return last + 1
    shift = last + 1
    rows.filter(position__gte=target).update(position=F("position") + shift)
    rows.filter(position__gt=last).update(position=F("position") - shift + 1)
    return target


def _free_position_before_closing(meeting: Meeting) -> int:
    """The position for a new item: just before the closing ("Bế mạc", the last step of
    DOMAIN §1.4); at the end when the agenda has no closing."""
    closing = meeting.agenda_items.filter(step="closing").order_by("position").first()
    if closing is None:
        return (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1
    return _free_position_at(meeting, closing.position)


def _free_position_for_directive(meeting: Meeting) -> int:
    """Where a directive goes on an agenda already built: where `agenda_build` puts it, after
    the step for the upper level's documents ("news", DOMAIN §1.4) and the directives already
    following it; before the closing when the agenda has no such step."""
    items = list(
        meeting.agenda_items.order_by("position").values_list(
            "position", "step", "directive_delivery_id"
        )
    )
    news = next((i for i, (_p, step, _d) in enumerate(items) if step == "news"), None)
    if news is None:
        return _free_position_before_closing(meeting)
    following = news + 1
    while following < len(items) and items[following][2] is not None:
        following += 1
    if following == len(items):
        return items[-1][0] + 1
    return _free_position_at(meeting, items[following][0])


def agenda_item_update(
    *,
    actor: Any,
    item: AgendaItem,
    expected_version: int | None = None,
    **values: Any,
) -> AgendaItem:
    """Change an agenda item's title, guidance (before the meeting), notes, conclusion or
    deferral (during it). `expected_version` refuses a stale edit from another phone."""
    allowed = {"title", "guidance", "notes", "conclusion", "deferred"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not agenda fields: {sorted(unknown)}")
    with meeting_change(
        item.meeting,
        actor=actor,
        code="agenda_item.changed",
        allowed=(*EDITABLE_STATUSES, MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED),
        message=_("The agenda can no longer be changed."),
    ) as change:
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if expected_version is not None and item.version != expected_version:
            raise ConflictError(
                _(
                    "Someone else changed “%(title)s” a moment ago. Their text is shown; make "
                    "your change again on top of it."
                )
                % {"title": item.title}
            )
        if "title" in values and not str(values["title"]).strip():
            raise ServiceError(_("Give the agenda item a title."))
        before = audit.snapshot(item, values)
        for name, value in values.items():
            setattr(item, name, value.strip() if isinstance(value, str) else value)
        item.version += 1
        item.save(update_fields=[*values, "version"])
        changes = audit.changes_between(before, audit.snapshot(item, values))
        change.target = item
        change.changes = {name: True for name in changes}  # wording is not copied to the log
        if not changes:
            change.skip_audit()
    return item


def agenda_item_delete(*, actor: Any, item: AgendaItem) -> None:
    with meeting_change(
        item.meeting,
        actor=actor,
        code="agenda_item.deleted",
        allowed=EDITABLE_STATUSES,
        message=_("The agenda can be changed only before the meeting."),
    ) as change:
        change.target, change.note = item, item.title
        change.record_now()
        item.delete()


def agenda_item_move(*, actor: Any, item: AgendaItem, offset: int) -> None:
    """Move an item up (offset -1) or down (+1) by swapping positions with its neighbour."""
    with meeting_change(
        item.meeting,
        actor=actor,
        code="agenda_item.moved",
        allowed=EDITABLE_STATUSES,
        message=_("The agenda can be changed only before the meeting."),
    ) as change:
        meeting = change.meeting
        change.target = item
        items = list(meeting.agenda_items.order_by("position"))
        index = next(i for i, row in enumerate(items) if row.pk == item.pk)
        other_index = index + offset
        if not 0 <= other_index < len(items):
            change.skip_audit()
            return
        first, second = items[index], items[other_index]
        # Two steps through a free position: the unique (meeting, position) holds throughout.
        free = max(row.position for row in items) + 1
        AgendaItem.objects.filter(pk=first.pk).update(position=free)
        AgendaItem.objects.filter(pk=second.pk).update(position=first.position)
        AgendaItem.objects.filter(pk=first.pk).update(position=second.position)


def document_attach(*, actor: Any, meeting: Meeting, title: str, upload: Any) -> MeetingDocument:
    """Attach a document (PDF, Word, Excel or a photo, at most 10 MB)."""
    check_stored([upload])
    content_type = upload.content_type
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.document_attached",
        allowed=(*EDITABLE_STATUSES, MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED),
        message=_("Documents can no longer be attached to this meeting."),
    ) as change:
        meeting = change.meeting
        document = MeetingDocument.objects.create(
            meeting=meeting,
            title=(title or upload.name).strip()[:200],
            file=upload,
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        change.target = document
    return document


def document_remove(*, actor: Any, document: MeetingDocument) -> None:
    with meeting_change(
        document.meeting,
        actor=actor,
        code="meeting.document_removed",
        allowed=EDITABLE_STATUSES,
        message=_("Documents can be removed only before the meeting."),
    ) as change:
        change.target, change.note = document, document.title
        change.record_now()
        document.file.delete(save=False)
        document.delete()


def meeting_update_details(
    *, actor: Any, meeting: Meeting, expected_version: int | None = None, **values: Any
) -> Meeting:
    """Change the topic, place or draft resolution of a meeting before it starts."""
    allowed = {"topic", "place", "resolution_draft", "with_thematic_part"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not meeting fields: {sorted(unknown)}")
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.changed",
        allowed=(*EDITABLE_STATUSES, MeetingStatus.IN_PROGRESS),
        message=_("The meeting can no longer be changed."),
    ) as change:
        meeting = change.meeting
        if expected_version is not None and meeting.version != expected_version:
            raise ConflictError(
                _("Someone else changed this meeting a moment ago. Reload and try again.")
            )
        before = audit.snapshot(meeting, values)
        for name, value in values.items():
            setattr(meeting, name, value.strip() if isinstance(value, str) else value)
        if meeting.with_thematic_part and meeting.kind != MeetingKind.REGULAR:
            raise ServiceError(_("Only a regular meeting can be combined with a thematic part."))
        if meeting.with_thematic_part and not meeting.topic:
            raise ServiceError(_("Give the topic of the thematic part."))
        meeting.version += 1
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=[*values, "version", "updated_at"])
        change.changes = {
            name: True for name in audit.changes_between(before, audit.snapshot(meeting, values))
        }
    return meeting


def meeting_publish(*, actor: Any, meeting: Meeting) -> tuple[Meeting, str]:
    """Publish a prepared meeting: every member of the cell and the upper-level committee
    members assigned to it get a notification (DOMAIN R1.12). Returns the meeting and a
    warning when the notice is later than the rule asks (publishing is still allowed: a late
    notice costs preparation points, it does not stop the meeting)."""
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.published",
        allowed=(MeetingStatus.PLANNED,),
        message=_("Only a planned meeting can be published."),
    ) as change:
        meeting = change.meeting
        if not meeting.agenda_items.exists():
            raise ServiceError(_("Build the agenda before publishing the meeting."))
        now = timezone.now()
        meeting.status = MeetingStatus.PREPARED
        meeting.published_at = now
        meeting.updated_at = now
        meeting.save(update_fields=["status", "published_at", "updated_at"])
        members = member_users(meeting.organization)
        upper = upper_level_users(meeting.organization)
        sent = notify_users(
            users=members + upper,
            code="meeting.published",
            title=_("%(meeting)s of %(cell)s: %(date)s at %(time)s")
            % {
                "meeting": meeting.get_kind_display(),
                "cell": meeting.organization.name,
                "date": meeting.date.strftime("%d/%m/%Y"),
                "time": meeting.time.strftime("%H:%M"),
            },
            body=_("Place: %(place)s. The agenda and documents are in chibo.")
            % {"place": meeting.place},
            url=meeting_url(meeting),
        )
        change.changes = {"notified": sent}
        deadline, rule = scoring.notice_deadline(meeting)
        warning = ""
        if now > deadline:
            warning = _(
                "The notice is later than the rule asks; the preparation score will show it. "
                "%(rule)s"
            ) % {"rule": rule.explain()}
    return meeting, warning
