"""Party dues pages (DOMAIN §3.8): a cell's member × month grid for a year, the forms that
record a payment and set a member's basis, and the dues book as XLSX and PDF. Register
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
from django.views.decorators.http import require_GET, require_POST

from chibo.core.exports.responses import pdf_response, xlsx_response
from chibo.core.flow import submit
from chibo.members import dues, selectors, services
from chibo.members.dues_exports import dues_book_pdf, dues_book_xlsx
from chibo.members.forms_dues import DuesBasisForm, DuesPaymentForm, DuesYearForm
from chibo.orgs.access import CellAccess, get_cell_for_user
from chibo.orgs.scope import scope_for
from chibo.orgs.selectors import breadcrumbs_for


def _year(request: HttpRequest, today: datetime.date) -> int:
    form = DuesYearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return today.year


def _payable_months(year: int, today: datetime.date) -> list[datetime.date]:
    current = dues.first_of_month(today)
    return [month for month in dues.months_of(year) if month <= current]


def _forms(book: dues.DuesBook, data: Any = None, which: str = "") -> dict[str, Any]:
    members = [row.member for row in book.rows]
    months = _payable_months(book.year, book.today) or [dues.first_of_month(book.today)]
    default_month = dues.first_of_month(book.today)
    if default_month not in months:
        default_month = months[-1]
    payment = DuesPaymentForm(
        data if which == "payment" else None,
        members=members,
        months=months,
        initial={
            "month": default_month.isoformat(),
            "paid_on": book.today,
            "channel": "cash",
        },
        prefix="pay",
    )
    basis = DuesBasisForm(data if which == "basis" else None, members=members, prefix="basis")
    return {"payment_form": payment, "basis_form": basis}


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
        **_forms(book, request.POST if which else None, which),
    }
    return render(request, "members/dues.html", context, status=status)


@login_required
@require_GET
def dues_page(request: HttpRequest, cell_pk: int) -> HttpResponse:
    # A cell the user oversees (404 otherwise).
    access = get_cell_for_user(request.user, cell_pk)
    return _page(request, access, _year(request, timezone.localdate()))


@login_required
@require_POST
def dues_payment_new(request: HttpRequest, cell_pk: int) -> HttpResponse:
    """Record one month paid by one member of the cell."""
    # Overseers who only read: 403.
    access = get_cell_for_user(request.user, cell_pk, write=True)
    organization = access.organization
    today = timezone.localdate()
    year = _year(request, today)
    book = selectors.dues_book(organization=organization, year=year, today=today)
    form = _forms(book, request.POST, "payment")["payment_form"]
    outcome = submit(
        request,
        form,
        lambda data: services.dues_payment_record(
            actor=request.user,
            member=_book_member(book, data.pop("member")),
            **data,
        ),
        success=_("The dues payment was recorded."),
    )
    if outcome.ok:
        return redirect(f"{reverse('members:dues', args=[organization.pk])}?year={year}")
    return _page(request, access, year, which="payment", status=400)


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
    form = _forms(book, request.POST, "basis")["basis_form"]
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
    book = _book_for_export(request, cell_pk)
    return pdf_response(
        dues_book_pdf(book), f"so-dang-phi-{book.organization.code}-{book.year}.pdf"
    )
