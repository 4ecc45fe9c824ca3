"""Pages that import the member register from an XLSX or CSV list and export it (7-HSĐV layout).

A list estimated above settings.CHIBO_IMPORT_JOB_ROWS rows is checked and imported in
background jobs instead (members.imports.jobs), with the same preview and confirmation on the
job's page. A smaller upload is checked and previewed first; the file then waits on the
server (MEDIA_ROOT / "imports", under a random token that only the uploading user's session
knows — never in the database) until the keeper confirms, and is deleted once imported."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from chibo.core.access import get_export_job_for_user
from chibo.core.exports.jobs import export_request
from chibo.core.exports.responses import xlsx_response
from chibo.core.flow import attempt, is_htmx, submit
from chibo.members import export_jobs
from chibo.members.access import get_register_for_user
from chibo.members.exports import export_members_xlsx, import_template_xlsx
from chibo.members.forms_io import MemberImportConfirmForm, MemberImportForm
from chibo.members.imports import ImportMode, ImportResult, import_members, parse_member_file
from chibo.members.imports.jobs import IMPORT_KIND, import_check_request, import_write_request
from chibo.members.imports.reading import estimate_rows, is_csv_name
from chibo.members.selectors import member_list
from chibo.orgs.models import Organization

PENDING_SESSION_KEY = "members_pending_imports"
TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")
# Files never confirmed are removed after a day; a session keeps a few uploads at most.
PENDING_MAX_AGE_SECONDS = 24 * 3600
PENDING_PER_SESSION = 3
# The preview lists this many problems; the rest are counted (the page must stay usable on
# a phone even for a 100,000-row file).
PREVIEW_PROBLEM_LIMIT = 1000


def _imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _remove_stale_uploads(directory: Path) -> None:
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for path in (*directory.glob("*.xlsx"), *directory.glob("*.csv")):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # another request removed it first


def _store_upload(request: HttpRequest, upload: Any, *, organization: Organization) -> str:
    directory = _imports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale_uploads(directory)
    token = secrets.token_hex(16)
    extension = _extension(upload.name)
    with (directory / f"{token}{extension}").open("xb") as stored:
        for chunk in upload.chunks():
            stored.write(chunk)
    pending = dict(request.session.get(PENDING_SESSION_KEY, {}))
    pending[token] = {
        "user": request.user.pk,
        "org": organization.pk,
        "at": time.time(),
        "ext": extension,
    }
    for old_token in sorted(pending, key=lambda key: pending[key]["at"])[:-PENDING_PER_SESSION]:
        (directory / f"{old_token}{pending[old_token].get('ext', '.xlsx')}").unlink(missing_ok=True)
        del pending[old_token]
    request.session[PENDING_SESSION_KEY] = pending
    return token


def _pending_upload(request: HttpRequest, organization: Organization, token: str) -> Path:
    """The stored file behind `token`: only for the user and organization it was uploaded
    for. Any other token answers 404."""
    entry = request.session.get(PENDING_SESSION_KEY, {}).get(token)
    if not TOKEN_PATTERN.match(token) or entry is None:
        raise Http404("unknown upload")
    if entry["user"] != request.user.pk or entry["org"] != organization.pk:
        raise Http404("unknown upload")
    return _imports_dir() / f"{token}{entry.get('ext', '.xlsx')}"


def _extension(name: str) -> str:
    return ".csv" if is_csv_name(name) else ".xlsx"


def _discard_upload(request: HttpRequest, token: str) -> None:
    pending = dict(request.session.get(PENDING_SESSION_KEY, {}))
    entry = pending.pop(token, None) or {}
    (_imports_dir() / f"{token}{entry.get('ext', '.xlsx')}").unlink(missing_ok=True)
    request.session[PENDING_SESSION_KEY] = pending


def _preview_context(result: ImportResult, *, token: str, mode: str) -> dict[str, Any]:
    return {
        "result": result,
        "problems": result.problems[:PREVIEW_PROBLEM_LIMIT],
        "problems_hidden": max(len(result.problems) - PREVIEW_PROBLEM_LIMIT, 0),
        "duplicates": result.duplicates[:PREVIEW_PROBLEM_LIMIT],
        "token": token,
        # Its own ids: the upload form on the same page has a "mode" field too.
        "confirm_form": MemberImportConfirmForm(initial={"mode": mode}, auto_id="confirm_%s"),
    }


def _page(
    request: HttpRequest, organization: Organization, context: dict[str, Any]
) -> HttpResponse:
    context = {
        "organization": organization,
        "breadcrumbs": [
            {
                "label": organization.name,
                "url": reverse("members:cell_list", args=[organization.pk]),
            },
            {"label": _("Import a member list")},
        ],
        **context,
    }
    # htmx swaps only the panel (form and preview); a plain request gets the whole page.
    if is_htmx(request):
        return render(request, "members/import_panel.html", context)
    return render(request, "members/import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_import(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Upload a member list and see what importing it would do: every problem by row and
    column, the duplicates, and a Confirm button while at least one row can be imported."""
    organization = get_register_for_user(request.user, org_pk, manage=True)
    if request.method != "POST":
        return _page(request, organization, {"form": MemberImportForm()})
    form = MemberImportForm(request.POST, request.FILES)
    # The size of the list decides where it is read (issue 14): a large one in a job. The
    # estimate refuses an archive beyond the limits before anything is decompressed.
    estimated = submit(
        request,
        form,
        lambda data: estimate_rows(data["file"], filename=data["file"].name),
        error_field="file",
    )
    if not estimated.ok:
        return _page(request, organization, {"form": form})
    if estimated.result > settings.CHIBO_IMPORT_JOB_ROWS:
        return _check_in_a_job(request, form, organization, estimated.result)
    # An unreadable file (no header row, too many rows, …) is an error on the file field.
    parsed = submit(
        request,
        form,
        lambda data: parse_member_file(
            data["file"], organization=organization, filename=data["file"].name
        ),
        error_field="file",
    )
    if not parsed.ok:
        return _page(request, organization, {"form": form})
    upload, mode, result = form.cleaned_data["file"], form.cleaned_data["mode"], parsed.result
    token = _store_upload(request, upload, organization=organization) if result.valid_count else ""
    return _page(
        request, organization, {"form": form, **_preview_context(result, token=token, mode=mode)}
    )


