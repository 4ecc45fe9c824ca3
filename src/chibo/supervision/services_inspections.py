"""Every change to inspection and supervision (kiểm tra, giám sát): a committee's yearly plans,
the inspections of a plan, their records (findings, conclusions, the meetings attended by a
thematic supervision of meeting quality) and the recommendations followed to closure — the
addressee reports what it did, the inspecting committee closes it or sends it back.

Each is one transaction with an audit entry; a refusal is a ServiceError with a clear sentence
and changes nothing. Access (who may call which) is checked before, in supervision.access."""

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
from chibo.meetings.models import Meeting, MeetingStatus
from chibo.members.models import Member
from chibo.notify.services import notify_users
from chibo.orgs.models import CELL_KINDS, MANAGING_ROLES, Organization, Position
from chibo.supervision.models import (
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Recommendation,
    RecommendationStatus,
    RecommendationStep,
    RecommendationStepKind,
)

NEW_CODE = "inspection.recommendation"
REPORTED_CODE = "inspection.recommendation_reported"
CLOSED_CODE = "inspection.recommendation_closed"
SENT_BACK_CODE = "inspection.recommendation_sent_back"
# A supervision of meeting quality attends meetings that took place: closed or signed.
HELD_STATUSES = frozenset({MeetingStatus.CLOSED, MeetingStatus.SIGNED})


def _clean(text: str | None) -> str:
    return (text or "").strip()


def keeper_users(unit_ids: Collection[int]) -> list[Any]:
    """The users of the secretaries, deputies and organisation staff of the units."""
    positions = (
        Position.objects.current()
        .filter(organization_id__in=unit_ids, role__in=MANAGING_ROLES, member__user__isnull=False)
        .select_related("member__user")
    )
    return [position.member.user for position in positions]


def subject_root(inspection: Inspection) -> Organization:
    """The unit whose subtree the inspection looks at: the subject organization, or the cell of
    the subject member."""
    if inspection.subject_organization is not None:
        return inspection.subject_organization
    assert inspection.subject_member is not None
    return inspection.subject_member.cell  # type: ignore[return-value]


def team_candidates(committee: Organization) -> Any:
    """Who may lead or join a team: members holding a current position in the committee
    itself, and members of its subtree's cells."""
    on_committee = Position.objects.current().filter(organization=committee).values("member_id")
    return Member.objects.filter(
        Q(pk__in=on_committee) | Q(cell__path__startswith=committee.path)
    ).order_by("full_name", "pk")


def held_meetings(inspection: Inspection) -> Any:
    """The meetings a supervision of meeting quality may list: held meetings of the cells of
    the subject's subtree within the inspection's period."""
    root = subject_root(inspection)
    return Meeting.objects.filter(
        organization__path__startswith=root.path,
        organization__kind__in=CELL_KINDS,
        status__in=HELD_STATUSES,
        date__gte=inspection.starts_on,
        date__lte=inspection.ends_on,
    )


@transaction.atomic
def inspection_plan_create(
    *,
    actor: Any,
    committee: Organization,
    year: int,
    title: str,
    number_symbol: str = "",
    approved_on: datetime.date | None = None,
) -> InspectionPlan:
    """A committee's yearly inspection and supervision plan."""
    title = _clean(title)
    if not title:
        raise ServiceError(_("Give the plan a title."))
    if approved_on is not None and approved_on.year not in (year, year - 1):
        raise ServiceError(_("A plan is approved in its year or at the end of the year before."))
    plan = InspectionPlan.objects.create(
        committee=committee,
        year=year,
        title=title,
        number_symbol=_clean(number_symbol),
        approved_on=approved_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        code="inspection_plan.created",
        target=plan,
        organization=committee,
        changes={"year": [None, year], "title": [None, title]},
    )
    return plan


