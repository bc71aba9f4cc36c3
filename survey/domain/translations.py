"""Questionnaire translations (SPEC §14): the same areas, items and open questions in another
language, keyed by the same keys, so answers given in any language combine in one report.

A translation only replaces words: keys, areas of items, sources, observers, `required` and the
scale's numbers always come from the base content. Files of a translation live in
`questionnaires/<locale>/` and mirror the base files:

- `scale.toml`: `labels = [...]` (one per scale value) and `na_label`;
- `areas.toml`: `[areas.<key>]` with `title` and `description`;
- `open_questions.toml`: `[questions.<key>]` with `self`, `other` ({name}) and `you`;
- `<level>.toml`: `title` and `[items.<key>]` with `self`, `other` ({name}), `you` and
  optionally `behaviour` (the HR editor's note; the base text is kept without it).

Every key of the base must be translated and no other key may appear: `check_translation`
names each missing or extra key with its locale's file. The `you` wording (the subject's own
report, SPEC §10) is required, since the English rule that derives it does not apply.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.domain.content import (
    NAME,
    Content,
    ContentProblem,
    Item,
    Level,
    OpenQuestion,
    Responsibility,
)

# The language the base content is written in (the shipped questionnaires/ and HR's sets).
BASE_LOCALE = "en"
LOCALE_PATTERN = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")

SCALE_FILE = "scale.toml"
AREAS_FILE = "areas.toml"
OPEN_QUESTIONS_FILE = "open_questions.toml"
_WORDINGS = ("self", "other", "you")


@dataclass(frozen=True)
class Wording:
    """One item's or open question's words in a translation; behaviour "" keeps the base's."""

    self_text: str
    other_text: str
    you_text: str
    behaviour: str = ""


@dataclass(frozen=True)
class LevelWording:
    """One level's title and its items' words in a translation."""

    title: str
    items: Mapping[str, Wording]


@dataclass(frozen=True)
class Translation:
    """Every text of the content in one locale, keyed like the base content."""

    locale: str
    scale_labels: tuple[str, ...]
    na_label: str
    areas: Mapping[str, tuple[str, str]]  # area key → (title, description)
    levels: Mapping[str, LevelWording]
    questions: Mapping[str, Wording]

    def to_data(self) -> dict[str, Any]:
        """Plain data for a campaign's snapshot; `parse_translation` reads it back."""
        return {
            SCALE_FILE: {"labels": list(self.scale_labels), "na_label": self.na_label},
            AREAS_FILE: {
                "areas": {k: {"title": t, "description": d} for k, (t, d) in self.areas.items()}
            },
            OPEN_QUESTIONS_FILE: {
                "questions": {k: _wording_data(w) for k, w in self.questions.items()}
            },
            **{
                f"{key}.toml": {
                    "title": level.title,
                    "items": {k: _wording_data(w) for k, w in level.items.items()},
                }
                for key, level in self.levels.items()
            },
        }


def _wording_data(wording: Wording) -> dict[str, str]:
    data = {"self": wording.self_text, "other": wording.other_text, "you": wording.you_text}
    return data | ({"behaviour": wording.behaviour} if wording.behaviour else {})


def translate(content: Content, translation: Translation) -> Content:
    """Return `content` worded in `translation`'s language (same keys, same structure)."""
    areas = tuple(
        dataclasses.replace(
            area, title=translation.areas[area.key][0], description=translation.areas[area.key][1]
        )
        for area in content.areas
    )
    questions = tuple(
        _translated_question(q, translation.questions[q.key]) for q in content.open_questions
    )
    levels = tuple(_translated_level(level, translation) for level in content.levels)
    scale = dataclasses.replace(
        content.scale, labels=translation.scale_labels, na_label=translation.na_label
    )
    return Content(scale, areas, levels, questions)


def _translated_question(question: OpenQuestion, wording: Wording) -> OpenQuestion:
    return dataclasses.replace(
        question,
        self_text=wording.self_text,
        other_text=wording.other_text,
        you_text=wording.you_text,
    )


def _translated_item(item: Item, wording: Wording) -> Item:
    return dataclasses.replace(
        item,
        self_text=wording.self_text,
        other_text=wording.other_text,
        you_text=wording.you_text,
        behaviour=wording.behaviour or item.behaviour,
    )


def _translated_level(level: Level, translation: Translation) -> Level:
    words = translation.levels[level.key]
    responsibilities = tuple(
        Responsibility(
            resp.number,
            resp.text,
            tuple(_translated_item(item, words.items[item.key]) for item in resp.items),
        )
        for resp in level.responsibilities
    )
    return dataclasses.replace(level, title=words.title, responsibilities=responsibilities)


def parse_translation(
    locale: str, documents: Mapping[str, Any], base: Content, problems: list[ContentProblem]
) -> Translation | None:
    """Check one locale's documents (file name → TOML data) against `base`.

    Appends a ContentProblem per missing key, extra key, unknown field or bad wording, with the
    file named `<locale>/<file>`; returns None when there was any.
    """
    reader = _Reader(locale, problems)
    start = len(problems)
    labels, na_label = _scale(reader, documents.get(SCALE_FILE), base)
    areas = _areas(reader, documents.get(AREAS_FILE), base)
    questions = reader.wordings(
        OPEN_QUESTIONS_FILE,
        documents.get(OPEN_QUESTIONS_FILE),
        "questions",
        [q.key for q in base.open_questions],
        "open question",
    )
    levels: dict[str, LevelWording] = {}
    for level in base.levels:
        name = f"{level.key}.toml"
        raw = reader.document(name, documents.get(name))
        if raw is None:
            continue
        reader.fields(name, raw, {"title", "items"}, level.key)
        title = reader.text(name, raw, "title", level.key, "level title")
        keys = [item.key for item in level.items]
        levels[level.key] = LevelWording(title, reader.wordings(name, raw, "items", keys, "item"))
    for name in sorted(set(documents) - _expected_files(base)):
        reader.problem(name, "(file)", "extra file: the base content has no such file")
    if len(problems) > start:
        return None
    return Translation(locale, labels, na_label, areas, levels, questions)