def _check_in_a_job(
    request: HttpRequest, form: MemberImportForm, organization: Organization, estimated: int
) -> HttpResponse:
    job = import_check_request(
        actor=request.user,
        organization=organization,
        upload=form.cleaned_data["file"],
        mode=form.cleaned_data["mode"],
        estimated_rows=estimated,
    )
    url = reverse("exports:job", args=[job.pk])
    if is_htmx(request):
        # htmx swaps only the panel; the job's page is a page of its own.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _parse_stored(stored: Path, organization: Organization) -> ImportResult:
    with stored.open("rb") as file:
        return parse_member_file(file, organization=organization, filename=stored.name)


@login_required
@require_http_methods(["POST"])
def member_import_job_confirm(request: HttpRequest, job_pk: int) -> HttpResponse:
    """Import a large list checked in a job: queue the import job on the same stored file.
    Only the requester of the check sees it (404 otherwise), and only while they keep the
    register (the job checks again when it runs)."""
    check = get_export_job_for_user(request.user, job_pk)
    if check.kind != IMPORT_KIND or check.params.get("write") or check.organization_id is None:
        raise Http404
    get_register_for_user(request.user, check.organization_id, manage=True)
    form = MemberImportConfirmForm(request.POST)
    mode = form.cleaned_data["mode"] if form.is_valid() else ImportMode.ALL_OR_NOTHING
    queued = attempt(
        request, lambda: import_write_request(actor=request.user, check=check, mode=mode)
    )
    if not queued.ok:
        return redirect("exports:job", check.pk)
    return redirect("exports:job", queued.result.pk)


def _imported_text(created: int) -> str:
    return ngettext(
        "%(count)d member was imported.", "%(count)d members were imported.", created
    ) % {"count": created}


def _skipped_text(skipped: int) -> str:
    return ngettext(
        "%(count)d row with errors was skipped.",
        "%(count)d rows with errors were skipped.",
        skipped,
    ) % {"count": skipped}


@login_required
@require_http_methods(["POST"])
def member_import_confirm(request: HttpRequest, org_pk: int, token: str) -> HttpResponse:
    """Import the previewed file. The file is checked again (the register may have changed
    since), imported in the chosen mode, and deleted."""
    organization = get_register_for_user(request.user, org_pk, manage=True)
    stored = _pending_upload(request, organization, token)
    form = MemberImportConfirmForm(request.POST)
    mode = form.cleaned_data["mode"] if form.is_valid() else ImportMode.ALL_OR_NOTHING
    if not stored.exists():
        _discard_upload(request, token)
        messages.error(request, _("The uploaded file is no longer available. Upload it again."))
        return redirect("members:import", organization.pk)
    parsed = attempt(request, lambda: _parse_stored(stored, organization))
    if not parsed.ok:
        _discard_upload(request, token)
        return redirect("members:import", organization.pk)
    result = parsed.result
    imported = attempt(
        request,
        lambda: import_members(
            actor=request.user, organization=organization, result=result, mode=mode
        ),
        success=lambda outcome: _imported_text(outcome.created),
        errors_to_messages=False,
    )
    if not imported.ok:
        # Refused (all or nothing with bad rows): show the problems again; the file stays so
        # the keeper may choose to import only the valid rows.
        context = _preview_context(result, token=token, mode=mode)
        context |= {"form": MemberImportForm(initial={"mode": mode}), "refusal": [imported.error]}
        return _page(request, organization, context)
    _discard_upload(request, token)
    if imported.result.skipped:
        messages.warning(request, _skipped_text(imported.result.skipped))
    return redirect(reverse("members:cell_list", args=[organization.pk]))


@login_required
@require_http_methods(["GET"])
def member_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The organization's current members (every cell of a committee) as an XLSX list in the
    7-HSĐV layout, for the register keepers and overseers of the organization. A scope above
    MEMBER_LIST_JOB_THRESHOLD members is built in the background: the user lands on the job's
    progress page and downloads the file from there."""
    organization = get_register_for_user(request.user, org_pk, manage=False)
    members = member_list(organization=organization)
    today = timezone.localdate()
    if members.count() > export_jobs.MEMBER_LIST_JOB_THRESHOLD:
        job = export_request(
            actor=request.user,
            kind=export_jobs.MEMBER_LIST_KIND,
            params={"today": today.isoformat()},
            organization=organization,
        )
        return redirect("exports:job", job.pk)
    content = export_members_xlsx(members, organization=organization, today=today)
    return xlsx_response(content, export_jobs.member_list_filename(organization, today))


@login_required
@require_http_methods(["GET"])
def member_import_template(request: HttpRequest) -> HttpResponse:
    """The blank member list with the header row, to fill in and import."""
    return xlsx_response(import_template_xlsx(), "mau-danh-sach-dang-vien.xlsx")
