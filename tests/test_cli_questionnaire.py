"""`questionnaire check` and `questionnaire show` without an app or database (SPEC §9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from survey.cli_questionnaire import questionnaire_cli
from tests.domain.content_fixtures.broken import CASES, Case, copy_content


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(questionnaire_cli, list(args), env=env)


def test_check_passes_on_shipped_content() -> None:
    result = invoke("check")
    assert result.exit_code == 0, result.output
    expected = "questionnaires OK: 3 levels, 10 areas, 54 items; translated: de"
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_check_reports_broken_content_on_stderr(tmp_path: Path, case: Case) -> None:
    folder = copy_content(tmp_path)
    case.mutate(folder)
    result = invoke("check", env={"SURVEY_QUESTIONNAIRES": str(folder)})
    assert result.exit_code == 1
    assert any(case.matches(line) for line in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_check_dir_option(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    (folder / "team_leader.toml").unlink()
    result = invoke("check", "--dir", str(folder))
    assert result.exit_code == 1
    assert "team_leader.toml: team_leader: file is missing" in result.stderr


def test_show_peers_json_covers_every_team_leader_bullet() -> None:
    result = invoke("show", "team_leader", "--group", "peers", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["level"], data["group"]) == ("team_leader", "peers")
    sources = {item["source"] for area in data["areas"] for item in area["items"]}
    assert sources == {f"team_leader.{n}" for n in range(1, 15)}
    assert data["readiness"] is None


def test_show_json_with_next_level_and_name() -> None:
    result = invoke(
        "show",
        "individual_contributor",
        "--group",
        "manager",
        "--format",
        "json",
        "--next-level",
        "--name",
        "Zoë",
    )
    data = json.loads(result.stdout)
    assert data["readiness"]["level"] == "team_leader"
    assert data["areas"][0]["items"][0]["text"].startswith("Zoë ")
    assert "Zoë" in result.stdout  # ensure_ascii=False keeps names readable


def test_show_text_is_readable() -> None:
    result = invoke("show", "business_leader", "--group", "self")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Business leader: questionnaire for self")
    assert "Scale: 1 Never · 2 Rarely · 3 Sometimes · 4 Often · 5 Always" in text
    assert "   1. I keep the organisation I lead focused" in text
    assert "[business_leader.1]" in text and "Open questions" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "ceo", "--group", "peers"], "unknown level 'ceo'"),
        (["show", "team_leader", "--group", "boss"], "unknown rater group 'boss'"),
    ],
)
def test_show_bad_level_or_group_is_one_line_error(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
