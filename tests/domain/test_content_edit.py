"""Editing a draft content set as data: edits never touch their input; keys never change."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest

from survey.domain.content_edit import (
    AreaEdit,
    EditError,
    ItemEdit,
    add_area,
    content_problems,
    edit_areas,
    edit_item,
    find_item,
)
from survey.domain.questionnaire import load_content

# The base content alone, as the HR editor edits it (one language).
DATA = (
    load_content(Path(__file__).resolve().parents[2] / "questionnaires")
    .without_translations()
    .to_snapshot()
)
EDIT = ItemEdit(
    self_text=" I delegate. ",
    other_text="{name} delegates.",
    you_text="",
    behaviour="Delegates.",
    area="delegation",
    observers=("self", "manager"),
    required=True,
)


def test_an_item_edit_returns_new_data_and_leaves_the_input_alone() -> None:
    before = copy.deepcopy(DATA)
    changed = edit_item(DATA, "tl_delegates", EDIT)
    assert DATA == before
    level, item = find_item(changed, "tl_delegates")
    assert level == "team_leader"
    assert (item["self"], item["observers"], item["required"]) == (
        "I delegate.", ["self", "manager"], True
    )
    assert "you" not in item and content_problems(changed) == []


def test_an_item_edit_that_breaks_a_rule_is_named_like_questionnaire_check() -> None:
    changed = edit_item(DATA, "tl_delegates", replace(EDIT, observers=("manager",)))
    assert [str(p) for p in content_problems(changed)] == [
        "team_leader.toml: tl_delegates: observers must include self "
        "(every subject rates themself)"
    ]


def test_unknown_item_and_area_keys_are_refused() -> None:
    with pytest.raises(EditError, match="no item 'nope'"):
        edit_item(DATA, "nope", EDIT)
    with pytest.raises(EditError, match="no area 'nope'"):
        edit_areas(DATA, [AreaEdit("nope", "T", "D", 1)])


def test_areas_are_kept_in_their_new_order() -> None:
    changed = edit_areas(DATA, [AreaEdit("culture", "Culture", "Values.", 0)])
    assert changed["areas"][0]["key"] == "culture"


@pytest.mark.parametrize("key", ["Bad Key", "1st", "x" * 33, "results"])
def test_a_new_area_needs_a_free_well_formed_key(key: str) -> None:
    with pytest.raises(EditError):
        add_area(DATA, key, "Title", "Description")


def test_a_new_area_goes_last() -> None:
    changed = add_area(DATA, "wellbeing", "Wellbeing", "Health.")
    assert changed["areas"][-1] == {
        "key": "wellbeing", "title": "Wellbeing", "description": "Health.", "order": 11
    }
