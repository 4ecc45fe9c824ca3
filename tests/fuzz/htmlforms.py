"""The forms of a page, read from its HTML the way a browser would submit them.

A `Form` is what a browser (or htmx) would send: where to (`action`: the form's `hx-post`,
`action`, or the page itself), how (`method`), and its named controls (`Field`). Controls are
read from `<input>`, `<select>` (with their options), `<textarea>` and named `<button>`s; a
lone element carrying `hx-post` outside any form (a button with `hx-vals`) is a form of its own.
The standard library's html.parser is enough: the pages are our own well-formed templates."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # input type ("text", "number", "date", "file", "checkbox", …), "select", "textarea"
    value: str = ""  # what the page filled in (or the checked/selected value)
    options: list[str] = field(default_factory=list)  # a select's values, a radio group's values
    multiple: bool = False
    required: bool = False
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Form:
    action: str  # a path, possibly with a query string
    method: str  # "get" or "post"
    fields: list[Field] = field(default_factory=list)
    multipart: bool = False
    htmx: bool = False  # sent by htmx (hx-post): the view answers with a partial

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def _target(self, attrs: dict[str, str]) -> str:
        raw = attrs.get("hx-post") or attrs.get("action") or ""
        return urlsplit(urljoin(self.page_url, raw))._replace(scheme="", netloc="").geturl()

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attr_list}
        if tag == "form":
            method = "post" if "hx-post" in attrs else attrs.get("method", "get").lower()
            self._form = Form(
                action=self._target(attrs),
                method=method,
                multipart=attrs.get("enctype") == "multipart/form-data"
                or attrs.get("hx-encoding") == "multipart/form-data",
                htmx="hx-post" in attrs,
            )
            self.forms.append(self._form)
            return
        if "hx-post" in attrs and self._form is None:
            # A button or link posting on its own, its values in hx-vals (JSON).
            lone = Form(action=self._target(attrs), method="post", htmx=True)
            try:
                values = json.loads(attrs.get("hx-vals") or "{}")
            except ValueError:
                values = {}
            lone.fields = [Field(name=k, kind="hidden", value=str(v)) for k, v in values.items()]
            self.forms.append(lone)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "image", "reset") and not name:
                return
            existing = self._form.field(name)
            if kind == "radio" and existing is not None:
                existing.options.append(attrs.get("value", "on"))
                if "checked" in attrs:
                    existing.value = attrs.get("value", "on")
                return
            if kind == "checkbox" and existing is not None and existing.kind == "checkbox":
                existing.options.append(attrs.get("value", "on"))
                existing.multiple = True
                return
            value = attrs.get("value", "")
            options = [attrs.get("value", "on")] if kind in ("radio", "checkbox") else []
            if kind in ("radio", "checkbox"):
                value = attrs.get("value", "on") if "checked" in attrs else ""
            self._form.fields.append(
                Field(
                    name=name,
                    kind=kind,
                    value=value,
                    options=options,
                    required="required" in attrs,
                    attrs=attrs,
                )
            )
        elif tag == "select" and name:
            self._select = Field(
                name=name,
                kind="select",
                multiple="multiple" in attrs,
                required="required" in attrs,
                attrs=attrs,
            )
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select.options.append(value)
            if "selected" in attrs:
                self._select.value = value
        elif tag == "textarea" and name:
            self._textarea = Field(
                name=name, kind="textarea", required="required" in attrs, attrs=attrs
            )
            self._form.fields.append(self._textarea)
        elif tag == "button" and name and self._form.field(name) is None:
            self._form.fields.append(
                Field(name=name, kind="button", value=attrs.get("value", ""), attrs=attrs)
            )
        elif tag == "button" and name:
            found = self._form.field(name)
            if found is not None and found.kind == "button":
                found.options.append(attrs.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data


def page_forms(html: str, page_url: str) -> list[Form]:
    """Every form of the page, in document order."""
    parser = _FormParser(page_url)
    parser.feed(html)
    for form in parser.forms:
        for one in form.fields:
            if one.kind == "button" and one.value not in one.options:
                one.options.insert(0, one.value)
    return parser.forms


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        for key in ("href", "hx-get"):
            if tag in ("a", "div", "span", "section", "button", "tr", "li") and attrs.get(key):
                self.links.append(attrs[key] or "")


def page_links(html: str, page_url: str) -> list[str]:
    """Every same-site path the page links to (a href and hx-get), without fragments."""
    parser = _LinkParser()
    parser.feed(html)
    found = []
    for raw in parser.links:
        parts = urlsplit(urljoin(page_url, raw))
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        found.append(parts._replace(scheme="", netloc="", fragment="").geturl())
    return found
