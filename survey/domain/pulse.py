"""Progress pulse rules (SPEC §12): the −2…+2 question, reading a posted form, pooling results.

Results pool every answer (self is never asked), and follow SPEC §7: nothing is shown while
fewer than `k` responses came in, and a focus item with fewer than `k` numeric answers is
absent. Comments are shown with the results, sorted so their order says nothing of who wrote
them or when.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from survey.domain.rounding import exact_mean, round_score
from survey.errors import SurveyError

VALUES = (-2, -1, 0, 1, 2)
NA = "na"
LABELS = {
    -2: "Much less effective",
    -1: "Less effective",
    0: "No change",
    1: "More effective",
    2: "Much more effective",
}
NA_LABEL = "Don't know"
COMMENT_FIELD = "comment"
COMMENT_MAX = 2000


class PulseError(SurveyError):
    """A pulse that cannot be launched, answered or read as asked."""


@dataclass(frozen=True)
class Focus:
    """One focus item asked about: `key` (`area:<k>` / `item:<k>`) and its words."""

    key: str
    text: str


def question(name: str, since: date, focus: Focus) -> str:
    """The SPEC §12 question: "Since 2 March 2027, has Alice become more or less effective at
    results?" for an area; for an item, "... effective at this: “Alice finishes ...”?"."""
    start = f"Since {since.day} {since:%B %Y}, has {name} become more or less effective at"
    if focus.key.startswith("area:"):
        return f"{start} {focus.text[:1].lower()}{focus.text[1:]}?"
    return f"{start} this: “{focus.text.rstrip('.')}”?"


@dataclass
class PulseSheet:
    """A posted pulse form: answers (focus key → −2…2 or None for don't know), the comment,
    and a message per field that could not be read."""

    answers: dict[str, int | None] = field(default_factory=dict)
    comment: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def draft_answers(self) -> dict[str, str]:
        """Answers as a draft keeps them: "-2".."2" or "na"."""
        return {key: NA if v is None else str(v) for key, v in self.answers.items()}


def read_pulse_form(focus: Sequence[Focus], form: Mapping[str, str]) -> PulseSheet:
    """Read radio groups named by focus key (values "-2".."2", "na") and `comment`.

    Every question is optional; an unknown value or a comment over COMMENT_MAX characters gets
    a message and nothing else is lost.
    """
    sheet = PulseSheet(comment=(form.get(COMMENT_FIELD) or "").strip())
    for item in focus:
        raw = (form.get(item.key) or "").strip()
        if raw == "":
            continue
        if raw == NA:
            sheet.answers[item.key] = None
        elif raw in {str(v) for v in VALUES}:
            sheet.answers[item.key] = int(raw)
        else:
            sheet.errors[item.key] = "Choose one of the answers shown."
    if len(sheet.comment) > COMMENT_MAX:
        sheet.errors[COMMENT_FIELD] = (
            f"The comment has {len(sheet.comment)} characters; keep it to {COMMENT_MAX}."
        )
    return sheet


@dataclass(frozen=True)
class PulseCell:
    """One shown focus result: mean change −2…+2 (2 decimals), n numeric answers, na don't-knows."""

    key: str
    text: str
    score: float
    n: int
    na: int


@dataclass(frozen=True)
class PulseResult:
    """What a closed pulse shows about one subject; empty when fewer than `k` answered."""

    responses: int
    shown: bool
    focus: tuple[PulseCell, ...]
    comments: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """SPEC §12: {focus [{key, text, score, n, na}], comments [text]} (+ responses, shown)."""
        return {
            "responses": self.responses,
            "shown": self.shown,
            "focus": [vars(cell) | {} for cell in self.focus],
            "comments": list(self.comments),
        }


def pool_pulse(
    focus: Sequence[Focus],
    responses: Sequence[Mapping[str, int | None]],
    comments: Sequence[str],
    k: int,
) -> PulseResult:
    """Pool the responses of one subject (SPEC §12, §7.4–5, §7.7).

    Fewer than `k` responses: nothing shown. Otherwise each focus item with at least `k`
    numeric answers shows their mean (half up, 2 decimals); fewer: absent. Comments sorted.
    """
    if len(responses) < k:
        return PulseResult(len(responses), False, (), ())
    cells = []
    for item in focus:
        given = [r[item.key] for r in responses if item.key in r]
        values = [v for v in given if v is not None]
        if len(values) >= k:
            score = round_score(exact_mean(values))
            na = len(given) - len(values)
            cells.append(PulseCell(item.key, item.text, score, len(values), na))
    texts = tuple(sorted((c.strip() for c in comments if c.strip()), key=str.casefold))
    return PulseResult(len(responses), True, tuple(cells), texts)
