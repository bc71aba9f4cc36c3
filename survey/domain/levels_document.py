"""Read a levels document: a heading per level, a bullet per responsibility (issue 21).

The shape is the source document's (SPEC §1): plain text or Markdown, where a line naming a
level ("Team leader/manager responsibilities", "## Business leader", "Level 1: Individual
contributor (IC)") is followed by its bullets (•, -, *, + or "1."). Other prose is skipped. A
bullet's indented next line continues it. Problems name their line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from survey.domain.content import LEVELS
from survey.errors import SurveyError

MAX_PROBLEMS = 10
_BULLET = re.compile(r"^\s*(?:[•\-*+‣◦▪·]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
# what a heading may call each level (whole names, lower case)
_LEVEL_NAMES = {
    "individual_contributor": {
        "individual contributor", "individual contributors", "ic", "ics", "specialist",
        "specialists", "expert", "experts", "professional", "professionals", "team member",
        "team members", "employee", "employees",
    },
    "team_leader": {
        "team leader", "team leaders", "team lead", "team leads", "manager", "managers",
        "team manager", "team managers", "line manager", "line managers", "first-line manager",
        "first-line managers", "supervisor", "supervisors",
    },
    "business_leader": {
        "business leader", "business leaders", "senior leader", "senior leaders",
        "senior manager", "senior managers", "executive", "executives", "director",
        "directors", "head of department", "heads of department", "business unit leader",
        "business unit leaders",
    },
}
_LEVEL_OF_NAME = {name: level for level, names in _LEVEL_NAMES.items() for name in names}
_HEADING_START = re.compile(r"^(?:level\s*\d+\s*[:.\-–—]\s*)?(?:the\s+)?")
_HEADING_NOISE = re.compile(
    r"\([^)]*\)|\s+(?:level|role|responsibilities|responsibility|duties|expectations)\b|[#*_:]"
)
_NAME_SEPARATOR = re.compile(r"\s*(?:/|,|\bor\b|\band\b|&)\s*")
LEVEL_WORDS = {
    "individual_contributor": "individual contributor",
    "team_leader": "team leader",
    "business_leader": "business leader",
}
_EXAMPLE_HEADINGS = "“Individual contributor responsibilities”, “## Team leader”"


@dataclass(frozen=True)
class Bullet:
    """One responsibility as written, and the line it starts on (from 1)."""

    line: int
    text: str


@dataclass(frozen=True)
class LevelSection:
    """A level's heading as written, its line, and its bullets in document order."""

    level: str
    heading: str
    line: int
    bullets: tuple[Bullet, ...]


@dataclass(frozen=True)
class LevelsDocument:
    """The document's first line (a title) and one section per level, in LEVELS order."""

    title: str
    sections: tuple[LevelSection, ...]


@dataclass(frozen=True)
class DocumentProblem:
    """Why the document cannot be read, at a line (from 1) or about the whole document."""

    line: int | None
    reason: str

    def __str__(self) -> str:
        return self.reason if self.line is None else f"line {self.line}: {self.reason}"


class DocumentError(SurveyError):
    """The document is not a levels document; `problems` names every line at fault."""

    def __init__(self, problems: list[DocumentProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def heading_level(line: str) -> str | None:
    """The level a heading line names, or None: every name in it must be one level's."""
    cleaned = line.strip().lower().replace("’", "'").strip("#*_ \t")
    cleaned = _HEADING_NOISE.sub(" ", _HEADING_START.sub("", cleaned))
    names = [n for n in _NAME_SEPARATOR.split(" ".join(cleaned.split())) if n]
    levels = {_LEVEL_OF_NAME.get(name) for name in names}
    if not names or len(levels) != 1 or None in levels:
        return None
    return levels.pop()


@dataclass
class _Open:
    level: str
    heading: str
    line: int
    bullets: list[Bullet] = field(default_factory=list)
    closed: bool = False


def read_levels_document(text: str) -> LevelsDocument:
    """Read the levels and their bullets; raises DocumentError naming each line at fault."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems: list[DocumentProblem] = []
    sections: dict[str, _Open] = {}
    current: _Open | None = None
    previous = ""
    for number, line in enumerate(lines, start=1):
        current = _read_line(number, line, previous, current, sections, problems)
        previous = line
    _check_sections(lines, sections, problems)
    if problems:
        raise DocumentError(problems)
    title = next((line.strip(" #\t") for line in lines if line.strip()), "")
    return LevelsDocument(
        title,
        tuple(
            LevelSection(s.level, s.heading, s.line, tuple(s.bullets))
            for level in LEVELS
            for s in [sections[level]]
        ),
    )


def _read_line(
    number: int,
    line: str,
    previous: str,
    current: _Open | None,
    sections: dict[str, _Open],
    problems: list[DocumentProblem],
) -> _Open | None:
    """Take one line into the open section; returns the section open after it."""
    if not line.strip():
        return current
    bullet = _BULLET.match(line)
    if bullet:
        if current is None or current.closed:
            problems.append(DocumentProblem(number, _stray_bullet(bullet.group("text"))))
        else:
            current.bullets.append(Bullet(number, bullet.group("text").strip()))
        return current
    level = heading_level(line)
    if level is not None:
        if level in sections:
            first = sections[level].line
            problems.append(DocumentProblem(
                number, f"a second heading for the {LEVEL_WORDS[level]} level "
                f"(the first is on line {first}): each level has one list"
            ))
            return None
        sections[level] = _Open(level, line.strip(" #\t"), number)
        return sections[level]
    if current is not None and current.bullets and not current.closed:
        if previous.strip() and line[:1].isspace():  # an indented line goes on with the bullet
            last = current.bullets[-1]
            current.bullets[-1] = Bullet(last.line, f"{last.text} {line.strip()}")
            return current
        current.closed = True  # prose after the list ends the level's bullets
    return current


def _shorten(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def _stray_bullet(text: str) -> str:
    return f"the bullet “{_shorten(text)}” is under no heading that names a level"


def _check_sections(
    lines: list[str], sections: dict[str, _Open], problems: list[DocumentProblem]
) -> None:
    if problems and len(problems) > MAX_PROBLEMS:
        rest = len(problems) - MAX_PROBLEMS
        del problems[MAX_PROBLEMS:]
        problems.append(DocumentProblem(None, f"… and {rest} more lines like these"))
    if any("under no heading" in problem.reason for problem in problems):
        problems.append(DocumentProblem(
            None,
            f"a list of responsibilities goes right under a heading that names its level "
            f"({_EXAMPLE_HEADINGS}); other bullets belong in prose",
        ))
    for section in sections.values():
        if not section.bullets:
            problems.append(DocumentProblem(
                section.line,
                f"“{section.heading}” names the {LEVEL_WORDS[section.level]} level, but no "
                "bullet follows it (a bullet starts with •, -, * or a number like “1.”)",
            ))
    if not sections and not problems:
        first = next((n for n, line in enumerate(lines, start=1) if line.strip()), None)
        what = "the document is empty" if first is None else (
            f"“{_shorten(lines[first - 1].strip())}” names no level, and no line after it "
            "names one or is a bullet"
        )
        problems.append(DocumentProblem(
            first,
            f"{what}: a levels document has a heading per level ({_EXAMPLE_HEADINGS}) "
            "followed by a bullet per responsibility",
        ))
        return
    missing = [LEVEL_WORDS[level] for level in LEVELS if level not in sections]
    if missing and sections:
        problems.append(DocumentProblem(
            None,
            f"no heading names the {' or the '.join(missing)} level: every level "
            f"({', '.join(LEVEL_WORDS.values())}) needs a heading with its bullets",
        ))
