"""`python -m chibo export_minutes_book`: a cell's minutes book of a year as one PDF."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from tests.meetings.doc_builders import cell_people, pdf_text, run_meeting


@pytest.mark.django_db
def test_command_writes_the_years_minutes_book(world, tmp_path):
    people = cell_people(world)
    october = run_meeting(world, people, day=datetime.date(2026, 10, 5))
    november = run_meeting(world, people)
    target = tmp_path / "so-bien-ban-2026.pdf"
    out = io.StringIO()

    call_command(
        "export_minutes_book", "--cell", world.khoi1.code, "--year", "2026", str(target), stdout=out
    )

    text = pdf_text(target.read_bytes())
    assert "SỔ BIÊN BẢN SINH HOẠT CHI BỘ" in text and "CHI BỘ KHỐI 1" in text
    assert text.index(october.record.fingerprint) < text.index(november.record.fingerprint)
    assert "Vắng có lý do: 1 đồng chí: Đỗ Văn Em (Đi công tác Hà Nội)." in text
    report = out.getvalue()
    assert "2 buổi sinh hoạt" in report
    pages = int(report.split(", ")[1].split()[0])
    assert pages >= 5  # cover, contents, and at least a page per meeting


@pytest.mark.django_db
def test_command_writes_the_resolution_book(world, tmp_path):
    run_meeting(world, cell_people(world))
    target = tmp_path / "so-nghi-quyet.pdf"

    call_command(
        "export_minutes_book",
        "--cell",
        world.khoi1.code,
        "--year",
        "2026",
        "--book",
        "resolutions",
        str(target),
        stdout=io.StringIO(),
    )

    text = pdf_text(target.read_bytes())
    assert "SỔ NGHỊ QUYẾT" in text and "Số 01-NQ/CB" in text


@pytest.mark.django_db
def test_command_refuses_an_unknown_code_a_committee_and_a_year_without_signed_meetings(
    world, tmp_path
):
    target = tmp_path / "book.pdf"
    with pytest.raises(CommandError, match="Không có tổ chức đảng nào mang mã 99.999"):
        call_command("export_minutes_book", "--cell", "99.999", "--year", "2026", str(target))
    with pytest.raises(CommandError, match="không phải là chi bộ"):
        call_command(
            "export_minutes_book", "--cell", world.ward.code, "--year", "2026", str(target)
        )
    with pytest.raises(CommandError, match="không có buổi sinh hoạt nào được ký biên bản"):
        call_command(
            "export_minutes_book", "--cell", world.khoi1.code, "--year", "2026", str(target)
        )
    assert not target.exists()
