"""`survey questionnaire generate FILE --output DIR` writes content that `check` accepts."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from survey.cli_questionnaire import questionnaire_cli
from survey.domain.content import RESPONSIBILITY_COUNTS

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "leadership-levels.txt"


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(questionnaire_cli, list(args), env=env)


def test_generated_folder_passes_check_and_covers_every_responsibility(tmp_path: Path) -> None:
    out = tmp_path / "d"
    result = invoke("generate", str(EXAMPLE), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "28 items" in result.stdout and "0 item(s) to word by hand" in result.stdout
    env = {"SURVEY_QUESTIONNAIRES": str(out)}
    checked = invoke("check", env=env)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.strip().endswith("28 items")
    for level, count in RESPONSIBILITY_COUNTS.items():
        shown = invoke("show", level, "--group", "self", "--format", "json", env=env)
        data = json.loads(shown.stdout)
        sources = [item["source"] for area in data["areas"] for item in area["items"]]
        assert sorted(sources) == sorted(f"{level}.{n}" for n in range(1, count + 1))


def test_a_document_without_levels_fails_naming_the_line(tmp_path: Path) -> None:
    document = tmp_path / "notes.md"
    document.write_text("# Our notes\n\n- first thought\n", encoding="utf-8")
    result = invoke("generate", str(document), "--output", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert "notes.md: line 3: the bullet “first thought” is under no heading" in result.stderr
    assert not (tmp_path / "d").exists()
    assert "Traceback" not in result.output


def test_items_the_rules_cannot_word_are_listed_and_check_refuses_them(tmp_path: Path) -> None:
    document = tmp_path / "levels.md"
    document.write_text(
        "## IC\n- Uses tools.\n- Delivers.\n- Learns.\n"
        "## Manager\n- Responsible for the budget.\n- Delegates work.\n- Sets goals.\n"
        "## Director\n- Sets the strategy.\n- Leads culture.\n- Keeps leaders accountable.\n",
        encoding="utf-8",
    )
    out = tmp_path / "d"
    result = invoke("generate", str(document), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "tl_responsible_budget: The rules could not word" in result.stderr
    checked = invoke("check", "--dir", str(out))
    assert checked.exit_code == 1
    assert "team_leader.toml: tl_responsible_budget: empty self wording" in checked.stderr


def test_an_existing_folder_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "d"
    assert invoke("generate", str(EXAMPLE), "--output", str(out)).exit_code == 0
    edited = out / "team_leader.toml"
    edited.write_text("# worded by hand\n", encoding="utf-8")
    again = invoke("generate", str(EXAMPLE), "--output", str(out))
    assert again.exit_code == 1 and "(--force replaces)" in again.stderr
    assert edited.read_text(encoding="utf-8") == "# worded by hand\n"
    assert invoke("generate", str(EXAMPLE), "--output", str(out), "--force").exit_code == 0
    assert "worded by hand" not in edited.read_text(encoding="utf-8")
