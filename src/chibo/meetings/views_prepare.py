"""The preparation page of a meeting (DOMAIN §1.3): the cell committee's preparatory meeting,
the agenda (htmx partial updates), documents, topic, place and draft resolution, and
publishing. Managers only; usable until the meeting opens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chibo.core.errors import ServiceError
from chibo.core.flow import attempt, error_text, is_htmx, submit
from chibo.directives import selectors as directive_selectors
from chibo.meetings import scoring, selectors, services
from chibo.meetings.access import (
    MANAGE,
    get_agenda_item,
    get_directive_delivery,
    get_document,
    get_meeting_for_user,
)
from chibo.meetings.forms import AgendaItemForm, DetailsForm, DocumentForm, PreparationForm
from chibo.meetings.models import (
    EDITABLE_STATUSES,
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from chibo.meetings.views import meeting_breadcrumbs


def _meeting_to_prepare(request: HttpRequest, pk: int) -> Meeting:
    return get_meeting_for_user(request.user, pk, need=MANAGE)


def _prepare_url(meeting: Meeting, section: str = "") -> str:
    url = reverse("meetings:prepare", args=[meeting.pk])
    return f"{url}#{section}" if section else url


def notice_info(meeting: Meeting) -> dict[str, Any]:
    """When members must be notified, by the rule in force (DOMAIN R1.12)."""
    deadline, rule = scoring.notice_deadline(meeting)
    return {
        "rule": rule.explain(),
        "deadline": deadline,
        "late": timezone.now() > deadline,
    }


def _preparation_initial(meeting: Meeting, preparation: Any) -> dict[str, Any]:
    if preparation is not None:
        return {
            "held_on": preparation.held_on,
            "participants": [member.pk for member in preparation.participants.all()],
            "agreed": preparation.agreed,
        }
    committee = selectors.committee_member_ids(meeting.organization)
    return {"held_on": min(timezone.localdate(), meeting.date), "participants": committee}


def agenda_context(meeting: Meeting, **extra: Any) -> dict[str, Any]:
    """What the agenda editor partial needs."""
    items = list(meeting.agenda_items.select_related("carried_from"))
    editable = meeting.status in EDITABLE_STATUSES
    on_agenda = {item.directive_delivery_id for item in items}
    return {
        "meeting": meeting,
        "agenda_items": items,
        "agenda_editable": editable,
        # The upper level's directives still to disseminate that this agenda does not carry.
        "pending_directives": [
            delivery
            for delivery in directive_selectors.pending_for_cell(
                meeting.organization, on=meeting.date
            )
            if delivery.pk not in on_agenda
        ]
        if editable and items
        else [],
        "new_item_form": AgendaItemForm(prefix="new"),
        **extra,
    }


def _render_prepare(request: HttpRequest, meeting: Meeting, **forms: Any) -> HttpResponse:
    preparation = getattr(meeting, "preparation", None)
    previous = selectors.previous_meeting(meeting)
    context = {
        **agenda_context(meeting),
        "cell": meeting.organization,
        "preparation": preparation,
        "preparation_form": forms.get("preparation_form")
        or PreparationForm(
            cell=meeting.organization, initial=_preparation_initial(meeting, preparation)
        ),
        "review_assignments": list(selectors.assignments_to_review(meeting)),
        "previous": previous,
        "deferred_items": list(previous.agenda_items.filter(deferred=True)) if previous else [],
        "documents": meeting.documents.all(),
        "document_form": forms.get("document_form") or DocumentForm(),
        "details_form": forms.get("details_form")
        or DetailsForm(
            initial={
                "topic": meeting.topic,
                "place": meeting.place,
                "with_thematic_part": meeting.with_thematic_part,
                "resolution_draft": meeting.resolution_draft,
                "version": meeting.version,
            }
        ),
        "is_regular": meeting.kind == MeetingKind.REGULAR,
        "is_published": meeting.status == MeetingStatus.PREPARED,
        "notice": notice_info(meeting),
        "breadcrumbs": meeting_breadcrumbs(request, meeting, _("Preparation")),
    }
    return render(request, "meetings/prepare.html", context)


@login_required
@require_GET
def prepare(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_to_prepare(request, pk)
    if meeting.status not in EDITABLE_STATUSES:
        messages.info(
            request, _("This meeting has started or was cancelled; it is no longer prepared here.")
        )
        return redirect("meetings:detail", pk=meeting.pk)
    return _render_prepare(request, meeting)


@login_required
@require_POST
def preparation_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the cell committee's preparatory meeting (DOMAIN R1.11)."""
    meeting = _meeting_to_prepare(request, pk)
    form = PreparationForm(request.POST, cell=meeting.organization)
    outcome = submit(
        request,
        form,
        lambda d: services.preparation_record(actor=request.user, meeting=meeting, **d),
        success=_("The preparatory meeting was recorded."),
    )
    if outcome.ok:
        return redirect(_prepare_url(meeting, "preparation"))
    return _render_prepare(request, meeting, preparation_form=form)


