"""The questionnaire as a WTForms form, built per rater from the campaign's snapshot (SPEC §6).

Each item is a radio group named by its item key with values "1".."5" and "na"; each open
question is a textarea named `comment-<key>`. A form class depends only on the questionnaire's
shape (keys, which are required, the scale, the comment limit), never on the subject's name, so
one class per shape is built and kept per process; the page words fields from the questionnaire.
"""

from __future__ import annotations

import functools
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from survey.domain.questionnaire import Questionnaire, Scale

NA = "na"
COMMENT_PREFIX = "comment-"
NOTHING_ANSWERED = "Answer at least one statement or question, or decline this request."


class ScaleField(RadioField):
    """A radio group on the answer scale; a value off the scale gets a readable message."""

    def pre_validate(self, form: Any) -> None:
        if not self.raw_data or self.raw_data[0] == "":
            return  # unanswered: the required/optional validator decides
        if self.data not in self.allowed_values():
            raise ValidationError(
                "That is not one of the answers. Choose a number from 1 to 5, "
                "or “don't know / not observed”."
            )

    def allowed_values(self) -> frozenset[str]:
        """The values on the scale: "1".."5" and "na"."""
        allowed: frozenset[str] | None = getattr(self, "_allowed", None)
        if allowed is None:
            allowed = self._allowed = frozenset(choice.value for choice in self.choices)
        return allowed


class RatingForm(FlaskForm):
    """Base of every questionnaire form; subclasses add one field per item and question."""

    item_keys: tuple[str, ...] = ()
    question_keys: tuple[str, ...] = ()

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then: an empty questionnaire is not a submission."""
        valid = super().validate(extra_validators)
        if valid and not self.answers() and not self.comments():
            self.form_errors.append(NOTHING_ANSWERED)
            return False
        return valid

    def has_answers(self) -> bool:
        """True if anything on the scale or any comment was given (kept on a refused submit)."""
        return bool(self.raw_answers() or self.comments())

    def answer_fields(self) -> list[Field]:
        """The rating fields in questionnaire order."""
        return [self[key] for key in self.item_keys]

    def answers(self) -> dict[str, int | None]:
        """Valid answers: `{item: 1..5}` or `{item: None}` for N/A; unanswered items left out."""
        return {key: (None if raw == NA else int(raw)) for key, raw in self.raw_answers().items()}

    def raw_answers(self) -> dict[str, str]:
        """Answers on the scale as posted (`"1".."5"` or `"na"`), for a draft; others dropped."""
        fields = [self[key] for key in self.item_keys]
        return {f.name: f.data for f in fields if f.data in f.allowed_values()}

    def comments(self, limit: int | None = None) -> dict[str, str]:
        """Non-blank open answers by question key, cut to `limit` characters if given."""
        texts = {key: (self[COMMENT_PREFIX + key].data or "") for key in self.question_keys}
        return {key: text[:limit] if limit else text for key, text in texts.items() if text.strip()}

    def comment_field(self, key: str) -> Field:
        """The textarea of one open question."""
        return self[COMMENT_PREFIX + key]


def scale_choices(scale: Scale) -> list[SelectChoice]:
    """`"1" Never … "5" Always, "na" Don't know / not observed` from the campaign's scale."""
    choices = [SelectChoice(str(value), scale.label(value)) for value in scale.values()]
    return choices + ([SelectChoice(NA, scale.na_label)] if scale.allows_na else [])


def build_rating_form(
    questionnaire: Questionnaire, comment_max_length: int, **form_kwargs: Any
) -> RatingForm:
    """A RatingForm for `questionnaire`; `form_kwargs` go to FlaskForm (e.g. `data=` a draft)."""
    items = tuple((item.key, item.required) for item in questionnaire.items())
    questions = tuple((q.key, q.required) for q in questionnaire.open_questions)
    choices = tuple((choice.value, choice.label) for choice in scale_choices(questionnaire.scale))
    form_class = _form_class(items, questions, choices, comment_max_length)
    form: RatingForm = form_class(**form_kwargs)
    return form


def scale_options(scale: Scale) -> tuple[tuple[int, str, str, bool], ...]:
    """`(index, value, label, is N/A)` per answer, for rendering a radio group by hand.

    The index gives the input's id (`<item key>-<index>`), as WTForms numbers its options.
    """
    return tuple(
        (index, choice.value, choice.label, choice.value == NA)
        for index, choice in enumerate(scale_choices(scale))
    )


@functools.lru_cache(maxsize=256)
def _form_class(
    items: tuple[tuple[str, bool], ...],
    questions: tuple[tuple[str, bool], ...],
    choices: tuple[tuple[str, str], ...],
    comment_max_length: int,
) -> type[RatingForm]:
    """The form class of one questionnaire shape: `(key, required)` per item and question,
    `(value, label)` per answer on the scale."""
    attributes: dict[str, Any] = {
        "item_keys": tuple(key for key, _ in items),
        "question_keys": tuple(key for key, _ in questions),
    }
    for key, required in items:
        _check_name(key)
        attributes[key] = ScaleField(
            choices=[SelectChoice(value, label) for value, label in choices],
            validators=[_answer_rule(required)],
        )
    for key, required in questions:
        attributes[COMMENT_PREFIX + key] = TextAreaField(
            validators=_comment_rules(required, comment_max_length)
        )
    return type("QuestionnaireForm", (RatingForm,), attributes)


def _answer_rule(required: bool) -> InputRequired | Optional:
    if required:
        return InputRequired("Please choose an answer for this statement.")
    return Optional()


def _comment_rules(required: bool, max_length: int) -> list[Any]:
    first = InputRequired("Please answer this question.") if required else Optional()
    too_long = f"Please keep this answer under {max_length} characters (it is now %(length)s)."
    return [first, _Length(max=max_length, message=too_long)]


class _Length(Length):
    """Length with the current length in the message, so the rater knows how much to cut."""

    def __call__(self, form: Any, field: Field) -> None:
        length = len(field.data or "")
        if length > self.max:
            raise ValidationError(str(self.message) % {"length": length})


def _check_name(key: str) -> None:
    """An item key that shadows a form attribute would break the form; fail loudly instead."""
    if hasattr(RatingForm, key) or key.startswith("_"):
        raise ValueError(f"item key {key!r} cannot be a form field name")


class DeclineForm(FlaskForm):
    """Decline one request; the reason is optional and only HR sees it (SPEC §5)."""

    reason = TextAreaField(
        "Reason (optional — only HR sees this)",
        validators=[
            Optional(),
            _Length(
                max=2000,
                message="Please keep the reason under 2000 characters (it is now %(length)s).",
            ),
        ],
    )
