"""Benchmark: perfunctory-meeting detection (issue 11: "over a commune's year (30 cells × 12
meetings) and over 2,000 cells — time and memory in bench/RESULTS.md, growing linearly").

Run:  .venv/bin/python bench/bench_perfunctory.py [--cells 2000] [--repeat 3]
It builds a scratch SQLite database in a temporary folder (or uses DATABASE_URL): a commune of
30 cells and a province of 2,000, each cell with 12 signed regular meetings (record texts of a
real length, one cell in ten copying its review month after month; 6 members present and 3
speeches a meeting), bulk inserted. It measures, for each size, a baseline (loading the texts,
speeches and attendance detection reads: supervision.services_quality._load) and the whole
detection (load, compare each meeting with the same cell's previous meetings, insert the
flags; flags are deleted between runs), with time (median) and peak Python memory
(tracemalloc), and the per-cell cost, to show linear growth. The section of bench/RESULTS.md is
rewritten.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
os.environ.setdefault("CHIBO_DATA_DIR", tempfile.mkdtemp(prefix="chibo-bench-"))

MONTHS = 12
RESULTS = [
    "vận động {n} hộ đóng góp Quỹ Vì người nghèo",
    "tổ an ninh tuần tra {n} đêm, không xảy ra trộm cắp",
    "thăm hỏi {n} gia đình chính sách",
    "hòa giải {n} vụ mâu thuẫn trong khu dân cư",
    "hỗ trợ {n} người cao tuổi cài đặt định danh điện tử",
    "khơi thông {n} mét cống rãnh trước mùa mưa",
    "vận động {n} hộ tham gia bảo hiểm y tế",
    "tổ chức {n} buổi tuyên truyền phòng chống lừa đảo",
]
COPIED = (
    "Trong tháng {month}, chi bộ đã lãnh đạo đảng viên hoàn thành các nhiệm vụ đã đề ra. Tình "
    "hình tư tưởng của đảng viên và nhân dân ổn định; đảng viên chấp hành tốt chủ trương của "
    "Đảng, chính sách, pháp luật của Nhà nước."
)


def review(cell: int, month: int) -> str:
    if cell % 10 == 0:
        return COPIED.format(month=month)
    picks = [RESULTS[(cell * 7 + month * 3 + k * 5) % len(RESULTS)] for k in range(3)]
    body = "; ".join(p.format(n=(cell * 13 + month * 17 + k) % 40 + 3) for k, p in enumerate(picks))
    return f"Trong tháng {month}, chi bộ đã {body}. Hạn chế: còn {month % 4 + 1} đảng viên vắng."


def tasks(cell: int, month: int) -> str:
    if cell % 10 == 0:
        return "1. Tiếp tục thực hiện tốt các nhiệm vụ chính trị của chi bộ.\n2. Duy trì sinh hoạt."
    return "\n".join(
        f"{k + 1}. "
        + RESULTS[(cell + month * 5 + k * 3) % len(RESULTS)].format(n=month + k)
        + f" (hạn {month % 28 + 1:02d}/{month:02d})"
        for k in range(3)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=2000)
    parser.add_argument("--baseline-cells", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from results import write_section

    from chibo.meetings.models import (
        Attendance,
        Meeting,
        MeetingRecord,
        MeetingScore,
        Speech,
    )
    from chibo.members.models import Member
    from chibo.orgs.models import Organization
    from chibo.supervision import services_quality
    from chibo.supervision.models import PerfunctoryFlag

    now = timezone.now()

    def build(code: str, cells: int) -> list[Organization]:
        existing = Organization.objects.filter(code=code).first()
        if existing is None:
            existing = Organization.objects.add_root(
                {"name": f"Đảng ủy Đo {code}", "kind": "commune_committee", "code": code}
            )
            rows = [
                Organization(
                    path=Organization._get_path(existing.path, 2, n),
                    depth=2,
                    numchild=0,
                    name=f"Chi bộ Đo {code}.{n}",
                    name_search=f"chi bộ đo {code}.{n}",
                    kind="cell",
                    cell_type="residential_group",
                    code=f"{code}.000.{n:04d}",
                )
                for n in range(1, cells + 1)
            ]
            Organization.objects.bulk_create(rows, batch_size=1000)
            Organization.objects.filter(pk=existing.pk).update(numchild=cells)
        made = list(
            Organization.objects.filter(path__startswith=existing.path, depth=2).order_by("path")
        )
        if Meeting.objects.filter(organization=made[0]).exists():
            return made
        members = [
            Member(
                cell=cell,
                full_name=f"Đảng viên {i}",
                name_sort_key=f"{i}",
                name_search=f"đảng viên {i}",
                sex="male",
                birth_date=datetime.date(1970, 1, 1),
                status="official",
                membership_class="official",
            )
            for cell in made
            for i in range(6)
        ]
        Member.objects.bulk_create(members, batch_size=2000)
        by_cell: dict[int, list[Member]] = {}
        for member in Member.objects.filter(cell__in=made).order_by("id"):
            by_cell.setdefault(member.cell_id, []).append(member)
        meetings = [
            Meeting(
                organization=cell,
                kind="regular",
                period=datetime.date(2025, month, 1),
                date=datetime.date(2025, month, 5),
                time=datetime.time(19, 30),
                status="signed",
                signed_at=now,
            )
            for cell in made
            for month in range(1, MONTHS + 1)
        ]
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        saved = Meeting.objects.filter(organization__in=made).order_by("organization_id", "date")
        index = {cell.pk: n for n, cell in enumerate(made, start=1)}
        records, scores, attendance, speeches = [], [], [], []
        for meeting in saved:
            n, month = index[meeting.organization_id], meeting.date.month
            records.append(
                MeetingRecord(
                    meeting=meeting,
                    organization_id=meeting.organization_id,
                    resolution_evaluation=review(n, month),
                    resolution_tasks=tasks(n, month),
                    resolution_implementation="Chi ủy chỉ đạo, đôn đốc thực hiện nghị quyết.",
                )
            )
            scores.append(MeetingScore(meeting=meeting, total=80, rating="fair"))
            people = by_cell[meeting.organization_id]
            for member in people:
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        member=member,
                        category="official",
                        membership_class="official",
                        status="present",
                    )
                )
            for k in range(3):
                speeches.append(
                    Speech(meeting=meeting, member=people[(month + k) % 6], summary="Phát biểu.")
                )
        MeetingRecord.objects.bulk_create(records, batch_size=2000)
        MeetingScore.objects.bulk_create(scores, batch_size=2000)
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        Speech.objects.bulk_create(speeches, batch_size=2000)
        return made

    def run(cells: list[Organization], detect: bool) -> tuple[float, float, int]:
        times, peaks, created = [], [], 0
        for _ in range(args.repeat):
            PerfunctoryFlag.objects.filter(cell__in=cells).delete()
            tracemalloc.start()
            start = time.perf_counter()
            if detect:
                created = services_quality.detect_perfunctory(cells=cells)
            else:
                services_quality._load(cells, None, {"evaluation", "tasks"})
            times.append(time.perf_counter() - start)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        return statistics.median(times), max(peaks) / 2**20, created

    started = time.perf_counter()
    small = build("91", args.baseline_cells)
    large = build("92", args.cells)
    built = time.perf_counter() - started

    lines: list[str] = []

    def report(line: str) -> None:
        print(line)
        lines.append(line)

    results = {}
    for label, cells in (("small", small), ("large", large)):
        results[label] = {"load": run(cells, False), "detect": run(cells, True)}
    heading = "## Perfunctory detection (sqlite)"
    report(heading)
    report("")
    report(
        f"Command: `.venv/bin/python bench/bench_perfunctory.py --cells {args.cells} --repeat "
        f"{args.repeat}` — run {datetime.date.today():%d/%m/%Y}, 2 cores (shared with other "
        "work). Each cell: 12 signed regular meetings, review and tasks texts of 150–250 "
        "characters, 6 members present, 3 speeches; one cell in ten copies its review. Each "
        "meeting compared with the same cell's previous 3 only. Peak memory is Python's "
        "(tracemalloc)."
    )
    report("")
    base_cells, large_cells = len(small), len(large)
    for label, count in (("small", base_cells), ("large", large_cells)):
        load_time, load_peak, _ = results[label]["load"]
        detect_time, detect_peak, created = results[label]["detect"]
        meetings = count * MONTHS
        report(
            f"- {count:,} cells × {MONTHS} meetings ({meetings:,}), loading the texts only "
            f"(baseline): median {load_time * 1000:.0f} ms, peak {load_peak:.1f} MiB"
        )
        report(
            f"- {count:,} cells × {MONTHS} meetings, whole detection: median "
            f"{detect_time * 1000:.0f} ms, peak {detect_peak:.1f} MiB, {created:,} flags; "
            f"{detect_time / count * 1000:.2f} ms per cell, ×{detect_time / load_time:.1f} of "
            "loading"
        )
    small_per_cell = results["small"]["detect"][0] / base_cells
    large_per_cell = results["large"]["detect"][0] / large_cells
    report(
        f"- per-cell time at {large_cells:,} cells ×{large_per_cell / small_per_cell:.2f} of "
        f"that at {base_cells} cells (1.0 = linear growth); peak memory per cell "
        f"{results['large']['detect'][1] * 1024 / large_cells:.1f} KiB vs "
        f"{results['small']['detect'][1] * 1024 / base_cells:.1f} KiB"
    )
    report(f"- (building both took {built:.1f} s)")
    write_section(lines)


if __name__ == "__main__":
    main()
