"""Shared pieces of the hostile-input suites: the hypothesis settings, hostile text, and one app
per module (built once; examples reset what they change)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from survey import create_app
from survey.extensions import db
from tests.conftest import database_url, reset_postgres, wait_for_background_freezes

# At least 200 examples per target, in CI too; no deadline (PostgreSQL round trips vary).
HOSTILE = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

NASTY = [
    "", " ", "\x00", "\ufeff", "\u202e", "=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
    "\t=1", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "{{ 7*7 }}",
    "' OR 1=1 --", "Robert'); DROP TABLE person;--", "../../etc/passwd", "%00", "\r\n", "😀" * 3,
    "a" * 300, "é" * 5000,
]  # fmt: skip
SCRIPT = "<script>alert(1)</script>"


def hostile_text(max_size: int = 400) -> st.SearchStrategy[str]:
    """Arbitrary unicode, known-nasty strings, and both glued together."""
    nasty = st.sampled_from(NASTY)
    anything = st.text(max_size=max_size)
    return st.one_of(nasty, anything, st.builds(lambda a, b: a + b, nasty, anything))


def hostile_value() -> st.SearchStrategy[str | bytes]:
    """A form value: hostile text, or raw bytes (invalid UTF-8 included)."""
    return st.one_of(hostile_text(), st.binary(max_size=200))


def form_body(fields: dict[str, Any] | list[tuple[str, Any]]) -> bytes:
    """An urlencoded body; bytes values go out as they are (invalid UTF-8 stays invalid)."""
    items = fields.items() if isinstance(fields, dict) else fields
    return urlencode(list(items), doseq=False).encode("ascii")


def readable(page: str) -> list[str]:
    """The messages a user reads on a refused form: field errors and the error summary."""
    messages = re.findall(r'class="field-error"[^>]*>([^<]+)<', page)
    messages += re.findall(r"<li>([^<]{8,})", page)
    return [m.strip() for m in messages if m.strip()]


def module_app(folder: Path, **config: Any) -> Iterator[Flask]:
    """One app and fresh schema for a whole test module (SQLite file or the PostgreSQL db)."""
    url = database_url(folder)
    if url.startswith("postgres"):
        reset_postgres(url)
    outbox = folder / "outbox"
    outbox.mkdir(exist_ok=True)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "hostile",
            "SQLALCHEMY_DATABASE_URI": url,
            "MAIL_OUTBOX": str(outbox),
            "BASE_URL": "http://localhost",
            "RATELIMIT_ENABLED": False,  # the limits have their own tests; here: every example
            **config,
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    wait_for_background_freezes()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
