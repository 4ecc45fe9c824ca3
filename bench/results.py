"""bench/RESULTS.md: each benchmark rewrites its own section (from its `## ` heading to the next
one) and leaves the others alone. The file is re-read right before writing, since other
benchmarks write their sections of it too."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
INTRO = "# Benchmark results\n\nEach section is rewritten by the benchmark that produced it.\n"


def write_section(section: list[str]) -> None:
    """Replace the section whose `## ` heading is `section[0]` by `section`, or add it at the
    end."""
    heading = section[0]
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else INTRO
    body = "\n".join(section).rstrip("\n") + "\n"
    start = text.find(heading + "\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + body + ("\n" + text[end + 1 :] if end != -1 else "")
    RESULTS.write_text(text, encoding="utf-8")
