"""Pages of meeting quality over time (R1.16) and perfunctory meetings: a committee's cells with
their annual rating, one cell's history, the flags of a committee's subtree and one flag with
the two texts side by side, reviewed by the level above."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.errors import ServiceError
from chibo.core.flow import error_text
from chibo.supervision import access, selectors_quality, services_quality
from chibo.supervision.forms_quality import FlagFilterForm, FlagReviewForm, QualityFilterForm
from chibo.supervision.models import PerfunctoryKind, PerfunctoryStatus


@login_required
@require_GET
def quality(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk)
    form = QualityFilterForm(request.GET or None)
    year = form.year_or_current()
    cell_type = form.cleaned_data.get("cell_type", "") if form.is_bound and form.is_valid() else ""
    rows, rule = selectors_quality.committee_quality(committee, year, cell_type=cell_type)
    context = {
        "title": _("Meeting quality of %(name)s in %(year)s")
        % {"name": committee.name, "year": year},
        "committee": committee,
        "form": form,
        "year": year,
        "rows": rows,
        "rule": rule,
    }
    return render(request, "supervision/quality.html", context)


@login_required
@require_GET
def cell_quality(request: HttpRequest, pk: int) -> HttpResponse:
    cell = access.get_cell_quality_for_user(request.user, pk)
    context = {
        "title": _("Meeting quality of %(name)s over the years") % {"name": cell.name},
        "cell": cell,
        "history": selectors_quality.cell_history(cell),
    }
    return render(request, "supervision/quality_cell.html", context)


@login_required
@require_GET
def perfunctory(request: HttpRequest, pk: int) -> HttpResponse:
    committee = access.get_committee_for_user(request.user, pk)
    form = FlagFilterForm(request.GET or {"status": PerfunctoryStatus.OPEN})
    status = form.cleaned_data["status"] if form.is_valid() else PerfunctoryStatus.OPEN
    context = {
        "title": _("Perfunctory meetings below %(name)s") % {"name": committee.name},
        "committee": committee,
        "form": form,
        "groups": selectors_quality.flags_by_cell(
            selectors_quality.committee_flags(committee, status=status)
        ),
    }
    return render(request, "supervision/perfunctory.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def perfunctory_flag(request: HttpRequest, pk: int) -> HttpResponse:
    posting = request.method == "POST"
    flag = access.get_flag_for_user(request.user, pk, write=posting)
    form = FlagReviewForm(request.POST if posting else None)
    if posting and form.is_valid():
        service = (
            services_quality.perfunctory_flag_confirm
            if form.cleaned_data["action"] == "confirm"
            else services_quality.perfunctory_flag_dismiss
        )
        try:
            service(flag=flag, actor=request.user, note=form.cleaned_data["note"])
        except ServiceError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("supervision:perfunctory_flag", flag.pk)
    speakers = flag.kind == PerfunctoryKind.SAME_SPEAKERS
    context = {
        "title": _("Perfunctory meeting flag"),
        "flag": flag,
        "part": selectors_quality.part_label(flag.part),
        "texts": None if speakers else selectors_quality.flag_texts(flag),
        "speakers": selectors_quality.flag_speakers(flag) if speakers else None,
        "rule": selectors_quality.perfunctory_rule(flag),
        "may_review": access.keeps_above(request.user, flag.cell),
        "form": form,
    }
    return render(
        request, "supervision/perfunctory_flag.html", context, status=400 if posting else 200
    )