@transaction.atomic
def inspection_add(
    *,
    actor: Any,
    plan: InspectionPlan,
    kind: str,
    content: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    subject_organization: Organization | None = None,
    subject_member: Member | None = None,
    leader: Member | None = None,
    team: Iterable[Member] = (),
    meeting_quality: bool = False,
) -> Inspection:
    """Add an inspection or supervision to a plan. The subject is one unit of the committee's
    subtree or one member of it; the period lies within the plan's year."""
    committee = plan.committee
    content = _clean(content)
    if not content:
        raise ServiceError(_("Say what is inspected or supervised."))
    if (subject_organization is None) == (subject_member is None):
        raise ServiceError(_("Choose either an organization or a member as the subject."))
    if subject_organization is not None and not subject_organization.path.startswith(
        committee.path
    ):
        raise ServiceError(_("The subject must be a unit under the committee."))
    if subject_member is not None and not (
        subject_member.cell is not None and subject_member.cell.path.startswith(committee.path)
    ):
        raise ServiceError(_("The subject must be a member of a cell under the committee."))
    if ends_on < starts_on:
        raise ServiceError(_("The period ends before it starts."))
    if starts_on.year != plan.year or ends_on.year != plan.year:
        raise ServiceError(
            _("The period must lie within the plan's year %(year)s.") % {"year": plan.year}
        )
    team = list(team)
    people = [person for person in [leader, *team] if person is not None]
    allowed = set(
        team_candidates(committee)
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", flat=True)
    )
    if any(person.pk not in allowed for person in people):
        raise ServiceError(_("The team is drawn from the committee and the members under it."))
    if meeting_quality and subject_organization is None:
        raise ServiceError(_("A supervision of meeting quality looks at a unit, not a member."))
    inspection = Inspection.objects.create(
        plan=plan,
        committee=committee,
        kind=kind,
        content=content,
        subject_organization=subject_organization,
        subject_member=subject_member,
        starts_on=starts_on,
        ends_on=ends_on,
        leader=leader,
        meeting_quality=meeting_quality,
    )
    inspection.team.set(team)
    audit.record(
        actor=actor,
        code="inspection.planned",
        target=inspection,
        organization=committee,
        changes={"content": [None, content], "kind": [None, kind]},
    )
    return inspection


def _touch(inspection: Inspection, *fields: str) -> None:
    inspection.updated_at = timezone.now()
    inspection.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def inspection_start(*, actor: Any, inspection: Inspection) -> Inspection:
    """Start a planned inspection."""
    if inspection.status != InspectionStatus.PLANNED:
        raise ServiceError(_("Only a planned inspection can be started."))
    inspection.status = InspectionStatus.IN_PROGRESS
    _touch(inspection, "status")
    audit.record(
        actor=actor, code="inspection.started", target=inspection, organization=inspection.committee
    )
    return inspection


@transaction.atomic
def inspection_record(
    *, actor: Any, inspection: Inspection, findings: str, conclusions: str = ""
) -> Inspection:
    """Write down the findings (and draft conclusions) of an inspection under way."""
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise ServiceError(_("Start the inspection before recording it."))
    inspection.findings = _clean(findings)
    inspection.conclusions = _clean(conclusions)
    _touch(inspection, "findings", "conclusions")
    audit.record(
        actor=actor,
        code="inspection.recorded",
        target=inspection,
        organization=inspection.committee,
    )
    return inspection


@transaction.atomic
def inspection_conclude(
    *,
    actor: Any,
    inspection: Inspection,
    findings: str,
    conclusions: str,
    concluded_on: datetime.date,
) -> Inspection:
    """Conclude an inspection under way: its conclusions are required."""
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise ServiceError(_("Only an inspection under way can be concluded."))
    if not _clean(conclusions):
        raise ServiceError(_("Write the conclusions before concluding."))
    if concluded_on < inspection.starts_on:
        raise ServiceError(_("The inspection cannot be concluded before it started."))
    inspection.findings = _clean(findings)
    inspection.conclusions = _clean(conclusions)
    inspection.concluded_on = concluded_on
    inspection.status = InspectionStatus.CONCLUDED
    _touch(inspection, "findings", "conclusions", "concluded_on", "status")
    audit.record(
        actor=actor,
        code="inspection.concluded",
        target=inspection,
        organization=inspection.committee,
        changes={"concluded_on": [None, concluded_on.isoformat()]},
    )
    return inspection


