"""A rater's answers to one questionnaire, read from the posted form and checked (SPEC §6).

The form's names are SPEC §6's: each item is a radio group named by its item key with values
"1".."5" and "na"; each open question is a textarea named `comment-<question key>`. Reading
never raises: a wrong or missing answer becomes a message for that one field, and every other
answer is kept so the page can show the form again with them filled in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from survey.domain.content import Scale
from survey.domain.languages import N_, unchanged
from survey.domain.questionnaire import Questionnaire

NA = "na"
COMMENT_PREFIX = "comment-"
# Messages in English, marked for the catalogs (SPEC §14); `read_answer_sheet(words=gettext)`
# words them in the rater's language.
NOTHING_ANSWERED = N_("Answer at least one statement or question, or decline this request.")
NOT_ON_SCALE = N_(
    "That is not one of the answers. Choose a number from 1 to 5, "
    "or “don't know / not observed”."
)
ANSWER_REQUIRED = N_("Please choose an answer for this statement.")
COMMENT_REQUIRED = N_("Please answer this question.")
COMMENT_TOO_LONG = N_("Please keep this answer under {limit} characters (it is now {length}).")


@dataclass
class AnswerSheet:
    """What one rater gave for one questionnaire.

    `answers` maps item keys to the posted value when it is on the scale ("1".."5" or "na");
    `comments` maps open-question keys to their non-blank text as typed (not cut). `errors` maps
    a form field name (an item key, or `comment-<key>`) to one readable message; `form_errors`
    holds messages about the whole form. Nothing is stored from a sheet with errors.
    """

    answers: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    form_errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        """True when nothing needs fixing before the sheet can be submitted."""
        return not self.errors and not self.form_errors

    def has_answers(self) -> bool:
        """True if anything on the scale or any comment was given (kept on a refused submit)."""
        return bool(self.answers or self.comments)

    def values(self) -> dict[str, int | None]:
        """The answers as stored: `{item: 1..5}`, or `{item: None}` for N/A (SPEC §7)."""
        return {key: None if raw == NA else int(raw) for key, raw in self.answers.items()}

    def kept_comments(self, limit: int) -> dict[str, str]:
        """The comments cut to `limit` characters, as a draft keeps them."""
        return {key: text[:limit] for key, text in self.comments.items()}

    def comment_text(self, key: str) -> str:
        """The text typed for open question `key`, or ""."""
        return self.comments.get(key, "")


def read_answer_sheet(
    questionnaire: Questionnaire,
    posted: Mapping[str, str],
    comment_max_length: int,
    words: Callable[[str], str] = unchanged,
) -> AnswerSheet:
    """Read and check a submission of `questionnaire` from posted form fields (SPEC §6).

    `posted` maps form field names to their (first) value. Values off the scale, missing
    required answers and comments over `comment_max_length` characters get one message each in
    `errors`; a sheet with no answer and no comment at all gets NOTHING_ANSWERED in
    `form_errors`. Fields the questionnaire does not ask are ignored. `words` translates each
    message (e.g. Flask-Babel's gettext); by default they stay in English.
    """
    sheet = _read(questionnaire, posted)
    allowed = scale_values(questionnaire.scale)
    for item in questionnaire.items():
        raw = posted.get(item.key, "")
        if raw and raw not in allowed:
            sheet.errors[item.key] = words(NOT_ON_SCALE)
        elif item.required and not raw:
            sheet.errors[item.key] = words(ANSWER_REQUIRED)
    for question in questionnaire.open_questions:
        name = COMMENT_PREFIX + question.key
        text = posted.get(name, "")
        if not text.strip():
            if question.required:
                sheet.errors[name] = words(COMMENT_REQUIRED)
        elif len(text) > comment_max_length:
            message = words(COMMENT_TOO_LONG).format(limit=comment_max_length, length=len(text))
            sheet.errors[name] = message
    if sheet.is_valid and not sheet.has_answers():
        sheet.form_errors.append(words(NOTHING_ANSWERED))
    return sheet


def draft_sheet(questionnaire: Questionnaire, posted: Mapping[str, str]) -> AnswerSheet:
    """What a draft keeps of posted fields: answers on the scale and non-blank comments.

    Never reports errors: a draft may be incomplete, and a value off the scale is just dropped.
    """
    return _read(questionnaire, posted)


def _read(questionnaire: Questionnaire, posted: Mapping[str, str]) -> AnswerSheet:
    allowed = scale_values(questionnaire.scale)
    answers = {
        item.key: posted[item.key]
        for item in questionnaire.items()
        if posted.get(item.key) in allowed
    }
    comments = {}
    for question in questionnaire.open_questions:
        text = posted.get(COMMENT_PREFIX + question.key, "")
        if text.strip():
            comments[question.key] = text
    return AnswerSheet(answers=answers, comments=comments)


@functools.cache
def scale_values(scale: Scale) -> frozenset[str]:
    """The values a radio group on `scale` may post: "1".."5", and "na" when N/A is allowed."""
    values = {str(value) for value in scale.values()}
    return frozenset(values | ({NA} if scale.allows_na else set()))
