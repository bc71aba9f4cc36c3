"""Template helpers: which pages exist, score and time formatting shared by every page."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app


def init_app(app: Flask) -> None:
    """Register the context processor and filters."""
    app.context_processor(_context)
    app.add_template_filter(format_score, "score")
    app.add_template_filter(format_local, "local")


def _context() -> dict[str, Any]:
    return {"endpoints_available": frozenset(current_app.view_functions)}


def format_score(value: float | None) -> str:
    """A score as shown everywhere: two decimals (already rounded half up), or an en dash."""
    return "–" if value is None else f"{value:.2f}"


def format_local(value: datetime | None, zone: str = "UTC", fmt: str = "%A %d %B %Y, %H:%M") -> str:
    """An aware UTC datetime in the given IANA zone, with the zone name."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone))
    return f"{local.strftime(fmt)} ({zone})"
