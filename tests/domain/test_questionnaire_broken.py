"""Bad content files fail loudly with FILE: KEY: reason, all problems at once (SPEC §3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.domain.questionnaire import ContentError, load_content
from survey.errors import SurveyError
from tests.domain.content_fixtures.broken import CASES, Case, copy_content, set_field, tl_item


def test_shipped_copy_loads(tmp_path: Path) -> None:
    assert load_content(copy_content(tmp_path)) == load_content()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_broken_content_names_file_key_and_reason(tmp_path: Path, case: Case) -> None:
    folder = copy_content(tmp_path)
    case.mutate(folder)
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert isinstance(caught.value, SurveyError)
    lines = str(caught.value).splitlines()
    assert any(case.matches(line) for line in lines), lines
    assert [str(problem) for problem in caught.value.problems] == lines


def test_env_var_selects_the_content_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_content(tmp_path)
    (folder / "areas.toml").unlink()
    monkeypatch.setenv("SURVEY_QUESTIONNAIRES", str(folder))
    with pytest.raises(ContentError, match="areas.toml: "):
        load_content()


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    set_field("team_leader.toml", tl_item(2), "area", "morale")(folder)
    set_field("team_leader.toml", tl_item(3), "source", "")(folder)
    set_field("scale.toml", lambda doc: doc, "max", 1)(folder)
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    message = str(caught.value)
    assert "team_leader.toml: tl_improves_processes: unknown area 'morale'" in message
    assert "team_leader.toml: tl_builds_team_skills: empty source" in message
    assert "scale.toml: min: min (1) must be less than max (1)" in message
