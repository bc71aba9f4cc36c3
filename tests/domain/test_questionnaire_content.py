"""The shipped questionnaire content: coverage of the source document, keys, areas, snapshots."""

from __future__ import annotations

import json
import re

import pytest

from survey.domain.content import RESPONSIBILITY_COUNTS
from survey.domain.questionnaire import (
    LEVELS,
    RATER_GROUPS,
    Content,
    ContentError,
    build_questionnaire,
    load_content,
)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def test_levels_in_order_with_one_responsibility_per_source_bullet(content: Content) -> None:
    assert [level.key for level in content.levels] == list(LEVELS)
    counts = {level.key: len(level.responsibilities) for level in content.levels}
    assert counts == {"individual_contributor": 4, "team_leader": 14, "business_leader": 10}
    assert counts == RESPONSIBILITY_COUNTS


@pytest.mark.parametrize("level", LEVELS)
def test_every_item_source_points_at_its_own_bullet(content: Content, level: str) -> None:
    for resp in content.level(level).responsibilities:
        assert 1 <= len(resp.items) <= 3
        assert {item.source for item in resp.items} == {f"{level}.{resp.number}"}


@pytest.mark.parametrize("level", LEVELS)
def test_peers_json_covers_every_bullet_of_the_level(level: str) -> None:
    """SPEC §9: `show LEVEL --group peers --format json` covers LEVEL.1 … LEVEL.N."""
    data = build_questionnaire(level, "peers").to_json()
    sources = {item["source"] for area in data["areas"] for item in area["items"]}
    assert sources == {f"{level}.{n}" for n in range(1, RESPONSIBILITY_COUNTS[level] + 1)}


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_has_at_least_three_areas(content: Content, level: str) -> None:
    assert len(content.level(level).area_keys) >= 3


def test_area_keys_per_level(content: Content) -> None:
    assert content.level("individual_contributor").area_keys == {
        "results",
        "improvement",
        "growth",
        "culture",
    }
    assert content.level("team_leader").area_keys == {area.key for area in content.areas}
    assert {"results", "direction", "delegation"} <= content.level("business_leader").area_keys


def test_item_keys_unique_across_levels_and_safe_as_form_fields(content: Content) -> None:
    keys = [item.key for level in content.levels for item in level.items]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", key) for key in keys)


def test_wording_per_perspective(content: Content) -> None:
    for level in content.levels:
        for item in level.items:
            assert "{name}" in item.other_text and "{name}" not in item.self_text
            assert re.search(r"\b(I|my|me)\b", item.self_text), item.key
            assert item.behaviour and item.behaviour not in item.self_text
            assert "self" in item.observers


def test_scale_is_one_to_five_with_not_observed(content: Content) -> None:
    scale = content.scale.to_json()
    assert (scale["min"], scale["max"], scale["allows_na"]) == (1, 5, True)
    assert list(scale["labels"]) == ["1", "2", "3", "4", "5", "na"]
    assert scale["labels"]["na"] == "Don't know / not observed"


def test_areas_in_declared_order(content: Content) -> None:
    assert [area.order for area in content.areas] == sorted(area.order for area in content.areas)
    assert content.areas[0].key == "results"
    assert all(area.title and area.description for area in content.areas)


def test_snapshot_round_trips_exactly_through_json(content: Content) -> None:
    snapshot = content.to_snapshot()
    restored = Content.from_snapshot(json.loads(json.dumps(snapshot)))
    assert restored == content
    assert restored.to_snapshot() == snapshot


def test_questionnaire_from_snapshot_equals_live_one(content: Content) -> None:
    restored = Content.from_snapshot(json.loads(json.dumps(content.to_snapshot())))
    for level in LEVELS:
        for group in RATER_GROUPS:
            live = build_questionnaire(level, group, True, subject_name="Ana", content=content)
            again = build_questionnaire(level, group, True, subject_name="Ana", content=restored)
            assert again == live


def test_broken_snapshot_raises_content_error(content: Content) -> None:
    snapshot = content.to_snapshot()
    snapshot["levels"]["team_leader"]["responsibilities"][0]["items"][0]["area"] = "morale"
    del snapshot["levels"]["business_leader"]
    with pytest.raises(ContentError) as caught:
        Content.from_snapshot(snapshot)
    message = str(caught.value)
    assert "team_leader.toml: tl_team_results: unknown area 'morale'" in message
    assert "business_leader.toml" in message