def _expected_files(base: Content) -> set[str]:
    return {SCALE_FILE, AREAS_FILE, OPEN_QUESTIONS_FILE} | {
        f"{level.key}.toml" for level in base.levels
    }


def _scale(reader: _Reader, raw: Any, base: Content) -> tuple[tuple[str, ...], str]:
    raw = reader.document(SCALE_FILE, raw)
    if raw is None:
        return (), ""
    reader.fields(SCALE_FILE, raw, {"labels", "na_label"}, "(scale)")
    labels = raw.get("labels")
    count = len(base.scale.labels)
    if not isinstance(labels, list) or not all(isinstance(x, str) and x.strip() for x in labels):
        reader.problem(SCALE_FILE, "labels", "missing labels, or not a list of non-empty texts")
        labels = []
    elif len(labels) != count:
        reader.problem(SCALE_FILE, "labels", f"expected {count} labels, got {len(labels)}")
    na_label = ""
    if base.scale.allows_na:
        na_label = reader.text(SCALE_FILE, raw, "na_label", "na_label")
    return tuple(x.strip() for x in labels), na_label


def _areas(reader: _Reader, raw: Any, base: Content) -> dict[str, tuple[str, str]]:
    raw = reader.document(AREAS_FILE, raw)
    if raw is None:
        return {}
    tables = reader.keyed(AREAS_FILE, raw, "areas", [area.key for area in base.areas], "area")
    result = {}
    for key, table in tables.items():
        reader.fields(AREAS_FILE, table, {"title", "description"}, key)
        result[key] = (
            reader.text(AREAS_FILE, table, "title", key),
            reader.text(AREAS_FILE, table, "description", key),
        )
    return result


class _Reader:
    """Reads one locale's tables, recording problems under `<locale>/<file>`."""

    def __init__(self, locale: str, problems: list[ContentProblem]) -> None:
        self.locale = locale
        self.problems = problems

    def problem(self, file: str, key: str, reason: str) -> None:
        self.problems.append(ContentProblem(f"{self.locale}/{file}", key, reason))

    def document(self, file: str, raw: Any) -> Mapping[str, Any] | None:
        if raw is None:
            self.problem(file, "(file)", f"file is missing: every {self.locale} file is needed")
            return None
        if not isinstance(raw, Mapping):
            self.problem(file, "(file)", "not a table")
            return None
        return raw

    def fields(self, file: str, table: Mapping[str, Any], allowed: set[str], key: str) -> None:
        for name in sorted(set(table) - allowed):
            expected = ", ".join(sorted(allowed))
            self.problem(file, key, f"unknown field {name!r} (expected: {expected})")

    def text(self, file: str, table: Mapping[str, Any], name: str, key: str, what: str = "") -> str:
        value = table.get(name)
        what = what or name
        if not isinstance(value, str) or not value.strip():
            self.problem(file, key, f"missing {self.locale} {what}")
            return ""
        return value.strip()

    def keyed(
        self, file: str, raw: Mapping[str, Any], name: str, keys: list[str], what: str
    ) -> dict[str, Mapping[str, Any]]:
        """The `[name.<key>]` tables: every base key once, no other."""
        self.fields(file, raw, {name}, f"({name})")
        tables = raw.get(name, {})
        if not isinstance(tables, Mapping):
            self.problem(file, f"({name})", f"{name} must be tables keyed by {what} key")
            return {}
        for key in keys:
            if key not in tables:
                self.problem(file, key, f"missing {self.locale} translation of {what} {key!r}")
        for key in tables:
            if key not in keys:
                self.problem(file, key, f"extra key: the base content has no {what} {key!r}")
        result = {}
        for key in keys:
            table = tables.get(key)
            if table is None:
                continue
            if not isinstance(table, Mapping):
                self.problem(file, key, "must be a table")
                continue
            result[key] = table
        return result

    def wordings(
        self, file: str, raw: Any, name: str, keys: list[str], what: str
    ) -> dict[str, Wording]:
        raw = self.document(file, raw)
        if raw is None:
            return {}
        if file == OPEN_QUESTIONS_FILE:
            self.fields(file, raw, {name}, f"({name})")
        result = {}
        for key, table in self.keyed(file, {name: raw.get(name, {})}, name, keys, what).items():
            self.fields(file, table, {*_WORDINGS, "behaviour"}, key)
            texts = [self.text(file, table, field, key, f"{field} wording") for field in _WORDINGS]
            self_text, other_text, you_text = texts
            if self_text and NAME in self_text:
                self.problem(file, key, "self wording must not contain {name}")
            if you_text and NAME in you_text:
                self.problem(file, key, "you wording must not contain {name}")
            if other_text and NAME not in other_text:
                self.problem(file, key, "other wording must contain {name}")
            behaviour = table.get("behaviour", "")
            if not isinstance(behaviour, str):
                self.problem(file, key, "behaviour must be text")
                behaviour = ""
            result[key] = Wording(self_text, other_text, you_text, behaviour.strip())
        return result
