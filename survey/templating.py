"""Template helpers: which pages exist, score and time formatting shared by every page."""

from __future__ import annotations

import hashlib
import os
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from flask import Flask, current_app

from survey.domain.languages import PLAIN_DAY_PATTERNS, format_day
from survey.i18n import current_language


def init_app(app: Flask) -> None:
    """Register the context processor, filters, and versioned static URLs."""
    app.context_processor(_context)
    app.url_defaults(_static_version)
    app.add_template_filter(format_score, "score")
    app.add_template_filter(format_local, "local")
    app.add_template_filter(format_plain_day, "day")


def _static_version(endpoint: str, values: dict[str, Any]) -> None:
    """Add `?v=<content hash>` to static URLs so browsers may cache them for a year
    (`survey.static_files`; plotly.min.js is 4.8 MB) and still fetch a file again as soon as
    its content changes."""
    if endpoint == "static" and "filename" in values:
        path = os.path.join(current_app.static_folder or "", values["filename"])
        try:
            changed = os.stat(path).st_mtime_ns
        except OSError:
            changed = 0
        values.setdefault("v", _content_hash(path, changed))


@lru_cache(maxsize=256)
def _content_hash(path: str, changed: int) -> str:
    """The first 12 hex digits of the file's SHA-256 (read again when `changed` changes)."""
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()[:12]
    except OSError:
        return "0"


def _context() -> dict[str, Any]:
    return {"endpoints_available": frozenset(current_app.view_functions)}


def format_score(value: float | None) -> str:
    """A score as shown everywhere: two decimals (already rounded half up) with the page
    language's decimal sign ("3.25", "3,25"; Babel), or an en dash."""
    if value is None:
        return "–"
    return format_decimal(value, "0.00", locale=current_language())


def format_local(value: datetime | None, zone: str = "UTC", style: str = "full") -> str:
    """An aware UTC datetime in the given IANA zone, worded for the page's language with the
    zone name (SPEC §14): "Monday 31 March 2025, 14:05 (Europe/Paris)", "Montag, 31. März
    2025, 14:05 (Europe/Paris)"; `style="medium"` writes the day short as Babel's medium
    date ("Mar 31, 2025", "31.03.2025")."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone))
    language = current_language()
    day = format_day(local, language) if style == "full" else format_date(local, style, language)
    return f"{day}, {local:%H:%M} ({zone})"


def format_plain_day(value: date | datetime | None, zone: str | None = None) -> str:
    """A day without the weekday in the page's language (Babel, CLDR): "2 March 2027",
    "2. März 2027"; an aware datetime is first moved to `zone` when given; "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime) and zone is not None:
        value = value.astimezone(ZoneInfo(zone))
    language = current_language()
    return format_date(value, PLAIN_DAY_PATTERNS.get(language, "d MMMM y"), locale=language)