@login_required
@require_POST
def details_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Topic, place and the draft resolution."""
    meeting = _meeting_to_prepare(request, pk)
    form = DetailsForm(request.POST)

    def save(values: dict[str, Any]) -> Any:
        version = values.pop("version")
        return services.meeting_update_details(
            actor=request.user, meeting=meeting, expected_version=version, **values
        )

    if submit(request, form, save, success=_("The changes were saved.")).ok:
        return redirect(_prepare_url(meeting, "details"))
    return _render_prepare(request, meeting, details_form=form)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the meeting: every member and the assigned upper-level member are notified."""
    meeting = _meeting_to_prepare(request, pk)
    outcome = attempt(
        request,
        lambda: services.meeting_publish(actor=request.user, meeting=meeting),
        success=_("The meeting was published and members were notified."),
    )
    if not outcome.ok:
        return redirect(_prepare_url(meeting, "publish"))
    _meeting, warning = outcome.result
    if warning:
        messages.warning(request, warning)
    return redirect(_prepare_url(meeting))


# -- agenda (htmx) --------------------------------------------------------------------------


def _agenda_response(
    request: HttpRequest,
    meeting: Meeting,
    *,
    error: str = "",
    notice: str = "",
    item_form: Any = None,
) -> HttpResponse:
    """The agenda editor partial for htmx, saying what was done (`notice`) or refused
    (`error`); a redirect back to the page with the same as a message otherwise."""
    if is_htmx(request):
        context = agenda_context(meeting, agenda_error=error, agenda_notice=notice)
        if item_form is not None:
            context["new_item_form"] = item_form
        return render(request, "meetings/_agenda_editor.html", context)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect(_prepare_url(meeting, "agenda"))


def _agenda_change(
    request: HttpRequest,
    meeting: Meeting,
    action: Callable[[], Any],
    *,
    done: Callable[[Any], str],
    item_form: Any = None,
) -> HttpResponse:
    """Run an agenda service and answer with the editor: a refusal is shown inside the editor
    (htmx) or as a message, not on the item's form (core.flow has no inline-alert answer);
    `done(result)` says what changed."""
    try:
        result = action()
    except ServiceError as error:
        return _agenda_response(request, meeting, error=error_text(error), item_form=item_form)
    return _agenda_response(request, meeting, notice=done(result))


