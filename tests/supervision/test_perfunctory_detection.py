"""Perfunctory meetings: near-identical texts of the SAME cell flagged, genuinely different ones
not, diacritics matter, never a comparison across cells, the same few speakers flagged;
thresholds from the rule `perfunctory.thresholds` (chibo's default, unsure)."""

from __future__ import annotations

import datetime
import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command

from chibo.core.rule_formats_quality import compared_parts
from chibo.core.rules import rule_in_force
from chibo.supervision import jobs_quality, perfunctory
from chibo.supervision.models import PerfunctoryFlag, PerfunctoryStatus
from chibo.supervision.services_quality import detect_perfunctory
from tests.meetings.factories import add_members
from tests.supervision.quality_builders import month, signed_meeting

RULE = rule_in_force("perfunctory.thresholds", organization=None, on=datetime.date(2026, 6, 1))

REVIEW = (
    "Trong tháng {m}/2025, chi bộ đã lãnh đạo đảng viên hoàn thành các nhiệm vụ đã đề ra. Tình "
    "hình tư tưởng của đảng viên và nhân dân ổn định; đảng viên chấp hành tốt chủ trương của "
    "Đảng, chính sách, pháp luật của Nhà nước."
)
# Genuinely different months of one cell: what happened, what went wrong.
VARIED = [
    "Tháng 1, chi bộ vận động 35 hộ dân hiến đất mở rộng ngõ 12, đã giải phóng mặt bằng xong "
    "đoạn đầu ngõ; còn 2 hộ chưa đồng thuận, giao tổ dân phố tiếp tục vận động.",
    "Tháng 2, khu phố tổ chức đón Tết an toàn, không có pháo nổ; thu quỹ vì người nghèo được 12 "
    "triệu đồng, trao 8 suất quà cho hộ khó khăn. Một đảng viên chậm nộp đảng phí.",
    "Tháng 3, chi bộ phối hợp Ban công tác Mặt trận lập danh sách cử tri, niêm yết đúng hạn; "
    "phát hiện 4 trường hợp chuyển đi chưa xóa tên, đã báo tổ bầu cử điều chỉnh.",
    "Tháng 4, xảy ra 2 vụ trộm xe máy trong khu dân cư; chi bộ chỉ đạo tổ an ninh tăng tuần "
    "tra ban đêm, lắp thêm 3 camera ở đầu ngõ với kinh phí do nhân dân đóng góp.",
]


def test_rule_is_chibo_unsure_default():
    assert RULE.value["similarity_percent"] == 95
    assert compared_parts(RULE.value) == ["evaluation", "tasks"]
    assert RULE.confidence == "unsure"


def test_month_changed_only_is_near_identical():
    assert perfunctory.similarity(REVIEW.format(m=3), REVIEW.format(m=4)) >= 95


def test_a_few_words_changed_is_near_identical():
    changed = REVIEW.format(m=3).replace("ổn định", "cơ bản ổn định")
    assert perfunctory.similarity(REVIEW.format(m=3), changed) >= 95


def test_genuinely_different_months_are_far_apart():
    for earlier, later in zip(VARIED, VARIED[1:], strict=False):
        assert perfunctory.similarity(earlier, later) < 60


def test_diacritics_matter_and_case_and_spaces_do_not():
    assert perfunctory.similarity("họp chi bộ", "hợp chi bộ") < 100
    assert perfunctory.similarity("Họp  chi   bộ", "họp chi bộ") == 100
    # The same word in decomposed Unicode (NFD, as some phones type it) is the same word.
    assert perfunctory.similarity(unicodedata.normalize("NFD", "họp chi bộ"), "họp chi bộ") == 100


@pytest.mark.django_db
def test_repeated_review_is_flagged_against_the_same_cells_earlier_meeting(world):
    meetings = [
        signed_meeting(world.khoi1, month(2025, number), evaluation=REVIEW.format(m=number))
        for number in range(1, 5)
    ]
    assert detect_perfunctory() == 3
    flags = PerfunctoryFlag.objects.order_by("meeting__date")
    assert [(f.meeting_id, f.earlier_meeting_id, f.part) for f in flags] == [
        (meetings[i].pk, meetings[i - 1].pk, "evaluation") for i in range(1, 4)
    ]
    assert all(flag.similarity >= 95 for flag in flags)
    # Only the previous `lookback_meetings` of the same cell were compared.
    assert flags.last().detail["compared_with"] == [m.pk for m in meetings[:3]]


