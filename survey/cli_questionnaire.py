"""`questionnaire check`, `show` and `generate`: the content without an app (SPEC §9, issue 21)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NoReturn

import click
from babel.support import Translations
from flask.cli import AppGroup

from survey.domain.content_toml import content_files
from survey.domain.generator import generate_draft
from survey.domain.levels_document import DocumentError
from survey.domain.questionnaire import (
    LEVELS,
    RATER_GROUPS,
    Content,
    ContentError,
    Questionnaire,
    QuestionnaireError,
    Section,
    build_questionnaire,
    load_content,
)

questionnaire_cli = AppGroup(
    "questionnaire", help="Check, show and generate the questionnaire content."
)

_DIR_OPTION = click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Content folder (default: $SURVEY_QUESTIONNAIRES, else the one shipped with survey).",
)


@questionnaire_cli.command("check", with_appcontext=False)
@_DIR_OPTION
def check_command(directory: Path | None) -> None:
    """Validate the content files; print every problem as FILE: KEY: reason and exit 1."""
    content = _load(directory)
    translated = f"; translated: {', '.join(sorted(content.translations))}"
    click.echo(
        f"questionnaires OK: {len(content.levels)} levels, {len(content.areas)} areas, "
        f"{content.item_count} items{translated if content.translations else ''}"
    )


@questionnaire_cli.command("show", with_appcontext=False)
@click.argument("level")
@click.option("--group", "group", required=True, help=f"One of: {', '.join(RATER_GROUPS)}.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
@click.option("--next-level", is_flag=True, help="Add the next level's readiness section.")
@click.option(
    "--name", default=None, help="Subject name for other raters' wording (default: this person)."
)
@click.option("--locale", default=None, help="A translation (SPEC §14), e.g. de; default: base.")
@_DIR_OPTION
def show_command(
    level: str,
    group: str,
    output: str,
    next_level: bool,
    name: str | None,
    locale: str | None,
    directory: Path | None,
) -> None:
    """Print the questionnaire GROUP answers about a subject at LEVEL (text or SPEC §9 JSON)."""
    if level not in LEVELS:
        raise click.ClickException(f"unknown level {level!r}; expected one of: {', '.join(LEVELS)}")
    content = _load(directory)
    if locale is not None and locale not in content.locales:
        raise click.ClickException(
            f"no {locale!r} translation; the content has: {', '.join(content.locales)}"
        )
    if name is None:
        name = _this_person(locale)
    try:
        questionnaire = build_questionnaire(
            level, group, next_level, subject_name=name, content=content.in_locale(locale)
        )
    except QuestionnaireError as error:
        raise click.ClickException(str(error)) from None
    if output == "json":
        click.echo(json.dumps(questionnaire.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_text(questionnaire))


@questionnaire_cli.command("generate", with_appcontext=False)
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the content files to (created if missing).",
)
@click.option("--force", is_flag=True, help="Overwrite content files already in the folder.")
@_DIR_OPTION
def generate_command(document: Path, output: Path, force: bool, directory: Path | None) -> None:
    """Write a draft content folder for the levels DOCUMENT (issue 21).

    The scale, the open questions and the areas to suggest come from the current content
    (--dir). Check the result with `SURVEY_QUESTIONNAIRES=OUTPUT survey questionnaire check`.
    """
    base = _load(directory)
    try:
        text = document.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot read {document}: {error}") from None
    try:
        draft = generate_draft(text, base)
    except DocumentError as error:
        for problem in error.problems:
            click.echo(f"{document.name}: {problem}", err=True)
        raise click.exceptions.Exit(1) from None
    files = content_files(draft.content, draft.notes, document.name)
    taken = sorted(name for name in files if (output / name).exists())
    if taken and not force:
        raise click.ClickException(f"{output} already has {', '.join(taken)} (--force replaces)")
    output.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (output / name).write_text(body, encoding="utf-8")
    for key, note in draft.notes.items():
        click.echo(f"{key}: {note}", err=True)
    count = sum(len(level["responsibilities"]) for level in draft.content["levels"].values())
    click.echo(
        f"wrote {len(files)} files to {output}: {count} items, "
        f"{len(draft.content['areas'])} areas, {len(draft.notes)} item(s) to word by hand"
    )


def _this_person(locale: str | None) -> str:
    """The stand-in for the subject's name in the questionnaire's language: `--locale de`
    must not print "this person richtet das Team ..." (SPEC §14)."""
    translations = Translations.load(Path(__file__).parent / "translations", [locale or "en"])
    return str(translations.gettext("this person"))


def _load(directory: Path | None) -> Content:
    """Load the content or end the command with every problem on stderr (exit 1)."""
    try:
        return load_content(directory)
    except ContentError as error:
        _fail(error)


def _fail(error: ContentError) -> NoReturn:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"questionnaires invalid: {len(error.problems)} problem(s)", err=True)
    raise click.exceptions.Exit(1)


def format_text(questionnaire: Questionnaire) -> str:
    """Render a questionnaire as readable text: scale legend, numbered items, open questions."""
    scale = questionnaire.scale
    legend = [f"{value} {scale.label(value)}" for value in scale.values()]
    if scale.allows_na:
        legend.append(f"N/A {scale.na_label}")
    lines = [
        f"{questionnaire.level_title}: questionnaire for {questionnaire.group} "
        f"about {questionnaire.subject_name}",
        "Scale: " + " · ".join(legend),
    ]
    number = _sections_text(questionnaire.sections, lines, 1)
    if questionnaire.readiness is not None:
        lines += ["", f"== Readiness for {questionnaire.readiness.level_title} =="]
        _sections_text(questionnaire.readiness.sections, lines, number)
    lines += ["", "Open questions"]
    lines += [f"  - {question.text}" for question in questionnaire.open_questions]
    return "\n".join(lines)


def _sections_text(sections: tuple[Section, ...], lines: list[str], number: int) -> int:
    """Append numbered sections to `lines`; return the next item number."""
    for section in sections:
        lines += ["", f"{section.title}: {section.description}"]
        for item in section.items:
            lines.append(f"  {number:>2}. {item.text} [{item.source}]")
            number += 1
    return number
