"""Test helpers for erasure and retention: every table's text, to search for a person."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from survey.extensions import db


def all_text(app: Flask) -> dict[str, str]:
    """Table name → every value of every row as text, lower-case (JSON documents included)."""
    with app.app_context():
        dump = {}
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(select(table)).all()
            dump[table.name] = "\n".join(repr(tuple(row)) for row in rows).lower()
    return dump


def tables_mentioning(app: Flask, *needles: str) -> dict[str, list[str]]:
    """Which tables hold any of `needles` (case-insensitive): {} when none does."""
    found: dict[str, list[str]] = {}
    for table, text in all_text(app).items():
        hits = [needle for needle in needles if needle.lower() in text]
        if hits:
            found[table] = hits
    return found
