"""Reading and checking questionnaire content (SPEC §3): a content folder's TOML files, or a
campaign's stored snapshot, turned into `survey.domain.content.Content`.

Files: `scale.toml`, `areas.toml`, `open_questions.toml` and one file per level named
`<level>.toml`. Every problem is collected and raised together as one `ContentError` naming
file, key and problem.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from survey.domain import content as model
from survey.domain import translations
from survey.domain.content import (
    KEY_PATTERN,
    LEVELS,
    MAX_KEY_LENGTH,
    NAME,
    RATER_GROUPS,
    RESPONSIBILITY_COUNTS,
    Content,
    ContentError,
    ContentProblem,
)
from survey.domain.wording import second_person
from survey.packaged import QUESTIONNAIRES, packaged_folder

MIN_AREAS_PER_LEVEL = 3
MAX_ITEMS_PER_RESPONSIBILITY = 3
ENV_VAR = "SURVEY_QUESTIONNAIRES"

# The rater form's own fields (SPEC §6): an item key must not be one of them.
FORM_FIELDS = frozenset({"csrf_token", "action"})
SOURCE_PATTERN = re.compile(r"^([a-z][a-z_]*)\.([1-9][0-9]*)$")
FIRST_PERSON = re.compile(r"\b(I|my|me|My|Me)\b")
SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
# What `second_person` cannot turn right: "I’m" (typographic apostrophe), "I was".
UNDERIVABLE = re.compile(r"\byou(?:[’‘]m\b|\s+was(?:n't|n’t)?\b)", re.IGNORECASE)

SCALE_FILE = "scale.toml"
AREAS_FILE = "areas.toml"
OPEN_QUESTIONS_FILE = "open_questions.toml"
FIXED_FILES = (SCALE_FILE, AREAS_FILE, OPEN_QUESTIONS_FILE)

_SCALE_FIELDS = {"min", "max", "labels", "allows_na", "na_label"}
_AREA_FIELDS = {"key", "title", "description", "order"}
_QUESTION_FIELDS = {"key", "self", "other", "you", "required"}
_LEVEL_FIELDS = {"title", "bullets", "responsibilities"}
_RESPONSIBILITY_FIELDS = {"number", "text", "items"}
_ITEM_FIELDS = {
    "key",
    "area",
    "source",
    "self",
    "other",
    "you",
    "behaviour",
    "observers",
    "required",
}


def default_directory() -> Path:
    """Return the content folder: $SURVEY_QUESTIONNAIRES, else the one shipped with survey."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    return packaged_folder(QUESTIONNAIRES)


def load_content(directory: Path | None = None) -> Content:
    """Load and validate every content file (SPEC §3) and every translation folder
    `<locale>/` beside them (SPEC §14); raises ContentError listing all problems."""
    directory = default_directory() if directory is None else Path(directory)
    problems: list[ContentProblem] = []
    documents: dict[str, Any] = {}
    for name in (*FIXED_FILES, *(f"{level}.toml" for level in LEVELS)):
        documents[name] = _read_toml(directory / name, problems)
    if problems:
        # A missing or unreadable file would only add noise to the checks that follow.
        missing = {problem.file for problem in problems}
        documents = {name: doc for name, doc in documents.items() if name not in missing}
    base = _parse_or_raise(documents, problems)
    translations = {
        folder.name: _read_translation(folder, problems) for folder in _locale_folders(directory)
    }
    return _with_translations(base, translations, problems)


def _locale_folders(directory: Path) -> list[Path]:
    """The translation folders: sub-folders named like a locale (`de`, `fi`, `pt_BR`)."""
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_dir() and translations.LOCALE_PATTERN.fullmatch(path.name)
    )


def _read_translation(folder: Path, problems: list[ContentProblem]) -> dict[str, Any] | None:
    """File name → TOML data of one translation folder; None (and problems) when a file is
    unreadable, since checking the rest against the base would only add noise."""
    found: list[ContentProblem] = []
    documents = {path.name: _read_toml(path, found) for path in sorted(folder.glob("*.toml"))}
    problems.extend(ContentProblem(f"{folder.name}/{p.file}", p.key, p.reason) for p in found)
    return None if found else documents


