"""Every change to residence links, participation, comments and requests (Quy định 213;
DOMAIN R3.20–R3.22). One transaction and one audit entry each; refused actions raise a
ServiceError and change nothing. History is never overwritten: links are ended, sent comments
are frozen and corrected by a new comment that supersedes them."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.members.models import ACTIVE_STATUSES, Member
from chibo.notify.services import notify_users
from chibo.orgs.models import RESIDENTIAL_CELL_TYPES, Organization, Position, Role
from chibo.residence.models import (
    WORKPLACE_CELL_TYPES,
    FeedbackRequest,
    Participation,
    ResidenceFeedback,
    ResidenceLink,
    SpecialCategory,
)

SECRETARY_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY)


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _not_future(day: datetime.date | None, label: str) -> datetime.date:
    if day is None:
        raise ServiceError(_("Enter the %(what)s.") % {"what": label})
    if day > timezone.localdate():
        raise ServiceError(_("The %(what)s cannot be in the future.") % {"what": label})
    return day


def secretary_users(organization: Organization) -> list[Any]:
    """The logins of the organization's current secretary and deputy secretary."""
    return [
        position.member.user
        for position in Position.objects.current()
        .filter(organization=organization, role__in=SECRETARY_ROLES)
        .select_related("member__user")
        if position.member.user_id
    ]


def link_url(link: ResidenceLink) -> str:
    return reverse("residence:link", args=[link.pk])


# -- links ----------------------------------------------------------------------------------


@transaction.atomic
def link_create(
    *,
    actor: Any,
    member: Member,
    residence_cell: Organization,
    address: str,
    start_date: datetime.date,
    special_category: str = SpecialCategory.NONE,
) -> ResidenceLink:
    """Link a member of a workplace cell to the residential cell where they live (R3.20)."""
    member = Member.objects.select_for_update(of=("self",)).select_related("cell").get(pk=member.pk)
    if member.status not in ACTIVE_STATUSES:
        raise ServiceError(_("Only a member on the rolls can be linked to a residence cell."))
    if member.cell.cell_type not in WORKPLACE_CELL_TYPES:
        raise ServiceError(
            _(
                "Only members of a workplace cell (agency, enterprise, public unit, school, "
                "armed forces …) are linked to a residence cell (Quy định 213)."
            )
        )
    if not residence_cell.is_cell or residence_cell.cell_type not in RESIDENTIAL_CELL_TYPES:
        raise ServiceError(
            _(
                "The residence cell must be a cell of a village, residential group or "
                "apartment building."
            )
        )
    if not residence_cell.is_active:
        raise ServiceError(_("This residence cell has been dissolved."))
    address = (address or "").strip()
    if not address:
        raise ServiceError(_("Enter the residence address."))
    _not_future(start_date, _("start date"))
    if special_category not in SpecialCategory.values:
        raise ServiceError(_("Choose a valid special category."))
    links = ResidenceLink.objects.select_for_update().filter(member=member)
    if links.filter(end_date__isnull=True).exists():
        raise ServiceError(_("End the current residence link before recording a new one."))
    last = links.order_by("-end_date").first()
    if last is not None and last.end_date is not None and start_date <= last.end_date:
        raise ServiceError(
            _("The new link must start after the previous one ended (%(date)s).")
            % {"date": _d(last.end_date)}
        )
    link = ResidenceLink.objects.create(
        member=member,
        workplace_cell=member.cell,
        residence_cell=residence_cell,
        address=address,
        start_date=start_date,
        special_category=special_category,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="residence_link.created",
        target=link,
        organization=member.cell,
        changes={
            "residence_cell": [None, residence_cell.pk],
            "special_category": [None, special_category],
        },
    )
    notify_users(
        users=secretary_users(residence_cell),
        code="residence.link_created",
        title=_("A party member working elsewhere now lives in the area of %(cell)s")
        % {"cell": residence_cell.name},
        url=link_url(link),
    )
    return link


