"""Importing a member list (7-HSĐV layout): every bad row reported by row and column, nothing
written unless the keeper chooses to, batched queries, and the upload → preview → confirm pages.

The people are those of tests/conftest.py: An (secretary of Khối 1), Bình (member of Khối 1,
born 01/05/1970), Cúc (upper-level committee member over the ward) and Dũng (member of Khối 2).
"""

import datetime
import io
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.members.imports import (
    BIRTH_DATE,
    CARD,
    CELL,
    CEREMONY_DATE,
    HEADERS,
    NAME,
    OFFICIAL_DATE,
    SEX,
    STT,
    ImportMode,
    import_members,
    parse_member_file,
)
from chibo.members.models import Member, MemberEvent, MemberStatus, PoliticalTheory
from chibo.members.services import member_create
from tests.members.fixtures_xlsx import (
    XLSX_CONTENT_TYPE,
    Failed,
    Formula,
    NoRefs,
    Rich,
    excel_like_xlsx,
    many_rows,
    member_list_file,
    member_row,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # Messages are checked in English, whatever the Vietnamese catalogue holds.
    with translation.override("en"):
        yield


def mixed_file() -> io.BytesIO:
    """Title rows 1-2, header on row 3, members from row 4. Rows 5-11 each have one problem."""
    return member_list_file(
        [
            # 4: good, official
            member_row(
                "Lê Thị Hoa",
                **{
                    "Giới tính": "Nữ",
                    "Số thẻ đảng viên": "20000001",
                    "Ngày chính thức": "19/03/2021",
                    "Lý luận chính trị": "Sơ cấp",
                },
            ),
            # 5: 31 February does not exist
            member_row("Đỗ Văn Hải", **{"Ngày sinh": "31/02/1980"}),
            # 6: ceremony before the admission decision
            member_row(
                "Vũ Thị Lan",
                **{
                    "Giới tính": "Nữ",
                    "Ngày quyết định kết nạp": "10/05/2021",
                    "Ngày vào Đảng (lễ kết nạp)": "01/05/2021",
                },
            ),
            # 7: unknown sex
            member_row("Đặng Văn Minh", **{"Giới tính": "X"}),
            # 8: the card of row 4 again
            member_row("Bùi Văn Nam", **{"Số thẻ đảng viên": "20000001"}),
            # 9: Bình, already registered, written without diacritics
            member_row("tran thi binh", **{"Giới tính": "Nữ", "Ngày sinh": "01/05/1970"}),
            # 10: no such cell
            member_row("Hồ Văn Phúc", **{"Chi bộ (mã tổ chức)": "38.168.999.000.009"}),
            # 11: no name
            member_row("", **{"Ghi chú": "chưa ghi tên"}),
            # 12: good, real Excel date, the cell written out, status given
            member_row(
                "Phạm Văn Cường",
                **{
                    "Ngày sinh": datetime.date(1985, 7, 20),
                    "Chi bộ (mã tổ chức)": "38.168.000.000.001",
                    "Trạng thái": "Dự bị",
                },
            ),
            None,  # 13: blank line, ignored
            # 14: good
            member_row("Hoàng Thị Giang", **{"Giới tính": "nữ", "Lý luận chính trị": "Trung cấp"}),
        ]
    )


EXPECTED_PROBLEMS = {
    (5, BIRTH_DATE),
    (6, CEREMONY_DATE),
    (7, SEX),
    (8, CARD),
    (9, NAME),
    (10, CELL),
    (11, NAME),
}
GOOD_NAMES = {"Lê Thị Hoa", "Phạm Văn Cường", "Hoàng Thị Giang"}


def test_every_problem_is_reported_with_its_excel_row_and_column(world):
    result = parse_member_file(mixed_file(), organization=world.khoi1)

    assert {(problem.row, problem.column) for problem in result.problems} == EXPECTED_PROBLEMS
    assert (result.row_count, result.valid_count, result.invalid_count) == (10, 3, 7)
    assert result.header_row == 3
    messages = {problem.row: problem.message for problem in result.problems}
    assert "does not exist" in messages[5]
    assert "ceremony cannot be before the admission decision" in messages[6]
    assert "Nam or Nữ" in messages[7]
    assert "row 4" in messages[8]
    assert "Chi bộ Khối 1" in messages[9]
    assert "38.168.999.000.009" in messages[10]
    assert "required" in messages[11]
    assert {(problem.row, problem.column) for problem in result.duplicates} == {
        (8, CARD),
        (9, NAME),
    }


def test_all_or_nothing_writes_nothing_when_any_row_is_bad(world):
    members, events, audits = (
        Member.objects.count(),
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    result = parse_member_file(mixed_file(), organization=world.khoi1)

    with pytest.raises(ServiceError, match="Nothing was imported: 7 rows have errors"):
        import_members(actor=world.an_user, organization=world.khoi1, result=result)

    assert Member.objects.count() == members
    assert MemberEvent.objects.count() == events
    assert AuditEntry.objects.count() == audits


def test_valid_rows_only_writes_exactly_the_good_rows(world):
    before = set(Member.objects.values_list("pk", flat=True))
    result = parse_member_file(mixed_file(), organization=world.khoi1)

    outcome = import_members(
        actor=world.an_user,
        organization=world.khoi1,
        result=result,
        mode=ImportMode.VALID_ROWS_ONLY,
    )

    assert (outcome.created, outcome.skipped, outcome.cell_ids) == (3, 7, [world.khoi1.pk])
    new = Member.objects.exclude(pk__in=before)
    assert set(new.values_list("full_name", flat=True)) == GOOD_NAMES
    hoa = new.get(full_name="Lê Thị Hoa")
    assert (hoa.sex, hoa.status, hoa.political_theory) == (
        "female",
        MemberStatus.OFFICIAL,
        PoliticalTheory.ELEMENTARY,
    )
    assert hoa.official_date == datetime.date(2021, 3, 19)
    assert (hoa.name_search, hoa.ethnicity, hoa.religion) == ("le thi hoa", "Kinh", "Không")
    cuong = new.get(full_name="Phạm Văn Cường")
    assert (cuong.birth_date, cuong.status, cuong.cell) == (
        datetime.date(1985, 7, 20),
        MemberStatus.PROBATIONARY,
        world.khoi1,
    )
    events = MemberEvent.objects.filter(member__in=new)
    assert events.count() == 3
    assert events.get(member=hoa).effective_date == datetime.date(2021, 3, 19)
    assert {event.recorded_by for event in events} == {world.an_user}
    # Imported names sort the Vietnamese way with the rest of the list.
    names = [member.full_name for member in Member.objects.filter(cell=world.khoi1)]
    assert (
        names.index("Nguyễn Văn An")
        < names.index("Phạm Văn Cường")
        < names.index("Hoàng Thị Giang")
    )


def test_the_import_is_audited_once_without_personal_data(world):
    result = parse_member_file(mixed_file(), organization=world.khoi1)
    import_members(
        actor=world.an_user,
        organization=world.khoi1,
        result=result,
        mode=ImportMode.VALID_ROWS_ONLY,
    )

    entry = AuditEntry.objects.get(code="members.imported")
    assert entry.actor == world.an_user
    assert entry.organization == world.khoi1
    assert entry.changes["count"] == 3
    assert entry.changes["cells"] == [world.khoi1.pk]
    recorded = f"{entry.changes} {entry.note}"
    for personal in ("Hoa", "Cường", "Giang", "20000001", "1985"):
        assert personal not in recorded
    assert not AuditEntry.objects.filter(code="member.created", actor=world.an_user).exists()


def test_official_recognition_before_the_ceremony_is_refused(world):
    file = member_list_file([member_row("Lê Văn Tâm", **{"Ngày chính thức": "01/01/2020"})])

    result = parse_member_file(file, organization=world.khoi1)

    [problem] = result.problems
    assert (problem.row, problem.column) == (4, OFFICIAL_DATE)
    assert "before the admission ceremony" in problem.message


def test_an_import_into_the_ward_places_members_in_the_cells_it_names(world):
    file = member_list_file(
        [
            member_row("Lý Văn Sơn", **{"Chi bộ (mã tổ chức)": "38.168.000.000.002"}),
            member_row(
                "Mai Thị Thu", **{"Giới tính": "Nữ", "Chi bộ (mã tổ chức)": "chi bo khoi 1"}
            ),
            member_row("Tạ Văn Út", **{"Chi bộ (mã tổ chức)": "38.168"}),
            member_row("Lò Văn Vinh", **{"Chi bộ (mã tổ chức)": "38.201.000.000.001"}),
            member_row("Hà Văn Xuân"),
        ]
    )

    result = parse_member_file(file, organization=world.ward)

    assert {(problem.row, problem.column) for problem in result.problems} == {
        (6, CELL),  # the ward itself is not a cell
        (7, CELL),  # a cell of another commune
        (8, CELL),  # a committee's import must name the cell
    }
    outcome = import_members(
        actor=world.an_user, organization=world.ward, result=result, mode="valid_rows_only"
    )
    assert outcome.cell_ids == sorted([world.khoi1.pk, world.khoi2.pk])
    assert Member.objects.get(full_name="Lý Văn Sơn").cell == world.khoi2
    assert Member.objects.get(full_name="Mai Thị Thu").cell == world.khoi1


def test_a_committee_file_without_the_cell_column_is_refused(world):
    headers = [header for header in HEADERS if header != CELL]
    file = member_list_file([member_row("Lý Văn Sơn")], headers=headers)

    with pytest.raises(ServiceError, match="Chi bộ"):
        parse_member_file(file, organization=world.ward)


def test_headers_are_found_below_title_rows_ignoring_diacritics_and_case(world):
    rows = [
        ["ĐẢNG BỘ PHƯỜNG HƯNG PHÚ"],
        ["CHI BỘ KHỐI 1"],
        [],
        ["SỔ DANH SÁCH ĐẢNG VIÊN"],
        ["stt", "HO VA TEN", "gioi tinh", "Ngày, tháng, năm sinh", "Số thẻ", "Cột lạ"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        [1, "Đinh Văn Yên", "Nam", "02/09/1975", 30000001, "x"],
        [2, "Kiều Thị Ánh", "NỮ", "2/9/1976", "30000002", None],
    ]
    file = io.BytesIO(workbook_bytes(rows))

    result = parse_member_file(file, organization=world.khoi1)

    assert result.header_row == 5
    assert result.problems == []
    assert result.ignored_columns == ["Cột lạ"]
    assert [row.row for row in result.rows] == [7, 8]
    assert [row.values["party_card_number"] for row in result.rows] == ["30000001", "30000002"]
    assert result.rows[1].values["birth_date"] == datetime.date(1976, 9, 2)


@pytest.mark.parametrize("date1904", [False, True])
def test_a_list_saved_by_excel_is_read_like_one_saved_by_chibo(world, date1904):
    file = excel_like_xlsx(
        [
            ["DANH SÁCH ĐẢNG VIÊN"],
            [
                STT,
                NAME,
                SEX,
                BIRTH_DATE,
                CARD,
                "Ngày quyết định kết nạp",
                CEREMONY_DATE,
                "Ghi chú",
            ],
            [
                1,
                Rich(("Đinh ", "Văn Yên")),
                "Nam",
                datetime.date(1975, 9, 2),
                "012300001",
                datetime.date(2010, 1, 5),
                "19/01/2010",
                Formula('CONCATENATE("Tổ ", 5)', "Tổ 5"),
            ],
            NoRefs([2, "Kiều Thị Ánh", "Nữ", datetime.date(1976, 9, 2), 12300002]),
        ],
        date1904=date1904,
    )

    result = parse_member_file(file, organization=world.khoi1)

    assert result.problems == []
    assert (result.sheet_title, result.header_row) == ("DS", 2)
    yen, anh = result.rows
    assert yen.values["full_name"] == "Đinh Văn Yên"  # the phonetic reading is not text
    assert yen.values["birth_date"] == datetime.date(1975, 9, 2)
    assert yen.values["admission_decision_date"] == datetime.date(2010, 1, 5)
    assert yen.values["party_card_number"] == "012300001"
    assert yen.values["notes"] == "Tổ 5"
    assert (anh.row, anh.values["party_card_number"]) == (4, "12300002")
    assert anh.values["birth_date"] == datetime.date(1976, 9, 2)


def test_a_formula_error_in_a_cell_is_reported(world):
    file = excel_like_xlsx(
        [
            [NAME, SEX, BIRTH_DATE],
            ["Đinh Văn Yên", "Nam", Failed("VLOOKUP(A2, Sheet2!A:B, 2, 0)", "#N/A")],
        ]
    )

    [problem] = parse_member_file(file, organization=world.khoi1).problems

    assert (problem.row, problem.column) == (2, BIRTH_DATE)
    assert "#N/A" in problem.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        ("Họ và tên,Giới tính\nNguyễn Văn An,Nam\n".encode(), "not an Excel (.xlsx) file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "Excel 97-2003 (.xls)"),
        (b"PK\x03\x04 broken zip", "not an Excel (.xlsx) file"),
        (workbook_bytes([]), "The file is empty"),
        (workbook_bytes([["Họ và tên", "Giới tính"], ["Nguyễn Văn An", "Nam"]]), "“Ngày sinh”"),
        (workbook_bytes([["Danh sách"], ["Nguyễn Văn An", "Nam"]]), "No header row was found"),
        (workbook_bytes([["Họ và tên", "Giới tính", "Ngày sinh"], []]), "no member rows"),
    ],
    ids=[
        "empty",
        "csv",
        "xls",
        "broken-zip",
        "empty-sheet",
        "no-birth-column",
        "no-header",
        "no-rows",
    ],
)
def test_a_file_that_cannot_be_used_is_refused_with_one_clear_sentence(world, content, message):
    with pytest.raises(ServiceError) as refused:
        parse_member_file(io.BytesIO(content), organization=world.khoi1)

    assert message in refused.value.messages[0]


def test_more_than_100000_rows_are_refused(world, settings):
    settings.CHIBO_IMPORT_MAX_ROWS = 5
    file = member_list_file(many_rows(6))

    with pytest.raises(ServiceError, match="more than 5 rows below the header"):
        parse_member_file(file, organization=world.khoi1)


def test_a_card_registered_after_the_check_refuses_the_whole_import(world):
    result = parse_member_file(member_list_file(many_rows(3)), organization=world.khoi1)
    # Someone registers the second card between the preview and the confirmation.
    member_create(
        actor=None,
        cell=world.khoi2,
        full_name="Người Khác",
        sex="male",
        birth_date=datetime.date(1980, 1, 1),
        party_card_number="90000002",
    )

    with pytest.raises(ServiceError, match="register changed"):
        import_members(actor=None, organization=world.khoi1, result=result, mode="valid_rows_only")
    assert not Member.objects.filter(full_name__startswith="Nguyễn Văn Thử").exists()


def test_parsing_costs_the_same_few_queries_for_20_or_200_rows(
    world, django_assert_max_num_queries
):
    small = member_list_file(many_rows(20))
    large = member_list_file(many_rows(200))

    with CaptureQueriesContext(connection) as small_queries:
        parse_member_file(small, organization=world.khoi1)
    with django_assert_max_num_queries(4):
        parse_member_file(large, organization=world.khoi1)
    with CaptureQueriesContext(connection) as large_queries:
        result = parse_member_file(large, organization=world.khoi1)

    assert len(large_queries) == len(small_queries)
    assert result.valid_count == 200


def test_importing_200_rows_uses_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    result = parse_member_file(member_list_file(many_rows(200)), organization=world.khoi1)

    # Member and event inserts are batched (SQLite caps the rows per INSERT), plus the audit.
    with django_assert_max_num_queries(30):
        outcome = import_members(
            actor=world.an_user, organization=world.khoi1, result=result, mode="all_or_nothing"
        )
    assert outcome.created == 200
    assert MemberEvent.objects.filter(member__full_name__startswith="Nguyễn Văn Thử").count() == 200


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "imports"


def upload(client, org, file, mode="all_or_nothing", **headers):
    file.seek(0)
    file.content_type = XLSX_CONTENT_TYPE
    return client.post(
        reverse("members:import", args=[org.pk]),
        {"file": file, "mode": mode},
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )


def test_the_secretary_uploads_previews_and_confirms(client, world, media):
    client.force_login(world.an_user)
    assert client.get(reverse("members:import", args=[world.khoi1.pk])).status_code == 200
    before = Member.objects.count()

    preview = upload(client, world.khoi1, mixed_file(), mode="valid_rows_only")

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "38.168.999.000.009" in page  # the problem table lists every error
    assert preview.context["result"].valid_count == 3
    token = preview.context["token"]
    assert (media / f"{token}.xlsx").exists()
    assert Member.objects.count() == before  # nothing written by the preview

    confirmed = client.post(
        reverse("members:import_confirm", args=[world.khoi1.pk, token]),
        {"mode": "valid_rows_only"},
    )

    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("members:cell_list", args=[world.khoi1.pk])
    assert Member.objects.count() == before + 3
    assert not (media / f"{token}.xlsx").exists()
    # The token is spent.
    again = client.post(
        reverse("members:import_confirm", args=[world.khoi1.pk, token]), {"mode": "valid_rows_only"}
    )
    assert again.status_code == 404


def test_the_preview_page_costs_the_same_queries_for_20_or_200_rows(client, world, media):
    client.force_login(world.an_user)
    counts = []
    for file in (member_list_file(many_rows(20)), member_list_file(many_rows(200))):
        with CaptureQueriesContext(connection) as queries:
            assert upload(client, world.khoi1, file).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_all_or_nothing_refusal_shows_the_errors_again_and_keeps_the_file(client, world, media):
    client.force_login(world.an_user)
    token = upload(client, world.khoi1, mixed_file()).context["token"]
    before = Member.objects.count()

    refused = client.post(
        reverse("members:import_confirm", args=[world.khoi1.pk, token]),
        {"mode": "all_or_nothing"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert refused.status_code == 200
    # Shown once, in place with the problems (not also as a message).
    assert refused.content.decode().count("Nothing was imported") == 1
    assert Member.objects.count() == before
    assert (media / f"{token}.xlsx").exists()


def test_a_non_xlsx_upload_gets_a_clear_error_and_nothing_is_stored(client, world, media):
    client.force_login(world.an_user)
    # A CSV list is read when its name says .csv (test_import_limits.py); under another
    # name it is no XLSX.
    csv = io.BytesIO("Họ và tên,Giới tính,Ngày sinh\nLê Văn Tâm,Nam,01/01/1980\n".encode())
    csv.name = "danh-sach.txt"

    response = upload(client, world.khoi1, csv)

    assert response.status_code == 200
    assert "not an Excel (.xlsx) file" in response.content.decode()
    # Shown under the file field, not above the form.
    assert "not an Excel (.xlsx) file" in response.context["form"].errors["file"][0]
    assert not response.context["form"].non_field_errors()
    assert not response.context.get("token")
    assert not media.exists() or not any(media.iterdir())


def test_htmx_upload_gets_only_the_panel(client, world, media):
    client.force_login(world.an_user)

    response = upload(client, world.khoi1, mixed_file(), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert [template.name for template in response.templates][0] == "members/import_panel.html"


def test_a_member_of_another_cell_gets_404(client, world):
    client.force_login(world.dung_user)

    assert client.get(reverse("members:import", args=[world.khoi1.pk])).status_code == 404


def test_a_plain_member_of_the_cell_gets_403(client, world):
    client.force_login(world.binh_user)

    assert client.get(reverse("members:import", args=[world.khoi1.pk])).status_code == 403


def test_an_overseer_who_does_not_keep_the_register_gets_403(client, world):
    client.force_login(world.cuc_user)

    assert client.get(reverse("members:import", args=[world.khoi1.pk])).status_code == 403


def test_get_on_confirm_gets_405(client, world):
    client.force_login(world.an_user)

    url = reverse("members:import_confirm", args=[world.khoi1.pk, "0" * 32])
    assert client.get(url).status_code == 405


def test_another_users_token_gets_404(client, world, media):
    client.force_login(world.an_user)
    token = upload(client, world.khoi1, mixed_file()).context["token"]
    client.force_login(world.admin_user)

    response = client.post(
        reverse("members:import_confirm", args=[world.khoi1.pk, token]), {"mode": "valid_rows_only"}
    )

    assert response.status_code == 404
    assert (media / f"{token}.xlsx").exists()


def test_anonymous_users_are_sent_to_log_in(client, world):
    response = client.get(reverse("members:import", args=[world.khoi1.pk]))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
