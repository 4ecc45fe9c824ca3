"""Hostile values for a form field, chosen from the field's type and name (hypothesis).

Every field gets its own boundary values plus a share of the general hostile text: the value
the page filled in (so that the other fields' errors still get reached), empty, absent."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.fuzz.htmlforms import Field, Form

ABSENT = object()  # the field is left out of the request altogether

NUMBERS = [
    "0",
    "-1",
    "1",
    "2147483648",
    "-9223372036854775809",
    "99999999999999999999999999",
    "1e308",
    "-1e308",
    "1e309",
    "NaN",
    "Infinity",
    "1,5",
    "1.5",
    "١٢",  # Arabic-Indic digits: int() accepts them
    "１２",  # full-width digits
    "²",  # str.isdigit() says yes, int() says no
    "9" * 5000,  # int() refuses more than 4300 digits
    "0x10",
    " 7 ",
]
DATES = [
    "0000-00-00",
    "0001-01-01",
    "1900-02-29",
    "1899-12-31",
    "9999-12-31",
    "10000-01-01",
    "31/02/2026",
    "29/02/2026",
    "2026-13-01",
    "2026-02-30",
    "2026-06-15T25:61",
    "١٩٩٠-٠١-٠١",
    "-2026-01-01",
]
TIMES = ["24:00", "23:59:60", "-1:00", "07:30", "99:99", "7h30"]
MONTHS = ["0000-00", "2026-13", "9999-12", "0001-01", "2026-6", "06/2026"]
TEXT = [
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: Django's test client encodes it as "?" in UTF-8 …
    "\\ud800",  # … so the escaped spelling is sent as well
    "e\u0301\u0301\u0301\u0301",  # combining marks
    "\u202eabc",  # right-to-left override
    "שלום עולם",
    "😀🇻🇳👨‍👩‍👧",
    "x" * 10_000,
    "=cmd|' /C calc'!A0",
    "+1+1",
    "<script>alert(1)</script>",
    "'; DROP TABLE members_member; --",
    "{{ 7*7 }}",
    "%s%n%x",
    "\r\n\t ",
    "  ",
    "Nguyễn Văn Án",
]
FILES = [
    ("empty.pdf", b""),
    ("garbage.pdf", bytes(range(256)) * 4),
    ("notes.exe", b"MZ\x90\x00" + b"\x00" * 60),
    ("photo.jpg", b"%PDF-1.4\n%%EOF\n"),
    ("tên tệp 😀.docx", b"PK\x03\x04" + b"\x00" * 26),
]


def _hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TEXT),
        st.text(max_size=30),
        st.sampled_from(NUMBERS + DATES),
    )


def field_values(one: Field) -> st.SearchStrategy:
    """What a hostile (or careless) person could send for this field."""
    kept = [one.value] if one.value else []
    common = st.sampled_from([*kept, "", ABSENT])
    name = one.name.lower()
    kind = one.kind
    if kind == "file":
        return st.one_of(st.sampled_from(FILES), st.just(ABSENT))
    if kind in ("select", "radio", "checkbox", "button") or one.options:
        valid = [value for value in one.options if value] or [""]
        chosen = st.sampled_from(valid)
        if one.multiple or kind == "checkbox":
            chosen = st.lists(st.sampled_from(valid), max_size=3)
        return st.one_of(chosen, chosen, common, st.sampled_from(["999999999", "-1", "\x00"]))
    if kind == "hidden" and name in ("next", "back"):
        return st.one_of(common, st.sampled_from(["https://evil.example/", "//evil", "\x00"]))
    if kind == "number" or name.endswith(("_count", "count", "_pk", "_id", "year", "number")):
        return st.one_of(common, st.sampled_from(NUMBERS), st.integers().map(str), _hostile_text())
    if kind in ("date", "datetime-local") or "date" in name or name.endswith("_on"):
        return st.one_of(common, st.sampled_from(DATES), st.dates().map(str), _hostile_text())
    if kind == "time" or name.endswith(("_at", "time")):
        return st.one_of(common, st.sampled_from(TIMES + DATES), _hostile_text())
    if kind == "month" or name == "month":
        return st.one_of(common, st.sampled_from(MONTHS + DATES))
    return st.one_of(common, _hostile_text())


def form_data(form: Form) -> st.SearchStrategy[dict]:
    """A whole request body: each field's value (or its absence), files separately."""
    names = {}
    for one in form.fields:
        names.setdefault(one.name, one)
    return st.fixed_dictionaries({name: field_values(one) for name, one in names.items()})
