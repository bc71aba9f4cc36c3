"""Build the questionnaire a rater sees, per level and rater group (SPEC §3, §9)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from survey.domain.content import (
    LEVELS,
    RATER_GROUPS,
    Area,
    Content,
    ContentError,
    ContentProblem,
    Item,
    Level,
    OpenQuestion,
    Responsibility,
    Scale,
)
from survey.domain.content_loader import default_directory, load_content
from survey.errors import SurveyError

__all__ = [
    "LEVELS",
    "RATER_GROUPS",
    "Area",
    "Content",
    "ContentError",
    "ContentProblem",
    "Item",
    "Level",
    "OpenQuestion",
    "Questionnaire",
    "QuestionnaireError",
    "QuestionnaireItem",
    "QuestionnaireOpenQuestion",
    "Readiness",
    "Responsibility",
    "Scale",
    "Section",
    "area_items",
    "build_questionnaire",
    "default_content",
    "load_content",
    "next_level",
    "observed_items",
]

DEFAULT_SUBJECT_NAME = "this person"


class QuestionnaireError(SurveyError):
    """A questionnaire was asked for an unknown level or rater group."""


@dataclass(frozen=True)
class QuestionnaireItem:
    """One item as a rater sees it: form field `key`, worded `text`, its `source` and `area`."""

    key: str
    text: str
    source: str
    area: str
    required: bool

    def to_json(self) -> dict[str, Any]:
        """Return `{key, text, source, required}` (SPEC §9)."""
        return {
            "key": self.key,
            "text": self.text,
            "source": self.source,
            "required": self.required,
        }


@dataclass(frozen=True)
class Section:
    """One area of a questionnaire with the items the rater group observes, in source order."""

    key: str
    title: str
    description: str
    items: tuple[QuestionnaireItem, ...]

    def to_json(self) -> dict[str, Any]:
        """Return `{key, title, items}` (SPEC §9)."""
        return {
            "key": self.key,
            "title": self.title,
            "items": [item.to_json() for item in self.items],
        }


@dataclass(frozen=True)
class Readiness:
    """The next level's sections, asked of subjects who aspire to move up (SPEC §3)."""

    level: str
    level_title: str
    sections: tuple[Section, ...]

    def to_json(self) -> dict[str, Any]:
        """Return `{level, areas}` in the same shape as the main questionnaire."""
        return {"level": self.level, "areas": [section.to_json() for section in self.sections]}


@dataclass(frozen=True)
class QuestionnaireOpenQuestion:
    """An open question as a rater sees it; its form field is `comment-<key>` (SPEC §6)."""

    key: str
    text: str
    required: bool

    def to_json(self) -> dict[str, Any]:
        """Return `{key, text}` (SPEC §9)."""
        return {"key": self.key, "text": self.text}


@dataclass(frozen=True)
class Questionnaire:
    """The ordered questionnaire one rater group answers about one subject at one level."""

    level: str
    level_title: str
    group: str
    subject_name: str
    scale: Scale
    sections: tuple[Section, ...]
    open_questions: tuple[QuestionnaireOpenQuestion, ...]
    readiness: Readiness | None = None

    def items(self) -> tuple[QuestionnaireItem, ...]:
        """Return every rated item in display order, readiness items last."""
        sections = self.sections + (self.readiness.sections if self.readiness else ())
        return tuple(item for section in sections for item in section.items)

    def item_keys(self) -> list[str]:
        """Return the keys of every rated item in display order, readiness included."""
        return [item.key for item in self.items()]

    @functools.cached_property
    def item_areas(self) -> Mapping[str, str]:
        """Item key → responsibility area key, every item; worked out once (it is frozen)."""
        return MappingProxyType({item.key: item.area for item in self.items()})

    def to_json(self) -> dict[str, Any]:
        """Return the SPEC §9 questionnaire JSON; `readiness` is null without a next level."""
        return {
            "level": self.level,
            "group": self.group,
            "scale": self.scale.to_json(),
            "areas": [section.to_json() for section in self.sections],
            "open_questions": [question.to_json() for question in self.open_questions],
            "readiness": self.readiness.to_json() if self.readiness else None,
        }


def next_level(level: str) -> str | None:
    """Return the level above `level`, or None at the top; raises QuestionnaireError if unknown."""
    _check_level(level)
    index = LEVELS.index(level)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


@functools.cache
def _content_in(directory: Path) -> Content:
    return load_content(directory)


def default_content() -> Content:
    """Return the content from the default folder, loaded once per folder; raises ContentError."""
    return _content_in(default_directory().resolve())


def build_questionnaire(
    level: str,
    rater_group: str,
    include_next_level: bool = False,
    *,
    subject_name: str = DEFAULT_SUBJECT_NAME,
    content: Content | None = None,
) -> Questionnaire:
    """Return what `rater_group` answers about a subject at `level` (SPEC §3).

    Sections follow area order and hold only items the group observes, in source order;
    `{name}` becomes `subject_name` except for `self`, who reads first-person wording. With
    `include_next_level` a readiness section asks about the next level, if there is one.
    Raises QuestionnaireError for an unknown level or group, ContentError for bad content.
    """
    _check_level(level)
    _check_group(rater_group)
    content = content if content is not None else default_content()
    above = next_level(level) if include_next_level else None
    readiness = None
    if above is not None:
        sections = _sections(content, above, rater_group, subject_name)
        readiness = Readiness(above, content.level(above).title, sections)
    questions = tuple(
        QuestionnaireOpenQuestion(q.key, q.text_for(rater_group, subject_name), q.required)
        for q in content.open_questions
    )
    return Questionnaire(
        level=level,
        level_title=content.level(level).title,
        group=rater_group,
        subject_name=subject_name,
        scale=content.scale,
        sections=_sections(content, level, rater_group, subject_name),
        open_questions=questions,
        readiness=readiness,
    )


def _sections(content: Content, level: str, group: str, subject_name: str) -> tuple[Section, ...]:
    """Group a level's items observed by `group` into sections in area order, dropping empties."""
    items = [item for item in content.level(level).items if group in item.observers]
    sections = []
    for area in content.areas:
        shown = tuple(
            QuestionnaireItem(
                item.key, item.text_for(group, subject_name), item.source, item.area, item.required
            )
            for item in items
            if item.area == area.key
        )
        if shown:
            sections.append(Section(area.key, area.title, area.description, shown))
    return tuple(sections)


def area_items(level: str, content: Content | None = None) -> list[tuple[str, str, list[str]]]:
    """Return `[(area_key, title, [item_keys])]` for a level in area order, for scoring (SPEC §7).

    Every item of the level is listed whoever observes it; areas the level does not use are left
    out. Raises QuestionnaireError for an unknown level.
    """
    _check_level(level)
    content = content if content is not None else default_content()
    items = content.level(level).items
    result = []
    for area in content.areas:
        keys = [item.key for item in items if item.area == area.key]
        if keys:
            result.append((area.key, area.title, keys))
    return result


def observed_items(level: str, group: str, content: Content | None = None) -> set[str]:
    """Return the keys of the level's items that `group` observes (what that group is shown)."""
    _check_level(level)
    _check_group(group)
    content = content if content is not None else default_content()
    return {item.key for item in content.level(level).items if group in item.observers}


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise QuestionnaireError(f"unknown level {level!r}; expected one of: {', '.join(LEVELS)}")


def _check_group(group: str) -> None:
    if group not in RATER_GROUPS:
        raise QuestionnaireError(
            f"unknown rater group {group!r}; expected one of: {', '.join(RATER_GROUPS)}"
        )
