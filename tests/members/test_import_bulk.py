"""The import's bulk writes (members/imports/bulk.py: COPY on PostgreSQL, one prepared INSERT on
SQLite) store exactly what the register's own service (member_create) stores for the same
values, all or nothing, with a number of queries that does not grow with the file.

The people are those of tests/conftest.py; Bình (Khối 1, born 01/05/1970) is already registered.
"""

import datetime
import unicodedata

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.core.text import _INVISIBLE, fold, has_hidden_characters, normalize_name
from chibo.members.imports import (
    BIRTH_DATE,
    CARD,
    NAME,
    ImportMode,
    import_members,
    parse_member_file,
)
from chibo.members.imports.reading import _fold_name
from chibo.members.models import Member, MemberEvent
from chibo.members.services import member_create
from tests.members.fixtures_xlsx import many_rows, member_list_file, member_row

pytestmark = pytest.mark.django_db

KHOI1 = "38.168.000.000.001"
KHOI2 = "38.168.000.000.002"
# Every column of a member but those that differ between any two writes of the same person.
MEMBER_FIELDS = [
    field.attname
    for field in Member._meta.concrete_fields
    if field.attname not in ("id", "created_at", "updated_at")
]
EVENT_FIELDS = ["status", "effective_date", "cell_id", "decision_ref", "grounds", "details"]


def mixed_ward_file():
    """A ward's list: new members of every kind, rows repeating another row or a registered
    member, and a row with a bad date."""
    return member_list_file(
        [
            # 4: official, every optional column filled
            member_row(
                "Lê Thị Hoa",
                **{
                    "Giới tính": "Nữ",
                    "Dân tộc": "Tày",
                    "Tôn giáo": "Phật giáo",
                    "Quê quán": "Hưng Yên",
                    "Nơi ở hiện nay": "12 Lê Lợi, phường Hưng Phú",
                    "Trình độ học vấn": "12/12",
                    "Trình độ chuyên môn": "Cử nhân kinh tế",
                    "Lý luận chính trị": "Trung cấp",
                    "Nghề nghiệp": "Kế toán",
                    "Ngày chính thức": "19/03/2021",
                    "Số thẻ đảng viên": "2000 0001",
                    "Chi bộ (mã tổ chức)": KHOI1,
                    "Điện thoại": "0912345678",
                    "Email": "hoa@example.vn",
                    "Ghi chú": "Chuyển đến năm 2022",
                },
            ),
            # 5: probationary, a real Excel date, spaces to normalise in the name
            member_row(
                "  Phạm   Văn  Cường ",
                **{"Ngày sinh": datetime.date(1985, 7, 20), "Chi bộ (mã tổ chức)": KHOI2},
            ),
            # 6: exempted, recognised: an official member exempted from activities
            member_row(
                "Đinh Thị Ánh",
                **{
                    "Giới tính": "Nữ",
                    "Ngày chính thức": "20/03/2021",
                    "Trạng thái": "Miễn sinh hoạt",
                    "Chi bộ (mã tổ chức)": KHOI1,
                    "Số thẻ đảng viên": "20000003",
                },
            ),
            # 7: exempted before recognition: a probationary member
            member_row(
                "Ông Văn Bảy",
                **{"Trạng thái": "Miễn sinh hoạt", "Chi bộ (mã tổ chức)": "Chi bộ Khối 2"},
            ),
            # 8: the card of row 4 again
            member_row(
                "Bùi Văn Nam",
                **{"Số thẻ đảng viên": "20000001", "Chi bộ (mã tổ chức)": KHOI1},
            ),
            # 9: Bình, already registered, written without diacritics
            member_row(
                "tran thi binh",
                **{"Giới tính": "Nữ", "Ngày sinh": "01/05/1970", "Chi bộ (mã tổ chức)": KHOI1},
            ),
            # 10: a date that does not exist
            member_row("Đỗ Văn Hải", **{"Ngày sinh": "31/02/1980", "Chi bộ (mã tổ chức)": KHOI1}),
            # 11: an older member whose admission dates were never entered
            {
                "Họ và tên": "Trương Công Định",
                "Giới tính": "Nam",
                "Ngày sinh": "02/09/1950",
                "Chi bộ (mã tổ chức)": KHOI2,
            },
        ]
    )


