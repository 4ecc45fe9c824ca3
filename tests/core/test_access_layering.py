"""Access lives in `access.py`: no view module fetches a scoped row by pk or code itself.

Every `views*.py` under src/chibo is parsed with `ast`. A view module may not
- call `get_object_or_404` / `get_list_or_404` on a scoped model,
- call `<ScopedModel>.objects.get(...)`, or `.filter/.get/.exclude(...)` on a chain that starts
  at `<ScopedModel>.objects` with a `pk`, `id` or `code` lookup,
- call `.filter/.get/.exclude(pk=… / id=… / code=…)` on anything else (a related manager such
  as `meeting.documents.filter(pk=…)`: its model cannot be told from the source, and a fetch
  by pk is the access layer's job whatever the receiver).
A scoped model is one linked to an organization or a member, directly or through another
scoped model (a speech through its meeting): `Organization`, `Member`, `Meeting`, `Candidate`,
`Transfer`, `Assignment`, … They are fetched with `get_<thing>_for_user(user, pk, ...)` in the
app's `access.py`, which answers 404 outside the user's scope and 403 when read-only.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.db import models

import chibo

SOURCE = Path(chibo.__file__).parent
FETCH_METHODS = frozenset({"get", "filter", "exclude"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
KEY_FIELDS = frozenset({"pk", "id", "code"})
KEY_LOOKUPS = frozenset({"", "exact", "iexact", "in"})


def scoped_model_names() -> frozenset[str]:
    """Models linked to Organization or Member, directly or through another scoped model."""
    scoped = {apps.get_model("orgs", "Organization"), apps.get_model("members", "Member")}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in scoped:
                continue
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.ForeignKey | models.ManyToManyField)
                    and field.related_model in scoped
                ):
                    scoped.add(model)
                    changed = True
                    break
    return frozenset(model.__name__ for model in scoped)


def _chain_root(node: ast.expr) -> tuple[str, bool]:
    """The name a call chain starts at and whether it goes through `.objects`
    (`Member.objects.select_related(...).filter` → ("Member", True))."""
    through_objects = False
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            through_objects = through_objects or node.attr == "objects"
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id, through_objects
        else:
            return "", through_objects


def _key_lookup(call: ast.Call) -> bool:
    """A lookup naming rows by key: `pk=`, `code=`, `pk__in=`, `code__iexact=` (a prefix or
    substring search such as `code__startswith=` is a search, not a fetch)."""
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        field, _sep, lookup = keyword.arg.partition("__")
        if field in KEY_FIELDS and lookup in KEY_LOOKUPS:
            return True
    return False


def scoped_fetches(source: str, scoped: frozenset[str]) -> list[tuple[str, str]]:
    """(function, what is fetched) for every fetch by pk or code of a scoped row in `source`."""
    found: list[tuple[str, str]] = []

    class Visitor(ast.NodeVisitor):
        function = "<module>"

        def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
            outer, self.function = self.function, node.name
            self.generic_visit(node)
            self.function = outer

        def visit_Call(self, node: ast.Call) -> None:
            func = node.func
            if isinstance(func, ast.Name) and func.id in SHORTCUTS and node.args:
                model, _objects = _chain_root(node.args[0])
                if model in scoped:
                    found.append((self.function, f"{func.id}({model})"))
            elif isinstance(func, ast.Attribute) and func.attr in FETCH_METHODS:
                root, through_objects = _chain_root(func.value)
                if through_objects and root in scoped:
                    if func.attr == "get" or _key_lookup(node):
                        key = "pk=" if _key_lookup(node) else ""
                        found.append((self.function, f"{root}.objects.{func.attr}({key})"))
                elif not through_objects and _key_lookup(node):
                    found.append((self.function, f"<related>.{func.attr}(pk=)"))
            self.generic_visit(node)

    Visitor().visit(ast.parse(source))
    return found


def view_modules() -> list[Path]:
    return sorted(SOURCE.rglob("views*.py"))


def test_the_checker_sees_each_kind_of_fetch():
    """Adding a fetch to a view module is caught (the checker is not vacuous)."""
    source = """
def detail(request, pk):
    member = Member.objects.select_related("cell").filter(pk=pk).first()
    cell = get_object_or_404(Organization, pk=pk)
    meeting = Meeting.objects.get(id=pk)
    unit = Organization.objects.filter(code=request.GET["code"]).first()
    document = meeting.documents.filter(pk=pk).first()
    ok = Position.objects.current().filter(member_id__in=[1, 2])
    search = Organization.objects.filter(code__startswith="38.")
    value = request.GET.get("pk")
"""
    found = scoped_fetches(source, scoped_model_names())
    assert found == [
        ("detail", "Member.objects.filter(pk=)"),
        ("detail", "get_object_or_404(Organization)"),
        ("detail", "Meeting.objects.get(pk=)"),
        ("detail", "Organization.objects.filter(pk=)"),
        ("detail", "<related>.filter(pk=)"),
    ]


def test_scoped_models_include_every_linked_model():
    names = scoped_model_names()
    for name in ("Organization", "Member", "Meeting", "Candidate", "Transfer", "Assignment"):
        assert name in names
    assert "Speech" in names  # through its meeting
    assert "User" not in names


def test_no_view_module_fetches_a_scoped_row_by_pk_or_code():
    scoped = scoped_model_names()
    offenders = []
    for path in view_modules():
        module = path.relative_to(SOURCE).as_posix()
        for function, what in scoped_fetches(path.read_text(encoding="utf-8"), scoped):
            offenders.append(f"{module}:{function}: {what}")
    assert not offenders, (
        "View modules fetch scoped rows by pk or code; fetch them with a helper in the app's "
        "access.py (404 outside scope, 403 read-only):\n" + "\n".join(offenders)
    )
