"""Questionnaire content as data (SPEC §3): the scale, responsibility areas, levels with their
responsibilities and items, and open questions; and a campaign's snapshot of it.

Reading and checking the TOML files (or a stored snapshot) is `survey.domain.content_loader`.
Optional fields: `you` on an item or open question (the wording the subject reads in their own
report, SPEC §10), and `bullets` on a level (how many bullets it has in its own source
document, for content generated from another document than the seed).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from survey.domain.wording import second_person
from survey.errors import SurveyError

if TYPE_CHECKING:
    from survey.domain.translations import Translation

LEVELS = ("individual_contributor", "team_leader", "business_leader")
RATER_GROUPS = ("self", "manager", "peers", "direct_reports")
# Bullets per level in seed/leadership-levels.txt: every one must be covered.
RESPONSIBILITY_COUNTS = {"individual_contributor": 4, "team_leader": 14, "business_leader": 10}
SNAPSHOT_FORMAT = 1
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Longest keys the answer tables hold (Answer.area, Answer.item, Comment.question).
MAX_KEY_LENGTH = {"area": 32, "item": 64, "question": 64}
NAME = "{name}"


@dataclass(frozen=True)
class ContentProblem:
    """One problem in a content file: which file, which key, and what is wrong."""

    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}"


class ContentError(SurveyError):
    """The questionnaire content is invalid; `problems` lists every problem found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Scale:
    """The answer scale: integer values min..max, one label each, plus optional N/A."""

    min: int
    max: int
    labels: tuple[str, ...]
    allows_na: bool
    na_label: str

    def values(self) -> tuple[int, ...]:
        """Return the numeric answer values, lowest first."""
        return tuple(range(self.min, self.max + 1))

    def label(self, value: int) -> str:
        """Return the label of one numeric value (ValueError outside min..max)."""
        if not self.min <= value <= self.max:
            raise ValueError(f"{value} is outside the scale {self.min}..{self.max}")
        return self.labels[value - self.min]

    def to_json(self) -> dict[str, Any]:
        """Return SPEC §9 `scale {min, max, labels, allows_na}`; labels map "1".."5" and "na"."""
        labels = {str(value): self.label(value) for value in self.values()}
        if self.allows_na:
            labels["na"] = self.na_label
        return {"min": self.min, "max": self.max, "labels": labels, "allows_na": self.allows_na}


@dataclass(frozen=True)
class Area:
    """A responsibility area: one radar spoke (SPEC §2)."""

    key: str
    title: str
    description: str
    order: int


@dataclass(frozen=True)
class Item:
    """A rated behavioural statement derived from one responsibility (SPEC §2)."""

    key: str
    area: str
    source: str
    self_text: str
    other_text: str
    behaviour: str
    observers: tuple[str, ...]
    required: bool = False
    you_text: str = ""  # the subject's own report (SPEC §10); "" = derive from self_text

    def text_for(self, group: str, subject_name: str) -> str:
        """Return the wording a rater group sees: first person for self, else about the subject."""
        if group == "self":
            return self.self_text
        return self.other_text.replace(NAME, subject_name)

    @property
    def you_wording(self) -> str:
        """The wording the subject reads in their own report: `you`, else derived from self."""
        return self.you_text or second_person(self.self_text)


@dataclass(frozen=True)
class Responsibility:
    """One bullet of the source document for one level, with its items."""

    number: int
    text: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Level:
    """One level's responsibilities in source order."""

    key: str
    title: str
    responsibilities: tuple[Responsibility, ...]
    bullets: int | None = None  # the source document's bullets here; None = seed's count

    @property
    def items(self) -> tuple[Item, ...]:
        """All items of the level in source order."""
        return tuple(item for resp in self.responsibilities for item in resp.items)

    @property
    def area_keys(self) -> frozenset[str]:
        """The keys of the areas this level's items use."""
        return frozenset(item.area for item in self.items)


