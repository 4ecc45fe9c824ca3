"""The bundled font of official documents. Party documents are set in Times New Roman
(36-HD/VPTW); a server rarely has it, so Liberation Serif (metric-compatible, SIL Open Font
Licence, fonts/LICENSE-LiberationSerif.txt) stands in and covers every Vietnamese diacritic. PDFs
name the local font first and fall back to the bundled file."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Times New Roman"
FONT_FACES = (
    # (weight, style, local names of Times New Roman, bundled file)
    ("normal", "normal", ("Times New Roman", "TimesNewRomanPSMT"), "LiberationSerif-Regular.ttf"),
    (
        "bold",
        "normal",
        ("Times New Roman Bold", "TimesNewRomanPS-BoldMT"),
        "LiberationSerif-Bold.ttf",
    ),
    (
        "normal",
        "italic",
        ("Times New Roman Italic", "TimesNewRomanPS-ItalicMT"),
        "LiberationSerif-Italic.ttf",
    ),
    (
        "bold",
        "italic",
        ("Times New Roman Bold Italic", "TimesNewRomanPS-BoldItalicMT"),
        "LiberationSerif-BoldItalic.ttf",
    ),
)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def font_faces_css() -> str:
    rules = []
    for weight, style, local_names, filename in FONT_FACES:
        sources = [f"local({_css_string(name)})" for name in local_names]
        sources.append(f"url({_css_string((FONT_DIR / filename).as_uri())})")
        family = _css_string(FONT_FAMILY)
        rules.append(
            f"@font-face {{ font-family: {family}; font-weight: {weight}; "
            f"font-style: {style}; src: {', '.join(sources)}; }}"
        )
    return "\n".join(rules)