@transaction.atomic
def link_end(
    *, actor: Any, link: ResidenceLink, end_date: datetime.date, reason: str
) -> ResidenceLink:
    """End the link (the member moved, changed job …). The row and its comments are kept."""
    link = ResidenceLink.objects.select_for_update().get(pk=link.pk)
    if link.end_date is not None:
        raise ServiceError(_("This residence link has already ended."))
    _not_future(end_date, _("end date"))
    if end_date < link.start_date:
        raise ServiceError(
            _("The end date cannot be before the start date (%(date)s).")
            % {"date": _d(link.start_date)}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Enter the reason for ending the link."))
    link.end_date = end_date
    link.end_reason = reason
    link.save(update_fields=["end_date", "end_reason"])
    audit.record(
        actor=actor,
        code="residence_link.ended",
        target=link,
        organization=link.workplace_cell,
        changes={"end_date": [None, end_date.isoformat()]},
    )
    return link


# -- participation --------------------------------------------------------------------------


@transaction.atomic
def participation_record(
    *,
    actor: Any,
    link: ResidenceLink,
    date: datetime.date,
    activity: str,
    attended: bool,
    note: str = "",
) -> Participation:
    """The residence cell logs the member's part in one of its meetings or activities (R3.21)."""
    link = ResidenceLink.objects.select_for_update().get(pk=link.pk)
    _not_future(date, _("date"))
    if date < link.start_date or (link.end_date is not None and date > link.end_date):
        raise ServiceError(_("The date must fall within the period of the residence link."))
    activity = (activity or "").strip()
    if not activity:
        raise ServiceError(_("Enter the meeting or activity."))
    row = Participation.objects.create(
        link=link,
        date=date,
        activity=activity,
        attended=attended,
        note=(note or "").strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="residence_participation.recorded",
        target=row,
        organization=link.residence_cell,
        changes={"attended": [None, attended]},
    )
    return row


# -- the annual written comment ---------------------------------------------------------------


def _check_lived_there(link: ResidenceLink, year: int) -> None:
    """Refuse a comment or a request for a year the link does not meet."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if link.start_date > last or (link.end_date is not None and link.end_date < first):
        raise ServiceError(
            _("The member did not live in the area of this residence cell in %(year)s.")
            % {"year": year}
        )


def _check_year(link: ResidenceLink, year: int, written_on: datetime.date) -> None:
    today = timezone.localdate()
    if year > today.year:
        raise ServiceError(_("A comment cannot be written for a future year."))
    _check_lived_there(link, year)
    _not_future(written_on, _("date of the comment"))
    if written_on < datetime.date(year, 1, 1):
        raise ServiceError(
            _("A comment for %(year)s cannot be dated before the start of that year.")
            % {"year": year}
        )


FEEDBACK_FIELDS = (
    "text",
    "sets_example",
    "fulfils_civic_duties",
    "attends_meetings",
    "written_on",
    "signed_by_name",
    "signed_by_title",
)


def _clean_feedback(data: dict[str, Any]) -> dict[str, Any]:
    clean = {name: data.get(name) for name in FEEDBACK_FIELDS}
    clean["text"] = (clean["text"] or "").strip()
    clean["signed_by_name"] = (clean["signed_by_name"] or "").strip()
    clean["signed_by_title"] = (clean["signed_by_title"] or "").strip()
    if not clean["text"]:
        raise ServiceError(_("Write the comment."))
    if not clean["signed_by_name"]:
        raise ServiceError(_("Enter who signs the comment."))
    for name in ("sets_example", "fulfils_civic_duties", "attends_meetings"):
        clean[name] = bool(clean[name])
    return clean


def _current_for_year(member_id: int, year: int):
    """The member's comments of the year. Callers hold the link's row lock, which serialises
    every comment written for it (a FOR UPDATE here would meet the outer join of
    `superseded_by`, which PostgreSQL refuses)."""
    return ResidenceFeedback.objects.filter(member_id=member_id, year=year)


@transaction.atomic
def feedback_create(
    *, actor: Any, link: ResidenceLink, year: int, send: bool = False, **data: Any
) -> ResidenceFeedback:
    """A new comment for the year, as a draft (or sent at once with send=True). Refused when a
    draft or a sent comment for the year exists: edit the draft or correct the sent one."""
    link = (
        ResidenceLink.objects.select_for_update(of=("self",))
        .select_related("residence_cell")
        .get(pk=link.pk)
    )
    clean = _clean_feedback(data)
    _check_year(link, year, clean["written_on"])
    existing = _current_for_year(link.member_id, year)
    if existing.filter(sent_at__isnull=True).exists():
        raise ServiceError(_("A draft comment for %(year)s exists: edit it.") % {"year": year})
    if existing.filter(sent_at__isnull=False, superseded_by__isnull=True).exists():
        raise ServiceError(
            _("The comment for %(year)s has been sent: write a correction instead.")
            % {"year": year}
        )
    feedback = ResidenceFeedback.objects.create(
        link=link,
        member_id=link.member_id,
        residence_cell=link.residence_cell,
        year=year,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **clean,
    )
    audit.record(
        actor=actor,
        code="residence_feedback.created",
        target=feedback,
        organization=link.residence_cell,
        changes={"year": [None, year]},
    )
    if send:
        feedback_send(actor=actor, feedback=feedback)
        feedback.refresh_from_db()
    return feedback


@transaction.atomic
def feedback_update(*, actor: Any, feedback: ResidenceFeedback, **data: Any) -> ResidenceFeedback:
    """Change a draft. A sent comment is frozen."""
    feedback = (
        ResidenceFeedback.objects.select_for_update(of=("self",))
        .select_related("link")
        .get(pk=feedback.pk)
    )
    if feedback.is_sent:
        raise ServiceError(_("A sent comment cannot be changed: write a correction instead."))
    clean = _clean_feedback(data)
    _check_year(feedback.link, feedback.year, clean["written_on"])
    before = audit.snapshot(feedback, FEEDBACK_FIELDS)
    for name, value in clean.items():
        setattr(feedback, name, value)
    feedback.save(update_fields=list(FEEDBACK_FIELDS))
    changed = audit.changes_between(before, audit.snapshot(feedback, FEEDBACK_FIELDS))
    # The text is personal: record which fields changed, not what they say.
    audit.record(
        actor=actor,
        code="residence_feedback.updated",
        target=feedback,
        organization=feedback.residence_cell,
        changes={name: ["…", "…"] for name in changed},
    )
    return feedback


@transaction.atomic
def feedback_correct(
    *, actor: Any, original: ResidenceFeedback, reason: str, **data: Any
) -> ResidenceFeedback:
    """A correction of a sent comment: a new draft that supersedes it once sent. Both are kept."""
    original = (
        ResidenceFeedback.objects.select_for_update(of=("self",))
        .select_related("link", "residence_cell")
        .get(pk=original.pk)
    )
    if not original.is_sent:
        raise ServiceError(_("A draft is edited, not corrected."))
    if ResidenceFeedback.objects.filter(supersedes=original).exists():
        raise ServiceError(_("This comment already has a correction."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Enter the reason for the correction."))
    clean = _clean_feedback(data)
    _check_year(original.link, original.year, clean["written_on"])
    feedback = ResidenceFeedback.objects.create(
        link=original.link,
        member_id=original.member_id,
        residence_cell=original.residence_cell,
        year=original.year,
        supersedes=original,
        correction_reason=reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **clean,
    )
    audit.record(
        actor=actor,
        code="residence_feedback.correction_created",
        target=feedback,
        organization=original.residence_cell,
        changes={"supersedes": [None, original.pk]},
    )
    return feedback


@transaction.atomic
def feedback_send(*, actor: Any, feedback: ResidenceFeedback) -> ResidenceFeedback:
    """Send the comment to the workplace cell: it is frozen from now on; pending requests for
    the year are answered and the workplace cell's secretary is notified."""
    feedback = (
        ResidenceFeedback.objects.select_for_update(of=("self",))
        .select_related("link__workplace_cell", "residence_cell")
        .get(pk=feedback.pk)
    )
    if feedback.is_sent:
        raise ServiceError(_("This comment has already been sent."))
    feedback.sent_at = timezone.now()
    feedback.save(update_fields=["sent_at"])
    FeedbackRequest.objects.filter(
        link__member_id=feedback.member_id, year=feedback.year, answered_by__isnull=True
    ).update(answered_by=feedback)
    audit.record(
        actor=actor,
        code="residence_feedback.sent",
        target=feedback,
        organization=feedback.residence_cell,
        changes={"sent_at": [None, feedback.sent_at.isoformat()]},
    )
    notify_users(
        users=secretary_users(feedback.link.workplace_cell),
        code="residence.feedback_sent",
        title=_("%(cell)s sent the residence comment for %(year)s")
        % {"cell": feedback.residence_cell.name, "year": feedback.year},
        url=link_url(feedback.link),
    )
    return feedback


# -- requests ---------------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *, actor: Any, link: ResidenceLink, year: int, note: str = ""
) -> FeedbackRequest:
    """The workplace cell asks the residence cell for the comment for `year`; the residence
    cell's secretary is notified."""
    link = (
        ResidenceLink.objects.select_for_update(of=("self",))
        .select_related("residence_cell")
        .get(pk=link.pk)
    )
    today = timezone.localdate()
    if year > today.year:
        raise ServiceError(_("A comment cannot be requested for a future year."))
    _check_lived_there(link, year)
    if FeedbackRequest.objects.filter(link=link, year=year, answered_by__isnull=True).exists():
        raise ServiceError(_("A request for %(year)s is already pending.") % {"year": year})
    # A sent comment (the original, or a sent correction of it) is in force for the year.
    if ResidenceFeedback.objects.filter(
        member_id=link.member_id, year=year, sent_at__isnull=False
    ).exists():
        raise ServiceError(
            _("The comment for %(year)s has already been received.") % {"year": year}
        )
    request = FeedbackRequest.objects.create(
        link=link,
        year=year,
        note=(note or "").strip(),
        requested_on=today,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="residence_request.created",
        target=request,
        organization=link.workplace_cell,
        changes={"year": [None, year]},
    )
    notify_users(
        users=secretary_users(link.residence_cell),
        code="residence.feedback_requested",
        title=_("A workplace cell requests the residence comment for %(year)s") % {"year": year},
        url=link_url(link),
    )
    return request
