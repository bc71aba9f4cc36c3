"""`survey org import FILE`: load the org chart from CSV, all-or-nothing (SPEC §4, §9)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from survey.cli import SurveyGroup
from survey.domain.orgchart import MAX_LISTED_PROBLEMS, OrgChartError
from survey.extensions import db
from survey.services.orgchart import import_people

org_cli = SurveyGroup("org", help="Manage the org chart.")


@org_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Create or update people from FILE (email,name,level,manager_email,team)."""
    data = file.read_bytes()
    try:
        with click.progressbar(
            length=max(data.count(b"\n"), 1),
            label="Importing",
            file=sys.stderr,
        ) as bar:
            summary = import_people(data, progress=bar.update)
    except OrgChartError as error:
        db.session.rollback()
        for problem in error.problems[:MAX_LISTED_PROBLEMS]:
            click.echo(f"{file.name}: {problem}", err=True)
        hidden = len(error.problems) - MAX_LISTED_PROBLEMS
        if hidden > 0:
            click.echo(f"{file.name}: … and {hidden:,} more not listed", err=True)
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"imported {file.name}: {summary}")
    for change in summary.changes:
        click.echo(f"  moved: {change}")
    for note in summary.notes():
        click.echo(f"note: {note}")
