"""Import of the member register from an XLSX list in the layout of the 7-HSĐV member list.

The layout
==========
The Sổ danh sách đảng viên (form 7-HSĐV, HD 01-HD/TW 2021 §8; DOMAIN R5.3) groups several
values under one printed column ("giới tính, dân tộc, tôn giáo", "ngày vào Đảng / chính thức" …).
chibo flattens those groups into one value per column. The file has one header row; up to
`HEADER_SEARCH_ROWS` title rows may stand above it, and the header row is found by matching known
headers while ignoring diacritics, case and punctuation ("ho va ten" matches "Họ và tên"). A row
of column numbers (1, 2, 3 …) just below the header is skipped, as are blank rows.

======================================  ============================  ==========================
Header (as chibo writes it)             Member field                  Values
======================================  ============================  ==========================
STT                                     —                             ignored on import
Họ và tên                               full_name                     required
Giới tính                               sex                           required: Nam / Nữ
Dân tộc                                 ethnicity                     empty: Kinh
Tôn giáo                                religion                      empty: Không
Ngày sinh                               birth_date                    required, dd/mm/yyyy
Quê quán                                home_town
Nơi ở hiện nay                          residence_address
Trình độ học vấn                        general_education             e.g. 12/12
Trình độ chuyên môn                     professional_qualification
Lý luận chính trị                       political_theory              Sơ cấp / Trung cấp /
                                                                      Cao cấp / Cử nhân / empty
Nghề nghiệp                             occupation
Ngày quyết định kết nạp                 admission_decision_date       dd/mm/yyyy
Ngày vào Đảng (lễ kết nạp)              ceremony_date                 dd/mm/yyyy
Ngày chính thức                         official_date                 dd/mm/yyyy
Số thẻ đảng viên                        party_card_number             unique
Chi bộ (mã tổ chức)                     cell                          code 38.168.053.000.001
                                                                      (or the cell's name);
                                                                      empty: the cell imported
                                                                      into
Trạng thái                              status                        Dự bị, Chính thức, Miễn
                                                                      sinh hoạt …; empty: from
                                                                      the official date
Điện thoại                              phone
Email                                   email
Ghi chú                                 notes
======================================  ============================  ==========================

Dates may be text (dd/mm/yyyy, also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or real Excel dates.
`columns.LAYOUT` is the single definition: exports.py writes the same columns in the same order,
so an exported list re-imports unchanged. The headers and value labels are the file format (a
Vietnamese official list), not interface text, so they are not translated.

Modules: `columns` (LAYOUT, value labels, cell readers), `results` (ImportResult, ImportMode),
`reading` (`parse_member_file`, which never writes), `writing` (`import_members`, the valid rows
in one transaction), `bulk` (the rows written below the ORM: COPY on PostgreSQL, one prepared
INSERT on SQLite); the XLSX itself is streamed by chibo.core.exports.reader. Both batch
their queries: the number of queries does not grow with the number of rows (DESIGN §7 and
issue 13: 100,000 rows in at most twice the time openpyxl takes to read the file, every bad
row reported; bench/bench_members.py).
"""

from __future__ import annotations

from chibo.members.imports.columns import (
    BIRTH_DATE,
    CARD,
    CELL,
    CEREMONY_DATE,
    DATE_FORMAT,
    DECISION_DATE,
    HEADERS,
    LAYOUT,
    NAME,
    OFFICIAL_DATE,
    REQUIRED_HEADERS,
    SEX,
    SEX_LABELS,
    STATUS,
    STATUS_LABELS,
    STT,
    THEORY_LABELS,
    CellError,
    Column,
    header_key,
    read_date,
)
from chibo.members.imports.reading import (
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    parse_member_file,
)
from chibo.members.imports.results import (
    ImportMode,
    ImportOutcome,
    ImportResult,
    ImportRow,
    RowProblem,
)
from chibo.members.imports.writing import (
    import_members,
)

__all__ = [
    "BIRTH_DATE",
    "CARD",
    "CELL",
    "CEREMONY_DATE",
    "CellError",
    "Column",
    "DATE_FORMAT",
    "DECISION_DATE",
    "HEADERS",
    "HEADER_SEARCH_ROWS",
    "ImportMode",
    "ImportOutcome",
    "ImportResult",
    "ImportRow",
    "LAYOUT",
    "MAX_ROWS",
    "NAME",
    "OFFICIAL_DATE",
    "REQUIRED_HEADERS",
    "RowProblem",
    "SEX",
    "SEX_LABELS",
    "STATUS",
    "STATUS_LABELS",
    "STT",
    "THEORY_LABELS",
    "header_key",
    "import_members",
    "parse_member_file",
    "read_date",
]