@login_required
@require_POST
def agenda_build(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_to_prepare(request, pk)
    return _agenda_change(
        request,
        meeting,
        lambda: services.agenda_build(actor=request.user, meeting=meeting),
        done=lambda items: (
            ngettext(
                "The agenda was built from the standard sequence: %(count)s item.",
                "The agenda was built from the standard sequence: %(count)s items.",
                len(items),
            )
            % {"count": len(items)}
        ),
    )


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_to_prepare(request, pk)
    form = AgendaItemForm(request.POST, prefix="new")
    if not form.is_valid():
        return _agenda_response(
            request, meeting, error=_("Give the agenda item a title."), item_form=form
        )
    return _agenda_change(
        request,
        meeting,
        lambda: services.agenda_item_add(
            actor=request.user,
            meeting=meeting,
            title=form.cleaned_data["title"],
            guidance=form.cleaned_data["guidance"],
        ),
        done=_added_text,
        item_form=form,
    )


@login_required
@require_POST
def agenda_add_directive(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    """Put a directive the cell has yet to disseminate on the agenda ("Đưa vào chương trình")."""
    meeting = _meeting_to_prepare(request, pk)
    delivery = get_directive_delivery(meeting, delivery_pk)
    return _agenda_change(
        request,
        meeting,
        lambda: services.agenda_add_directive(
            actor=request.user, meeting=meeting, delivery=delivery
        ),
        done=_added_text,
    )


def _added_text(item: AgendaItem) -> str:
    following = item.meeting.agenda_items.filter(position__gt=item.position).first()
    if following is None:
        return _("“%(title)s” added at the end of the agenda.") % {"title": item.title}
    return _("“%(title)s” added before “%(next)s”.") % {
        "title": item.title,
        "next": following.title,
    }


@login_required
@require_POST
def agenda_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting_to_prepare(request, pk)
    item = get_agenda_item(meeting, item_pk)
    form = AgendaItemForm(request.POST, prefix=f"item{item.pk}")
    if not form.is_valid():
        return _agenda_response(request, meeting, error=_("Give the agenda item a title."))
    return _agenda_change(
        request,
        meeting,
        lambda: services.agenda_item_update(
            actor=request.user,
            item=item,
            expected_version=form.cleaned_data["version"],
            title=form.cleaned_data["title"],
            guidance=form.cleaned_data["guidance"],
        ),
        done=lambda saved: _("“%(title)s” saved.") % {"title": saved.title},
    )


@login_required
@require_POST
def agenda_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting_to_prepare(request, pk)
    item = get_agenda_item(meeting, item_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest()
    offset = -1 if direction == "up" else 1
    return _agenda_change(
        request,
        meeting,
        lambda: services.agenda_item_move(actor=request.user, item=item, offset=offset),
        done=lambda _result: (
            (_("“%(title)s” moved up.") if offset < 0 else _("“%(title)s” moved down."))
            % {"title": item.title}
        ),
    )


@login_required
@require_POST
def agenda_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting_to_prepare(request, pk)
    item = get_agenda_item(meeting, item_pk)
    return _agenda_change(
        request,
        meeting,
        lambda: services.agenda_item_delete(actor=request.user, item=item),
        done=lambda _result: _("“%(title)s” removed from the agenda.") % {"title": item.title},
    )


# -- documents ------------------------------------------------------------------------------


def _refusal_to_file(form: DocumentForm) -> None:
    """A refused upload (type, size, status) is shown beside the file field, where the user
    chose it, instead of at the top of the form."""
    refusal = form.errors.pop("__all__", None)
    if refusal:
        form.add_error("file", list(refusal))


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_to_prepare(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    valid = form.is_valid()
    outcome = submit(
        request,
        form,
        lambda d: services.document_attach(
            actor=request.user, meeting=meeting, title=d["title"], upload=d["file"]
        ),
        success=_("The document was attached."),
    )
    if outcome.ok:
        return redirect(_prepare_url(meeting, "documents"))
    if valid:
        _refusal_to_file(form)
    return _render_prepare(request, meeting, document_form=form)


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    meeting = _meeting_to_prepare(request, pk)
    document = get_document(meeting, doc_pk)
    attempt(
        request,
        lambda: services.document_remove(actor=request.user, document=document),
        success=_("The document was removed."),
    )
    return redirect(_prepare_url(meeting, "documents"))