def written(cell_ids):
    members = sorted(
        Member.objects.filter(cell_id__in=cell_ids).exclude(
            full_name__in=["Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc", "Phạm Văn Dũng"]
        ),
        key=lambda member: member.full_name,
    )
    return (
        [{name: getattr(member, name) for name in MEMBER_FIELDS} for member in members],
        [
            [
                {name: getattr(event, name) for name in EVENT_FIELDS}
                for event in MemberEvent.objects.filter(member=member)
            ]
            for member in members
        ],
        members,
    )


def test_the_bulk_import_stores_what_member_create_stores_for_the_same_rows(world):
    result = parse_member_file(mixed_ward_file(), organization=world.ward)
    assert {(problem.row, problem.column) for problem in result.problems} == {
        (8, CARD),
        (9, NAME),
        (10, BIRTH_DATE),
    }
    cells = [world.khoi1.pk, world.khoi2.pk]
    started = timezone.now()
    last_entry = AuditEntry.objects.order_by("pk").last()

    with transaction.atomic(), translation.override("en"):
        outcome = import_members(
            actor=world.cuc_user,
            organization=world.ward,
            result=result,
            mode=ImportMode.VALID_ROWS_ONLY,
        )
        imported, imported_events, members = written(cells)
        entries = list(AuditEntry.objects.filter(pk__gt=last_entry.pk if last_entry else 0))
        for member in members:
            # The times of creation are the import's; the members can be changed afterwards.
            assert started <= member.created_at == member.updated_at <= timezone.now()
            assert member.version == 1
        reasons = set(
            MemberEvent.objects.filter(member__in=members).values_list("reason", flat=True)
        )
        recorders = set(
            MemberEvent.objects.filter(member__in=members).values_list("recorded_by", flat=True)
        )
        transaction.set_rollback(True)  # undo the import, to register the rows one by one

    assert outcome.created == 5 and outcome.skipped == 3
    assert [entry.code for entry in entries] == ["members.imported"]
    assert entries[0].changes == {
        "count": 5,
        "skipped": 3,
        "cells": sorted(cells),
        "mode": "valid_rows_only",
    }
    assert reasons == {"Imported from a member list file"}
    assert recorders == {world.cuc_user.pk}
    assert not Member.objects.filter(full_name="Lê Thị Hoa").exists()  # rolled back

    # The same valid rows, registered one by one through the register's own service.
    for row in result.valid_rows:
        member_create(actor=world.cuc_user, cell=row.cell, status=row.status, **row.values)
    expected, expected_events, _ = written(cells)

    assert [member["full_name"] for member in imported] == [
        "Lê Thị Hoa",
        "Phạm Văn Cường",
        "Trương Công Định",
        "Ông Văn Bảy",
        "Đinh Thị Ánh",
    ]
    assert imported == expected
    assert imported_events == expected_events
    by_name = {member["full_name"]: member for member in imported}
    assert by_name["Lê Thị Hoa"]["party_card_number"] == "20000001"
    assert by_name["Lê Thị Hoa"]["ethnicity"] == "Tày"
    assert by_name["Trương Công Định"]["ethnicity"] == "Kinh"  # the default
    assert (by_name["Đinh Thị Ánh"]["status"], by_name["Đinh Thị Ánh"]["membership_class"]) == (
        "exempted",
        "official",
    )
    assert by_name["Ông Văn Bảy"]["membership_class"] == "probationary"
    assert by_name["Phạm Văn Cường"]["name_search"] == "pham van cuong"


def test_members_registered_after_an_import_get_new_ids(world):
    gone = member_create(
        actor=None,
        cell=world.khoi1,
        full_name="Người Đã Xóa",
        sex="male",
        birth_date=datetime.date(1980, 1, 1),
    )
    gone_id = gone.pk
    gone.delete()
    result = parse_member_file(member_list_file(many_rows(30)), organization=world.khoi1)

    import_members(actor=None, organization=world.khoi1, result=result)
    later = member_create(
        actor=None,
        cell=world.khoi1,
        full_name="Người Đến Sau",
        sex="male",
        birth_date=datetime.date(1981, 1, 1),
    )

    imported = list(
        Member.objects.filter(full_name__startswith="Nguyễn Văn Thử").values_list("pk", flat=True)
    )
    assert len(imported) == 30
    # An id once given is never given again (a deleted member's id is not reused).
    assert min(imported) > gone_id
    assert later.pk > max(imported)
    assert MemberEvent.objects.filter(member_id__in=imported).count() == 30


