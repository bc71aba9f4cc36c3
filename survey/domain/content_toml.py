"""Write questionnaire content as the TOML files `questionnaire check` reads (SPEC §3, issue 21).

The input is content as plain data in `Content.to_snapshot()` shape, valid or not (a draft
may still have empty wordings); the output is one text per file of the content folder, laid
out like the shipped files, with a comment over each item that carries a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from survey.domain.content import LEVELS
from survey.domain.content_loader import AREAS_FILE, OPEN_QUESTIONS_FILE, SCALE_FILE

_HEADERS = {
    SCALE_FILE: "The answer scale for every item (SPEC §2, §3). N/A is stored as NULL, never 0.",
    AREAS_FILE: "Responsibility areas: one radar spoke each, in this order (SPEC §3).",
    OPEN_QUESTIONS_FILE: (
        "Free-text questions asked after the rated items (SPEC §2, §6). Form fields are named\n"
        "comment-<key>; `self` is the subject's own wording, `other` uses {name}, `you` is the\n"
        "wording the subject reads in their own report (SPEC §10)."
    ),
}
_ITEM_FIELDS = ("key", "area", "source", "self", "other", "you", "behaviour", "observers")


def content_files(
    data: Mapping[str, Any], notes: Mapping[str, str] | None = None, source: str = ""
) -> dict[str, str]:
    """File name → TOML text for snapshot-shaped `data`; `notes` (item key → text) become
    comments over their items, `source` names the document the levels came from."""
    notes = notes or {}
    files = {
        SCALE_FILE: _scale(data.get("scale") or {}),
        AREAS_FILE: _tables(
            AREAS_FILE, "areas", data.get("areas") or [], ("key", "title", "description", "order")
        ),
        OPEN_QUESTIONS_FILE: _tables(
            OPEN_QUESTIONS_FILE, "questions", data.get("open_questions") or [],
            ("key", "self", "other", "you"),
        ),
    }
    levels = data.get("levels") or {}
    for level in LEVELS:
        if isinstance(levels.get(level), Mapping):
            files[f"{level}.toml"] = _level(levels[level], notes, source)
    return {name: tomlkit.dumps(document) for name, document in files.items()}


def _header(document: tomlkit.TOMLDocument, text: str) -> tomlkit.TOMLDocument:
    for line in text.splitlines():
        document.add(tomlkit.comment(line))
    return document


def _scale(scale: Mapping[str, Any]) -> tomlkit.TOMLDocument:
    document = _header(tomlkit.document(), _HEADERS[SCALE_FILE])
    for name in ("min", "max", "labels", "allows_na", "na_label"):
        if name in scale:
            document.add(name, scale[name])
    return document


def _tables(
    file: str, name: str, rows: list[Mapping[str, Any]], fields: tuple[str, ...]
) -> tomlkit.TOMLDocument:
    document = _header(tomlkit.document(), _HEADERS[file])
    array = tomlkit.aot()
    for row in rows:
        array.append(_table(row, (*fields, "required")))
    document.add(name, array)
    return document


def _table(row: Mapping[str, Any], fields: tuple[str, ...], note: str = "") -> Table:
    """One table with `fields` in order; `you` only when written, `required` only when true."""
    table = tomlkit.table()
    if note:
        for line in note.splitlines():
            table.add(tomlkit.comment(f"NOTE: {line}"))
    for field in fields:
        if field not in row or (field == "required" and not row[field]):
            continue
        if field == "you" and not row[field] and not note:
            continue
        table.add(field, row[field])
    return table


def _level(level: Mapping[str, Any], notes: Mapping[str, str], source: str) -> tomlkit.TOMLDocument:
    title = str(level.get("title", ""))
    where = f" ({source})" if source else ""
    document = _header(
        tomlkit.document(),
        f"{title}: responsibilities in source order{where},\n"
        "each with the items derived from it; `source` = LEVEL.N, the N-th bullet of this\n"
        "level in the document, and `bullets` how many it has.",
    )
    if "bullets" in level:
        document.add("bullets", level["bullets"])
    document.add("title", title)
    responsibilities: AoT = tomlkit.aot()
    for responsibility in level.get("responsibilities") or []:
        table = _table(responsibility, ("number", "text"))
        items = tomlkit.aot()
        for item in responsibility.get("items") or []:
            items.append(_table(item, (*_ITEM_FIELDS, "required"), notes.get(item.get("key"), "")))
        table.add("items", items)
        responsibilities.append(table)
    document.add("responsibilities", responsibilities)
    return document
