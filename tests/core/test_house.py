"""The house's shape, checked on every run (issue 8): module and view sizes, and no import of
chibo inside a function (the way cycles used to be dodged). The layer contract itself is
import-linter's (`make lint`); these are the rules it cannot express."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "chibo"

MAX_MODULE_LINES = 800
MAX_VIEW_LINES = 40
DATA_MODULE_MARK = "Data module"


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def _is_data_module(path: Path, tree: ast.Module) -> bool:
    """A pure data module (rule data, demo texts) says so in the first line of its docstring."""
    docstring = ast.get_docstring(tree) or ""
    return docstring.startswith(DATA_MODULE_MARK)


def _function_span(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function from its `def` to its last line (decorators excluded)."""
    return (node.end_lineno or node.lineno) - node.lineno + 1


def test_no_module_over_800_lines_outside_declared_data_modules():
    too_long = []
    for path in _modules():
        text = path.read_text()
        lines = text.count("\n") + 1
        if lines > MAX_MODULE_LINES and not _is_data_module(path, ast.parse(text)):
            too_long.append(f"{path.relative_to(SRC)}: {lines} lines")
    assert too_long == []


def test_no_view_over_40_lines():
    too_long = []
    for path in _modules():
        if not path.name.startswith("views"):
            continue
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name.startswith("_"):
                    continue  # helpers are not views
                span = _function_span(node)
                if span > MAX_VIEW_LINES:
                    too_long.append(f"{path.relative_to(SRC)}:{node.name}: {span} lines")
    assert too_long == []


def test_no_chibo_import_inside_a_function():
    """Imports of chibo modules sit at the top of the module: an import inside a function is
    how cycles between apps used to be hidden from the layer check."""
    inside = []
    for path in _modules():
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if path.name == "apps.py" and function.name == "ready":
                # Django's documented place to connect signal receivers: the receivers'
                # module imports models, which apps.py cannot import at its top.
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("chibo"):
                    inside.append(f"{path.relative_to(SRC)}:{node.lineno} {node.module}")
                elif isinstance(node, ast.Import) and any(
                    alias.name.startswith("chibo") for alias in node.names
                ):
                    inside.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert inside == []


def test_the_checks_see_what_they_guard(tmp_path):
    """The checks above would notice a breach (they are not vacuous)."""
    code = "def view(request):\n    from chibo.meetings import models\n" + "    x = 1\n" * 45
    tree = ast.parse(code)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    assert _function_span(function) > MAX_VIEW_LINES
    assert any(isinstance(node, ast.ImportFrom) for node in ast.walk(function))
    assert len(_modules()) > 50