def test_a_broken_row_in_the_middle_of_2000_refuses_the_file_with_its_row_and_column(world):
    rows = many_rows(2000)
    rows[999]["Ngày sinh"] = "31/02/1980"  # the 1000th member, on row 1002 (header on row 2)
    file = member_list_file(rows, title_rows=("DANH SÁCH ĐẢNG VIÊN",))
    before = Member.objects.count(), MemberEvent.objects.count(), AuditEntry.objects.count()

    with translation.override("vi"):
        result = parse_member_file(file, organization=world.khoi1)
        assert [(problem.row, problem.column, problem.message) for problem in result.problems] == [
            (1002, BIRTH_DATE, "Ngày này không có trong lịch.")
        ]
        with pytest.raises(ServiceError):
            import_members(actor=world.an_user, organization=world.khoi1, result=result)

    assert (
        Member.objects.count(),
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def test_a_failure_while_writing_2000_rows_leaves_nothing_written(world):
    result = parse_member_file(member_list_file(many_rows(2000)), organization=world.khoi1)
    # The 1,500th card is registered between the check and the confirmation: the insert fails
    # after the rows before it are sent.
    member_create(
        actor=None,
        cell=world.khoi2,
        full_name="Người Khác",
        sex="male",
        birth_date=datetime.date(1980, 1, 1),
        party_card_number=str(90000000 + 1500),
    )
    before = Member.objects.count(), MemberEvent.objects.count(), AuditEntry.objects.count()

    with translation.override("en"), pytest.raises(ServiceError, match="register changed"):
        import_members(actor=world.an_user, organization=world.khoi1, result=result)

    assert (
        Member.objects.count(),
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def import_queries(world, count, start):
    result = parse_member_file(
        member_list_file(many_rows(count, start=start)), organization=world.khoi1
    )
    with CaptureQueriesContext(connection) as queries:
        outcome = import_members(actor=world.an_user, organization=world.khoi1, result=result)
    assert outcome.created == count
    return [query["sql"] for query in queries]


def test_the_queries_of_an_import_do_not_grow_with_its_rows(world):
    small = import_queries(world, 50, start=1)
    large = import_queries(world, 500, start=1000)

    # Reserve the ids, the members, their events, the audit entry (and the savepoints).
    assert len(large) == len(small) <= 8
    assert Member.objects.filter(full_name__startswith="Nguyễn Văn Thử").count() == 550


def test_the_quick_hidden_character_check_agrees_with_the_rule_for_every_character():
    # core.text.has_hidden_characters skips the per-character look-up for printable text.
    def by_the_rule(text):
        return any(
            ch in _INVISIBLE or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")
            for ch in text
        )

    for code in range(0x30000):
        text = f"Nguyễn{chr(code)}An"
        assert has_hidden_characters(text) == by_the_rule(text), hex(code)


@pytest.mark.parametrize(
    "name",
    ["Nguyễn Văn Đức", "ĐẶNG THỊ Ánh", "Lò Văn A\u0301", "Hà \u0301 Giang", "Ông Ích Khiêm 3"],
)
def test_names_are_folded_word_by_word_as_a_whole_name_would_be(name):
    normalised = normalize_name(name)

    assert _fold_name(normalised) == fold(normalised)


def test_a_registered_duplicate_names_its_cell_only_inside_the_keepers_subtree(world):
    rows = [
        member_row("Người Mới", **{"Số thẻ đảng viên": "10000004"}),  # Dũng's card (Khối 2)
        member_row("pham van dung", **{"Ngày sinh": "01/05/1970"}),  # Dũng himself
    ]

    with translation.override("en"):
        in_cell = parse_member_file(member_list_file(rows), organization=world.khoi1)
        in_ward = parse_member_file(
            member_list_file([{**row, "Chi bộ (mã tổ chức)": KHOI1} for row in rows]),
            organization=world.ward,
        )

    assert [(p.row, p.column, p.message) for p in in_cell.duplicates] == [
        (
            4,
            CARD,
            "Party card number 10000004 already belongs to a member of another organization.",
        ),
        (
            5,
            NAME,
            "A member with the same name and date of birth is already registered in another "
            "organization.",
        ),
    ]
    assert [p.message for p in in_ward.duplicates] == [
        "Party card number 10000004 already belongs to a member of Chi bộ Khối 2.",
        "A member with the same name and date of birth is already registered in Chi bộ Khối 2.",
    ]