@dataclass(frozen=True)
class OpenQuestion:
    """A free-text question with its self and other wording."""

    key: str
    self_text: str
    other_text: str
    required: bool = False
    you_text: str = ""  # as for Item.you_text

    def text_for(self, group: str, subject_name: str) -> str:
        """Return the wording a rater group sees: first person for self, else about the subject."""
        if group == "self":
            return self.self_text
        return self.other_text.replace(NAME, subject_name)

    @property
    def you_wording(self) -> str:
        """The wording the subject reads in their own report: `you`, else derived from self."""
        return self.you_text or second_person(self.self_text)


@dataclass(frozen=True)
class Content:
    """All questionnaire content: scale, areas in spoke order, levels, open questions, and
    its translations by locale (SPEC §14; the base content is in `BASE_LOCALE`, English)."""

    scale: Scale
    areas: tuple[Area, ...]
    levels: tuple[Level, ...]
    open_questions: tuple[OpenQuestion, ...]
    translations: Mapping[str, Translation] = field(default_factory=dict, compare=False)

    @property
    def locales(self) -> tuple[str, ...]:
        """The locales this content can be read in: the base's first, then the translations'."""
        from survey.domain.translations import BASE_LOCALE

        return (BASE_LOCALE, *sorted(self.translations))

    def in_locale(self, locale: str | None) -> Content:
        """The content worded in `locale` (same keys); the base content for any other locale."""
        from survey.domain.translations import translate

        translation = self.translations.get(locale or "")
        return self if translation is None else translate(self, translation)

    def without_translations(self) -> Content:
        """The base content alone (what the HR editor edits: one language)."""
        return Content(self.scale, self.areas, self.levels, self.open_questions)

    def level(self, key: str) -> Level:
        """Return one level by key (KeyError if unknown)."""
        for level in self.levels:
            if level.key == key:
                return level
        raise KeyError(key)

    def area(self, key: str) -> Area:
        """Return one area by key (KeyError if unknown)."""
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)

    @property
    def item_count(self) -> int:
        """The number of items over all levels."""
        return sum(len(level.items) for level in self.levels)

    def to_snapshot(self) -> dict[str, Any]:
        """Return the content as JSON-serialisable plain data, for a campaign to store (SPEC §3)."""
        return {
            "format": SNAPSHOT_FORMAT,
            "scale": _scale_data(self.scale),
            "areas": [_area_data(area) for area in self.areas],
            "open_questions": [_question_data(question) for question in self.open_questions],
            "levels": {level.key: _level_data(level) for level in self.levels},
        } | (
            {"translations": {k: t.to_data() for k, t in sorted(self.translations.items())}}
            if self.translations
            else {}
        )

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> Content:
        """Rebuild content from `to_snapshot()` data; raises ContentError if it is invalid."""
        from survey.domain.content_loader import parse_snapshot  # the checks live there

        return parse_snapshot(data)


def _scale_data(scale: Scale) -> dict[str, Any]:
    return {
        "min": scale.min,
        "max": scale.max,
        "labels": list(scale.labels),
        "allows_na": scale.allows_na,
        "na_label": scale.na_label,
    }


def _area_data(area: Area) -> dict[str, Any]:
    return {
        "key": area.key,
        "title": area.title,
        "description": area.description,
        "order": area.order,
    }


def _question_data(question: OpenQuestion) -> dict[str, Any]:
    data = {
        "key": question.key,
        "self": question.self_text,
        "other": question.other_text,
        "required": question.required,
    }
    return data | ({"you": question.you_text} if question.you_text else {})


def _item_data(item: Item) -> dict[str, Any]:
    return {
        "key": item.key,
        "area": item.area,
        "source": item.source,
        "self": item.self_text,
        "other": item.other_text,
        "behaviour": item.behaviour,
        "observers": list(item.observers),
        "required": item.required,
    } | ({"you": item.you_text} if item.you_text else {})


def _level_data(level: Level) -> dict[str, Any]:
    return ({"bullets": level.bullets} if level.bullets is not None else {}) | {
        "title": level.title,
        "responsibilities": [
            {
                "number": resp.number,
                "text": resp.text,
                "items": [_item_data(item) for item in resp.items],
            }
            for resp in level.responsibilities
        ],
    }