def _with_translations(
    base: Content, raw: Mapping[str, Any], problems: list[ContentProblem]
) -> Content:
    """`base` with each locale's documents checked against it; raises ContentError."""
    parsed = {}
    for locale, documents in raw.items():
        if locale == translations.BASE_LOCALE:
            problems.append(
                ContentProblem(
                    f"{locale}/", "(folder)", "the base content is already in this locale"
                )
            )
            continue
        if not isinstance(documents, Mapping):
            continue  # unreadable: already named
        translation = translations.parse_translation(locale, documents, base, problems)
        if translation is not None:
            parsed[locale] = translation
    if problems:
        raise ContentError(problems)
    return Content(base.scale, base.areas, base.levels, base.open_questions, parsed)


def parse_snapshot(data: Mapping[str, Any]) -> Content:
    """Rebuild content from `Content.to_snapshot()` data, translations included; raises
    ContentError if it is invalid."""
    levels = data.get("levels")
    levels = levels if isinstance(levels, Mapping) else {}
    documents: dict[str, Any] = {
        SCALE_FILE: data.get("scale"),
        AREAS_FILE: {"areas": data.get("areas")},
        OPEN_QUESTIONS_FILE: {"questions": data.get("open_questions")},
    }
    documents.update({f"{level}.toml": levels.get(level) for level in LEVELS})
    base = _parse_or_raise(documents)
    raw = data.get("translations")
    return _with_translations(base, raw if isinstance(raw, Mapping) else {}, [])


def _read_toml(path: Path, problems: list[ContentProblem]) -> dict[str, Any] | None:
    """Read one TOML file, recording a missing file or syntax error as a problem."""
    if not path.is_file():
        key = path.stem if path.stem in LEVELS else "(file)"
        problems.append(ContentProblem(path.name, key, f"file is missing from {path.parent}"))
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        key = f"line {match.group(1)}" if match else "(syntax)"
        problems.append(ContentProblem(path.name, key, f"TOML syntax error: {error}"))
    except (OSError, UnicodeDecodeError) as error:
        problems.append(ContentProblem(path.name, "(file)", f"cannot read: {error}"))
    return None


def _parse_or_raise(
    documents: Mapping[str, Any], problems: list[ContentProblem] | None = None
) -> Content:
    """Content from raw documents; raises ContentError with `problems` and every new one."""
    problems = [] if problems is None else problems
    content = _parse(documents, problems)
    if problems or content is None:
        raise ContentError(problems)
    return content


def _parse(documents: Mapping[str, Any], problems: list[ContentProblem]) -> Content | None:
    """Validate raw documents keyed by file name; append problems; None when unusable."""
    for name in (*FIXED_FILES, *(f"{level}.toml" for level in LEVELS)):
        if name in documents and not isinstance(documents[name], Mapping):
            problems.append(ContentProblem(name, "(file)", "missing or not a table"))
    raw = {name: doc for name, doc in documents.items() if isinstance(doc, Mapping)}
    scale = _parse_scale(_Reader(SCALE_FILE, problems), raw.get(SCALE_FILE))
    areas = _parse_areas(_Reader(AREAS_FILE, problems), raw.get(AREAS_FILE))
    questions_reader = _Reader(OPEN_QUESTIONS_FILE, problems)
    questions = _parse_questions(questions_reader, raw.get(OPEN_QUESTIONS_FILE))
    area_keys = {area.key for area in areas} if AREAS_FILE in raw else None
    seen_items: dict[str, str] = {}
    counts = _bullet_counts(raw)
    levels = []
    for level in LEVELS:
        name = f"{level}.toml"
        if name in raw:
            reader = _Reader(name, problems, counts, area_keys, seen_items)
            levels.append(_parse_level(reader, level, raw[name]))
    if problems or scale is None:
        return None
    return Content(scale, areas, tuple(levels), questions)


