"""Vietnamese text helpers: diacritic folding for search and the name sort key (DESIGN §2.5).

Order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; within equal letters the tones
go level < grave < hook < tilde < acute < dot; lists sort by given name, then middle name, then
family name."""

import unicodedata

import pytest

from chibo.core.text import fold, name_sort_key, split_name

ALPHABET = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")


def by_name(names):
    return sorted(names, key=name_sort_key)


class TestFold:
    def test_drops_tones_and_letter_marks(self):
        assert fold("Nguyễn Văn Đức") == "nguyen van duc"
        assert fold("Phạm Thị Ánh Tuyết") == "pham thi anh tuyet"
        assert fold("Ơn Ưng Ôn Ân Ăn Ê") == "on ung on an an e"

    def test_upper_case_and_extra_spaces(self):
        assert fold("  ĐẶNG   THỊ   ÁNH ") == "dang thi anh"

    def test_decomposed_input_folds_the_same(self):
        decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
        assert fold(decomposed) == fold("Nguyễn Văn Đức")

    def test_search_without_diacritics_matches(self):
        assert fold("nguyen van an") in fold("Ông Nguyễn Văn An, bí thư")


class TestSplitName:
    def test_family_middle_given(self):
        assert split_name("Nguyễn Thị Minh Khai") == ("Nguyễn", "Thị Minh", "Khai")
        assert split_name("Lê Khai") == ("Lê", "", "Khai")
        assert split_name("Khai") == ("", "", "Khai")
        assert split_name("   ") == ("", "", "")


class TestNameSortKey:
    def test_the_key_is_digits_only(self):
        assert name_sort_key("Nguyễn Văn Đức").isdigit()

    def test_the_vietnamese_alphabet_order(self):
        # One given name starting with each letter, same family and middle names.
        names = [f"Nguyễn Văn {letter.upper()}nh" for letter in ALPHABET]
        assert by_name(list(reversed(names))) == names

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ("Am", "Ăm"),
            ("Ăm", "Âm"),
            ("Dung", "Đa"),  # d before đ whatever follows
            ("Em", "Êm"),
            ("Ong", "Ông"),
            ("Ông", "Ơn"),
            ("Uyên", "Ưng"),
            ("Ưng", "Vân"),
            ("Ngân", "Nhàn"),  # g before h
            ("Xuân", "Yến"),
        ],
    )
    def test_letter_pairs(self, first, second):
        assert name_sort_key(f"Lê Văn {first}") < name_sort_key(f"Lê Văn {second}")

    def test_tones_level_grave_hook_tilde_acute_dot(self):
        tones = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
        assert by_name(list(reversed(tones))) == tones

    def test_tones_only_break_ties_between_equal_letters(self):
        assert by_name(["Mai", "Mạ", "Má"]) == ["Má", "Mạ", "Mai"]
        assert by_name(["Trần Văn Ánh", "Trần Văn Anh"]) == ["Trần Văn Anh", "Trần Văn Ánh"]

    def test_given_name_then_middle_then_family(self):
        names = ["Trần Văn Bình", "Nguyễn Văn An", "Nguyễn Thị An", "Lê Thị An", "Đỗ An"]
        assert by_name(names) == [
            "Đỗ An",  # no middle name comes first
            "Lê Thị An",
            "Nguyễn Thị An",
            "Nguyễn Văn An",
            "Trần Văn Bình",
        ]

    def test_upper_case_and_decomposed_input_sort_the_same(self):
        assert name_sort_key("NGUYỄN VĂN ĐỨC") == name_sort_key("Nguyễn Văn Đức")
        decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
        assert name_sort_key(decomposed) == name_sort_key("Nguyễn Văn Đức")

    def test_a_shorter_middle_name_comes_first(self):
        # Middle "Thị" sorts before "Thị Minh", whatever the family names.
        assert by_name(["Trần Thị Minh Khai", "Nguyễn Thị Khai"]) == [
            "Nguyễn Thị Khai",
            "Trần Thị Minh Khai",
        ]
