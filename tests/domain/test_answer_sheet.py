"""Reading a rater's posted answers against the questionnaire (SPEC §6): one message per wrong
field, every other answer kept, nothing the questionnaire does not ask."""

from __future__ import annotations

import dataclasses

import pytest

from survey.domain.answer_sheet import (
    ANSWER_REQUIRED,
    COMMENT_REQUIRED,
    NOT_ON_SCALE,
    NOTHING_ANSWERED,
    draft_sheet,
    read_answer_sheet,
)
from survey.domain.questionnaire import Questionnaire, build_questionnaire

LIMIT = 20


@pytest.fixture(scope="module")
def questions() -> Questionnaire:
    return build_questionnaire("team_leader", "peers", subject_name="Tom Lead")


def _first_two(questions: Questionnaire) -> tuple[str, str]:
    first, second = questions.item_keys()[:2]
    return first, second


def test_answers_on_the_scale_are_kept_as_posted_and_stored_as_numbers(
    questions: Questionnaire,
) -> None:
    first, second = _first_two(questions)
    sheet = read_answer_sheet(questions, {first: "4", second: "na"}, LIMIT)
    assert sheet.is_valid
    assert sheet.answers == {first: "4", second: "na"}
    assert sheet.values() == {first: 4, second: None}


@pytest.mark.parametrize("posted", ["0", "6", "five", "4.0", " 4", "NA"])
def test_a_value_off_the_scale_gets_one_message_and_keeps_the_others(
    questions: Questionnaire, posted: str
) -> None:
    first, second = _first_two(questions)
    sheet = read_answer_sheet(questions, {first: posted, second: "2"}, LIMIT)
    assert sheet.errors == {first: NOT_ON_SCALE}
    assert sheet.answers == {second: "2"}  # kept for the page shown again
    assert not sheet.is_valid


def test_fields_the_questionnaire_does_not_ask_are_ignored(questions: Questionnaire) -> None:
    first, _ = _first_two(questions)
    posted = {first: "3", "csrf_token": "x", "action": "submit", "not_an_item": "5",
              "comment-nope": "hello"}
    sheet = read_answer_sheet(questions, posted, LIMIT)
    assert sheet.is_valid
    assert sheet.answers == {first: "3"} and sheet.comments == {}


def test_an_empty_form_is_not_a_submission(questions: Questionnaire) -> None:
    sheet = read_answer_sheet(questions, {"comment-strengths": "   "}, LIMIT)
    assert sheet.errors == {}
    assert sheet.form_errors == [NOTHING_ANSWERED]


def test_a_comment_alone_is_a_submission(questions: Questionnaire) -> None:
    key = questions.open_questions[0].key
    sheet = read_answer_sheet(questions, {f"comment-{key}": " Clear goals "}, LIMIT)
    assert sheet.is_valid
    assert sheet.comments == {key: " Clear goals "}  # stripped when stored, not here


def test_a_comment_over_the_limit_says_how_long_it_is(questions: Questionnaire) -> None:
    key = questions.open_questions[0].key
    sheet = read_answer_sheet(questions, {f"comment-{key}": "x" * 25}, LIMIT)
    assert sheet.errors == {
        f"comment-{key}": "Please keep this answer under 20 characters (it is now 25)."
    }
    assert sheet.kept_comments(LIMIT) == {key: "x" * 20}  # what a draft keeps


def test_required_items_and_questions_need_an_answer(questions: Questionnaire) -> None:
    item = dataclasses.replace(questions.sections[0].items[0], required=True)
    section = dataclasses.replace(questions.sections[0], items=(item,))
    question = dataclasses.replace(questions.open_questions[0], required=True)
    strict = dataclasses.replace(questions, sections=(section,), open_questions=(question,),
                                 readiness=None)
    sheet = read_answer_sheet(strict, {f"comment-{question.key}": "  "}, LIMIT)
    assert sheet.errors == {item.key: ANSWER_REQUIRED, f"comment-{question.key}": COMMENT_REQUIRED}
    answered = read_answer_sheet(strict, {item.key: "na", f"comment-{question.key}": "ok"}, LIMIT)
    assert answered.is_valid  # N/A is an answer


def test_a_draft_keeps_what_is_on_the_scale_and_never_complains(
    questions: Questionnaire,
) -> None:
    first, second = _first_two(questions)
    sheet = draft_sheet(questions, {first: "9", second: "5", "comment-strengths": " "})
    assert sheet.answers == {second: "5"}
    assert sheet.comments == {}
    assert sheet.is_valid


def test_a_blank_optional_comment_is_dropped_however_long(questions: Questionnaire) -> None:
    first, _ = _first_two(questions)
    key = questions.open_questions[0].key
    sheet = read_answer_sheet(questions, {first: "3", f"comment-{key}": " " * 25}, LIMIT)
    assert sheet.is_valid and sheet.comments == {}