def _bullet_counts(raw: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """Level → its bullets in the source document: a level file's `bullets`, else the seed's."""
    counts = dict(RESPONSIBILITY_COUNTS)
    for level in LEVELS:
        bullets = raw.get(f"{level}.toml", {}).get("bullets")
        if isinstance(bullets, int) and not isinstance(bullets, bool) and bullets > 0:
            counts[level] = bullets
    return counts


class _Reader:
    """Reads typed fields out of raw TOML tables of one file, recording problems."""

    def __init__(
        self,
        file: str,
        problems: list[ContentProblem],
        counts: Mapping[str, int] = RESPONSIBILITY_COUNTS,
        area_keys: set[str] | None = None,
        seen_items: dict[str, str] | None = None,
    ) -> None:
        self.file = file
        self.problems = problems
        self.counts = counts  # level → bullets in its source document
        self.area_keys = area_keys  # None when areas.toml could not be read: not checked
        self.seen_items = {} if seen_items is None else seen_items  # item key → first file

    def problem(self, key: str, reason: str) -> None:
        self.problems.append(ContentProblem(self.file, key, reason))

    def fields(self, table: Mapping[str, Any], allowed: set[str], key: str) -> None:
        for name in sorted(set(table) - allowed):
            self.problem(key, f"unknown field {name!r} (expected: {', '.join(sorted(allowed))})")

    def text(self, table: Mapping[str, Any], name: str, key: str, what: str = "") -> str:
        value = table.get(name)
        what = what or name
        if value is None:
            self.problem(key, f"missing {what}")
        elif not isinstance(value, str):
            self.problem(key, f"{what} must be text")
        elif not value.strip():
            self.problem(key, f"empty {what}")
        else:
            return value.strip()
        return ""

    def integer(self, table: Mapping[str, Any], name: str, key: str) -> int | None:
        value = table.get(name)
        if value is None:
            self.problem(key, f"missing {name}")
        elif isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"{name} must be a whole number")
        else:
            return value
        return None

    def flag(self, table: Mapping[str, Any], name: str, key: str, default: bool) -> bool:
        value = table.get(name, default)
        if not isinstance(value, bool):
            self.problem(key, f"{name} must be true or false")
            return default
        return value

    def tables(self, table: Mapping[str, Any], name: str, key: str) -> list[Mapping[str, Any]]:
        value = table.get(name)
        if value is None:
            self.problem(key, f"missing {name}")
            return []
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.problem(key, f"{name} must be a list of tables")
            return []
        return value

    def key(self, table: Mapping[str, Any], fallback: str, what: str) -> str:
        key = self.text(table, "key", fallback, f"{what} key")
        if key and not KEY_PATTERN.fullmatch(key):
            self.problem(key, f"{what} key is not a valid key (lower case, digits, _)")
        elif len(key) > MAX_KEY_LENGTH[what]:
            self.problem(key, f"{what} key is longer than {MAX_KEY_LENGTH[what]} characters")
        elif key in FORM_FIELDS:
            self.problem(key, f"{what} key is taken by the rater form's own field {key!r}")
        return key or fallback

    def wording(self, table: Mapping[str, Any], key: str) -> tuple[str, str]:
        self_text = self.text(table, "self", key, "self wording")
        other_text = self.text(table, "other", key, "other wording")
        if self_text and not FIRST_PERSON.search(self_text):
            self.problem(key, "self wording must be in the first person (I, my, me)")
        if self_text and NAME in self_text:
            self.problem(key, "self wording must not contain {name}")
        if other_text and NAME not in other_text:
            self.problem(key, "other wording must contain {name}")
        return self_text, other_text

    def you_wording(self, table: Mapping[str, Any], key: str, self_text: str = "") -> str:
        """The optional `you` wording (SPEC §10): second person, never {name}. Without one,
        the self wording must turn into the second person by rule (`second_person`)."""
        if "you" not in table:
            derived = second_person(self_text)
            wrong = FIRST_PERSON.search(derived) or UNDERIVABLE.search(derived)
            if self_text and (wrong or not SECOND_PERSON.search(derived)):
                self.problem(
                    key,
                    f"no you wording, and the self wording does not turn into one by rule "
                    f"(“{derived}”): add you = \"…\" in the second person",
                )
            return ""
        you_text = self.text(table, "you", key, "you wording")
        if you_text and not SECOND_PERSON.search(you_text):
            self.problem(key, "you wording must be in the second person (you, your)")
        if you_text and NAME in you_text:
            self.problem(key, "you wording must not contain {name}")
        return you_text


