"""The members' exports that may take over two seconds, built as background jobs
(core.exports.jobs): the member list XLSX of a big scope and the dues book PDF. Registered in
MembersConfig.ready(); the views decide, by the thresholds below, which requests go here.

The costs behind the thresholds were measured on the demo data (CPU, a shared 2-core machine)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from chibo.core.exports import jobs
from chibo.core.exports.responses import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE
from chibo.core.models import ExportJob
from chibo.members import selectors
from chibo.members.dues_exports import dues_book_pdf
from chibo.members.exports import member_table
from chibo.members.models import Member
from chibo.orgs.models import Organization

MEMBER_LIST_KIND = "members.list_xlsx"
DUES_BOOK_PDF_KIND = "members.dues_book_pdf"
# ~0.45 ms of CPU per member (measured on the demo data: 1,137 members 0.49 s, 2,061 members
# 0.91 s): 2,000 members take ~1 s of CPU alone, two seconds on a busy server; a bigger scope's
# list is built in the background.
MEMBER_LIST_JOB_THRESHOLD = 2000
# The dues book PDF of a cell: ~35 ms of CPU per member (measured on the demo data: 10 members
# 0.37 s, 24 members 0.67 s, 73 members 2.74 s), WeasyPrint laying out the landscape table. Above
# 30 members it passes a second of CPU alone, two seconds on a busy server: a bigger cell's book
# is built in the background. (Its XLSX stays direct: 0.06 s for 73 members.)
DUES_BOOK_PDF_JOB_THRESHOLD = 30
PROGRESS_EVERY = 500  # rows between two progress updates


def member_list_filename(organization: Organization, day: datetime.date) -> str:
    return f"danh-sach-dang-vien-{organization.code}-{day:%Y%m%d}.xlsx"


def dues_book_filename(organization: Organization, year: int) -> str:
    return f"so-dang-phi-{organization.code}-{year}.pdf"


def _rows_text(done: int, total: int) -> str:
    return _("Members written: %(done)s of %(total)s") % {"done": done, "total": total}


def _counted(members: Iterator[Member], total: int, progress: jobs.Progress) -> Iterator[Member]:
    for done, member in enumerate(members, start=1):
        if done % PROGRESS_EVERY == 0:
            # Reading and writing the rows is 5–90 % of the job.
            progress(5 + 85 * done // max(total, 1), _rows_text(done, total))
        yield member


def build_member_list(job: ExportJob, progress: jobs.Progress) -> tuple[bytes, str, str]:
    """The organization's current members as the XLSX list of members.exports, row for row
    what the direct download gives for the same day."""
    organization = Organization.objects.get(pk=job.organization_id)
    day = datetime.date.fromisoformat(job.params["today"])
    queryset = selectors.member_list(organization=organization)
    total = queryset.count()
    progress(5, _rows_text(0, total))
    members = _counted(queryset.select_related("cell").iterator(chunk_size=2000), total, progress)
    content = member_table(members, organization=organization, today=day).xlsx()
    return content, member_list_filename(organization, day), XLSX_CONTENT_TYPE


def build_dues_book_pdf(job: ExportJob, progress: jobs.Progress) -> tuple[bytes, str, str]:
    """The cell's dues book for the year as PDF, as the dues page shows it on the day."""
    organization = Organization.objects.get(pk=job.organization_id)
    params: dict[str, Any] = job.params
    day = datetime.date.fromisoformat(params["today"])
    progress(10, _("Reading the dues book"))
    book = selectors.dues_book(organization=organization, year=params["year"], today=day)
    progress(30, _("Laying out the PDF"))
    content = dues_book_pdf(book)
    return content, dues_book_filename(organization, book.year), PDF_CONTENT_TYPE


def register() -> None:
    jobs.register(MEMBER_LIST_KIND, build_member_list)
    jobs.register(DUES_BOOK_PDF_KIND, build_dues_book_pdf)