@transaction.atomic
def inspection_set_meetings(
    *, actor: Any, inspection: Inspection, meetings: Iterable[Meeting]
) -> Inspection:
    """The meetings a supervision of meeting quality attended: only held meetings of the cells
    of the subject's subtree within the period."""
    if not inspection.meeting_quality:
        raise ServiceError(_("Only a supervision of meeting quality lists meetings attended."))
    if inspection.status == InspectionStatus.CANCELLED:
        raise ServiceError(_("The inspection is cancelled."))
    chosen = list(meetings)
    allowed = set(
        held_meetings(inspection).filter(pk__in=[m.pk for m in chosen]).values_list("pk", flat=True)
    )
    refused = [meeting for meeting in chosen if meeting.pk not in allowed]
    if refused:
        raise ServiceError(
            _("Only held meetings of cells under %(unit)s between %(start)s and %(end)s count.")
            % {
                "unit": subject_root(inspection).name,
                "start": inspection.starts_on.strftime("%d/%m/%Y"),
                "end": inspection.ends_on.strftime("%d/%m/%Y"),
            }
        )
    inspection.meetings_attended.set(chosen)
    audit.record(
        actor=actor,
        code="inspection.meetings_recorded",
        target=inspection,
        organization=inspection.committee,
        changes={"meetings": [None, sorted(allowed)]},
    )
    return inspection


def _tell(users: list[Any], *, code: str, title: str, body: str, url: str) -> int:
    return notify_users(users=users, code=code, title=title, body=body, url=url)


def _recommendations_url() -> str:
    return reverse("supervision:recommendations")


@transaction.atomic
def recommendation_add(
    *,
    actor: Any,
    inspection: Inspection,
    text: str,
    due_on: datetime.date,
    addressee: Organization | None = None,
) -> Recommendation:
    """A recommendation of an inspection to a unit of the subject's subtree (by default the
    subject organization), with its deadline. The addressee's keepers are told."""
    root = subject_root(inspection)
    addressee = addressee or root
    text = _clean(text)
    if not text:
        raise ServiceError(_("Write the recommendation."))
    if inspection.status not in (InspectionStatus.IN_PROGRESS, InspectionStatus.CONCLUDED):
        raise ServiceError(_("Recommendations follow the inspection: start it first."))
    if not addressee.path.startswith(root.path):
        raise ServiceError(
            _("The recommendation goes to %(unit)s or a unit under it.") % {"unit": root.name}
        )
    if due_on < inspection.starts_on:
        raise ServiceError(_("The deadline is before the inspection started."))
    recommendation = Recommendation.objects.create(
        inspection=inspection, addressee=addressee, text=text, due_on=due_on
    )
    audit.record(
        actor=actor,
        code="recommendation.created",
        target=recommendation,
        organization=addressee,
        changes={"due_on": [None, due_on.isoformat()]},
    )
    with override(settings.LANGUAGE_CODE):
        title = _("Recommendation of %(committee)s to %(unit)s, due %(date)s") % {
            "committee": inspection.committee.name,
            "unit": addressee.name,
            "date": due_on.strftime("%d/%m/%Y"),
        }
    _tell(
        keeper_users([addressee.pk]),
        code=NEW_CODE,
        title=title,
        body=text,
        url=_recommendations_url(),
    )
    return recommendation


