"""Party dues pages (DOMAIN §3.8): a cell's member × month grid for a year, the month's
collection sheet that records the payments of the whole cell in one submit, the form that sets
a member's basis, and the dues book as XLSX and PDF. Register
keepers of the cell (secretary, deputy, organization staff) record; overseers above read."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.core.exports.jobs import export_request
from chibo.core.exports.responses import pdf_response, xlsx_response
from chibo.core.flow import submit
from chibo.members import dues, export_jobs, selectors, services, services_dues
from chibo.members.dues_exports import dues_book_pdf, dues_book_xlsx
from chibo.members.forms_dues import DuesBasisForm, DuesMonthForm, DuesSheetForm, DuesYearForm
from chibo.orgs.access import CellAccess, get_cell_for_user
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for


def _year(request: HttpRequest, today: datetime.date) -> int:
    form = DuesYearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return today.year


def _basis_form(book: dues.DuesBook, data: Any = None) -> DuesBasisForm:
    members = [row.member for row in book.rows]
    return DuesBasisForm(data, members=members, prefix="basis")


def _book_member(book: dues.DuesBook, member_pk: int) -> Any:
    """The member chosen in a dues form: the form offers the book's rows only, so the choice
    is one of the cell's members (never a fetch by pk)."""
    return next(row.member for row in book.rows if row.member.pk == member_pk)


def _page(
    request: HttpRequest, access: CellAccess, year: int, *, which: str = "", status=200
) -> HttpResponse:
    organization = access.organization
    today = timezone.localdate()
    book = selectors.dues_book(organization=organization, year=year, today=today)
    scope = scope_for(request.user)
    context = {
        "organization": organization,
        "book": book,
        "year": year,
        "years": (year - 1, year + 1),
        "can_manage": access.can_manage,
        "breadcrumbs": breadcrumbs_for(organization, scope, last_label=_("Party dues")),
        "basis_form": _basis_form(book, request.POST if which else None),
        "sheet_month": dues.first_of_month(today),
    }
    return render(request, "members/dues.html", context, status=status)


@login_required
@require_GET
def dues_page(request: HttpRequest, cell_pk: int) -> HttpResponse:
    # A cell the user oversees (404 otherwise).
    access = get_cell_for_user(request.user, cell_pk)
    return _page(request, access, _year(request, timezone.localdate()))


def _sheet_page(
    request: HttpRequest, access: CellAccess, sheet: dues.CollectionSheet, form: DuesSheetForm
) -> HttpResponse:
    organization = access.organization
    context = {
        "organization": organization,
        "sheet": sheet,
        "form": form,
        "rows": [(row, form.row_fields(row)) for row in sheet.rows],
        "can_manage": access.can_manage,
        "months": _sheet_months(sheet.month, timezone.localdate()),
        "breadcrumbs": breadcrumbs_for(
            organization, scope_for(request.user), last_label=_("Collection sheet")
        ),
    }
    return render(request, "members/dues_sheet.html", context)


def _sheet_months(month: datetime.date, today: datetime.date) -> dict[str, datetime.date | None]:
    """The months before and after `month` the sheet links to (no future month)."""
    later = dues.first_of_month(month + datetime.timedelta(days=32))
    return {
        "previous": dues.first_of_month(month - datetime.timedelta(days=1)),
        "next": later if later <= dues.first_of_month(today) else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def dues_sheet(request: HttpRequest, cell_pk: int) -> HttpResponse:
    """The month's collection sheet: every member who owes the month with the amount
    pre-filled; one submit records every ticked row (nothing when one row is refused)."""
    # Overseers read it; recording needs the cell's register rights (403).
    access = get_cell_for_user(request.user, cell_pk, write=request.method == "POST")
    organization = access.organization
    today = timezone.localdate()
    month = DuesMonthForm(request.GET).chosen(today)
    sheet = selectors.dues_sheet(organization=organization, month=month)
    data = request.POST if request.method == "POST" else None
    form = DuesSheetForm(data, sheet=sheet, initial={"paid_on": today, "channel": "cash"})
    if data is not None:
        outcome = submit(
            request,
            form,
            lambda cleaned: services_dues.dues_sheet_record(
                actor=request.user,
                organization=organization,
                month=month,
                entries=form.entries(),
                paid_on=cleaned["paid_on"],
                channel=cleaned["channel"],
            ),
            success=lambda payments: (
                ngettext(
                    "The dues of %(count)d member were recorded.",
                    "The dues of %(count)d members were recorded.",
                    len(payments),
                )
                % {"count": len(payments)}
            ),
        )
        if outcome.ok:
            return redirect(f"{request.path}?month={month:%Y-%m}")
    return _sheet_page(request, access, sheet, form)


@login_required
@require_POST
def dues_basis_new(request: HttpRequest, cell_pk: int) -> HttpResponse:
    """Set what one member's dues are computed from."""
    # Overseers who only read: 403.
    access = get_cell_for_user(request.user, cell_pk, write=True)
    organization = access.organization
    today = timezone.localdate()
    year = _year(request, today)
    book = selectors.dues_book(organization=organization, year=year, today=today)
    form = _basis_form(book, request.POST)
    outcome = submit(
        request,
        form,
        lambda data: services.dues_basis_set(
            actor=request.user,
            member=_book_member(book, data["member"]),
            basis=data["basis"],
            basis_amount=data["basis_amount"] or 0,
        ),
        success=_("The dues basis was saved."),
    )
    if outcome.ok:
        return redirect(f"{reverse('members:dues', args=[organization.pk])}?year={year}")
    return _page(request, access, year, which="basis", status=400)


def _book_for_export(request: HttpRequest, cell_pk: int) -> dues.DuesBook:
    organization = get_cell_for_user(request.user, cell_pk).organization
    today = timezone.localdate()
    return selectors.dues_book(organization=organization, year=_year(request, today), today=today)


@login_required
@require_GET
def dues_export_xlsx(request: HttpRequest, cell_pk: int) -> HttpResponse:
    book = _book_for_export(request, cell_pk)
    return xlsx_response(
        dues_book_xlsx(book), f"so-dang-phi-{book.organization.code}-{book.year}.xlsx"
    )


@login_required
@require_GET
def dues_export_pdf(request: HttpRequest, cell_pk: int) -> HttpResponse:
    """The dues book as PDF; a cell above DUES_BOOK_PDF_JOB_THRESHOLD members gets it from a
    background job (its progress page, then the download)."""
    organization = get_cell_for_user(request.user, cell_pk).organization
    today = timezone.localdate()
    year = _year(request, today)
    members = selectors.member_list(organization=organization).count()
    if members > export_jobs.DUES_BOOK_PDF_JOB_THRESHOLD:
        job = export_request(
            actor=request.user,
            kind=export_jobs.DUES_BOOK_PDF_KIND,
            params={"year": year, "today": today.isoformat()},
            organization=organization,
        )
        return redirect("exports:job", job.pk)
    book = selectors.dues_book(organization=organization, year=year, today=today)
    return pdf_response(dues_book_pdf(book), export_jobs.dues_book_filename(organization, year))