@pytest.mark.django_db
def test_detection_is_idempotent_and_keeps_a_dismissed_flag(world):
    for number in range(1, 3):
        signed_meeting(world.khoi1, month(2025, number), evaluation=REVIEW.format(m=number))
    assert detect_perfunctory() == 1
    PerfunctoryFlag.objects.update(status=PerfunctoryStatus.DISMISSED)
    assert detect_perfunctory() == 0
    assert PerfunctoryFlag.objects.get().status == PerfunctoryStatus.DISMISSED


@pytest.mark.django_db
def test_genuinely_different_meetings_are_not_flagged(world):
    for number, text in enumerate(VARIED, start=1):
        signed_meeting(world.khoi1, month(2025, number), evaluation=text)
    assert detect_perfunctory() == 0


@pytest.mark.django_db
def test_short_texts_are_not_compared(world):
    for number in range(1, 4):
        signed_meeting(world.khoi1, month(2025, number), tasks="Tiếp tục thực hiện nhiệm vụ.")
    assert detect_perfunctory() == 0


@pytest.mark.django_db
def test_a_cell_copying_another_cell_is_not_flagged(world):
    # By design: each meeting is compared with its own cell's earlier meetings only, never
    # across cells (that would be every pair of cells, and a shared model text is no sign).
    for number, text in enumerate(VARIED, start=1):
        signed_meeting(world.khoi1, month(2025, number), evaluation=text)
        signed_meeting(world.khoi2, month(2025, number), evaluation=text)
    assert detect_perfunctory() == 0
    texts = [
        perfunctory.MeetingTexts(m, c, datetime.date(2025, 1, 1), {"evaluation": VARIED[0]})
        for m, c in ((1, 1), (2, 1))
    ]
    found = perfunctory.repeated_texts(texts, RULE.value)
    assert [(f.meeting_id, f.detail["compared_with"]) for f in found] == [(2, [1])]


@pytest.mark.django_db
def test_since_flags_only_later_meetings_but_compares_with_earlier_ones(world):
    meetings = [
        signed_meeting(world.khoi1, month(2025, number), evaluation=REVIEW.format(m=number))
        for number in range(1, 5)
    ]
    assert detect_perfunctory(since=datetime.date(2025, 4, 1)) == 1
    flag = PerfunctoryFlag.objects.get()
    assert (flag.meeting_id, flag.earlier_meeting_id) == (meetings[3].pk, meetings[2].pk)


@pytest.mark.django_db
def test_same_few_speakers_every_month_is_flagged(world):
    members = add_members(world.khoi1, 10)
    speakers = members[:2]
    meetings = [
        signed_meeting(
            world.khoi1,
            month(2025, number),
            evaluation=VARIED[number % 4],
            speakers=speakers * 2,
            present=members,
        )
        for number in range(1, 7)
    ]
    assert detect_perfunctory() == 1
    flag = PerfunctoryFlag.objects.get()
    assert flag.kind == "same_speakers"
    assert flag.meeting_id == meetings[-1].pk
    assert set(flag.detail["speakers"]) == {member.pk for member in speakers}


@pytest.mark.django_db
def test_many_speakers_are_not_flagged(world):
    members = add_members(world.khoi1, 10)
    for number in range(1, 7):
        signed_meeting(
            world.khoi1,
            month(2025, number),
            speakers=members[number % 5 : number % 5 + 5],
            present=members,
        )
    assert detect_perfunctory() == 0


@pytest.mark.django_db
def test_command_and_nightly_job_raise_the_flags(world):
    for number in range(1, 4):
        signed_meeting(world.khoi1, month(2025, number), evaluation=REVIEW.format(m=number))
    out = io.StringIO()
    call_command("detect_perfunctory", "--since", "2025-03-01", stdout=out)
    assert out.getvalue().strip() == "1"
    # The nightly job looks at the last two months: the January/February pair is now raised.
    assert jobs_quality.detect_recent(today=datetime.date(2025, 3, 20)) == 1
    assert PerfunctoryFlag.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("detect_perfunctory", "--since", "03/2025")
