"""Generate a draft questionnaire content set from a levels document (issue 21, SPEC §3).

Per level, one item per responsibility, keeping `source` = `LEVEL.N` (the N-th bullet of that
level in the document), with self, other and you wordings made by rule
(`survey.domain.wording`); an area suggested from the existing areas' titles and descriptions,
or, when none fits, a new area named after the level's heading; every rater group observing.
The scale and the open questions are copied from the current content. The result is plain
data in `Content.to_snapshot()` shape; an item the rules could not word keeps empty wordings
and a note saying why, so validation refuses the draft until someone writes them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from survey.domain.content import (
    KEY_PATTERN,
    MAX_KEY_LENGTH,
    RATER_GROUPS,
    SNAPSHOT_FORMAT,
    Area,
    Content,
)
from survey.domain.levels_document import LevelSection, read_levels_document
from survey.domain.wording import WordingError, normalise, second_person, word_responsibility

KEY_PREFIXES = {"individual_contributor": "ic", "team_leader": "tl", "business_leader": "bl"}
MAX_ITEM_KEY = MAX_KEY_LENGTH["item"]
MAX_AREA_KEY = MAX_KEY_LENGTH["area"]
MIN_MATCH = 2.0  # least summed weight of shared stems: one word that at most 2 areas use
_STOPWORDS = frozenset(
    "a an and are as at be but by for from he her his him how in into is it its of on or she "
    "so than that the their them then they this to up with who what all any etc not does "
    "doesnt dont try work other others".split()
)
_KEY_STOPWORDS = frozenset("a an and as at by for he her his him in of on or she that the to".split(
))
_WORD = re.compile(r"[a-z]+")
_NAMED_VERB = re.compile(r"\{name\} (\w)")  # "{name} uses" → "Uses" in the behaviour line
_HEADING_TAIL = re.compile(
    r"\s+(?:level|role|responsibilities|responsibility|duties|expectations)\s*:?\s*$", re.I
)
_HEADING_HEAD = re.compile(r"^(?:level\s*\d+\s*[:.\-–—]\s*)", re.I)


@dataclass(frozen=True)
class Draft:
    """A generated content set: `content` in Content.to_snapshot() shape, `notes` item key →
    why the rules left its wordings empty, `title` the document's first line."""

    content: dict[str, Any]
    notes: dict[str, str]
    title: str


def generate_draft(text: str, base: Content) -> Draft:
    """Turn a levels document into a draft content set over `base`'s areas, scale and open
    questions. Raises DocumentError (survey.domain.levels_document) naming the lines at fault."""
    document = read_levels_document(text)
    matcher = AreaMatcher(base.areas)
    new_areas: dict[str, dict[str, Any]] = {}
    notes: dict[str, str] = {}
    keys: set[str] = set()
    levels = {}
    for section in document.sections:
        items = []
        for number, bullet in enumerate(section.bullets, start=1):
            area = matcher.suggest(bullet.text) or _new_area(section, base, new_areas)
            key = _unique_key(KEY_PREFIXES[section.level], bullet.text, keys)
            item, note = draft_item(key, area, f"{section.level}.{number}", bullet.text)
            items.append({"number": number, "text": bullet.text, "items": [item]})
            if note:
                notes[key] = note
        levels[section.level] = {
            "bullets": len(section.bullets),
            "title": level_title(section.heading),
            "responsibilities": items,
        }
    current = base.to_snapshot()
    content = {
        "format": SNAPSHOT_FORMAT,
        "scale": current["scale"],
        "areas": _used_areas(base.areas, new_areas, levels),
        "open_questions": [_question(q) for q in current["open_questions"]],
        "levels": levels,
    }
    return Draft(content, notes, document.title)


def draft_item(key: str, area: str, source: str, text: str) -> tuple[dict[str, Any], str]:
    """One item from one responsibility, and "" or a note saying why its wordings are empty."""
    try:
        wordings = word_responsibility(text)
    except WordingError as error:
        self_text = other_text = you_text = ""
        behaviour = normalise(text)
        note = f"The rules could not word this responsibility: {error}. Write the wordings."
    else:
        self_text, other_text, you_text = wordings.self_text, wordings.other_text, wordings.you_text
        behaviour = _NAMED_VERB.sub(lambda m: m.group(1).upper(), other_text)
        note = ""
    item = {
        "key": key,
        "area": area,
        "source": source,
        "self": self_text,
        "other": other_text,
        "you": you_text,
        "behaviour": behaviour,
        "observers": list(RATER_GROUPS),
        "required": False,
    }
    return item, note


