"""A tiny client that reads and submits HTML forms the way a person's browser would.

Used by the demo so simulated raters go through the real routes, CSRF and validation. Requests
go to the app in process (Werkzeug's test client: the same WSGI app a server runs), so building
the demo needs no port.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask import Flask
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse


@dataclass
class Form:
    """One <form>: where it posts and its fields (name → list of (type, value, checked))."""

    action: str
    method: str
    inputs: list[tuple[str, str, str, bool]] = field(default_factory=list)  # name,type,value,chk
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (name, value)

    def names(self, kind: str) -> list[str]:
        """Distinct field names of one input type, in page order."""
        seen: list[str] = []
        for name, type_, _, _ in self.inputs:
            if type_ == kind and name not in seen:
                seen.append(name)
        return seen

    def hidden(self) -> dict[str, str]:
        """Hidden fields (the CSRF token among them)."""
        return {n: v for n, t, v, _ in self.inputs if t == "hidden"}


@dataclass
class Page:
    """A fetched page: final URL, status, body, its forms and links."""

    url: str
    status: int
    body: str
    forms: list[Form]
    links: list[str]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif tag == "input" and self.forms and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind == "submit":
                self.forms[-1].buttons.append((a["name"], a.get("value", "")))
            else:
                self.forms[-1].inputs.append((a["name"], kind, a.get("value", ""), "checked" in a))
        elif tag == "button" and self.forms and a.get("name"):
            self.forms[-1].buttons.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and self.forms and a.get("name"):
            self._textarea = (a["name"], [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None and self.forms:
            name, parts = self._textarea
            self.forms[-1].inputs.append((name, "textarea", "".join(parts), False))
            self._textarea = None


class Browser:
    """Cookies, redirects and form posts against one app, addressed as `base_url`."""

    def __init__(self, app: Flask, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = app.test_client()

    def get(self, url: str) -> Page:
        """GET a page (relative or absolute URL), following redirects."""
        return _page(self._client.get(self._absolute(url), follow_redirects=True))

    def post(self, url: str, data: dict[str, str] | list[tuple[str, str]]) -> Page:
        """POST form fields, following the redirect (Post/Redirect/Get)."""
        form = MultiDict(data)  # a field may repeat; sent url-encoded, as a browser does
        return _page(self._client.post(self._absolute(url), data=form, follow_redirects=True))

    def _absolute(self, url: str) -> str:
        return url if url.startswith("http") else self.base_url + url


def _page(response: TestResponse) -> Page:
    parser = _Parser()
    text = response.get_data(as_text=True)
    parser.feed(text)
    return Page(response.request.url, response.status_code, text, parser.forms, parser.links)
