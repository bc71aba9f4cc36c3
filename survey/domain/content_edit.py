"""Edit a draft content set held as plain data in `Content.to_snapshot()` shape (issue 21).

A draft may be invalid while someone works on it (an empty wording, a level with too few
areas); `content_problems` lists what `questionnaire check` would say about it, with the same
messages. Every edit returns new data and leaves its input as it was. Keys never change: they
are what answers are stored under.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from survey.domain.content import (
    KEY_PATTERN,
    LEVELS,
    Content,
    ContentError,
    ContentProblem,
)
from survey.domain.generator import MAX_AREA_KEY
from survey.errors import SurveyError

Data = dict[str, Any]


class EditError(SurveyError):
    """An edit that cannot apply: unknown item, area key taken or malformed."""


@dataclass(frozen=True)
class ItemEdit:
    """What the editor changes on one item: its wordings, area, observers and `required`."""

    self_text: str
    other_text: str
    you_text: str
    behaviour: str
    area: str
    observers: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class AreaEdit:
    """An area's title, one-line description and spoke order."""

    key: str
    title: str
    description: str
    order: int


@dataclass(frozen=True)
class QuestionEdit:
    """An open question's wordings and `required`."""

    key: str
    self_text: str
    other_text: str
    you_text: str
    required: bool


def content_problems(data: Mapping[str, Any]) -> list[ContentProblem]:
    """Every problem `questionnaire check` would name in this content (empty when valid)."""
    try:
        Content.from_snapshot(data)
    except ContentError as error:
        return error.problems
    return []


def level_items(data: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(level, item) for every item, levels in LEVELS order, items in source order."""
    levels = data.get("levels") or {}
    for level in LEVELS:
        for responsibility in (levels.get(level) or {}).get("responsibilities") or []:
            for item in responsibility.get("items") or []:
                yield level, item


def find_item(data: Mapping[str, Any], key: str) -> tuple[str, Mapping[str, Any]]:
    """(level, item) of the item with this key; raises EditError if there is none."""
    for level, item in level_items(data):
        if item.get("key") == key:
            return level, item
    raise EditError(f"no item {key!r} in this set")


def edit_item(data: Mapping[str, Any], key: str, edit: ItemEdit) -> Data:
    """The data with one item's wordings, area, observers and `required` replaced."""
    changed = copy.deepcopy(dict(data))
    _, item = find_item(changed, key)
    assert isinstance(item, dict)
    item.update({
        "self": edit.self_text.strip(),
        "other": edit.other_text.strip(),
        "behaviour": edit.behaviour.strip(),
        "area": edit.area,
        "observers": list(edit.observers),
        "required": edit.required,
    })
    _set_you(item, edit.you_text)
    return changed


def edit_areas(data: Mapping[str, Any], edits: Sequence[AreaEdit]) -> Data:
    """The data with these areas' titles, descriptions and orders replaced (by key), areas
    sorted by order; raises EditError for an unknown key."""
    changed = copy.deepcopy(dict(data))
    areas = {area["key"]: area for area in changed.get("areas") or []}
    for edit in edits:
        if edit.key not in areas:
            raise EditError(f"no area {edit.key!r} in this set")
        areas[edit.key].update(
            title=edit.title.strip(), description=edit.description.strip(), order=edit.order
        )
    changed["areas"] = sorted(areas.values(), key=lambda area: area["order"])
    return changed


def add_area(data: Mapping[str, Any], key: str, title: str, description: str) -> Data:
    """The data with a new area last in spoke order; raises EditError for a bad or taken key."""
    key = key.strip()
    if not KEY_PATTERN.fullmatch(key) or len(key) > MAX_AREA_KEY:
        raise EditError(
            f"area key {key!r} must be lower case letters, digits and _ "
            f"(starting with a letter), at most {MAX_AREA_KEY} characters"
        )
    changed = copy.deepcopy(dict(data))
    areas = changed.setdefault("areas", [])
    if any(area["key"] == key for area in areas):
        raise EditError(f"there is already an area {key!r}")
    order = max((area["order"] for area in areas), default=0) + 1
    areas.append({"key": key, "title": title.strip(), "description": description.strip(),
                  "order": order})
    return changed


def edit_questions(data: Mapping[str, Any], edits: Sequence[QuestionEdit]) -> Data:
    """The data with these open questions' wordings and `required` replaced (by key)."""
    changed = copy.deepcopy(dict(data))
    questions = {q["key"]: q for q in changed.get("open_questions") or []}
    for edit in edits:
        if edit.key not in questions:
            raise EditError(f"no open question {edit.key!r} in this set")
        question = questions[edit.key]
        question.update(
            self=edit.self_text.strip(), other=edit.other_text.strip(), required=edit.required
        )
        _set_you(question, edit.you_text)
    return changed


def _set_you(table: dict[str, Any], you_text: str) -> None:
    """`you` is optional: a blank one is left out (the report derives it, SPEC §10)."""
    if you_text.strip():
        table["you"] = you_text.strip()
    else:
        table.pop("you", None)
