"""Questionnaire translations (SPEC §14): same keys, every problem named with its locale, kept
through a campaign's snapshot."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from survey.domain.content import Content, ContentError
from survey.domain.questionnaire import build_questionnaire, load_content

SHIPPED = load_content(Path(__file__).resolve().parents[2] / "questionnaires")


def snapshot() -> dict[str, Any]:
    return copy.deepcopy(SHIPPED.to_snapshot())


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ContentError) as caught:
        Content.from_snapshot(data)
    return [str(problem) for problem in caught.value.problems]


def test_shipped_content_reads_in_english_and_german_with_the_same_keys() -> None:
    assert SHIPPED.locales == ("en", "de")
    for level in ("individual_contributor", "team_leader", "business_leader"):
        for group in ("self", "manager", "peers", "direct_reports"):
            english = build_questionnaire(level, group, True, subject_name="Ana", content=SHIPPED)
            german = build_questionnaire(
                level, group, True, subject_name="Ana", content=SHIPPED.in_locale("de")
            )
            assert german.item_keys() == english.item_keys()
            assert german.item_areas == english.item_areas
            assert [q.key for q in german.open_questions] == [q.key for q in english.open_questions]
            assert all(
                a.text != b.text for a, b in zip(german.items(), english.items(), strict=True)
            )


def test_a_german_item_reads_in_each_perspective() -> None:
    german = SHIPPED.in_locale("de").level("team_leader").items[0]
    assert german.key == "tl_team_results" and german.area == "results"
    assert german.text_for("peers", "Ana") == (
        "Ana richtet das Team konsequent darauf aus, die vereinbarten Ergebnisse zu liefern."
    )
    assert german.text_for("self", "Ana").startswith("Ich richte das Team")
    assert german.you_text.startswith("Sie richten das Team")
    assert SHIPPED.in_locale("de").scale.labels == ("Nie", "Selten", "Manchmal", "Oft", "Immer")


def test_an_unknown_locale_reads_the_base_content() -> None:
    assert SHIPPED.in_locale("fi") is SHIPPED
    assert SHIPPED.in_locale(None) is SHIPPED


def test_a_snapshot_keeps_every_language_it_was_taken_with() -> None:
    data = json.loads(json.dumps(SHIPPED.to_snapshot()))
    assert sorted(data["translations"]) == ["de"]
    restored = Content.from_snapshot(data)
    assert restored.locales == ("en", "de")
    assert restored.in_locale("de") == SHIPPED.in_locale("de")
    assert "translations" not in SHIPPED.without_translations().to_snapshot()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t["team_leader.toml"]["items"].pop("tl_delegates"),
            "de/team_leader.toml: tl_delegates: missing de translation of item 'tl_delegates'",
        ),
        (
            lambda t: t["team_leader.toml"]["items"].update(tl_extra={"self": "Ich."}),
            "de/team_leader.toml: tl_extra: extra key: the base content has no item 'tl_extra'",
        ),
        (
            lambda t: t["team_leader.toml"]["items"]["tl_delegates"].pop("you"),
            "de/team_leader.toml: tl_delegates: missing de you wording",
        ),
        (
            lambda t: t["team_leader.toml"]["items"]["tl_delegates"].update(other="Delegiert."),
            "de/team_leader.toml: tl_delegates: other wording must contain {name}",
        ),
        (
            lambda t: t["areas.toml"]["areas"].pop("growth"),
            "de/areas.toml: growth: missing de translation of area 'growth'",
        ),
        (
            lambda t: t["open_questions.toml"]["questions"]["keep_doing"].update(tone="warm"),
            "de/open_questions.toml: keep_doing: unknown field 'tone' "
            "(expected: behaviour, other, self, you)",
        ),
        (
            lambda t: t["scale.toml"].update(labels=["Nie", "Immer"]),
            "de/scale.toml: labels: expected 5 labels, got 2",
        ),
    ],
)
def test_a_broken_translation_is_named_by_locale_file_and_key(change: Any, expected: str) -> None:
    data = snapshot()
    change(data["translations"]["de"])
    assert problems_of(data) == [expected]
