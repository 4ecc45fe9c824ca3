"""The meeting itself: opening, guests, roll call, speeches, commendations, votes, closing."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core import rules
from chibo.core.errors import ServiceError
from chibo.core.text import InvalidName, has_hidden_characters, normalize_name
from chibo.followup import services as followup_services
from chibo.followup.models import Assignment
from chibo.meetings import votes
from chibo.meetings.models import (
    EDITABLE_STATUSES,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Commendation,
    CommendationKind,
    Meeting,
    MeetingGuest,
    MeetingKind,
    MeetingRecord,
    MeetingStatus,
    MemberCategory,
    Speech,
    Vote,
    VoteRule,
    VoteSubject,
)
from chibo.meetings.selectors import COMMITTEE_ROLES, electorate_for
from chibo.meetings.services._base import (
    ConflictError,
    cell_members,
    ensure_not_signed,
    meeting_change,
    number_record,
)
from chibo.meetings.services.score import score_compute
from chibo.members import standing
from chibo.members.models import Member, MemberStatus
from chibo.orgs.models import Position


def _category(member: Member) -> str:
    return {
        MemberStatus.OFFICIAL: MemberCategory.OFFICIAL,
        MemberStatus.PROBATIONARY: MemberCategory.PROBATIONARY,
        MemberStatus.EXEMPTED: MemberCategory.EXEMPTED,
        MemberStatus.TEMPORARILY_ATTACHED: MemberCategory.TEMPORARILY_ATTACHED,
        MemberStatus.SUSPENDED: MemberCategory.SUSPENDED,
    }[MemberStatus(member.status)]


def _initial_mark(category: str) -> str:
    """How a row starts: exempted members pre-marked exempted (they may attend, never counted
    absent), suspended members marked suspended (listed, not called), the rest not called
    (members.standing)."""
    if category == MemberCategory.EXEMPTED:
        return AttendanceStatus.EXEMPT
    if not standing.is_called(category):
        return AttendanceStatus.SUSPENDED
    return ""


def _roll(meeting: Meeting):
    """Who is called at the opening: the cell's members on the rolls; for a cell-committee
    meeting (họp chi ủy), the members of the committee only (DOMAIN R1.1, R2.1: its decisions
    need more than half of the committee)."""
    members = cell_members(meeting.organization)
    if meeting.kind == MeetingKind.COMMITTEE:
        committee = (
            Position.objects.current(meeting.date)
            .filter(organization=meeting.organization, role__in=COMMITTEE_ROLES)
            .values("member_id")
        )
        members = members.filter(pk__in=committee)
    return members


def meeting_open(
    *,
    actor: Any,
    meeting: Meeting,
    chair: Member,
    minute_taker: Member,
    guests: Iterable[dict[str, Any]] = (),
    started_at: datetime.datetime | None = None,
) -> Meeting:
    """Open the meeting: chair, minute-taker, guests and the start time; the roll is taken
    from the cell's register as it stands now (one attendance row per member, with the
    member's activity status and membership class). Exempted members are pre-marked
    exempted, suspended members suspended."""
    guests = list(guests)
    for person in (chair, minute_taker):
        # On the roll and called: not a member suspended from party activity (§9a).
        if person.cell_id != meeting.organization_id or not standing.is_called(person.status):
            raise ServiceError(_("The chair and the minute-taker must be members of the cell."))
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.opened",
        allowed=EDITABLE_STATUSES,
        message=_("This meeting cannot be opened: it is already open, closed or cancelled."),
    ) as change:
        meeting = change.meeting
        meeting.status = MeetingStatus.IN_PROGRESS
        meeting.started_at = started_at or timezone.now()
        meeting.chair = chair
        meeting.minute_taker = minute_taker
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=["status", "started_at", "chair", "minute_taker", "updated_at"])
        rows = []
        roll = list(_roll(meeting))
        if not roll:
            raise ServiceError(
                _("No member of the cell committee is recorded: add their positions first.")
            )
        for member in roll:
            category = _category(member)
            rows.append(
                Attendance(
                    meeting=meeting,
                    member=member,
                    category=category,
                    membership_class=member.membership_class,
                    status=_initial_mark(category),
                )
            )
        Attendance.objects.bulk_create(rows, ignore_conflicts=True)
        for guest in guests:
            if guest.get("name", "").strip():
                MeetingGuest.objects.create(
                    meeting=meeting,
                    member=guest.get("member"),
                    name=guest["name"].strip(),
                    title=guest.get("title", "").strip(),
                    is_upper_level=bool(guest.get("is_upper_level")),
                )
        MeetingRecord.objects.get_or_create(
            meeting=meeting, defaults={"organization": meeting.organization}
        )
        change.changes = {"roll": len(rows), "guests": len(guests)}
    return meeting


def _guest_name_and_title(name: str, title: str) -> tuple[str, str]:
    """A guest's name and position as stored; typed by hand on a phone, so refused (never
    cleaned) when they hold control characters — a NUL byte crashed PostgreSQL (issue 14) —
    or are longer than their columns."""
    try:
        name = normalize_name(name)
    except InvalidName as error:
        raise ServiceError(str(error)) from None
    title = title.strip()
    if not name:
        raise ServiceError(_("Give the guest's name."))
    if has_hidden_characters(title):
        raise ServiceError(
            _("The guest's position holds invisible or control characters. Type it again.")
        )
    name_max = MeetingGuest._meta.get_field("name").max_length or 0
    title_max = MeetingGuest._meta.get_field("title").max_length or 0
    if len(name) > name_max or len(title) > title_max:
        raise ServiceError(
            _(
                "The guest's name holds at most %(name)d characters and the position at "
                "most %(title)d."
            )
            % {"name": name_max, "title": title_max}
        )
    return name, title


def guest_add(
    *,
    actor: Any,
    meeting: Meeting,
    name: str,
    title: str = "",
    member: Member | None = None,
    is_upper_level: bool = False,
) -> MeetingGuest:
    name, title = _guest_name_and_title(name, title)
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.guest_added",
        live=True,
    ) as change:
        meeting = change.meeting
        guest = MeetingGuest.objects.create(
            meeting=meeting,
            name=name,
            title=title,
            member=member,
            is_upper_level=is_upper_level,
        )
    return guest


def attendance_mark(
    *,
    actor: Any,
    meeting: Meeting,
    member_id: int,
    status: str,
    reason: str = "",
    expected_version: int | None = None,
) -> tuple[Attendance, bool]:
    """Mark one member's attendance (one tap). Returns (row, changed).

    Idempotent: repeating the same mark (a retried request) changes nothing and is not a
    conflict. A different mark on a row someone else changed since the phone loaded it
    (`expected_version`) is refused with ConflictError naming what is recorded now."""
    if status not in AttendanceStatus.values:
        raise ServiceError(_("Choose an attendance status."))
    # A reason is kept only beside an absence or a late arrival; normalised first so that a
    # retried "present" that still carries the form's reason is the same mark, not a conflict.
    reason_kept = (
        AttendanceStatus.ABSENT_EXCUSED,
        AttendanceStatus.ABSENT_UNEXCUSED,
        AttendanceStatus.LATE,
    )
    reason = reason.strip() if status in reason_kept else ""
    with meeting_change(
        meeting,
        actor=actor,
        code="attendance.marked",
        live=True,
    ) as change:
        meeting = change.meeting
        row = (
            Attendance.objects.select_for_update()
            .select_related("member")
            .filter(meeting=meeting, member_id=member_id)
            .first()
        )
        if row is None:
            raise ServiceError(_("This member is not on the roll of this meeting."))
        if row.status == status and row.reason == reason:
            change.skip_audit()
            return row, False
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                _(
                    "%(name)s was just marked “%(status)s” from another phone. Check and tap "
                    "again if needed."
                )
                % {
                    "name": row.member.full_name,
                    "status": row.get_status_display() or _("not called"),
                }
            )
        if (status == AttendanceStatus.SUSPENDED) != (not standing.is_called(row.category)):
            raise ServiceError(
                _(
                    "A member suspended from party activity is listed as suspended and not "
                    "called; no other member can be marked suspended."
                )
            )
        if status == AttendanceStatus.EXEMPT and row.category != MemberCategory.EXEMPTED:
            raise ServiceError(
                _(
                    "Only members exempted from activity by a cell resolution can be marked "
                    "exempted."
                )
            )
        before = {"status": row.status, "reason": row.reason}
        row.status = status
        row.reason = reason
        row.version += 1
        row.updated_at = timezone.now()
        row.updated_by = actor if getattr(actor, "pk", None) else None
        row.save(update_fields=["status", "reason", "version", "updated_at", "updated_by"])
        change.target = row
        change.changes = {"status": [before["status"], status]}
    return row, True


def attendance_mark_rest_present(*, actor: Any, meeting: Meeting) -> int:
    """Mark every member not called yet as present, in one step (the usual case in a
    residential cell: call the absent ones, then everyone else is there). Idempotent: a retry
    finds nobody left to mark. Returns how many were marked."""
    with meeting_change(
        meeting,
        actor=actor,
        code="attendance.rest_marked_present",
        live=True,
    ) as change:
        meeting = change.meeting
        pending = Attendance.objects.filter(meeting=meeting, status="")
        count = pending.update(
            status=AttendanceStatus.PRESENT,
            version=F("version") + 1,
            updated_at=timezone.now(),
            updated_by=actor if getattr(actor, "pk", None) else None,
        )
        change.changes = {"present": count}
        if not count:
            change.skip_audit()
    return count


def speech_add(
    *,
    actor: Any,
    meeting: Meeting,
    member: Member,
    summary: str,
    agenda_item: AgendaItem | None = None,
    client_token: uuid.UUID | None = None,
) -> tuple[Speech, bool]:
    """Record a speech. Returns (speech, created). The same `client_token` (a retried
    request) returns the speech already recorded instead of a second one."""
    if client_token is not None:
        existing = Speech.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing, False
    if not summary.strip():
        raise ServiceError(_("Write a short summary of what was said."))
    if member.cell_id != meeting.organization_id:
        raise ServiceError(_("The speaker must be a member of the cell."))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ServiceError(_("That agenda item belongs to another meeting."))
    try:
        with meeting_change(
            meeting,
            actor=actor,
            code="speech.added",
            live=True,
        ) as change:
            meeting = change.meeting
            speech = Speech.objects.create(
                meeting=meeting,
                member=member,
                agenda_item=agenda_item,
                summary=summary.strip(),
                client_token=client_token or uuid.uuid4(),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            change.target = speech
    except IntegrityError:
        # The same token arrived twice at the same moment: the first one won.
        return Speech.objects.get(client_token=str(client_token)), False
    return speech, True


def speech_delete(*, actor: Any, speech: Speech) -> None:
    with meeting_change(
        speech.meeting,
        actor=actor,
        code="speech.deleted",
        live=True,
    ) as change:
        change.target = speech
        change.record_now()
        speech.delete()


def commendation_add(
    *,
    actor: Any,
    meeting: Meeting,
    member: Member,
    kind: str,
    note: str,
    client_token: uuid.UUID | None = None,
) -> tuple[Commendation, bool]:
    if client_token is not None:
        existing = Commendation.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing, False
    if kind not in CommendationKind.values:
        raise ServiceError(_("Choose praise, reminder or criticism."))
    if not note.strip():
        raise ServiceError(_("Write what the praise or criticism is for."))
    if member.cell_id != meeting.organization_id:
        raise ServiceError(_("Choose a member of the cell."))
    with meeting_change(
        meeting,
        actor=actor,
        code="commendation.added",
        live=True,
    ) as change:
        meeting = change.meeting
        # The same retried request may have arrived while this one waited for the lock.
        if client_token is not None:
            existing = Commendation.objects.filter(client_token=client_token).first()
            if existing is not None:
                change.skip_audit()
                return existing, False
        row = Commendation.objects.create(
            meeting=meeting,
            member=member,
            kind=kind,
            note=note.strip(),
            client_token=client_token or uuid.uuid4(),
        )
        change.target = row
    return row, True


def vote_record(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    subject: str,
    in_favour: int,
    against: int,
    abstain: int,
    subject_member: Member | None = None,
    agenda_item: AgendaItem | None = None,
    client_token: uuid.UUID | None = None,
) -> tuple[Vote, bool]:
    """Record a show of hands and decide it by the rule in force (DOMAIN R2.1–R2.5): more than
    half of the eligible official members; at least two thirds for admission and recognition
    as an official member. Only official members vote: the counts may not exceed the eligible
    members present. Returns (vote, created); a retried request returns the first vote."""
    if client_token is not None:
        existing = Vote.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing, False
    if not title.strip():
        raise ServiceError(_("Say what is being voted on."))
    if subject not in VoteSubject.values:
        raise ServiceError(_("Choose what kind of decision is voted on."))
    if min(in_favour, against, abstain) < 0:
        raise ServiceError(_("Vote counts cannot be negative."))
    # A candidate for admission is not a member yet: the title names them. Recognition is
    # about a probationary member of the cell.
    if subject == VoteSubject.RECOGNITION and subject_member is None:
        raise ServiceError(_("Choose the person this vote is about."))
    rule_key = (
        VoteRule.TWO_THIRDS
        if subject in (VoteSubject.ADMISSION, VoteSubject.RECOGNITION)
        else VoteRule.MAJORITY
    )
    with meeting_change(
        meeting,
        actor=actor,
        code="resolution.adopted",
        live=True,
    ) as change:
        meeting = change.meeting
        # The same retried request may have arrived while this one waited for the lock.
        if client_token is not None:
            existing = Vote.objects.filter(client_token=client_token).first()
            if existing is not None:
                change.skip_audit()
                return existing, False
        electorate = electorate_for(meeting)
        total = in_favour + against + abstain
        if total > electorate.present:
            raise ServiceError(
                _(
                    "%(total)s votes were entered, but only %(present)s official members with a "
                    "vote are present (probationary members do not vote). Check the counts."
                )
                % {"total": total, "present": electorate.present}
            )
        rule = rules.rule_in_force(rule_key, organization=meeting.organization, on=meeting.date)
        adopted = votes.passes(in_favour, electorate.eligible, rule.value)
        explanation = votes.explain(
            in_favour=in_favour,
            eligible=electorate.eligible,
            adopted=adopted,
            rule_text=rule.explain(),
            fraction=rule.value,
        )
        vote = Vote.objects.create(
            meeting=meeting,
            agenda_item=agenda_item,
            subject=subject,
            title=title.strip(),
            subject_member=subject_member,
            rule=rule_key,
            in_favour=in_favour,
            against=against,
            abstain=abstain,
            eligible=electorate.eligible,
            adopted=adopted,
            explanation=explanation,
            client_token=client_token or uuid.uuid4(),
        )
        change.code = "resolution.adopted" if adopted else "resolution.rejected"
        change.target = vote
        change.changes = {
            "in_favour": in_favour,
            "against": against,
            "abstain": abstain,
            "eligible": electorate.eligible,
        }
    return vote, True


def vote_delete(*, actor: Any, vote: Vote) -> None:
    """Remove a vote entered by mistake (before the minutes are signed)."""
    with meeting_change(
        vote.meeting,
        actor=actor,
        code="vote.deleted",
        live=True,
    ) as change:
        change.target, change.note = vote, vote.title
        change.record_now()
        vote.delete()


def assignment_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    members: Iterable[Member],
    due_date: datetime.date | None,
    client_token: uuid.UUID | None = None,
) -> tuple[Assignment, bool]:
    """Set an assignment at the meeting (DOMAIN §1.4 step 8): while it runs or once closed,
    until someone signs the minutes (they list the assignments). Followup records it and
    writes its one audit entry. Returns (assignment, created); a retried request with the same
    token creates nothing."""
    if client_token is not None:
        existing = Assignment.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing, False
    with meeting_change(meeting, actor=actor, code=None) as change:  # followup writes the entry
        locked = change.meeting
        if locked.status == MeetingStatus.SIGNED:
            raise ServiceError(
                _("The minutes of this meeting are signed and can no longer be changed.")
            )
        if locked.status not in (MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED):
            raise ServiceError(_("Assignments are set during the meeting."))
        if locked.signatures.filter(addendum__isnull=True).exists():
            # The minutes list the assignments: the first signer signed those.
            raise ServiceError(
                _("Someone has already signed the minutes; what they signed can no longer change.")
            )
        return followup_services.assignment_create(
            actor=actor,
            meeting=locked,
            title=title,
            members=members,
            due_date=due_date,
            client_token=client_token,
        )


def assignment_review(
    *, actor: Any, meeting: Meeting, assignment: Assignment, status: str, progress: str = ""
) -> Assignment:
    """Record at this meeting the result of an assignment set earlier (DOMAIN §1.4 step 7).
    The review is part of the meeting's record: once signed, it is frozen too."""
    with meeting_change(meeting, actor=actor, code=None) as change:  # followup writes the entry
        ensure_not_signed(change.meeting)
        return followup_services.assignment_update_status(
            actor=actor,
            assignment=assignment,
            status=status,
            progress=progress,
            reviewed_at=change.meeting,
        )


