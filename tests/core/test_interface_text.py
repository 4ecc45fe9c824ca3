"""One form of address, no internal references (issue 9, item 20).

The interface addresses every user as "đồng chí"; "bạn" never appears. Text meant for the
developers (DOMAIN.md's rule ids, "DOMAIN", notes that a clause was not found) never reaches a
user: not in the Vietnamese catalogue, not in a template.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

import chibo

SRC = Path(chibo.__file__).parent
BAN = re.compile(r"\bbạn\b", re.IGNORECASE)
INTERNAL = [
    re.compile(r"\bDOMAIN\b"),
    re.compile(r"\bR\d{1,2}\.\d{1,2}\b"),  # DOMAIN.md's rule ids
    re.compile(r"chưa đối chiếu", re.IGNORECASE),
    re.compile(r"\[S\d+[a-z]?\]"),  # DOMAIN.md's source ids
]


def vietnamese_catalogue() -> dict[str, str]:
    """chibo's own Vietnamese catalogue (not Django's, whose admin says "bạn")."""
    catalogue = gettext.translation("django", localedir=SRC / "locale", languages=["vi"])
    return {str(key): str(value) for key, value in catalogue._catalog.items() if key}  # type: ignore[attr-defined]


def test_the_catalogue_says_dong_chi_never_ban():
    offending = [text for text in vietnamese_catalogue().values() if BAN.search(text)]
    assert offending == []


@pytest.mark.parametrize("pattern", INTERNAL, ids=lambda p: p.pattern)
def test_no_internal_reference_in_the_catalogue(pattern):
    offending = [text for text in vietnamese_catalogue().values() if pattern.search(text)]
    assert offending == []


def template_texts():
    for path in sorted(SRC.rglob("templates/**/*.html")):
        # Comments in templates never reach the user.
        text = re.sub(
            r"{#.*?#}|{% comment %}.*?{% endcomment %}|<!--.*?-->", "", path.read_text(), flags=re.S
        )
        text = re.sub(r"<style.*?</style>", "", text, flags=re.S)
        yield path.relative_to(SRC), text


@pytest.mark.parametrize("pattern", [BAN, *INTERNAL], ids=lambda p: p.pattern)
def test_no_internal_reference_or_ban_in_templates(pattern):
    offending = [str(path) for path, text in template_texts() if pattern.search(text)]
    assert offending == []