def _step(recommendation: Recommendation, *, kind: str, note: str, actor: Any, on: Any) -> None:
    RecommendationStep.objects.create(
        recommendation=recommendation,
        kind=kind,
        note=note,
        on=on,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def recommendation_report(
    *, actor: Any, recommendation: Recommendation, note: str, on: datetime.date | None = None
) -> Recommendation:
    """The addressee reports what it did; the inspecting committee's keepers are told."""
    note = _clean(note)
    if not note:
        raise ServiceError(_("Say what the unit did."))
    if recommendation.status != RecommendationStatus.OPEN:
        raise ServiceError(_("Only an open recommendation can be reported on."))
    on = on or timezone.localdate()
    _step(recommendation, kind=RecommendationStepKind.REPORTED, note=note, actor=actor, on=on)
    recommendation.status = RecommendationStatus.REPORTED
    recommendation.save(update_fields=["status"])
    audit.record(
        actor=actor,
        code="recommendation.reported",
        target=recommendation,
        organization=recommendation.addressee,
        note=note,
    )
    committee = recommendation.inspection.committee
    with override(settings.LANGUAGE_CODE):
        title = _("%(unit)s reported on a recommendation of %(committee)s") % {
            "unit": recommendation.addressee.name,
            "committee": committee.name,
        }
    _tell(
        keeper_users([committee.pk]),
        code=REPORTED_CODE,
        title=title,
        body=note,
        url=_recommendations_url(),
    )
    return recommendation


@transaction.atomic
def recommendation_close(
    *, actor: Any, recommendation: Recommendation, note: str, on: datetime.date | None = None
) -> Recommendation:
    """The inspecting committee closes a recommendation the addressee reported done."""
    if recommendation.status != RecommendationStatus.REPORTED:
        raise ServiceError(_("Only a recommendation reported done can be closed."))
    on = on or timezone.localdate()
    note = _clean(note) or _("Closed.")
    _step(recommendation, kind=RecommendationStepKind.CLOSED, note=note, actor=actor, on=on)
    recommendation.status = RecommendationStatus.CLOSED
    recommendation.closed_on = on
    recommendation.save(update_fields=["status", "closed_on"])
    audit.record(
        actor=actor,
        code="recommendation.closed",
        target=recommendation,
        organization=recommendation.inspection.committee,
        note=note,
    )
    with override(settings.LANGUAGE_CODE):
        title = _("%(committee)s closed its recommendation to %(unit)s") % {
            "committee": recommendation.inspection.committee.name,
            "unit": recommendation.addressee.name,
        }
    _tell(
        keeper_users([recommendation.addressee_id]),
        code=CLOSED_CODE,
        title=title,
        body=note,
        url=_recommendations_url(),
    )
    return recommendation


@transaction.atomic
def recommendation_send_back(
    *, actor: Any, recommendation: Recommendation, note: str, on: datetime.date | None = None
) -> Recommendation:
    """The inspecting committee finds the report insufficient: the recommendation is open
    again, with the reason, and the addressee's keepers are told."""
    note = _clean(note)
    if not note:
        raise ServiceError(_("Say why the report is sent back."))
    if recommendation.status != RecommendationStatus.REPORTED:
        raise ServiceError(_("Only a recommendation reported done can be sent back."))
    on = on or timezone.localdate()
    _step(recommendation, kind=RecommendationStepKind.SENT_BACK, note=note, actor=actor, on=on)
    recommendation.status = RecommendationStatus.OPEN
    recommendation.save(update_fields=["status"])
    audit.record(
        actor=actor,
        code="recommendation.sent_back",
        target=recommendation,
        organization=recommendation.inspection.committee,
        note=note,
    )
    with override(settings.LANGUAGE_CODE):
        title = _("%(committee)s sent back the report of %(unit)s on a recommendation") % {
            "committee": recommendation.inspection.committee.name,
            "unit": recommendation.addressee.name,
        }
    _tell(
        keeper_users([recommendation.addressee_id]),
        code=SENT_BACK_CODE,
        title=title,
        body=note,
        url=_recommendations_url(),
    )
    return recommendation