def meeting_close(
    *,
    actor: Any,
    meeting: Meeting,
    ended_at: datetime.datetime | None = None,
    started_at: datetime.datetime | None = None,
) -> Meeting:
    """Close the meeting: record the end time (and correct the start time if needed), number
    the resolution and compute the automatic score criteria. Every member must have been
    called."""
    with meeting_change(
        meeting,
        actor=actor,
        code="meeting.closed",
        allowed=(MeetingStatus.IN_PROGRESS,),
        message=_("Only a meeting in progress can be closed."),
    ) as change:
        meeting = change.meeting
        started = started_at or meeting.started_at
        ended = ended_at or timezone.now()
        if started is None or ended <= started:
            raise ServiceError(
                _("The meeting cannot end (%(end)s) before it starts (%(start)s).")
                % {
                    "end": timezone.localtime(ended).strftime("%d/%m/%Y %H:%M"),
                    "start": timezone.localtime(started).strftime("%d/%m/%Y %H:%M"),
                }
            )
        not_called = meeting.attendance.filter(status="").count()
        if not_called:
            raise ServiceError(
                _("%(count)s members have not been called yet. Finish the roll call first.")
                % {"count": not_called}
            )
        meeting.started_at = started
        meeting.ended_at = ended
        meeting.status = MeetingStatus.CLOSED
        meeting.updated_at = timezone.now()
        meeting.save(update_fields=["started_at", "ended_at", "status", "updated_at"])
        number_record(meeting)
        score_compute(actor=actor, meeting=meeting, audit_it=False)
        change.changes = {"ended_at": [None, ended.isoformat()]}
    return meeting
