"""build_questionnaire: wording per perspective, observer filtering, order, readiness (SPEC §3)."""

from __future__ import annotations

import pytest

from survey.domain.questionnaire import (
    LEVELS,
    RATER_GROUPS,
    QuestionnaireError,
    area_items,
    build_questionnaire,
    default_content,
    next_level,
    observed_items,
)
from survey.errors import SurveyError

ALL = [(level, group) for level in LEVELS for group in RATER_GROUPS]


def test_self_reads_first_person_wording() -> None:
    questionnaire = build_questionnaire("team_leader", "self", subject_name="Ana")
    texts = [item.text for item in questionnaire.items()]
    assert texts[0] == "I keep the team focused on delivering its agreed results."
    assert all("Ana" not in text and "{name}" not in text for text in texts)
    assert questionnaire.open_questions[0].text == "What do I do well that I should keep doing?"


@pytest.mark.parametrize("group", ["manager", "peers", "direct_reports"])
def test_other_raters_read_about_the_subject_by_name(group: str) -> None:
    questionnaire = build_questionnaire("team_leader", group, True, subject_name="Ana Ruiz")
    texts = [item.text for item in questionnaire.items()]
    texts += [question.text for question in questionnaire.open_questions]
    assert all("Ana Ruiz" in text for text in texts)
    assert not any("{name}" in text for text in texts)


def test_default_subject_name() -> None:
    item = build_questionnaire("business_leader", "peers").sections[0].items[0]
    assert item.text.startswith("this person ")


def test_name_with_braces_is_inserted_literally() -> None:
    item = build_questionnaire("team_leader", "peers", subject_name="{x} Zoë").items()[0]
    assert item.text.startswith("{x} Zoë keeps")


def test_direct_reports_do_not_rate_business_leader_pnl() -> None:
    keys = build_questionnaire("business_leader", "direct_reports").item_keys()
    assert "bl_owns_pnl" not in keys and "bl_budget_forecast" not in keys
    assert "bl_owns_pnl" in build_questionnaire("business_leader", "manager").item_keys()


@pytest.mark.parametrize("level", LEVELS)
def test_self_sees_every_item_of_the_level(level: str) -> None:
    questionnaire = build_questionnaire(level, "self")
    all_keys = [key for _, _, keys in area_items(level) for key in keys]
    assert sorted(questionnaire.item_keys()) == sorted(all_keys)


@pytest.mark.parametrize(("level", "group"), ALL)
def test_only_observed_items_are_shown(level: str, group: str) -> None:
    questionnaire = build_questionnaire(level, group)
    assert set(questionnaire.item_keys()) == observed_items(level, group)
    assert len(questionnaire.item_keys()) == len(set(questionnaire.item_keys()))
    assert all(section.items for section in questionnaire.sections)


def test_individual_contributor_has_no_direct_reports_items() -> None:
    assert build_questionnaire("individual_contributor", "direct_reports").sections == ()


@pytest.mark.parametrize(("level", "group"), ALL)
def test_sections_in_area_order_items_in_source_order(level: str, group: str) -> None:
    content = default_content()
    order = [area.key for area in content.areas]
    sections = build_questionnaire(level, group).sections
    assert [s.key for s in sections] == [k for k in order if k in {s.key for s in sections}]
    for section in sections:
        numbers = [int(item.source.rsplit(".", 1)[1]) for item in section.items]
        assert numbers == sorted(numbers)
        assert all(item.area == section.key for item in section.items)


@pytest.mark.parametrize(
    ("level", "readiness_level"),
    [("individual_contributor", "team_leader"), ("team_leader", "business_leader")],
)
def test_readiness_section_asks_about_the_next_level(level: str, readiness_level: str) -> None:
    questionnaire = build_questionnaire(level, "peers", include_next_level=True, subject_name="Bo")
    assert questionnaire.readiness is not None
    assert questionnaire.readiness.level == readiness_level
    readiness_keys = [i.key for s in questionnaire.readiness.sections for i in s.items]
    assert set(readiness_keys) == observed_items(readiness_level, "peers")
    assert questionnaire.item_keys()[-len(readiness_keys) :] == readiness_keys
    data = questionnaire.to_json()
    assert data["readiness"]["level"] == readiness_level
    assert data["readiness"]["areas"][0]["items"][0]["text"].startswith("Bo ")


def test_no_readiness_above_business_leader_or_when_not_asked() -> None:
    assert build_questionnaire("business_leader", "self", True).readiness is None
    assert build_questionnaire("team_leader", "self").readiness is None
    assert build_questionnaire("team_leader", "self").to_json()["readiness"] is None


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("individual_contributor", "team_leader"),
        ("team_leader", "business_leader"),
        ("business_leader", None),
    ],
)
def test_next_level(level: str, expected: str | None) -> None:
    assert next_level(level) == expected


def test_json_has_the_spec_shape() -> None:
    data = build_questionnaire("team_leader", "peers").to_json()
    assert set(data) == {"level", "group", "scale", "areas", "open_questions", "readiness"}
    assert (data["level"], data["group"]) == ("team_leader", "peers")
    assert set(data["scale"]) == {"min", "max", "labels", "allows_na"}
    area = data["areas"][0]
    assert set(area) == {"key", "title", "items"}
    assert set(area["items"][0]) == {"key", "text", "source", "required"}
    assert [q["key"] for q in data["open_questions"]] == ["keep_doing", "start_doing", "stop_doing"]
    assert set(data["open_questions"][0]) == {"key", "text"}


def test_area_items_lists_every_item_in_area_order() -> None:
    rows = area_items("business_leader")
    assert rows[0][0] == "results" and rows[0][1] == "Results"
    assert rows[0][2] == [
        "bl_business_outcomes",
        "bl_outcome_based_decisions",
        "bl_owns_pnl",
        "bl_budget_forecast",
    ]
    assert sum(len(keys) for _, _, keys in rows) == len(
        default_content().level("business_leader").items
    )


@pytest.mark.parametrize(
    ("level", "group", "message"),
    [
        ("manager", "peers", "unknown level 'manager'"),
        ("team_leader", "boss", "unknown rater group 'boss'"),
        ("team_leader", "others", "unknown rater group 'others'"),
        ("", "self", "unknown level ''"),
    ],
)
def test_unknown_level_or_group_is_a_readable_error(level: str, group: str, message: str) -> None:
    with pytest.raises(QuestionnaireError, match=message) as caught:
        build_questionnaire(level, group)
    assert isinstance(caught.value, SurveyError)
    assert "expected one of" in str(caught.value)
