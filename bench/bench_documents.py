"""Benchmark: the official documents (DESIGN §7; issue 13: minutes PDF ≤ 0.3 s, the minutes
book of a cell-year ≤ 2× one meeting's PDF).

Run:  .venv/bin/python bench/bench_documents.py [--repeat 7]
It builds a scratch SQLite database in a temporary folder (or uses DATABASE_URL): a 40-member
cell with twelve monthly meetings and four extraordinary ones run through the services (roll
call with absences, speeches, praise, assignments, votes, score, wording) and signed by the chair
and the minute-taker, two of them corrected by signed addenda. Then it times, as medians of
repeated runs (wall clock and this process's CPU): reading a meeting's document data from its
rows (a draft) and from the frozen content (signed), rendering the minutes as DOCX and as PDF,
and the year's minutes book as one PDF.

"Before" figures are measured in the same run by the old render path, kept callable here:
the minutes PDF with the style sheet inside the HTML and a fresh WeasyPrint font configuration
per call (as before issue 13; the bench checks that both paths give the same bytes), and the
book laid out again from every meeting's frozen content in one WeasyPrint document (once: it
takes seconds). It prints each figure and rewrites its section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
os.environ.setdefault("CHIBO_DATA_DIR", tempfile.mkdtemp(prefix="chibo-bench-"))

from results import write_section  # noqa: E402  (bench/ is the script's folder)

YEAR = 2026
PASSWORD = "bench-password-not-secret"  # noqa: S105 — a scratch database's demo login

EXTRAORDINARY_MONTHS = (2, 5, 8, 11)
GIVEN = ["An", "Bình", "Cường", "Dung", "Em", "Giang", "Hải", "Hạnh", "Khoa", "Lan"]
FAMILY = ["Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị"]
SPEECHES = [
    "Đề nghị chi bộ bố trí thêm thùng rác ở đầu hẻm 12 và nhắc các hộ đổ rác đúng giờ.",
    "Tổ dân phố số 3 đã vận động được 20 hộ tham gia tổng vệ sinh cuối tuần.",
    "Việc thu Quỹ vì người nghèo còn chậm; đề nghị các đồng chí tổ trưởng đôn đốc thêm.",
    "Nhân dân phản ánh đèn chiếu sáng ở ngõ 5 hỏng đã hai tuần, cần báo phường xử lý.",
    "Đề nghị tổ chức tuyên truyền về phòng chống lừa đảo qua mạng cho người cao tuổi.",
    "Tình hình an ninh trật tự ổn định; cần duy trì tổ tự quản và tuần tra ban đêm.",
    "Nhất trí với dự thảo nghị quyết; đề nghị bổ sung chỉ tiêu vận động đoàn viên thanh niên.",
    "Đề nghị chi bộ quan tâm giới thiệu quần chúng ưu tú đi học lớp nhận thức về Đảng.",
    "Việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh cần gắn với việc cụ thể.",
    "Đề nghị công khai kết quả thu chi các loại quỹ tại nhà văn hóa khu phố.",
]
ASSIGNMENTS = [
    "Vận động các hộ đóng góp Quỹ vì người nghèo",
    "Ra quân tổng vệ sinh môi trường khu phố",
    "Rà soát hộ nghèo, hộ cận nghèo cuối năm",
    "Tuyên truyền phòng chống cháy nổ mùa khô",
    "Thăm hỏi gia đình chính sách dịp lễ",
    "Kiểm tra việc thực hiện quy ước khu phố",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    call_command("migrate", verbosity=0)

    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)

    from django.utils import timezone, translation
    from weasyprint import HTML

    from chibo.accounts.models import User
    from chibo.core.exports import pdf as pdf_render
    from chibo.followup.services import assignment_create
    from chibo.meetings import documents, services
    from chibo.meetings.documents import book as book_file
    from chibo.meetings.documents import files, layout_addendum
    from chibo.meetings.documents import layout as document_layout
    from chibo.meetings.models import Addendum

    def old_path_document(docs, cover=None):
        """The render path before issue 13: the style sheet inside the HTML, parsed again, and
        a fresh font configuration (fonts loaded again) on every call."""
        text = pdf_render.html(docs, cover=cover).replace(
            "</head>", f"<style>\n{pdf_render.stylesheet_text()}</style>\n</head>", 1
        )
        return HTML(string=text, base_url=str(pdf_render.FONT_DIR)).render()

    def old_path_pdf(docs) -> bytes:
        return old_path_document(docs).write_pdf()

    def old_path_book(cell) -> int:
        """The book before issue 13: every signed document laid out again from its frozen
        content in one WeasyPrint document behind the cover and contents."""
        docs = []
        with translation.override(documents.DOCUMENT_LANGUAGE):
            for meeting in documents.signed_meetings(cell, YEAR):
                record = meeting.record
                data = documents.DocumentData.from_json(record.frozen_content)
                docs.append(document_layout.minutes(data, fingerprint=record.fingerprint))
                for row in Addendum.objects.filter(meeting=meeting).exclude(fingerprint=""):
                    row.meeting = meeting
                    docs.append(
                        layout_addendum.addendum(
                            documents.addendum_data(row), fingerprint=row.fingerprint
                        )
                    )
            cover = pdf_render.Cover(
                upper="",
                issuer=cell.name.upper(),
                title="SỔ BIÊN BẢN",
                year_line=str(YEAR),
                summary="",
                contents_title="MỤC LỤC",
                contents_columns=["STT", "Ngày", "Văn bản", "Trang"],
                entries=[pdf_render.ContentsEntry(doc.date, doc.label, 0) for doc in docs],
            )
            laid_out = old_path_document(docs, cover=cover)
            laid_out.write_pdf()
        return len(laid_out.pages)

    from chibo.meetings.models import AttendanceStatus, CommendationKind, VoteSubject
    from chibo.members.services import member_create, member_link_user
    from chibo.orgs.models import Organization
    from chibo.orgs.services import organization_create, position_assign

    province = Organization.objects.filter(code="78").first() or organization_create(
        actor=None, parent=None, name="Tỉnh ủy Đo Lường", kind="province_committee", code="78"
    )
    ward = Organization.objects.filter(code="78.002").first() or organization_create(
        actor=None,
        parent=province,
        name="Đảng ủy phường Văn Bản",
        kind="ward_committee",
        code="78.002",
    )
    number = Organization.objects.filter(path__startswith=ward.path).count()
    cell = organization_create(
        actor=None,
        parent=ward,
        name=f"Chi bộ Khu phố {number}",
        kind="cell",
        code=f"78.002.000.000.{number:03d}",
        cell_type="residential_group",
    )

    official_dates = {
        "admission_decision_date": datetime.date(2000, 3, 1),
        "ceremony_date": datetime.date(2000, 3, 19),
        "official_date": datetime.date(2001, 3, 19),
    }
    members = []
    for index in range(40):
        name = f"{FAMILY[index % 4]} {GIVEN[index % 10]} {index // 10 + 1}"
        extra: dict = dict(official_dates)
        if index in (36, 37, 38, 39):  # probationary
            extra = {
                "admission_decision_date": datetime.date(YEAR - 1, 9, 1),
                "ceremony_date": datetime.date(YEAR - 1, 9, 19),
            }
        status = "exempted" if index in (34, 35) else None
        members.append(
            member_create(
                actor=None,
                cell=cell,
                full_name=name,
                sex="male" if index % 2 == 0 else "female",
                birth_date=datetime.date(1960 + index % 30, 1 + index % 12, 1 + index % 28),
                status=status,
                **extra,
            )
        )
    chair, minute_taker = members[0], members[1]
    position_assign(
        actor=None,
        member=chair,
        organization=cell,
        role="secretary",
        start_date=datetime.date(YEAR - 1, 1, 1),
    )
    users = []
    for member in (chair, minute_taker):
        user = User.objects.create_user(username=f"bench-doc-{member.pk}", password=PASSWORD)
        member_link_user(actor=None, member=member, user=user)
        users.append(user)
    chair_user, taker_user = users

    def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def run_month(month: int, *, sign: bool, kind: str = "regular", day_of_month: int = 3):
        day = datetime.date(YEAR, month, day_of_month)
        meeting = services.meeting_create(
            actor=chair_user,
            organization=cell,
            kind=kind,
            date=day,
            time=datetime.time(19, 30),
            place="Nhà văn hóa khu phố",
        )
        services.agenda_build(actor=chair_user, meeting=meeting)
        services.meeting_publish(actor=chair_user, meeting=meeting)
        services.meeting_open(
            actor=chair_user,
            meeting=meeting,
            chair=chair,
            minute_taker=minute_taker,
            guests=[
                {"name": "Lê Thị Phụ Trách", "title": "Đảng ủy viên phường", "is_upper_level": True}
            ],
            started_at=at(day, 19, 30),
        )
        for index, member in enumerate(members):
            if index in (34, 35):
                continue  # exempted, pre-marked
            if (index + month) % 13 == 0:
                status, reason = AttendanceStatus.ABSENT_EXCUSED, "Đi công tác"
            elif (index + month) % 17 == 0:
                status, reason = AttendanceStatus.ABSENT_UNEXCUSED, ""
            elif (index + month) % 11 == 0:
                status, reason = AttendanceStatus.LATE, "Tan ca muộn"
            else:
                status, reason = AttendanceStatus.PRESENT, ""
            services.attendance_mark(
                actor=chair_user, meeting=meeting, member_id=member.pk, status=status, reason=reason
            )
        items = {item.step: item for item in meeting.agenda_items.all()}
        for step in ("news", "review", "tasks", "discussion"):
            services.agenda_item_update(
                actor=chair_user,
                item=items[step],
                notes="Đồng chí Bí thư quán triệt nội dung; chi bộ thảo luận sôi nổi.",
                conclusion="Chi bộ thống nhất nội dung; giao các đồng chí phụ trách tổ triển khai.",
            )
        for speech in range(10):
            speaker = members[(speech * 3 + month) % 34]
            services.speech_add(
                actor=chair_user,
                meeting=meeting,
                member=speaker,
                agenda_item=items[("review", "tasks", "discussion")[speech % 3]],
                summary=SPEECHES[(speech + month) % len(SPEECHES)],
            )
        services.commendation_add(
            actor=chair_user,
            meeting=meeting,
            member=members[month + 2],
            kind=CommendationKind.PRAISE,
            note="Hoàn thành xuất sắc việc vận động nhân dân tham gia tổng vệ sinh.",
        )
        for number in range(4):
            assignment_create(
                actor=chair_user,
                meeting=meeting,
                title=ASSIGNMENTS[(number + month) % len(ASSIGNMENTS)],
                members=[
                    members[(number * 5 + month) % 34],
                    members[(number * 5 + month + 1) % 34],
                ],
                due_date=day + datetime.timedelta(days=25),
            )
        present = services.electorate_for(meeting).present
        services.vote_record(
            actor=chair_user,
            meeting=meeting,
            title=f"Nghị quyết tháng {month}" + (" (bất thường)" if kind != "regular" else ""),
            subject=VoteSubject.RESOLUTION,
            in_favour=present - 1,
            against=0,
            abstain=1,
        )
        services.meeting_close(actor=chair_user, meeting=meeting, ended_at=at(day, 21, 15))
        meeting.refresh_from_db()
        manual = {
            line.code: line.max_points for line in meeting.score_lines.filter(automatic=False)
        }
        services.score_lines_set(actor=chair_user, meeting=meeting, points=manual)
        services.record_update(
            actor=taker_user,
            meeting=meeting,
            opening_text="Đồng chí Bí thư tuyên bố lý do, giới thiệu đại biểu.",
            closing_text="Biên bản đã được đọc lại và chi bộ nhất trí thông qua.",
            resolution_evaluation="Chi bộ lãnh đạo hoàn thành các chỉ tiêu tháng trước.",
            resolution_tasks="Tiếp tục vận động Quỹ vì người nghèo; giữ gìn vệ sinh môi trường.",
            resolution_implementation="Các đồng chí đảng viên thực hiện nhiệm vụ được phân công.",
        )
        if sign:
            sign_meeting(meeting)
        meeting.refresh_from_db()
        return meeting

    def sign_meeting(meeting):
        services.meeting_sign(actor=taker_user, meeting=meeting, password=PASSWORD)
        services.meeting_sign(actor=chair_user, meeting=meeting, password=PASSWORD)

    def sign_addendum(meeting, text: str) -> None:
        addendum = services.addendum_create(
            actor=taker_user, meeting=meeting, text=text, reason="Bổ sung lý do vắng"
        )
        services.addendum_sign(actor=taker_user, addendum=addendum, password=PASSWORD)
        services.addendum_sign(actor=chair_user, addendum=addendum, password=PASSWORD)

    build_started = time.perf_counter()
    signing: list[float] = []
    for month in range(1, 12):
        meeting = run_month(month, sign=False)
        started = time.perf_counter()
        sign_meeting(meeting)
        signing.append(time.perf_counter() - started)
        if month in EXTRAORDINARY_MONTHS:
            run_month(month, sign=True, kind="extraordinary", day_of_month=18)
        if month in (4, 9):
            sign_addendum(meeting, "Bổ sung: đồng chí vắng đã báo trước bằng văn bản.")
    december = run_month(12, sign=False)
    build_seconds = time.perf_counter() - build_started

    lines: list[str] = []

    def report(line: str) -> None:
        print(line)
        lines.append(line)

    def median_of(action, repeat: int = args.repeat) -> tuple[float, object]:
        return timed(action, repeat)[0::2]

    def interleaved(first, second, repeat: int):
        """`timed` for two actions called in turn: (wall, CPU, last result) of each."""
        first(), second()  # warm-up
        samples: list[list[tuple[float, float]]] = [[], []]
        results: list[object] = [None, None]
        for _ in range(repeat):
            for index, action in enumerate((first, second)):
                started, started_cpu = time.perf_counter(), time.process_time()
                results[index] = action()
                samples[index].append(
                    (time.perf_counter() - started, time.process_time() - started_cpu)
                )
        return tuple(
            (
                statistics.median(wall for wall, _cpu in runs),
                statistics.median(cpu for _wall, cpu in runs),
                results[index],
            )
            for index, runs in enumerate(samples)
        )

    def timed(action, repeat: int = args.repeat, warm: bool = True) -> tuple[float, float, object]:
        """Median wall time, median CPU time of this process, and the last result."""
        result = action() if warm else None
        wall, cpu = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = action()
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        return statistics.median(wall), statistics.median(cpu), result

    # A closed meeting not yet signed: the data is read from its rows.
    with CaptureQueriesContext(connection) as queries:
        documents.document_data(december)
    draft_read, data = median_of(lambda: documents.document_data(december))
    report(
        f"- document data from the rows (40 members, 10 speeches, 4 assignments): median "
        f"{draft_read * 1000:.1f} ms, {len(queries)} queries"
    )
    draft_pdf, content = median_of(lambda: files.render(december, "minutes", "pdf"))
    report(
        f"- draft minutes PDF (rows + render): median {draft_pdf * 1000:.0f} ms, "
        f"{len(content) // 1024} KB"
    )

    started = time.perf_counter()
    sign_meeting(december)
    signing.append(time.perf_counter() - started)
    december.refresh_from_db()
    report(
        f"- signing (second signature: freeze, fingerprint, render and store minutes and "
        f"resolution as PDF and DOCX): median {statistics.median(signing) * 1000:.0f} ms over "
        f"{len(signing)} meetings"
    )
    with CaptureQueriesContext(connection) as queries:
        documents.document_data(december)
    frozen_read, data = median_of(lambda: documents.document_data(december))
    report(
        f"- document data of a signed meeting (from the frozen content): median "
        f"{frozen_read * 1000:.2f} ms, {len(queries)} queries"
    )
    fingerprint = december.record.fingerprint
    docx_time, docx_bytes = median_of(
        lambda: files.render_minutes_docx(data, fingerprint=fingerprint)
    )
    report(
        f"- minutes DOCX: median {docx_time * 1000:.0f} ms ({len(docx_bytes) // 1024} KB); "
        f"×{docx_time / frozen_read:.0f} of reading the frozen data (baseline); "
        f"budget 1 s: {'met' if docx_time < 1 else 'NOT met'}"
    )
    with translation.override(documents.DOCUMENT_LANGUAGE):
        minutes_layout = document_layout.minutes(data, fingerprint=fingerprint)
    # Before and after alternate call by call in the same run (twice as many calls as the
    # other figures), so that the load of the shared machine falls on both alike.
    (before_wall, before_cpu, before_bytes), (pdf_time, pdf_cpu, pdf_bytes) = interleaved(
        lambda: old_path_pdf([minutes_layout]),
        lambda: files.render_minutes_pdf(data, fingerprint=fingerprint),
        2 * args.repeat,
    )
    report(
        f"- minutes PDF, before (style sheet parsed and fonts loaded on every call): median "
        f"{before_wall * 1000:.0f} ms wall, {before_cpu * 1000:.0f} ms CPU "
        f"({len(before_bytes) // 1024} KB)"
    )
    report(
        f"- minutes PDF, after (style sheet and fonts prepared once per thread): median "
        f"{pdf_time * 1000:.0f} ms wall, {pdf_cpu * 1000:.0f} ms CPU "
        f"({len(pdf_bytes) // 1024} KB); "
        f"×{pdf_cpu / before_cpu:.2f} of before in CPU, ×{pdf_time / before_wall:.2f} in wall "
        f"time; same bytes as before: {'yes' if pdf_bytes == before_bytes else 'NO'}; "
        f"budget 0.3 s: {'met' if pdf_time <= 0.3 else 'NOT met'} (wall), "
        f"{'met' if pdf_cpu <= 0.3 else 'NOT met'} (CPU)"
    )
    resolution_time, _ = median_of(
        lambda: files.render_resolution_pdf(data, fingerprint=fingerprint)
    )
    report(f"- resolution PDF: median {resolution_time * 1000:.0f} ms")

    book_runs = max(5, args.repeat)
    book_wall, book_cpu, book = timed(lambda: book_file.render_book_pdf(cell, YEAR), book_runs)
    one_wall, one_cpu, _ = timed(lambda: files.render_minutes_pdf(data, fingerprint=fingerprint))
    addenda = sum(1 for part in book.parts if part.addendum is not None)
    report(
        f"- minutes book of the year, after (merging the stored signed PDFs behind a generated "
        f"cover and contents; {book.meetings} meetings and {addenda} addenda, {book.pages} "
        f"pages, {len(book.content) // 1024} KB): median {book_wall * 1000:.0f} ms wall, "
        f"{book_cpu * 1000:.0f} ms CPU over {book_runs} runs; one meeting's minutes PDF in the "
        f"same stretch {one_wall * 1000:.0f} ms wall, {one_cpu * 1000:.0f} ms CPU; "
        f"×{book_wall / one_wall:.2f} of it in wall time, ×{book_cpu / one_cpu:.2f} in CPU; "
        f"budget 2×: {'met' if book_wall <= 2 * one_wall else 'NOT met'}; "
        f"over 2 s: {'yes' if book_wall > 2 else 'no'}"
    )
    resolutions_wall, _cpu, resolutions = timed(
        lambda: book_file.render_book_pdf(cell, YEAR, documents.RESOLUTION_BOOK), 3
    )
    report(
        f"- resolution book of the year, after ({resolutions.pages} pages): median "
        f"{resolutions_wall * 1000:.0f} ms"
    )
    old_wall, old_cpu, old_pages = timed(lambda: old_path_book(cell), 1, warm=False)
    report(
        f"- minutes book of the year, before (every document laid out again, {old_pages} pages): "
        f"{old_wall:.2f} s wall, {old_cpu:.2f} s CPU (one run); after is "
        f"×{book_wall / old_wall:.3f} of it"
    )
    report(
        f"- (building and signing the {book.meetings} meetings and {addenda} addenda took "
        f"{build_seconds:.1f} s)"
    )

    engine = connection.vendor
    heading = f"## Documents ({engine})"
    section = [
        heading,
        "",
        f"Command: `.venv/bin/python bench/bench_documents.py --repeat {args.repeat}`"
        + (" with DATABASE_URL set" if engine != "sqlite" else "")
        + f" — run {datetime.date.today():%d/%m/%Y}, {os.cpu_count()} cores (shared with other "
        'work; figures are medians). "Before" is the old render path kept callable in the bench '
        "and measured in the same run (the minutes PDF's bytes are checked equal).",
        "",
        *lines,
        "",
    ]
    write_section(section)


if __name__ == "__main__":
    main()
