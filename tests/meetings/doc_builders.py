"""A whole meeting built through the services, for the document tests (names, reasons, votes,
speeches, assignments, a score), optionally signed by the chair and the minute-taker."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess

import docx
import time_machine

from chibo.meetings import services
from chibo.meetings.models import AttendanceStatus, CommendationKind, Meeting, VoteSubject
from tests.conftest import PASSWORD, make_member
from tests.meetings.factories import at, make_meeting

SIGNING_MOMENT = datetime.datetime(
    2026, 11, 5, 21, 15, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
)


def cell_people(world) -> dict:
    """Khối 1 beyond An and Bình: three more official members, a probationary member and one
    exempted from activity."""
    cell = world.khoi1
    return {
        "cuong": make_member(cell, "Lê Văn Cường"),
        "em": make_member(cell, "Đỗ Văn Em"),
        "giang": make_member(cell, "Vũ Thị Giang", sex="female"),
        "dung": make_member(
            cell,
            "Hoàng Thị Dung",
            sex="female",
            official=False,
            admission_decision_date=datetime.date(2026, 3, 1),
            ceremony_date=datetime.date(2026, 3, 19),
        ),
        "hai": make_member(cell, "Ngô Văn Hải", status="exempted"),
    }


def run_meeting(
    world, people: dict, *, day: datetime.date = datetime.date(2026, 11, 3), sign: bool = True
) -> Meeting:
    """Schedule, prepare, publish, open, roll call, agenda notes, speeches, praise, an
    assignment, two votes (one adopted, one not), close, score, wording, signatures."""
    actor = world.an_user
    meeting = make_meeting(world.khoi1, date=day)
    services.agenda_build(actor=actor, meeting=meeting)
    services.meeting_publish(actor=actor, meeting=meeting)
    services.meeting_open(
        actor=actor,
        meeting=meeting,
        chair=world.an,
        minute_taker=world.binh,
        guests=[
            {
                "name": "Lê Thị Cúc",
                "title": "Đảng ủy viên phường, phụ trách chi bộ",
                "member": world.cuc,
                "is_upper_level": True,
            }
        ],
        started_at=at(day, 19, 30),
    )
    marks = {
        world.an.pk: (AttendanceStatus.PRESENT, ""),
        world.binh.pk: (AttendanceStatus.PRESENT, ""),
        people["cuong"].pk: (AttendanceStatus.PRESENT, ""),
        people["dung"].pk: (AttendanceStatus.LATE, "Tan ca muộn"),
        people["em"].pk: (AttendanceStatus.ABSENT_EXCUSED, "Đi công tác Hà Nội"),
        people["giang"].pk: (AttendanceStatus.ABSENT_UNEXCUSED, ""),
    }
    for member_id, (status, reason) in marks.items():
        services.attendance_mark(
            actor=actor, meeting=meeting, member_id=member_id, status=status, reason=reason
        )
    items = {item.step: item for item in meeting.agenda_items.all()}
    services.agenda_item_update(
        actor=actor,
        item=items["review"],
        notes="Chi bộ hoàn thành 4/5 chỉ tiêu tháng 10; vệ sinh môi trường còn chậm.",
        conclusion="Ghi nhận kết quả; khắc phục việc thu gom rác trước ngày 15.",
    )
    services.agenda_item_update(
        actor=actor,
        item=items["tasks"],
        conclusion="Tập trung vận động Quỹ vì người nghèo và ra quân vệ sinh.",
    )
    services.speech_add(
        actor=actor,
        meeting=meeting,
        member=people["cuong"],
        agenda_item=items["review"],
        summary="Đề nghị bố trí thêm thùng rác ở đầu hẻm 12.",
    )
    services.speech_add(
        actor=actor,
        meeting=meeting,
        member=world.binh,
        agenda_item=items["review"],
        summary="Tổ 3 đã vận động được 20 hộ tham gia tổng vệ sinh.",
    )
    services.speech_add(
        actor=actor,
        meeting=meeting,
        member=people["dung"],
        summary="Xin ý kiến về việc đóng đảng phí qua Cổng Dịch vụ công.",
    )
    services.commendation_add(
        actor=actor,
        meeting=meeting,
        member=people["cuong"],
        kind=CommendationKind.PRAISE,
        note="Vận động thành công 15 hộ đóng góp quỹ khuyến học.",
    )
    services.assignment_add(
        actor=actor,
        meeting=meeting,
        title="Vận động hộ dân đóng góp Quỹ vì người nghèo",
        members=[people["cuong"], people["dung"]],
        due_date=day + datetime.timedelta(days=27),
    )
    services.vote_record(
        actor=actor,
        meeting=meeting,
        title="Nghị quyết tháng 11",
        subject=VoteSubject.RESOLUTION,
        in_favour=3,
        against=0,
        abstain=0,
    )
    services.vote_record(
        actor=actor,
        meeting=meeting,
        title="Đề nghị tổ chức tham quan",
        subject=VoteSubject.DECISION,
        in_favour=2,
        against=1,
        abstain=0,
    )
    services.meeting_close(actor=actor, meeting=meeting, ended_at=at(day, 21, 10))
    meeting.refresh_from_db()
    manual = {line.code: line.max_points for line in meeting.score_lines.filter(automatic=False)}
    services.score_lines_set(actor=actor, meeting=meeting, points=manual)
    services.record_update(
        actor=actor,
        meeting=meeting,
        opening_text="Đồng chí Bí thư tuyên bố lý do, giới thiệu đại biểu.",
        closing_text="Biên bản đã được đọc lại và chi bộ nhất trí thông qua.",
        resolution_evaluation="Chi bộ lãnh đạo hoàn thành tốt nhiệm vụ tháng 10.",
        resolution_tasks="Tiếp tục vận động Quỹ vì người nghèo; ra quân tổng vệ sinh.",
        resolution_implementation="Các đồng chí đảng viên thực hiện nhiệm vụ được phân công.",
    )
    if sign:
        sign_meeting(world, meeting)
    meeting.refresh_from_db()
    return meeting


def sign_meeting(world, meeting: Meeting) -> None:
    with time_machine.travel(SIGNING_MOMENT, tick=False):
        services.meeting_sign(actor=world.binh_user, meeting=meeting, password=PASSWORD)
        services.meeting_sign(actor=world.an_user, meeting=meeting, password=PASSWORD)


def pdf_text(content: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it, whitespace collapsed."""
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    result = subprocess.run(  # noqa: S603 — fixed command, bytes on stdin
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    return re.sub(r"\s+", " ", result.stdout.decode("utf-8"))


def italic_lines(content: bytes) -> list[str]:
    """Lines of the PDF set in an italic face: pdftohtml marks them <i> from the font."""
    result = subprocess.run(  # noqa: S603
        ["pdftohtml", "-xml", "-i", "-stdout", "-q", "-", "out"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    xml = result.stdout.decode("utf-8")
    return [
        re.sub(r"<[^>]+>", "", match.group(1))
        for match in re.finditer(r"<text [^>]*>(<i>.*?</i>)</text>", xml)
    ]


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    section = document.sections[0]
    parts.extend(paragraph.text for paragraph in section.footer.paragraphs)
    return re.sub(r"\s+", " ", " ".join(parts))
