"""`survey demo`: run a whole 360° campaign on the example organisation, then serve it."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from survey.cli import SurveyCommand
from survey.commands.serve import bind_server, serve_until_interrupted
from survey.demo.files import check_replaceable, outbox_of, reset_demo_files
from survey.demo.scenario import DemoResult, build_demo_app, run_scenario
from survey.packaged import EXAMPLES, packaged_folder


@click.command("demo", cls=SurveyCommand)
@click.option("--database", type=click.Path(dir_okay=False, path_type=Path),
              help="SQLite file to (re)create. Default: instance/demo.sqlite.")
@click.option("--force", is_flag=True,
              help="Replace --database (and its outbox folder) even if no demo made it.")
@click.option("--org", "org_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Org chart CSV (default: the example organisation).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True,
              help="Stop after building the demo data (no port is used).")
@with_appcontext
def demo_command(
    database: Path | None,
    force: bool,
    org_file: Path | None,
    host: str,
    port: int,
    no_serve: bool,
) -> None:
    """Import an organisation, run a campaign through the real pages, release it, serve it."""
    started = time.monotonic()
    database = (database or Path(current_app.instance_path) / "demo.sqlite").absolute()
    org_csv = (org_file or packaged_folder(EXAMPLES) / "org.csv").read_bytes()
    check_replaceable(database, force)
    app = build_demo_app(database, current_app.config["SECRET_KEY"], f"http://{host}:{port}")
    # the port is taken before anything is deleted, so a busy port costs nothing
    server = None if no_serve else bind_server(app, host, port)
    reset_demo_files(database)
    _say(f"Building the demo in {database}")
    result = run_scenario(app, org_csv, _say)
    _say(f"Demo data ready in {time.monotonic() - started:.1f} s.")
    _print_links(result, outbox_of(database))
    if server is None:
        click.echo(f"\nTo serve it later: {_serve_command(database, host, port)}")
        return
    _say(f"\nServing on {result.base_url}; press Ctrl+C to stop.")
    serve_until_interrupted(server)


def _serve_command(database: Path, host: str, port: int) -> str:
    words = ["survey", "serve", "--database", str(database), "--port", str(port)]
    if host != "127.0.0.1":
        words += ["--host", host]
    return shlex.join(words)


def _say(message: str) -> None:
    click.echo(message, err=True)


def _print_links(result: DemoResult, outbox: Path) -> None:
    lines = [
        "",
        "Where to go:",
        f"  HR:       {result.base_url}/sign-in",
        f"            e-mail {result.hr_email}   password {result.hr_password}",
        f"  Manager:  {result.manager_link}",
        f"            ({result.manager_name}'s released report; one-time sign-in link)",
        f"  Rater:    {result.rater_link}",
        f"            ({result.rater_name}'s link: asked about {result.rater_subject} in a "
        "campaign that is still open)",
        f"  E-mails:  {outbox}",
        "            (every message the demo sent, one .eml file each)",
    ]
    click.echo("\n".join(lines))
