"""Vietnamese text helpers: diacritic folding for search and the name sort key.

Vietnamese lists sort by given name, then middle name, then family name (DESIGN §2.5), each in
Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, with
the tones ordered level, grave, hook, tilde, acute, dot as the tie-breaker within a word.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.utils.translation import gettext_lazy as _

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {letter: f"{index + 1:02d}" for index, letter in enumerate(_ALPHABET)}
# Combining marks that are tones, in dictionary order (level = 0).
_TONE_CODE = {
    "\u0300": "1",  # huyền (grave)
    "\u0309": "2",  # hỏi (hook above)
    "\u0303": "3",  # ngã (tilde)
    "\u0301": "4",  # sắc (acute)
    "\u0323": "5",  # nặng (dot below)
}
# Combining marks that make a distinct letter (ă â ê ô ơ ư).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_SPACES = re.compile(r"\s+")
# Characters no name holds: zero-width characters and joiners, bidirectional controls
# (an RTL override makes "Nguyễn" read backwards), the byte-order mark, soft hyphens.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068"
    "\u2069\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
)


class InvalidName(ValueError):
    """A name that holds characters no name may hold; the message is a translated sentence."""


def has_hidden_characters(text: str) -> bool:
    """Whether `text` holds an invisible or control character: zero-width characters,
    bidirectional controls, tabs, line breaks and other control or format characters."""
    if text.isprintable():
        # No character of those categories (isprintable refuses them all, and more): only
        # the invisible letters and marks of _INVISIBLE remain to look for.
        return not _INVISIBLE.isdisjoint(text)
    return any(
        ch in _INVISIBLE or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")
        for ch in text
    )


def normalize_name(text: str) -> str:
    """A person's or a unit's name as chibo stores it: NFC, one space between words, no
    leading or trailing space. A name holding an invisible or control character (zero-width
    space, RTL override, tab, line break ...) is refused with a ValueError, never silently
    cleaned: the keeper sees the name was pasted from somewhere odd and retypes it."""
    composed = unicodedata.normalize("NFC", text)
    if has_hidden_characters(composed):
        raise InvalidName(
            _(
                "The name holds invisible or control characters (tab, line break, zero-width "
                "or direction marks). Type the name again."
            )
        )
    return _SPACES.sub(" ", composed).strip()


def fold(text: str) -> str:
    """Lower case without diacritics, single-spaced: "Nguyễn  Văn Đức" -> "nguyen van duc".
    Invisible characters are dropped, so that a zero-width space cannot hide a duplicate."""
    text = "".join(ch for ch in text if ch not in _INVISIBLE and unicodedata.category(ch) != "Cf")
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


# Names repeat their words (a few hundred family, middle and given names cover most people):
# an import of 100,000 members computes each word's codes once.
@functools.lru_cache(maxsize=8192)
def _letters_and_tones(word: str) -> tuple[str, str]:
    letters: list[str] = []
    tones: list[str] = []
    for cluster in _clusters(unicodedata.normalize("NFD", word.lower())):
        base, marks = cluster[0], cluster[1:]
        letter = unicodedata.normalize(
            "NFC", base + "".join(m for m in marks if m in _LETTER_MARKS)
        )
        code = _LETTER_CODE.get(letter) or _LETTER_CODE.get(base)
        if code is None:
            continue  # apostrophes, hyphens and digits do not take part in ordering
        letters.append(code)
        tone = "0"
        for mark in marks:
            tone = _TONE_CODE.get(mark, tone)
        tones.append(tone)
    return "".join(letters), "".join(tones)


def _clusters(decomposed: str) -> list[str]:
    clusters: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name written family-first."""
    words = _SPACES.split(full_name.strip())
    if not words or words == [""]:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_sort_key(full_name: str) -> str:
    """A key that orders names the Vietnamese way when compared as plain strings.

    It holds only digits so that every database collation (SQLite's binary, PostgreSQL's
    locale collations, which skip spaces and punctuation) orders it the same way.
    """
    family, middle, given = split_name(full_name)
    parts: list[str] = []
    for part in (given, *middle.split()):
        letters, tones = _letters_and_tones(part)
        parts.append(letters + "00" + tones)
    # "00" ends the middle name: it sorts before any letter, so "Thị" comes before "Thị Minh".
    parts.append("00")
    letters, tones = _letters_and_tones(family)
    parts.append(letters + "00" + tones)
    return "".join(parts)