def _parse_scale(reader: _Reader, raw: Mapping[str, Any] | None) -> model.Scale | None:
    if raw is None:
        return None
    reader.fields(raw, _SCALE_FIELDS, "(scale)")
    low, high = reader.integer(raw, "min", "min"), reader.integer(raw, "max", "max")
    labels = raw.get("labels")
    allows_na = reader.flag(raw, "allows_na", "allows_na", False)
    na_label = raw.get("na_label", "")
    if low is not None and high is not None and low >= high:
        reader.problem("min", f"min ({low}) must be less than max ({high})")
    if labels is None:
        reader.problem("labels", "missing labels")
    elif not isinstance(labels, list) or not all(isinstance(x, str) and x.strip() for x in labels):
        reader.problem("labels", "labels must be a list of non-empty texts")
    elif low is not None and high is not None and low < high and len(labels) != high - low + 1:
        expected = high - low + 1
        reader.problem("labels", f"expected {expected} labels ({low}..{high}), got {len(labels)}")
    if not isinstance(na_label, str):
        reader.problem("na_label", "na_label must be text")
    elif allows_na and not na_label.strip():
        reader.problem("na_label", "allows_na is true but na_label is missing or empty")
    if low is None or high is None or not isinstance(labels, list) or low >= high:
        return None
    return model.Scale(
        low, high, tuple(str(x).strip() for x in labels), allows_na, str(na_label).strip()
    )


def _parse_areas(reader: _Reader, raw: Mapping[str, Any] | None) -> tuple[model.Area, ...]:
    if raw is None:
        return ()
    areas: list[model.Area] = []
    for index, table in enumerate(reader.tables(raw, "areas", "(areas)"), start=1):
        key = reader.key(table, f"areas[{index}]", "area")
        reader.fields(table, _AREA_FIELDS, key)
        title = reader.text(table, "title", key)
        description = reader.text(table, "description", key)
        order = reader.integer(table, "order", key)
        if any(area.key == key for area in areas):
            reader.problem(key, "duplicate area key")
        elif any(area.order == order for area in areas) and order is not None:
            reader.problem(key, f"duplicate area order {order}")
        areas.append(model.Area(key, title, description, order or 0))
    return tuple(sorted(areas, key=lambda area: area.order))


def _parse_questions(
    reader: _Reader, raw: Mapping[str, Any] | None
) -> tuple[model.OpenQuestion, ...]:
    if raw is None:
        return ()
    questions: list[model.OpenQuestion] = []
    for index, table in enumerate(reader.tables(raw, "questions", "(questions)"), start=1):
        key = reader.key(table, f"questions[{index}]", "question")
        reader.fields(table, _QUESTION_FIELDS, key)
        self_text, other_text = reader.wording(table, key)
        you_text = reader.you_wording(table, key, self_text)
        if any(question.key == key for question in questions):
            reader.problem(key, "duplicate question key")
        required = reader.flag(table, "required", key, False)
        questions.append(model.OpenQuestion(key, self_text, other_text, required, you_text))
    return tuple(questions)


def _parse_level(reader: _Reader, level: str, raw: Mapping[str, Any]) -> model.Level:
    reader.fields(raw, _LEVEL_FIELDS, level)
    title = reader.text(raw, "title", level)
    bullets = _check_bullets(reader, raw, level)
    tables = reader.tables(raw, "responsibilities", level)
    expected = reader.counts[level]
    if tables and len(tables) != expected:
        reader.problem(
            level,
            f"has {len(tables)} responsibilities; the source document has "
            f"{expected} bullets for this level and each needs one",
        )
    responsibilities = tuple(
        _parse_responsibility(reader, level, index, table)
        for index, table in enumerate(tables, start=1)
    )
    result = model.Level(level, title, responsibilities, bullets)
    used = sorted(result.area_keys)
    if tables and len(used) < MIN_AREAS_PER_LEVEL:
        reader.problem(
            level,
            f"uses only {len(used)} areas ({', '.join(used)}); "
            f"a level needs at least {MIN_AREAS_PER_LEVEL}",
        )
    return result


