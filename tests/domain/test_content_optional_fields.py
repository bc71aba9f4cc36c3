"""The optional `you` wording (SPEC §10) and a level's own `bullets` count (issue 21)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from survey.domain.content import Content, ContentError
from survey.domain.questionnaire import load_content

# The base content alone: these tests edit it, which a translation would then not match.
BASE = load_content(Path(__file__).resolve().parents[2] / "questionnaires").without_translations()


def snapshot() -> dict[str, Any]:
    return copy.deepcopy(BASE.to_snapshot())


def first_item(data: dict[str, Any], level: str = "team_leader") -> dict[str, Any]:
    item: dict[str, Any] = data["levels"][level]["responsibilities"][0]["items"][0]
    return item


def test_shipped_content_has_no_you_wording_and_its_snapshot_none_either() -> None:
    data = BASE.to_snapshot()
    assert "you" not in first_item(data)
    assert "bullets" not in data["levels"]["team_leader"]


def test_a_you_wording_is_kept_through_a_snapshot() -> None:
    data = snapshot()
    first_item(data)["you"] = "You keep the team focused on delivering its agreed results."
    data["open_questions"][0]["you"] = "What do you do well?"
    content = Content.from_snapshot(data)
    item = content.level("team_leader").items[0]
    assert item.you_text == "You keep the team focused on delivering its agreed results."
    assert content.open_questions[0].you_text == "What do you do well?"
    assert Content.from_snapshot(content.to_snapshot()) == content


@pytest.mark.parametrize(
    ("you", "message"),
    [
        ("{name} keeps the team focused.", "you wording must not contain {name}"),
        ("Keeps the team focused.", "you wording must be in the second person"),
        ("  ", "empty you wording"),
    ],
)
def test_a_bad_you_wording_is_named(you: str, message: str) -> None:
    data = snapshot()
    first_item(data)["you"] = you
    with pytest.raises(ContentError) as error:
        Content.from_snapshot(data)
    assert f"team_leader.toml: tl_team_results: {message}" in str(error.value)


@pytest.mark.parametrize(
    ("self_text", "derived"),
    [
        ("I’m focused on the team's agreed results.", "You’m focused"),
        ("I was clear about the team's agreed results.", "You was clear"),
    ],
)
def test_a_self_wording_that_does_not_turn_into_you_needs_a_you_wording(
    self_text: str, derived: str
) -> None:
    data = snapshot()
    first_item(data)["self"] = self_text
    with pytest.raises(ContentError) as error:
        Content.from_snapshot(data)
    message = str(error.value)
    assert "tl_team_results: no you wording, and the self wording does not turn into one" in message
    assert derived in message
    first_item(data)["you"] = "You keep the team focused on its agreed results."
    assert (
        Content.from_snapshot(data).level("team_leader").items[0].you_wording.startswith("You keep")
    )


def test_every_shipped_statement_and_question_has_a_you_wording() -> None:
    texts = [it.you_wording for lv in BASE.levels for it in lv.items]
    texts += [q.you_wording for q in BASE.open_questions]
    assert all(t.startswith(("You ", "What ", "When ")) for t in texts), texts
    assert not any(re.search(r"\b(I|my|me)\b", t) for t in texts)


def test_a_level_with_its_own_bullets_needs_that_many_responsibilities() -> None:
    data = snapshot()
    level = data["levels"]["individual_contributor"]
    level["bullets"] = 3
    del level["responsibilities"][3]
    content = Content.from_snapshot(data)
    assert content.level("individual_contributor").bullets == 3
    level["bullets"] = 2
    with pytest.raises(ContentError) as error:
        Content.from_snapshot(data)
    assert "has 3 responsibilities; the source document has 2 bullets" in str(error.value)


def test_bullets_must_be_a_positive_whole_number() -> None:
    data = snapshot()
    data["levels"]["business_leader"]["bullets"] = 0
    with pytest.raises(ContentError, match="business_leader: bullets must be at least 1"):
        Content.from_snapshot(data)
