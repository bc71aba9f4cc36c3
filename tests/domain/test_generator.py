"""Generating a draft content set from a levels document (issue 21)."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.domain.content import RATER_GROUPS, RESPONSIBILITY_COUNTS, Content, ContentError
from survey.domain.content_toml import content_files
from survey.domain.generator import AreaMatcher, generate_draft
from survey.domain.levels_document import DocumentError, heading_level, read_levels_document
from survey.domain.questionnaire import build_questionnaire, load_content

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "leadership-levels.txt"
SEED = ROOT.parent / "shared" / "seed" / "leadership-levels.txt"  # beside the checkout
BASE = load_content(ROOT / "questionnaires")

OTHER_FRAMEWORK = """# Acme leadership framework

Some prose about the framework, with a colon: and a dash - in it.

## Level 1: Specialist

1. Delivers high-quality work on time.
2. Shares knowledge with colleagues
   and documents what he learns.

## Level 2: Team lead

- Coaches her team members every week.
- Responsible for the hiring budget.
- Celebrates birthdays, anniversaries and other milestones.

## Level 3: Director

* Sets the vision and strategy for the whole organisation.
* Keeps other leaders accountable for their goals.
* Represents the company to customers and the outside world.
"""


def seed_draft() -> dict:
    return generate_draft(EXAMPLE.read_text(encoding="utf-8"), BASE).content


def test_the_seed_gives_a_valid_set_covering_every_responsibility_with_its_source() -> None:
    content = Content.from_snapshot(seed_draft())
    for level in content.levels:
        sources = [item.source for item in level.items]
        count = RESPONSIBILITY_COUNTS[level.key]
        assert sources == [f"{level.key}.{n}" for n in range(1, count + 1)]
        assert level.bullets == count
    assert content.item_count == 4 + 14 + 10


def test_items_keep_the_bullet_text_and_every_group_observes_them() -> None:
    content = Content.from_snapshot(seed_draft())
    team_leader = content.level("team_leader")
    shipped = BASE.level("team_leader")
    assert [r.text for r in team_leader.responsibilities] == [
        r.text for r in shipped.responsibilities
    ]
    assert {item.observers for item in content.level("business_leader").items} == {
        tuple(RATER_GROUPS)
    }
    item = team_leader.responsibilities[3].items[0]
    assert item.self_text == "I take care of my team's motivation and work engagement."
    assert item.you_text == "You take care of your team's motivation and work engagement."


def test_scale_and_open_questions_come_from_the_current_content() -> None:
    content = Content.from_snapshot(seed_draft())
    assert content.scale == BASE.scale
    assert [(q.key, q.self_text, q.other_text) for q in content.open_questions] == [
        (q.key, q.self_text, q.other_text) for q in BASE.open_questions
    ]
    assert content.open_questions[0].you_text == "What do you do well that you should keep doing?"


@pytest.mark.parametrize(
    ("level", "number", "area"),
    [
        ("individual_contributor", 2, "improvement"),
        ("individual_contributor", 4, "culture"),
        ("team_leader", 4, "engagement"),
        ("team_leader", 6, "people"),
        ("team_leader", 7, "direction"),
        ("team_leader", 8, "accountability"),
        ("team_leader", 9, "alignment"),
        ("team_leader", 10, "delegation"),
        ("team_leader", 11, "growth"),
        ("business_leader", 8, "alignment"),
        ("business_leader", 10, "delegation"),
    ],
)
def test_area_suggested_from_the_area_descriptions(level: str, number: int, area: str) -> None:
    content = Content.from_snapshot(seed_draft())
    assert content.level(level).responsibilities[number - 1].items[0].area == area


def test_suggested_areas_mostly_agree_with_the_hand_made_content() -> None:
    content = Content.from_snapshot(seed_draft())
    pairs = [
        (generated.items[0].area, {item.area for item in shipped.items})
        for level in BASE.levels
        for generated, shipped in zip(
            content.level(level.key).responsibilities, level.responsibilities, strict=True
        )
    ]
    agree = sum(area in areas for area, areas in pairs)
    assert agree >= 24, f"only {agree} of {len(pairs)} areas agree"


@pytest.mark.skipif(not SEED.is_file(), reason=f"{SEED} is not beside this checkout")
def test_the_whole_source_document_gives_the_same_draft_as_its_levels() -> None:
    draft = generate_draft(SEED.read_text(encoding="utf-8"), BASE)
    assert draft.content == seed_draft()
    assert draft.notes == {}


def test_another_framework_has_its_own_counts_and_a_new_area_for_what_fits_none() -> None:
    draft = generate_draft(OTHER_FRAMEWORK, BASE)
    levels = draft.content["levels"]
    assert [levels[level]["bullets"] for level in levels] == [2, 3, 3]
    assert levels["individual_contributor"]["title"] == "Specialist"
    shares = levels["individual_contributor"]["responsibilities"][1]
    assert shares["text"] == "Shares knowledge with colleagues and documents what he learns."
    assert shares["items"][0]["self"] == (
        "I share knowledge with colleagues and document what I learn."
    )
    birthdays = levels["team_leader"]["responsibilities"][2]["items"][0]
    assert birthdays["area"] == "team_lead"
    new_area = next(a for a in draft.content["areas"] if a["key"] == "team_lead")
    assert new_area["title"] == "Team lead"


def test_an_item_the_rules_cannot_word_says_so_and_is_refused_until_written() -> None:
    draft = generate_draft(OTHER_FRAMEWORK, BASE)
    item = draft.content["levels"]["team_leader"]["responsibilities"][1]["items"][0]
    assert (item["self"], item["other"], item["you"]) == ("", "", "")
    assert "does not start with a verb" in draft.notes[item["key"]]
    with pytest.raises(ContentError) as error:
        Content.from_snapshot(draft.content)
    assert f"team_leader.toml: {item['key']}: empty self wording" in str(error.value)
    assert len(draft.notes) == 1


def test_written_as_toml_the_seed_draft_loads_as_the_same_content(tmp_path: Path) -> None:
    draft = generate_draft(EXAMPLE.read_text(encoding="utf-8"), BASE)
    for name, text in content_files(draft.content, draft.notes, EXAMPLE.name).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    loaded = load_content(tmp_path)
    assert loaded.to_snapshot() == Content.from_snapshot(draft.content).to_snapshot()
    peers = build_questionnaire("team_leader", "peers", subject_name="Alex", content=loaded)
    assert peers.items()[0].text.startswith("Alex ")


def test_a_note_is_written_as_a_comment_over_its_item() -> None:
    draft = generate_draft(OTHER_FRAMEWORK, BASE)
    text = content_files(draft.content, draft.notes)["team_leader.toml"]
    key = next(iter(draft.notes))
    assert "# NOTE: The rules could not word this responsibility" in text
    assert text.index("# NOTE:") < text.index(f'key = "{key}"')


def test_the_matcher_suggests_nothing_for_unrelated_words() -> None:
    assert AreaMatcher(BASE.areas).suggest("Celebrates birthdays.") is None


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("Individual contributor (IC) responsibilities", "individual_contributor"),
        ("Team leader/manager responsibilities", "team_leader"),
        ("Business leader responsibilities", "business_leader"),
        ("## Managers", "team_leader"),
        ("Level 3 – Executives:", "business_leader"),
        ("Leadership skills - what leaders and managers actually do", None),
        ("Managers and directors", None),
        ("Below follows a short recap of the main differences between ICs and leaders.", None),
    ],
)
def test_heading_level(line: str, level: str | None) -> None:
    assert heading_level(line) == level


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the document is empty"),
        ("Our values\n\nWe care about people.\n", "line 1: “Our values” names no level"),
        ("Intro\n\n- a bullet first\n\n## Team leader\n- Uses tools.\n",
         "line 3: the bullet “a bullet first” is under no heading that names a level"),
        ("## Team leader\n\nProse only.\n\n## IC\n- Uses tools.\n## Director\n- Leads.\n",
         "line 1: “Team leader” names the team leader level, but no bullet follows it"),
        ("## IC\n- Uses tools.\n## Manager\n- Leads.\n",
         "no heading names the business leader level"),
        ("## IC\n- Uses tools.\n## Manager\n- Leads.\n## Managers\n- Sets goals.\n"
         "## Director\n- Decides.\n",
         "line 5: a second heading for the team leader level (the first is on line 3)"),
        ("## IC\n- Uses tools.\n\nSome prose.\n- Stray.\n## Manager\n- Leads.\n## Director\n"
         "- Decides.\n", "line 5: the bullet “Stray.” is under no heading"),
    ],
)
def test_a_document_that_is_not_a_levels_document_gets_a_readable_error(
    text: str, message: str
) -> None:
    with pytest.raises(DocumentError) as error:
        read_levels_document(text)
    assert message in str(error.value)


def test_each_level_is_read_in_level_order_with_its_lines() -> None:
    document = read_levels_document(EXAMPLE.read_text(encoding="utf-8"))
    assert [(s.level, len(s.bullets)) for s in document.sections] == [
        ("individual_contributor", 4), ("team_leader", 14), ("business_leader", 10)
    ]
    assert document.title == "Become a Leader – What leaders and managers actually do?"
    first = document.sections[0]
    assert (first.line, first.bullets[0].line) == (5, 7)