def _check_bullets(reader: _Reader, raw: Mapping[str, Any], level: str) -> int | None:
    """The optional `bullets`: how many bullets this level has in its own source document."""
    if "bullets" not in raw:
        return None
    bullets = reader.integer(raw, "bullets", level)
    if bullets is not None and bullets < 1:
        reader.problem(level, "bullets must be at least 1")
    return bullets if bullets is not None and bullets > 0 else None


def _parse_responsibility(
    reader: _Reader, level: str, index: int, table: Mapping[str, Any]
) -> model.Responsibility:
    where = f"{level}.{index}"
    reader.fields(table, _RESPONSIBILITY_FIELDS, where)
    number = reader.integer(table, "number", where)
    if number is not None and number != index:
        reader.problem(where, f"number is {number} but this is bullet {index}: keep source order")
    text = reader.text(table, "text", where)
    tables = reader.tables(table, "items", where)
    if not tables or len(tables) > MAX_ITEMS_PER_RESPONSIBILITY:
        reader.problem(
            where, f"has {len(tables) or 'no'} items; expected 1 to {MAX_ITEMS_PER_RESPONSIBILITY}"
        )
    items = tuple(
        _parse_item(reader, level, index, item_index, item)
        for item_index, item in enumerate(tables, start=1)
    )
    return model.Responsibility(index, text, items)


def _parse_item(
    reader: _Reader, level: str, number: int, item_index: int, table: Mapping[str, Any]
) -> model.Item:
    key = reader.key(table, f"{level}.{number}.items[{item_index}]", "item")
    reader.fields(table, _ITEM_FIELDS, key)
    if key in reader.seen_items:
        first = reader.seen_items[key]
        where = "earlier in this file" if first == reader.file else f"in {first}"
        reader.problem(key, f"duplicate item key (also {where})")
    reader.seen_items.setdefault(key, reader.file)
    area = reader.text(table, "area", key)
    if area and reader.area_keys is not None and area not in reader.area_keys:
        reader.problem(key, f"unknown area {area!r} (not in {AREAS_FILE})")
    source = _check_source(reader, table, key, level, number)
    self_text, other_text = reader.wording(table, key)
    you_text = reader.you_wording(table, key, self_text)
    behaviour = reader.text(table, "behaviour", key, "behaviour")
    observers = _check_observers(reader, table, key)
    required = reader.flag(table, "required", key, False)
    return model.Item(
        key, area, source, self_text, other_text, behaviour, observers, required, you_text
    )


def _check_source(
    reader: _Reader, table: Mapping[str, Any], key: str, level: str, number: int
) -> str:
    source = reader.text(table, "source", key, "source")
    if not source:
        return ""
    match = SOURCE_PATTERN.fullmatch(source)
    if match is None:
        example = f"{level}.{number}"
        reader.problem(key, f"malformed source {source!r} (expected LEVEL.N, e.g. {example})")
    elif match.group(1) not in reader.counts:
        reader.problem(key, f"source {source!r} names an unknown level")
    elif not 1 <= int(match.group(2)) <= reader.counts[match.group(1)]:
        top = reader.counts[match.group(1)]
        reader.problem(key, f"source {source!r} is out of range ({match.group(1)}.1..{top})")
    elif source != f"{level}.{number}":
        reader.problem(key, f"source {source!r} does not match its responsibility {level}.{number}")
    return source


def _check_observers(reader: _Reader, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
    observers = table.get("observers")
    if observers is None:
        reader.problem(key, "missing observers")
        return ()
    if not isinstance(observers, list) or not all(isinstance(x, str) for x in observers):
        reader.problem(key, "observers must be a list of rater groups")
        return ()
    for group in observers:
        if group not in RATER_GROUPS:
            reader.problem(
                key, f"unknown observer group {group!r} (expected: {', '.join(RATER_GROUPS)})"
            )
    if len(set(observers)) != len(observers):
        reader.problem(key, "observers lists a group twice")
    if "self" not in observers:
        reader.problem(key, "observers must include self (every subject rates themself)")
    return tuple(group for group in RATER_GROUPS if group in observers)
