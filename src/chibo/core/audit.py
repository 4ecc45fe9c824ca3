"""The audit log. Every service writes exactly one entry per state change."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from chibo.core.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The plain values of `fields` on `instance`, for a later `changes_between`."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value differs."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if before.get(name) != after.get(name)
    }


def record(
    *,
    actor: Any,
    code: str,
    target: models.Model,
    organization: Any = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Write one audit entry. `code` is dotted and past tense: "member.created"."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        code=code,
        organization=organization,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        changes=changes or {},
        note=note,
    )


@dataclass(frozen=True)
class ChangeLine:
    """One line of an entry's changes as the audit page shows it."""

    field: str
    after: str
    before: str | None = None  # None: the value is not a before/after pair

    @property
    def is_pair(self) -> bool:
        return self.before is not None


def _text(value: Any) -> str:
    """A stored value as a person reads it: a mapping as "key: value; …", a list as "a, b"
    (never JSON punctuation)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    return str(value)


def change_lines(changes: Any) -> list[ChangeLine]:
    """The changes of an entry as lines: `[before, after]` pairs (what `changes_between`
    writes) read "before → after"; any other value (a count, a list of items, a mapping) is
    shown as it is, as compact text. Keys are never looked up as attributes, so a key named
    "items" or "values" is an ordinary line."""
    if not isinstance(changes, dict):
        return [ChangeLine(field="", after=_text(changes))] if changes else []
    lines = []
    for field, value in changes.items():
        if isinstance(value, list | tuple) and len(value) == 2:
            lines.append(
                ChangeLine(field=str(field), before=_text(value[0]), after=_text(value[1]))
            )
        else:
            lines.append(ChangeLine(field=str(field), after=_text(value)))
    return lines