def level_title(heading: str) -> str:
    """A level's title from its heading: "Team leader/manager responsibilities" → "Team
    leader/manager"."""
    return _HEADING_TAIL.sub("", _HEADING_HEAD.sub("", heading.strip(" #*:\t"))) or heading


class AreaMatcher:
    """Suggests the area whose title and description share the most telling words with a
    responsibility: shared word stems, each weighted by how few areas use it (inverse
    document frequency), so "motivation" counts for more than "team"."""

    def __init__(self, areas: Sequence[Area]) -> None:
        self.areas = tuple(areas)
        self.stems = [set(stems(f"{a.title} {a.description}")) for a in self.areas]
        frequency = Counter(stem for area_stems in self.stems for stem in area_stems)
        total = len(self.areas)
        self.weights = {stem: math.log((1 + total) / count) for stem, count in frequency.items()}

    def scores(self, text: str) -> list[tuple[float, str]]:
        """(score, area key) per area, best first (area order breaks ties)."""
        words = set(stems(text))
        scored = [
            (sum(self.weights[s] for s in words & area_stems), -index, area.key)
            for index, (area, area_stems) in enumerate(zip(self.areas, self.stems, strict=True))
        ]
        return [(score, key) for score, _, key in sorted(scored, reverse=True)]

    def suggest(self, text: str) -> str | None:
        """The best area's key, or None when no area shares enough (MIN_MATCH)."""
        best = self.scores(text)[:1]
        return best[0][1] if best and best[0][0] >= MIN_MATCH else None


def stems(text: str) -> list[str]:
    """Lower-case word stems without stopwords: "Delegates responsibility" → delegat, respons…"""
    words = _WORD.findall(_ascii(text).lower())
    return [_stem(word) for word in words if word not in _STOPWORDS and len(word) > 2]


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ments", "ment", "ities", "ity", "ing", "ies", "ive",
                   "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word[:7]


def _ascii(text: str) -> str:
    """Plain ASCII without apostrophes: "Doesn’t" → "Doesnt", "team’s" → "teams"."""
    plain = unicodedata.normalize("NFKD", text.replace("’", "").replace("'", ""))
    return plain.encode("ascii", "ignore").decode()


def _unique_key(prefix: str, text: str, taken: set[str]) -> str:
    """`<prefix>_<first content words>`, lower case and unique: "tl_improves_tools_processes"."""
    words = [w for w in _WORD.findall(_ascii(text).lower()) if w not in _KEY_STOPWORDS]
    key = "_".join([prefix, *words[:4]])[:MAX_ITEM_KEY - 4].rstrip("_")
    candidate, suffix = key, 2
    while candidate in taken:
        candidate, suffix = f"{key}_{suffix}", suffix + 1
    taken.add(candidate)
    return candidate


def _new_area(section: LevelSection, base: Content, new_areas: dict[str, dict[str, Any]]) -> str:
    """The area named after the level's heading, for its responsibilities no area fits."""
    title = level_title(section.heading)
    key = "_".join(_WORD.findall(_ascii(title).lower()))[:MAX_AREA_KEY].rstrip("_") or "area"
    if not KEY_PATTERN.fullmatch(key):
        key = f"area_{key}"[:MAX_AREA_KEY]
    while key in {a.key for a in base.areas} or (
        key in new_areas and new_areas[key]["level"] != section.level
    ):
        key = f"{key[:MAX_AREA_KEY - 2]}_{len(new_areas) + 2}"
    new_areas.setdefault(key, {
        "level": section.level,
        "key": key,
        "title": title,
        "description": f"Responsibilities under “{section.heading}” that fit no other area.",
    })
    return key


def _used_areas(
    areas: Iterable[Area], new_areas: dict[str, dict[str, Any]], levels: dict[str, Any]
) -> list[dict[str, Any]]:
    """The existing areas some item uses, in their order, then the new ones, numbered 1.."""
    used = {
        item["area"]
        for level in levels.values()
        for resp in level["responsibilities"]
        for item in resp["items"]
    }
    kept = [
        {"key": a.key, "title": a.title, "description": a.description} for a in areas
        if a.key in used
    ]
    kept += [{k: v for k, v in area.items() if k != "level"} for area in new_areas.values()]
    return [{**area, "order": order} for order, area in enumerate(kept, start=1)]


def _question(question: dict[str, Any]) -> dict[str, Any]:
    """An open question as the current content has it, with a you wording if it has none."""
    return {"you": second_person(question["self"]), **question}
